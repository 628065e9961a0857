import type { ScanResult } from '../../src/scan.js';
import type { Finding, Reference } from '../../src/types.js';

/** A scan result around the given findings, for the pull request reporters' tests. */
export function prResult(findings: Finding[], references: Reference[] = REFERENCES): ScanResult {
  return {
    label: '.',
    references,
    weights: [],
    facts: [],
    problems: [],
    skipped: [],
    paths: new Set(),
    findings,
    upstreams: {},
    stats: {
      filesListed: 12,
      filesRead: 3,
      bytesRead: 4096,
      extractMs: 3,
      enrichMs: 0,
      totalMs: 5,
    },
  };
}

export const SHA = 'a3f1c9e0b7d2486f9e1c3b5a7d9f0e2c4b6a8d0f';

export const PIN_FIX_FINDING: Finding = {
  rule: 'unpinned-revision',
  severity: 'medium',
  message: 'Model meta-llama/Llama-3.1-8B-Instruct follows "main", which can move.',
  remediation: 'Pin the full commit sha of the revision you reviewed (revision="<40-hex sha>").',
  file: 'src/train.py',
  line: 12,
  column: 51,
  id: 'meta-llama/Llama-3.1-8B-Instruct',
  ecosystem: 'huggingface',
  kind: 'model',
  fix: {
    description: 'Pin the commit "main" resolves to today.',
    span: {
      file: 'src/train.py',
      line: 12,
      column: 96,
      endColumn: 100,
      text: 'main',
    },
    replacement: SHA,
  },
  links: [
    {
      title: 'Commit 0e9e39f',
      url: 'https://huggingface.co/meta-llama/Llama-3.1-8B-Instruct/commit/0e9e39f249a16976918f6564b8830bc894c89659',
    },
  ],
};

export const REMOTE_CODE_FINDING: Finding = {
  rule: 'remote-code',
  severity: 'high',
  message:
    'trust_remote_code=True for microsoft/Phi-3-mini-4k-instruct runs Python code from the model repository at whatever revision it holds when loaded.',
  remediation:
    'Review the repository code and pin revision="<commit sha>" next to trust_remote_code.',
  file: 'src/train.py',
  line: 30,
  column: 62,
  id: 'microsoft/Phi-3-mini-4k-instruct',
  ecosystem: 'huggingface',
  kind: 'model',
};

export const OLD_FINDING: Finding = {
  rule: 'unsafe-weights-format',
  severity: 'medium',
  message: 'Declares 4 pickle-based shards (pytorch_model-00001-of-00004.bin, …).',
  remediation: 'Convert the weights to safetensors.',
  file: 'merged/pytorch_model.bin.index.json',
  line: 6,
  column: 24,
};

export const REFERENCES: Reference[] = [
  {
    kind: 'model',
    ecosystem: 'huggingface',
    id: 'meta-llama/Llama-3.1-8B-Instruct',
    revision: 'main',
    pinned: false,
    file: 'src/train.py',
    line: 12,
    column: 51,
    extractor: 'python-source',
    via: 'from_pretrained',
  },
  {
    kind: 'model',
    ecosystem: 'huggingface',
    id: 'microsoft/Phi-3-mini-4k-instruct',
    revision: null,
    pinned: false,
    file: 'src/train.py',
    line: 30,
    column: 40,
    extractor: 'python-source',
    via: 'from_pretrained',
    trustRemoteCode: true,
  },
];

/** The line PIN_FIX_FINDING sits on, as the patch shows it. */
export const PIN_LINE =
  '    model = AutoModelForCausalLM.from_pretrained("meta-llama/Llama-3.1-8B-Instruct", revision="main")';
