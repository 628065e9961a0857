import { runCli } from '../../src/cli-main.js';
import { tempRepo } from '../helpers.js';
import { startHub, type StandInHub } from '../registries/huggingface/stand-in.js';

/**
 * Licence rules end to end: the CLI, online, against the loopback Hub of the provenance work
 * (test/registries/huggingface/stand-in.ts), whose meta-llama/Llama-3.1-8B carries the real
 * `llama3.1` licence and whose acme-labs/relicensed moved to `other` (`acme-research-only`).
 */
describe('licence rules against the Hub stand-in', () => {
  let hub: StandInHub;
  beforeAll(async () => {
    hub = await startHub();
  });
  afterAll(async () => {
    await hub.close();
  });

  it('reports the card that relicenses its base model and the upstream outside the allow list', async () => {
    const repo = tempRepo({
      '.github/llm-supply-chain.yml':
        'licenses:\n  models:\n    allow: [Apache-2.0, MIT, llama3.1]\n',
      'README.md': [
        '---',
        'license: apache-2.0',
        'base_model: meta-llama/Llama-3.1-8B',
        '---',
        '# Our fine-tune',
        '',
      ].join('\n'),
      'serve.py': [
        'from transformers import AutoModel',
        'AutoModel.from_pretrained("acme-labs/relicensed")',
        '',
      ].join('\n'),
    });
    try {
      let stdout = '';
      const code = await runCli(
        [
          'scan',
          repo.root,
          '--format',
          'json',
          '--fail-on',
          'none',
          '--hf-endpoint',
          hub.url,
          '--pypi-endpoint',
          'http://127.0.0.1:9',
          '--npm-endpoint',
          'http://127.0.0.1:9',
          '--osv-endpoint',
          'http://127.0.0.1:9',
        ],
        {
          stdout: (t) => (stdout += t),
          stderr: () => undefined,
          isTTY: false,
          env: {},
          cwd: process.cwd(),
        },
      );
      expect(code).toBe(0);
      const findings = JSON.parse(stdout).findings.filter((f: { rule: string }) =>
        f.rule.startsWith('license-'),
      );
      expect(
        findings.map((f: Record<string, unknown>) => [
          f.rule,
          f.severity,
          f.file,
          f.line,
          f.message,
        ]),
      ).toEqual([
        [
          'license-lineage',
          'high',
          'README.md',
          2,
          'This model card declares apache-2.0, but its base model meta-llama/Llama-3.1-8B is licensed llama3.1: the derived licence drops its use restrictions and the Llama licence terms.',
        ],
        [
          'license-policy',
          'medium',
          'serve.py',
          2,
          "Model acme-labs/relicensed is licensed other (acme-research-only), which is not on the policy's allow list for models.",
        ],
      ]);
    } finally {
      repo.cleanup();
    }
  });
});
