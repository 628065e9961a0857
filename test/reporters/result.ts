import type { ScanResult } from '../../src/scan.js';
import type { Finding, Reference } from '../../src/types.js';

export function result(findings: Finding[], references: Reference[] = []): ScanResult {
  return {
    label: 'repo',
    references,
    weights: [],
    facts: [],
    problems: [],
    skipped: [],
    paths: new Set(),
    findings,
    upstreams: {},
    stats: {
      filesListed: 10,
      filesRead: 4,
      bytesRead: 1000,
      extractMs: 1,
      enrichMs: 0,
      totalMs: 2,
    },
  };
}

export const HOSTILE =
  'org/x <!-- @octocat `rm -rf` | [link](javascript:alert(1)) ::set-output name=x::y\n## heading';

export const FINDINGS: Finding[] = [
  {
    rule: 'remote-code',
    severity: 'high',
    message:
      'trust_remote_code=True for org/judge runs Python code from the model repository at whatever revision it holds when loaded.',
    remediation: 'Review the repository code and pin revision="<commit sha>".',
    file: 'src/train.py',
    line: 40,
    column: 63,
    id: 'org/judge',
    ecosystem: 'huggingface',
    kind: 'model',
  },
  {
    rule: 'unpinned-revision',
    severity: 'medium',
    message: 'Dataset tatsu-lab/alpaca has no revision.',
    file: 'configs/axolotl.yml',
    line: 12,
    column: 11,
    id: 'tatsu-lab/alpaca',
    ecosystem: 'huggingface',
    kind: 'dataset',
  },
  {
    rule: 'parse-error',
    severity: 'info',
    message: 'Could not parse: bad',
    file: 'configs/axolotl.yml',
    line: 30,
    column: 1,
  },
];
