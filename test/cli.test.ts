import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli, type CliIo } from '../src/cli-main.js';
import { tempRepo } from './helpers.js';

const EXAMPLE = fileURLToPath(new URL('../examples/fine-tune-and-serve', import.meta.url));

function io(cwd = process.cwd()) {
  const out: string[] = [];
  const err: string[] = [];
  const value: CliIo = {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    isTTY: false,
    env: {},
    cwd,
  };
  return { io: value, out: () => out.join(''), err: () => err.join('') };
}

describe('llm-supply-chain-guard scan', () => {
  it('reports the example repository as JSON with references at their file and line', async () => {
    const t = io();
    const code = await runCli(
      ['scan', EXAMPLE, '--offline', '--format', 'json', '--fail-on', 'none'],
      t.io,
    );
    expect(code).toBe(0);
    const report = JSON.parse(t.out());
    expect(report.version).toBe(1);
    const find = (file: string, id: string) =>
      report.references.find((r: { file: string; id: string }) => r.file === file && r.id === id);
    expect(find('adapter/adapter_config.json', 'meta-llama/Llama-3.1-8B-Instruct')).toMatchObject({
      kind: 'model',
      ecosystem: 'huggingface',
      revision: null,
      pinned: false,
      line: 4,
      column: 31,
    });
    expect(find('src/train.py', 'meta-llama/Llama-3.1-8B-Instruct')).toMatchObject({
      revision: '0e9e39f249a16976918f6564b8830bc894c89659',
      pinned: true,
      line: 8,
      column: 15,
    });
    expect(find('configs/axolotl-lora.yml', 'tatsu-lab/alpaca')).toMatchObject({
      kind: 'dataset',
      line: 14,
      column: 11,
    });
    expect(find('uv.lock', 'torch')).toMatchObject({
      ecosystem: 'pypi',
      revision: '2.4.1',
      pinned: true,
    });
    expect(find('serve/Modelfile', 'llama3.1')).toMatchObject({
      ecosystem: 'ollama',
      revision: '8b',
      pinned: false,
    });
    // Local paths are not Hub references.
    expect(
      report.references.some((r: { id: string }) =>
        /outputs|support_transcripts|adapters/.test(r.id),
      ),
    ).toBe(false);
    const rules = new Set(report.findings.map((f: { rule: string }) => f.rule));
    for (const rule of [
      'unpinned-revision',
      'unsafe-weights-format',
      'remote-code',
      'dependency-unpinned',
    ]) {
      expect(rules).toContain(rule);
    }
  });

  it('exits 1 when a finding reaches --fail-on and 0 when none does', async () => {
    const repo = tempRepo({
      'adapter_config.json': '{"base_model_name_or_path": "org/base", "revision": null}',
    });
    try {
      expect(await runCli(['scan', repo.root, '--offline', '--fail-on', 'medium'], io().io)).toBe(
        1,
      );
      expect(await runCli(['scan', repo.root, '--offline'], io().io)).toBe(0);
      expect(await runCli(['scan', repo.root, '--offline', '--fail-on', 'none'], io().io)).toBe(0);
    } finally {
      repo.cleanup();
    }
  });

  it('writes SARIF and markdown to --output', async () => {
    const repo = tempRepo({
      'train.py': 'from transformers import AutoModel\nAutoModel.from_pretrained("org/m")\n',
    });
    try {
      const t = io(repo.root);
      expect(
        await runCli(
          ['scan', '.', '--offline', '--format', 'sarif', '--output', 'out.sarif'],
          t.io,
        ),
      ).toBe(0);
      const sarif = JSON.parse(readFileSync(path.join(repo.root, 'out.sarif'), 'utf8'));
      expect(sarif.runs[0].results.map((r: { ruleId: string }) => r.ruleId)).toEqual([
        'unpinned-revision',
      ]);
      expect(t.out()).toBe('');
      const m = io(repo.root);
      await runCli(['scan', '.', '--offline', '--format', 'markdown'], m.io);
      expect(m.out()).toContain('## LLM supply chain report');
    } finally {
      repo.cleanup();
    }
  });

  it('turns a malformed file into a parse-error finding with its line', async () => {
    const repo = tempRepo({
      'adapter_config.json': '{\n  "base_model_name_or_path": "org/base",\n  "r": 8,,\n}',
    });
    try {
      const t = io();
      await runCli(['scan', repo.root, '--offline', '--format', 'json'], t.io);
      const report = JSON.parse(t.out());
      expect(
        report.findings.map((f: { rule: string; line: number }) => [f.rule, f.line]),
      ).toContainEqual(['parse-error', 3]);
    } finally {
      repo.cleanup();
    }
  });

  it.each([
    [['scan', '.', '--format', 'xml'], /--format must be one of text, markdown, json, sarif/],
    [['scan', '.', '--fail-on', 'severe'], /--fail-on must be one of/],
    [['scan', '.', '--bogus'], /Unknown option '--bogus'/],
    [['lint'], /unknown command: lint/],
    [['scan', 'does/not/exist'], /not a directory/],
  ])('exits 2 on usage errors: %j', async (argv, message) => {
    const t = io();
    expect(await runCli(argv, t.io)).toBe(2);
    expect(t.err()).toMatch(message);
  });

  it('prints help, version and the rule list', async () => {
    const h = io();
    expect(await runCli(['--help'], h.io)).toBe(0);
    expect(h.out()).toContain('Usage: llm-supply-chain-guard scan [DIR]');
    const r = io();
    expect(await runCli(['--list-rules'], r.io)).toBe(0);
    expect(r.out()).toMatch(/^unpinned-revision\s+medium\s+Hub reference not pinned to a commit$/m);
  });
});
