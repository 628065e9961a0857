import { runCli, type CliIo } from '../../src/cli-main.js';
import { tempRepo } from '../helpers.js';

/**
 * The policy end to end through the CLI, offline: loaded from the default location or --config,
 * applied by scan(), rendered by the reporters. Expiry dates are far in the past or future so
 * the result does not depend on the day the test runs.
 */

const POLICY = [
  'require-pinned: true', // 1
  'rules:', // 2
  '  dependency-unpinned: off', // 3
  'ignore:', // 4
  '  - rule: unpinned-revision', // 5
  '    path: notebooks/**',
  '    reason: demo notebooks are not shipped',
  '    expires: 2999-12-31',
  '  - rule: unpinned-revision', // 9
  '    id: org/old-exception',
  '    reason: was fine once',
  '    expires: 2000-01-01',
].join('\n');

const FILES = {
  '.github/llm-supply-chain.yml': POLICY,
  'train.py': [
    'from transformers import AutoModelForCausalLM',
    'model = AutoModelForCausalLM.from_pretrained("meta-Ilama/Llama-3.1-8B")',
    'other = AutoModelForCausalLM.from_pretrained("org/old-exception")',
    '',
  ].join('\n'),
  'notebooks/demo.py': [
    'from transformers import AutoModel',
    'AutoModel.from_pretrained("org/demo-model")',
    '',
  ].join('\n'),
  'requirements.txt': 'torch>=2.0\n',
};

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    isTTY: false,
    env: {},
    cwd: process.cwd(),
  };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}

describe('policy through the CLI', () => {
  it('applies the default policy file: raises, drops, suppresses and reports expiry', async () => {
    const repo = tempRepo(FILES);
    try {
      const { code, stdout } = await cli(['scan', repo.root, '--offline', '--format', 'json']);
      const report = JSON.parse(stdout);
      const rows = report.findings.map(
        (f: {
          rule: string;
          severity: string;
          file: string;
          line: number;
          suppressed?: object;
        }) => [f.rule, f.severity, f.file, f.line, f.suppressed ?? null],
      );
      expect(rows).toEqual([
        [
          'unpinned-revision',
          'high',
          'notebooks/demo.py',
          2,
          { reason: 'demo notebooks are not shipped', expires: '2999-12-31' },
        ],
        ['typosquat-suspect', 'high', 'train.py', 2, null],
        ['unpinned-revision', 'high', 'train.py', 2, null],
        ['unpinned-revision', 'high', 'train.py', 3, null],
        ['exception-expired', 'medium', '.github/llm-supply-chain.yml', 9, null],
      ]);
      expect(report.summary).toMatchObject({
        findings: 4,
        suppressed: 1,
        bySeverity: { critical: 0, high: 3, medium: 1, low: 0, info: 0 },
        highestSeverity: 'high',
      });
      expect(code).toBe(1);
    } finally {
      repo.cleanup();
    }
  });

  it('does not fail on suppressed findings, and folds them in markdown', async () => {
    const repo = tempRepo({
      '.github/llm-supply-chain.yml': [
        'require-pinned: true',
        'ignore:',
        '  - rule: unpinned-revision',
        '    path: notebooks/**',
        '    reason: demo notebooks are not shipped',
        '    expires: 2999-12-31',
      ].join('\n'),
      'notebooks/demo.py': FILES['notebooks/demo.py'],
    });
    try {
      const { code, stdout } = await cli(['scan', repo.root, '--offline', '--format', 'markdown']);
      expect(code).toBe(0);
      expect(stdout).toContain('**No findings (1 suppressed).**');
      expect(stdout).toContain('<details><summary>1 suppressed by policy exceptions</summary>');
      expect(stdout).toContain(
        '| 🟧 high | `unpinned-revision` | [org/demo-model](https://huggingface.co/org/demo-model) | `notebooks/demo.py` L2: Model org/demo-model has no revision. | demo notebooks are not shipped | 2999-12-31 |',
      );
      const sarif = JSON.parse(
        (await cli(['scan', repo.root, '--offline', '--format', 'sarif'])).stdout,
      );
      expect(sarif.runs[0].results[0].suppressions).toEqual([
        {
          kind: 'external',
          status: 'accepted',
          justification: 'demo notebooks are not shipped (until 2999-12-31)',
        },
      ]);
    } finally {
      repo.cleanup();
    }
  });

  it('--config names the file; an invalid policy exits 2 naming file, line and key', async () => {
    const repo = tempRepo({
      'policies/strict.yml': 'require-pinned: true\nignore:\n  - rule: remote-code\n    id: x/y\n',
      'train.py': FILES['train.py'],
    });
    try {
      const { code, stderr } = await cli([
        'scan',
        repo.root,
        '--offline',
        '--config',
        `${repo.root}/policies/strict.yml`,
      ]);
      expect(code).toBe(2);
      expect(stderr).toBe(
        [
          'llm-supply-chain-guard: Invalid policy file:',
          '  policies/strict.yml:3:5: ignore[0].reason: missing required key',
          '  policies/strict.yml:3:5: ignore[0].expires: missing required key',
          '',
        ].join('\n'),
      );
      const missing = await cli(['scan', repo.root, '--offline', '--config', 'nope.yml']);
      expect([missing.code, missing.stderr]).toEqual([
        2,
        'llm-supply-chain-guard: Policy file not found: nope.yml\n',
      ]);
    } finally {
      repo.cleanup();
    }
  });
});
