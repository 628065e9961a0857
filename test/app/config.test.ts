import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readAppConfig } from '../../src/app/config.js';
import { routeEvent } from '../../src/app/events.js';
import { parsePolicy } from '../../src/policy/schema.js';
import { appKeys, examplePayload, pullRequestPayload } from './helpers.js';

const base = () => ({
  GITHUB_APP_ID: '1234',
  GITHUB_APP_PRIVATE_KEY: appKeys().privateKey,
  GITHUB_WEBHOOK_SECRET: 'shh',
});

describe('serve configuration', () => {
  it('has defaults for everything but the App credentials', () => {
    const c = readAppConfig(base());
    expect({
      appId: c.appId,
      apiUrl: c.apiUrl,
      port: c.port,
      host: c.host,
      webhookPath: c.webhookPath,
      redisUrl: c.redisUrl,
      driftCron: c.driftCron?.source,
      concurrency: c.concurrency,
      installationConcurrency: c.installationConcurrency,
      scope: c.scope,
      comment: c.comment,
      updatePullRequests: c.updatePullRequests,
      dashboardTitle: c.dashboardTitle,
    }).toEqual({
      appId: '1234',
      apiUrl: 'https://api.github.com',
      port: 3000,
      host: '0.0.0.0',
      webhookPath: '/api/github/webhooks',
      redisUrl: null,
      driftCron: '0 6 * * *',
      concurrency: 4,
      installationConcurrency: 2,
      scope: 'changed',
      comment: 'on-findings',
      updatePullRequests: false,
      dashboardTitle: 'LLM supply chain dashboard',
    });
  });

  it('reads secrets from *_FILE, and a key whose newlines were escaped', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lscg-config-'));
    try {
      writeFileSync(path.join(dir, 'key.pem'), appKeys().privateKey);
      writeFileSync(path.join(dir, 'secret'), 'from-a-file\n');
      const c = readAppConfig({
        GITHUB_APP_ID: '1234',
        GITHUB_APP_PRIVATE_KEY_FILE: path.join(dir, 'key.pem'),
        GITHUB_WEBHOOK_SECRET_FILE: path.join(dir, 'secret'),
      });
      expect(c.privateKey).toBe(appKeys().privateKey.trim());
      expect(c.webhookSecret).toBe('from-a-file');
      const escaped = readAppConfig({
        ...base(),
        GITHUB_APP_PRIVATE_KEY: appKeys().privateKey.trim().replace(/\n/g, '\\n'),
      });
      expect(escaped.privateKey).toBe(appKeys().privateKey.trim());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names the variable at fault', () => {
    const bad = (env: Record<string, string>) => () => readAppConfig({ ...base(), ...env });
    expect(() => readAppConfig({})).toThrow('GITHUB_APP_ID (or GITHUB_APP_ID_FILE) is required.');
    expect(bad({ GITHUB_WEBHOOK_SECRET_FILE: '/x' })).toThrow(
      'Set GITHUB_WEBHOOK_SECRET or GITHUB_WEBHOOK_SECRET_FILE, not both.',
    );
    expect(bad({ GITHUB_APP_PRIVATE_KEY: 'hunter2' })).toThrow(
      'GITHUB_APP_PRIVATE_KEY is not a PEM private key',
    );
    expect(bad({ GITHUB_APP_ID: 'my-app' })).toThrow(
      'GITHUB_APP_ID must be a number; got "my-app".',
    );
    expect(bad({ GITHUB_APP_ID: '', GITHUB_APP_ID_FILE: '/no/such/file' })).toThrow(
      'GITHUB_APP_ID_FILE: cannot read /no/such/file (ENOENT).',
    );
    expect(bad({ LSCG_CONCURRENCY: '0' })).toThrow(
      'LSCG_CONCURRENCY must be a whole number from 1 to 256; got "0".',
    );
    expect(bad({ REDIS_URL: 'http://localhost:6379' })).toThrow(
      'REDIS_URL must be a redis: or rediss: URL.',
    );
    expect(bad({ LSCG_DRIFT_CRON: '0 25 * * *' })).toThrow('hour "25" is outside 0-23');
    expect(bad({ LSCG_SCOPE: 'everything' })).toThrow(
      'LSCG_SCOPE must be one of changed, all; got "everything".',
    );
    expect(readAppConfig({ ...base(), LSCG_DRIFT_CRON: 'off' }).driftCron).toBeNull();
  });
});

describe('routing deliveries to jobs', () => {
  const opts = { driftOnInstall: true };
  it('queues a check for the pull request actions that change it', () => {
    const target = { installation: 5, owner: 'acme', repo: 'ml', number: 3 };
    for (const action of ['opened', 'synchronize', 'reopened', 'ready_for_review']) {
      const routed = routeEvent('pull_request', pullRequestPayload(action, target), 'd-1', opts);
      expect(routed.jobs.map((j) => [j.id, j.key, j.installationId])).toEqual([
        ['pr-d-1', 'pr/5/acme/ml#3', 5],
      ]);
    }
    expect(
      routeEvent('pull_request', pullRequestPayload('closed', target), 'd', opts).jobs,
    ).toEqual([]);
  });

  it('turns an installation into first drift checks of its repositories (or not)', () => {
    const payload = examplePayload('installation', 'created');
    const routed = routeEvent('installation', payload, 'd-2', opts);
    expect(routed.jobs.map((j) => [j.id, j.job])).toEqual([
      [
        'drift-d-2-0',
        {
          kind: 'drift',
          installationId: 957387,
          owner: 'Codertocat',
          repo: 'Hello-World',
          reason: 'installation',
          delivery: 'd-2',
        },
      ],
    ]);
    expect(routeEvent('installation', payload, 'd', { driftOnInstall: false }).jobs).toEqual([]);
    const added = examplePayload('installation_repositories', 'added');
    expect(routeEvent('installation_repositories', added, 'd-3', opts).jobs.length).toBeGreaterThan(
      0,
    );
    const removed = examplePayload('installation_repositories', 'removed');
    expect(routeEvent('installation_repositories', removed, 'd-4', opts).jobs).toEqual([]);
  });

  it('queues only comments that hold a command, by people', () => {
    const p = examplePayload('issue_comment', 'created');
    p.installation = { id: 9 };
    expect(routeEvent('issue_comment', p, 'd', opts).note).toBe('not a command');
    (p.comment as Record<string, unknown>).body = 'Thanks!\n/llm-supply-chain recheck';
    expect(routeEvent('issue_comment', p, 'd-5', opts).jobs.map((j) => j.id)).toEqual([
      'command-d-5',
    ]);
  });
});

describe('policy key app.drift', () => {
  it('is optional, a boolean, and absent from policies that do not set it', () => {
    expect(parsePolicy('version: 1\n', 'p.yml').app).toBeUndefined();
    expect(parsePolicy('app:\n  drift: false\n', 'p.yml').app).toEqual({ drift: false });
    expect(() => parsePolicy('app:\n  drift: nope\n', 'p.yml')).toThrow(
      'p.yml:2:10: app.drift: expected true or false, got "nope"',
    );
    expect(() => parsePolicy('app:\n  dirft: false\n', 'p.yml')).toThrow(
      'p.yml:2:3: app.dirft: unknown key "dirft"; did you mean "drift"?',
    );
  });
});
