import {
  applyPolicy,
  exceptionMatches,
  isExpired,
  ruleSettingsFor,
  thresholdFor,
} from '../../src/policy/apply.js';
import { parsePolicy } from '../../src/policy/schema.js';
import type { Finding } from '../../src/types.js';

const finding = (partial: Partial<Finding> & Pick<Finding, 'rule'>): Finding => ({
  severity: 'medium',
  message: 'm',
  file: 'train.py',
  line: 1,
  column: 1,
  ...partial,
});

const policy = (text: string) => parsePolicy(text, '.github/llm-supply-chain.yml');

describe('applyPolicy', () => {
  it('is the identity without a policy', () => {
    const findings = [finding({ rule: 'remote-code' })];
    expect(applyPolicy(findings, undefined)).toEqual(findings);
  });

  it('drops rules turned off, globally or for matching upstreams', () => {
    const p = policy(
      [
        'rules:',
        '  parse-error: off',
        'upstreams:',
        '  - match: acme/*',
        '    rules: { unpinned-revision: { enabled: false } }',
      ].join('\n'),
    );
    const out = applyPolicy(
      [
        finding({ rule: 'parse-error' }),
        finding({ rule: 'unpinned-revision', id: 'ACME/model' }),
        finding({ rule: 'unpinned-revision', id: 'other/model' }),
      ],
      p,
    );
    expect(out.map((f) => [f.rule, f.id])).toEqual([['unpinned-revision', 'other/model']]);
  });

  it('require-pinned and require-safetensors raise to high; explicit severities win', () => {
    const p = policy(
      [
        'require-pinned: true',
        'require-safetensors: true',
        'upstreams:',
        '  - match: demo/*',
        '    rules: { unpinned-revision: info }',
      ].join('\n'),
    );
    const out = applyPolicy(
      [
        finding({ rule: 'unpinned-revision', id: 'org/a', severity: 'medium' }),
        finding({ rule: 'unpinned-revision', id: 'org/b', severity: 'critical' }),
        finding({ rule: 'dependency-unpinned', id: 'torch', severity: 'low' }),
        finding({ rule: 'unsafe-weights-format', severity: 'medium' }),
        finding({ rule: 'unpinned-revision', id: 'demo/x', severity: 'medium' }),
        finding({ rule: 'remote-code', severity: 'medium' }),
      ],
      p,
    );
    expect(out.map((f) => [f.rule, f.id ?? null, f.severity, f.details?.raisedBy ?? null])).toEqual(
      [
        ['unpinned-revision', 'org/a', 'high', 'require-pinned'],
        ['unpinned-revision', 'org/b', 'critical', null],
        ['dependency-unpinned', 'torch', 'high', 'require-pinned'],
        ['unsafe-weights-format', null, 'high', 'require-safetensors'],
        ['unpinned-revision', 'demo/x', 'info', null],
        ['remote-code', null, 'medium', null],
      ],
    );
  });

  it('suppresses what an unexpired exception covers, keeping the finding and the reason', () => {
    const p = policy(
      [
        'ignore:',
        '  - rule: unpinned-revision',
        '    path: notebooks/**',
        '    reason: demo notebooks',
        '    expires: 2026-06-30',
        '  - rule: license-policy',
        '    id: Tatsu-Lab/Alpaca',
        '    reason: evaluation only',
        '    expires: 2026-01-31',
      ].join('\n'),
    );
    const findings = [
      finding({ rule: 'unpinned-revision', id: 'org/a', file: 'notebooks/eval/demo.ipynb' }),
      finding({ rule: 'unpinned-revision', id: 'org/a', file: 'src/train.py' }),
      finding({ rule: 'license-policy', id: 'tatsu-lab/alpaca', file: 'configs/sft.yml' }),
    ];
    const onDay = (today: string) =>
      applyPolicy(findings, p, { today }).map((f) => [f.file, f.suppressed ?? null]);
    expect(onDay('2026-01-31')).toEqual([
      ['notebooks/eval/demo.ipynb', { reason: 'demo notebooks', expires: '2026-06-30' }],
      ['src/train.py', null],
      ['configs/sft.yml', { reason: 'evaluation only', expires: '2026-01-31' }],
    ]);
    // The day after the last day, the licence exception no longer applies.
    expect(onDay('2026-02-01')).toEqual([
      ['notebooks/eval/demo.ipynb', { reason: 'demo notebooks', expires: '2026-06-30' }],
      ['src/train.py', null],
      ['configs/sft.yml', null],
    ]);
  });
});

describe('exception matching', () => {
  const entry = (extra: object) => ({
    rule: 'unpinned-revision' as const,
    reason: 'r',
    expires: '2026-01-01',
    line: 1,
    column: 1,
    ...extra,
  });

  it('matches path globs on repository paths, case-sensitively, dot files included', () => {
    const e = entry({ path: 'notebooks/**/*.ipynb' });
    expect(
      exceptionMatches(e, finding({ rule: 'unpinned-revision', file: 'notebooks/a.ipynb' })),
    ).toBe(true);
    expect(
      exceptionMatches(e, finding({ rule: 'unpinned-revision', file: 'notebooks/x/.b.ipynb' })),
    ).toBe(true);
    expect(
      exceptionMatches(e, finding({ rule: 'unpinned-revision', file: 'Notebooks/a.ipynb' })),
    ).toBe(false);
    expect(
      exceptionMatches(e, finding({ rule: 'unpinned-revision', file: 'src/notebooks/a.ipynb' })),
    ).toBe(false);
    expect(exceptionMatches(e, finding({ rule: 'remote-code', file: 'notebooks/a.ipynb' }))).toBe(
      false,
    );
  });

  it('matches id globs case-insensitively; an id entry never matches a finding without id', () => {
    const e = entry({ id: 'acme-*/*' });
    expect(exceptionMatches(e, finding({ rule: 'unpinned-revision', id: 'Acme-Research/m' }))).toBe(
      true,
    );
    expect(exceptionMatches(e, finding({ rule: 'unpinned-revision', id: 'acme/m' }))).toBe(false);
    expect(exceptionMatches(e, finding({ rule: 'unpinned-revision' }))).toBe(false);
  });

  it('treats expires as the last valid day', () => {
    expect(isExpired({ expires: '2026-03-01' }, '2026-03-01')).toBe(false);
    expect(isExpired({ expires: '2026-03-01' }, '2026-03-02')).toBe(true);
  });
});

describe('thresholds', () => {
  const p = policy(
    [
      'rules:',
      '  revision-drift: { severity: low, thresholds: { high-commits: 20, high-days: 90 } }',
      'upstreams:',
      '  - match: meta-llama/*',
      '    ecosystem: huggingface',
      '    rules:',
      '      revision-drift: { thresholds: { high-commits: 1 } }',
      '  - match: meta-llama/Llama-3.1-8B',
      '    rules:',
      '      revision-drift: { severity: high }',
    ].join('\n'),
  );

  it('reads the rule-wide value, overridden per upstream key by key', () => {
    const other = { id: 'org/model', ecosystem: 'huggingface' as const };
    const llama = { id: 'meta-llama/Llama-3.1-8B', ecosystem: 'huggingface' as const };
    expect(thresholdFor({ policy: p }, 'revision-drift', other, 'high-commits')).toBe(20);
    expect(thresholdFor({ policy: p }, 'revision-drift', llama, 'high-commits')).toBe(1);
    expect(thresholdFor({ policy: p }, 'revision-drift', llama, 'high-days')).toBe(90);
    expect(ruleSettingsFor(p, 'revision-drift', llama)).toEqual({
      severity: 'high',
      thresholds: { 'high-commits': 1, 'high-days': 90 },
    });
  });

  it('respects the ecosystem of an upstream entry, and is undefined when nothing is set', () => {
    const pypiNamesake = { id: 'meta-llama/x', ecosystem: 'pypi' as const };
    expect(thresholdFor({ policy: p }, 'revision-drift', pypiNamesake, 'high-commits')).toBe(20);
    expect(
      thresholdFor({ policy: p }, 'dependency-drift', { id: 'torch' }, 'stale-days'),
    ).toBeUndefined();
    expect(thresholdFor({}, 'revision-drift', { id: 'x/y' }, 'medium-commits')).toBeUndefined();
  });
});
