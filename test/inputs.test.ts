import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { ConfigurationError } from '../src/errors.js';
import { readInputs, secretsOf } from '../src/inputs.js';
import { tempRepo } from './helpers.js';

describe('readInputs', () => {
  const repo = tempRepo({
    'ml/train.py': 'x = 1\n',
    'ml/.llm-supply-chain-guard.yml': 'rules: {}\n',
  });
  afterAll(() => repo.cleanup());
  const env = (inputs: Record<string, string>, extra: Record<string, string> = {}) => ({
    GITHUB_WORKSPACE: repo.root,
    RUNNER_TEMP: '/runner/_temp',
    ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
    ...extra,
  });

  it('applies the documented defaults', () => {
    const inputs = readInputs(env({}));
    expect(inputs).toMatchObject({
      githubToken: '',
      mode: 'auto',
      path: repo.root,
      repoPrefix: '',
      scope: 'changed',
      failOn: 'high',
      comment: 'on-findings',
      reviewComments: true,
      suggestions: true,
      sarifFile: '/runner/_temp/llm-supply-chain-guard/results.sarif',
      reportFile: '/runner/_temp/llm-supply-chain-guard/report.json',
      config: null,
      offline: false,
      dryRun: false,
      apiUrl: 'https://api.github.com',
      serverUrl: 'https://github.com',
    });
    expect(inputs.online.hfEndpoint).toBe('https://huggingface.co');
  });

  it('reads the drift inputs, with their documented defaults', () => {
    expect(readInputs(env({}))).toMatchObject({
      dashboard: true,
      dashboardTitle: 'LLM supply chain dashboard',
      dashboardLabel: '',
      updatePullRequests: false,
      maxUpdatePullRequests: 5,
      updatePackages: false,
    });
    expect(
      readInputs(
        env({
          dashboard: 'false',
          'dashboard-title': 'Model supply chain',
          'dashboard-label': 'supply-chain',
          'update-pull-requests': 'true',
          'max-update-pull-requests': '0',
          'update-packages': 'yes',
        }),
      ),
    ).toMatchObject({
      dashboard: false,
      dashboardTitle: 'Model supply chain',
      dashboardLabel: 'supply-chain',
      updatePullRequests: true,
      maxUpdatePullRequests: 0,
      updatePackages: true,
    });
  });

  it('reads every input as the runner passes it', () => {
    const inputs = readInputs(
      env(
        {
          'github-token': 'ghs_x',
          mode: 'PR',
          path: 'ml',
          scope: 'all',
          'fail-on': 'none',
          comment: 'always',
          'review-comments': 'false',
          suggestions: 'no',
          'sarif-file': 'out/guard.sarif',
          'report-file': 'out/guard.json',
          config: 'ml/.llm-supply-chain-guard.yml',
          offline: 'true',
          'dry-run': 'yes',
          'hf-token': 'hf_secret',
          'hf-endpoint': 'https://hub.internal/',
        },
        { GITHUB_API_URL: 'https://ghe.example.com/api/v3' },
      ),
    );
    expect(inputs).toMatchObject({
      mode: 'pr',
      path: path.join(repo.root, 'ml'),
      repoPrefix: 'ml',
      scope: 'all',
      failOn: 'none',
      comment: 'always',
      reviewComments: false,
      suggestions: false,
      sarifFile: path.join(repo.root, 'out/guard.sarif'),
      reportFile: path.join(repo.root, 'out/guard.json'),
      config: path.join(repo.root, 'ml/.llm-supply-chain-guard.yml'),
      offline: true,
      dryRun: true,
      apiUrl: 'https://ghe.example.com/api/v3',
    });
    expect(inputs.online.hfEndpoint).toBe('https://hub.internal');
    expect(secretsOf(inputs)).toEqual(['ghs_x', 'hf_secret']);
  });

  it('takes the checkout below the workspace as the repository root (actions/checkout path:)', () => {
    mkdirSync(path.join(repo.root, 'pr/.git'), { recursive: true });
    mkdirSync(path.join(repo.root, 'pr/models'), { recursive: true });
    expect(readInputs(env({ path: 'pr' })).repoPrefix).toBe('');
    expect(readInputs(env({ path: 'pr/models' })).repoPrefix).toBe('models');
  });

  it.each([
    ['mode', 'weekly', 'Input "mode" must be one of auto, pr, drift; got "weekly".'],
    ['scope', 'diff', 'Input "scope" must be one of changed, all; got "diff".'],
    [
      'fail-on',
      'severe',
      'Input "fail-on" must be one of none, info, low, medium, high, critical; got "severe".',
    ],
    [
      'comment',
      'sometimes',
      'Input "comment" must be one of always, on-findings, never; got "sometimes".',
    ],
    ['review-comments', 'maybe', 'Input "review-comments" must be true or false; got "maybe".'],
    ['dry-run', 'y', 'Input "dry-run" must be true or false; got "y".'],
    ['hf-endpoint', 'ftp://hub', 'Input "hf-endpoint" must be an http(s) URL; got "ftp://hub".'],
    [
      'max-update-pull-requests',
      '-1',
      'Input "max-update-pull-requests" must be a whole number (0 or more); got "-1".',
    ],
    [
      'update-pull-requests',
      'sure',
      'Input "update-pull-requests" must be true or false; got "sure".',
    ],
    ['path', 'missing', 'Input "path": missing does not exist.'],
    ['config', 'policy.yml', 'Input "config": policy.yml does not exist.'],
  ])('names the invalid input %s', (name, value, message) => {
    expect(() => readInputs(env({ [name]: value }))).toThrow(new ConfigurationError(message));
  });
});
