import { runCli, type CliIo } from '../../../src/cli-main.js';
import { tempRepo } from '../../helpers.js';
import { startHub, type StandInHub } from './stand-in.js';

/**
 * `llm-supply-chain-guard scan` end to end against the Hub stand-in: real files, real
 * extractors, the JSON report; and `--offline`, which must not send a single request.
 */

const BERT_PIN = 'dd4bc8b21efa05ec961e3efc4ee5e3832a3679c7';
const GPT2_HEAD = '607a30d783dfa663caf39e06633721c8d4cfcd7e';

const FILES = {
  'train.py': [
    'from datasets import load_dataset',
    'from transformers import AutoModel, AutoTokenizer',
    '',
    `model = AutoModel.from_pretrained("google-bert/bert-base-uncased", revision="${BERT_PIN}")`,
    'tokenizer = AutoTokenizer.from_pretrained("openai-community/gpt2", revision="main")',
    'pipe = AutoModel.from_pretrained("runwayml/stable-diffusion-v1-5")',
    'art = load_dataset("laion/laion-art")',
    'chan = AutoModel.from_pretrained("ykilcher/gpt-4chan")',
    '',
  ].join('\n'),
  'models/bert-base-uncased/pytorch_model.bin': [
    'version https://git-lfs.github.com/spec/v1',
    `oid sha256:${'e'.repeat(64)}`,
    'size 440473133',
    '',
  ].join('\n'),
};

function io(): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
    isTTY: false,
    env: {},
    cwd: process.cwd(),
    out: () => out,
    err: () => err,
  };
}

describe('CLI scan against the Hub stand-in', () => {
  let hub: StandInHub;
  beforeEach(async () => {
    hub = await startHub();
  });
  afterEach(async () => {
    await hub.close();
  });

  it('reports the Hub rules in the JSON report', async () => {
    const repo = tempRepo(FILES);
    try {
      const cli = io();
      const code = await runCli(
        ['scan', repo.root, '--hf-endpoint', hub.url, '--format', 'json', '--fail-on', 'high'],
        cli,
      );
      expect(cli.err()).toBe('');
      expect(code).toBe(1);
      const report = JSON.parse(cli.out()) as {
        findings: {
          rule: string;
          severity: string;
          file: string;
          line: number;
          message: string;
          fix?: unknown;
        }[];
      };
      const hubRules = new Set([
        'unpinned-revision',
        'revision-drift',
        'upstream-disabled',
        'upstream-renamed',
        'namespace-reuse-suspect',
        'weights-hash-mismatch',
        'unsafe-weights-format',
      ]);
      const rows = report.findings
        .filter((f) => hubRules.has(f.rule))
        .map((f) => [f.rule, f.severity, f.file, f.line]);
      expect(rows).toEqual([
        ['weights-hash-mismatch', 'high', 'models/bert-base-uncased/pytorch_model.bin', 1],
        ['revision-drift', 'high', 'train.py', 4],
        ['upstream-disabled', 'high', 'train.py', 7],
        ['upstream-disabled', 'high', 'train.py', 8],
        ['unsafe-weights-format', 'medium', 'models/bert-base-uncased/pytorch_model.bin', 1],
        // bert at dd4bc8b (2019) held only pytorch_model.bin and tf_model.h5.
        ['unsafe-weights-format', 'medium', 'train.py', 4],
        ['unpinned-revision', 'medium', 'train.py', 5],
        ['namespace-reuse-suspect', 'medium', 'train.py', 6],
        ['unpinned-revision', 'medium', 'train.py', 6],
        ['upstream-renamed', 'medium', 'train.py', 6],
        ['unpinned-revision', 'medium', 'train.py', 7],
        ['unpinned-revision', 'medium', 'train.py', 8],
      ]);
      const gpt2 = report.findings.find((f) => f.rule === 'unpinned-revision' && f.line === 5);
      expect(gpt2?.message).toBe(
        `Model openai-community/gpt2 follows "main", which can move; it resolves to ${GPT2_HEAD} now.`,
      );
      expect(gpt2?.fix).toEqual({
        description: `Pin openai-community/gpt2 to ${GPT2_HEAD.slice(0, 12)}, the commit "main" points at now`,
        line: 5,
        column: 78,
        endColumn: 82,
        replacement: GPT2_HEAD,
      });
      // Each upstream once: 5 references, 5 upstreams (bert also needs its pin and history).
      expect(new Set(hub.log()).size).toBe(hub.log().length);
    } finally {
      repo.cleanup();
    }
  });

  it('sends no request with --offline', async () => {
    const repo = tempRepo(FILES);
    try {
      const cli = io();
      const code = await runCli(
        [
          'scan',
          repo.root,
          '--offline',
          '--hf-endpoint',
          hub.url,
          '--format',
          'json',
          '--fail-on',
          'none',
        ],
        cli,
      );
      expect(code).toBe(0);
      expect(hub.requests).toEqual([]);
      const rules = (JSON.parse(cli.out()) as { findings: { rule: string }[] }).findings.map(
        (f) => f.rule,
      );
      expect(rules).toContain('unpinned-revision');
      expect(rules).not.toContain('revision-drift');
    } finally {
      repo.cleanup();
    }
  });

  it('finishes with upstream-unverified when the Hub refuses connections', async () => {
    await hub.close();
    const repo = tempRepo(FILES);
    try {
      const cli = io();
      const code = await runCli(
        ['scan', repo.root, '--hf-endpoint', hub.url, '--format', 'json', '--fail-on', 'none'],
        cli,
      );
      expect(code).toBe(0);
      const findings = (JSON.parse(cli.out()) as { findings: { rule: string; line: number }[] })
        .findings;
      expect(findings.filter((f) => f.rule === 'upstream-unverified').map((f) => f.line)).toEqual([
        4, 5, 6, 7, 8,
      ]);
      expect(cli.err()).toMatch(
        /^warning: Hugging Face Hub \(http:\/\/127\.0\.0\.1:\d+\): 5 upstreams not verified/,
      );
    } finally {
      repo.cleanup();
    }
  });
});
