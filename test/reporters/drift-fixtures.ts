import type { ScanResult } from '../../src/scan.js';
import type { Finding, Reference } from '../../src/types.js';

/**
 * A drift run's scan result, written out by hand so the dashboard and update pull request
 * renderings are stable: a model whose pin fell behind and whose licence changed, an unpinned
 * dataset, a vulnerable and outdated package, a finding that names no upstream, a suppressed one,
 * and upstream text that tries markup.
 */
export const PIN = '0e9e39f249a16976918f6564b8830bc894c89659';
export const HEAD = 'c7a2b1f0e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9';
export const SCANNED = 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e';
const HUB = 'https://huggingface.co';

const span = (file: string, line: number, column: number, text: string) => ({
  file,
  line,
  column,
  endColumn: column + text.length,
  text,
});

export const DRIFT_REFERENCES: Reference[] = [
  {
    kind: 'model',
    ecosystem: 'huggingface',
    id: 'acme-labs/support-bot',
    revision: PIN,
    pinned: true,
    file: 'train.py',
    line: 3,
    column: 5,
    extractor: 'python-source',
    via: 'from_pretrained',
    revisionSpan: span('train.py', 3, 40, PIN),
  },
  {
    kind: 'model',
    ecosystem: 'huggingface',
    id: 'acme-labs/support-bot',
    revision: PIN,
    pinned: true,
    file: 'adapter/adapter_config.json',
    line: 2,
    column: 31,
    extractor: 'peft-adapter',
    via: 'base_model_name_or_path',
    revisionSpan: span('adapter/adapter_config.json', 3, 16, PIN),
  },
  {
    kind: 'dataset',
    ecosystem: 'huggingface',
    id: 'tatsu-lab/alpaca',
    revision: null,
    pinned: false,
    file: 'configs/axolotl.yml',
    line: 12,
    column: 11,
    extractor: 'training-config',
    via: 'datasets',
  },
  {
    kind: 'package',
    ecosystem: 'pypi',
    id: 'transformers',
    revision: '==4.36.0',
    version: '4.36.0',
    pinned: true,
    file: 'requirements.txt',
    line: 2,
    column: 1,
    extractor: 'pip-requirements',
    via: 'requirements',
    revisionSpan: span('requirements.txt', 2, 13, '==4.36.0'),
  },
];

const ref = DRIFT_REFERENCES;

export const DRIFT_FINDINGS: Finding[] = [
  {
    rule: 'dependency-vulnerable',
    severity: 'high',
    message:
      'transformers 4.36.0 is affected by GHSA-hxxf-235m-72v3 (CVE-2024-3568): Deserialization of untrusted data. Affected: <4.38.0; fixed in 4.38.0.',
    file: 'requirements.txt',
    line: 2,
    column: 1,
    id: 'transformers',
    ecosystem: 'pypi',
    kind: 'package',
    fix: {
      description: 'Upgrade transformers to 4.38.0',
      span: ref[3]!.revisionSpan!,
      replacement: '==4.38.0',
    },
    links: [
      { title: 'GHSA-hxxf-235m-72v3', url: 'https://osv.dev/vulnerability/GHSA-hxxf-235m-72v3' },
    ],
    details: {
      advisory: 'GHSA-hxxf-235m-72v3',
      fixed: '4.38.0',
      upgradeTo: '4.38.0',
      evaluated: '4.36.0',
      how: 'pinned',
    },
  },
  {
    rule: 'license-changed',
    severity: 'medium',
    message:
      'Licence of model acme-labs/support-bot changed upstream: apache-2.0 at the pinned commit 0e9e39f249a1, other (acme-research-only) on main (c7a2b1f0e4d3).',
    file: 'adapter/adapter_config.json',
    line: 2,
    column: 31,
    id: 'acme-labs/support-bot',
    ecosystem: 'huggingface',
    kind: 'model',
    details: {
      pinned: { ids: ['apache-2.0'] },
      head: { ids: ['other'], name: 'acme-research-only' },
      pinSha: PIN,
      headSha: HEAD,
    },
  },
  {
    rule: 'revision-drift',
    severity: 'medium',
    message:
      'Model acme-labs/support-bot is pinned to 0e9e39f249a1, 12 commits (200 days) behind main (c7a2b1f0e4d3).',
    file: 'train.py',
    line: 3,
    column: 5,
    id: 'acme-labs/support-bot',
    ecosystem: 'huggingface',
    kind: 'model',
    fix: { description: 'Move the pin', span: ref[0]!.revisionSpan!, replacement: HEAD },
    links: [
      { title: 'Upstream history', url: `${HUB}/acme-labs/support-bot/commits/main` },
      {
        title: 'Diff from the pin to main',
        url: `${HUB}/api/models/acme-labs/support-bot/compare/${PIN}..${HEAD}`,
      },
    ],
    details: {
      pinSha: PIN,
      headSha: HEAD,
      behind: 12,
      daysBehind: 200,
      newest: [
        {
          sha: HEAD,
          title: 'Relicense: research use only',
          date: '2025-06-01T10:00:00.000Z',
          authors: ['acme-dev'],
        },
        {
          sha: 'b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0',
          title: 'Fix <script>alert(1)</script> | @team ping',
          date: '2025-05-20T08:00:00.000Z',
          authors: ['acme-dev', 'helper'],
        },
      ],
    },
  },
  {
    rule: 'revision-drift',
    severity: 'medium',
    message:
      'Model acme-labs/support-bot is pinned to 0e9e39f249a1, 12 commits (200 days) behind main (c7a2b1f0e4d3).',
    file: 'adapter/adapter_config.json',
    line: 2,
    column: 31,
    id: 'acme-labs/support-bot',
    ecosystem: 'huggingface',
    kind: 'model',
    fix: { description: 'Move the pin', span: ref[1]!.revisionSpan!, replacement: HEAD },
    details: { pinSha: PIN, headSha: HEAD, behind: 12, daysBehind: 200, newest: [] },
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
    rule: 'upstream-security-scan',
    severity: 'low',
    message: 'Hub security scans flag 1 file in acme-labs/support-bot: notes.pkl (caution).',
    file: 'train.py',
    line: 3,
    column: 5,
    id: 'acme-labs/support-bot',
    ecosystem: 'huggingface',
    kind: 'model',
  },
  {
    rule: 'dependency-drift',
    severity: 'low',
    message:
      'transformers 4.36.0 is a minor version behind the latest release 4.44.2, 9 releases behind.',
    file: 'requirements.txt',
    line: 2,
    column: 1,
    id: 'transformers',
    ecosystem: 'pypi',
    kind: 'package',
    details: {
      used: '4.36.0',
      how: 'pinned',
      latest: '4.44.2',
      level: 'minor',
      releasesBehind: 9,
      usedPublished: '2023-12-11T00:00:00Z',
      latestPublished: '2024-08-22T00:00:00Z',
    },
  },
  {
    rule: 'parse-error',
    severity: 'info',
    message: 'Could not parse `configs/broken.yml`: unexpected "]" <b>here</b>',
    file: 'configs/broken.yml',
    line: 7,
    column: 1,
  },
  {
    rule: 'unpinned-revision',
    severity: 'medium',
    message: 'Model org/eval-judge has no revision.',
    file: 'notebooks/eval.py',
    line: 4,
    column: 1,
    id: 'org/eval-judge',
    ecosystem: 'huggingface',
    kind: 'model',
    suppressed: { reason: 'notebooks are not shipped', expires: '2026-12-31' },
  },
];

export function driftResult(findings: Finding[] = DRIFT_FINDINGS): ScanResult {
  return {
    label: '.',
    references: DRIFT_REFERENCES,
    weights: [],
    facts: [],
    problems: [],
    skipped: [],
    paths: new Set(),
    findings,
    upstreams: {},
    stats: {
      filesListed: 20,
      filesRead: 6,
      bytesRead: 4096,
      extractMs: 2,
      enrichMs: 5,
      totalMs: 8,
    },
  };
}
