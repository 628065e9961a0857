import { ConfigurationError } from '../../src/errors.js';
import { parsePolicy, PolicyError, type PolicyProblem } from '../../src/policy/schema.js';
import { defaultPolicy } from '../../src/policy/types.js';

const FILE = '.github/llm-supply-chain.yml';

/** The problems a policy text produces, as `line:column key: message`. */
function problems(text: string): string[] {
  try {
    parsePolicy(text, FILE);
  } catch (error) {
    if (!(error instanceof PolicyError)) throw error;
    return error.problems.map((p: PolicyProblem) => `${p.line}:${p.column} ${p.key}: ${p.message}`);
  }
  return [];
}

describe('policy schema errors name the line and the key', () => {
  it('rejects unknown keys, at every level, with a suggestion when one is close', () => {
    expect(
      problems(
        [
          'require-pined: true', // 1
          'licenses:', // 2
          '  models:', // 3
          '    allow: [MIT]', // 4
          '    permit: [MIT]', // 5
          'rules:', // 6
          '  unpinned-revisions: off', // 7
          '  remote-code: { severity: high, level: 2 }', // 8
          'colour: blue', // 9
        ].join('\n'),
      ),
    ).toEqual([
      '1:1 require-pined: unknown key "require-pined"; did you mean "require-pinned"?',
      '5:5 licenses.models.permit: unknown key "permit"; expected one of allow, deny',
      '7:3 rules.unpinned-revisions: unknown rule id "unpinned-revisions"; did you mean "unpinned-revision"?',
      '8:34 rules.remote-code.level: unknown key "level"; expected one of enabled, severity, thresholds',
      '9:1 colour: unknown key "colour"; expected one of $schema, version, require-pinned, require-safetensors, licenses, publishers, rules, upstreams, ignore, app',
    ]);
  });

  it('rejects wrong types', () => {
    expect(
      problems(
        [
          'require-pinned: yes', // YAML 1.2: "yes" is a string
          'require-safetensors: 1',
          'licenses:',
          '  deny: MIT',
          'publishers:',
          '  trusted: [meta-llama, 3]',
          'rules:',
          '  revision-drift:',
          '    severity: urgent',
          '    thresholds: { high-commits: -1, high-days: 1.5, weeks: 2 }',
          '  remote-code: loud',
          '  parse-error: { thresholds: { high-days: 1 } }',
          'upstreams: { match: x }',
        ].join('\n'),
      ),
    ).toEqual([
      '1:17 require-pinned: expected true or false, got "yes"',
      '2:22 require-safetensors: expected true or false, got 1',
      '4:9 licenses.deny: expected a list, got "MIT"',
      '6:25 publishers.trusted[1]: expected a string, got 3',
      '9:15 rules.revision-drift.severity: expected one of critical, high, medium, low, info',
      '10:33 rules.revision-drift.thresholds.high-commits: expected a whole number, 0 or more',
      '10:48 rules.revision-drift.thresholds.high-days: expected a whole number, 0 or more',
      '10:53 rules.revision-drift.thresholds.weeks: unknown key "weeks"; expected one of medium-commits, medium-days, high-commits, high-days',
      '11:16 rules.remote-code: expected off, on, a severity (critical, high, medium, low, info) or a mapping with enabled, severity, thresholds',
      '12:30 rules.parse-error.thresholds: rule parse-error has no thresholds',
      '13:12 upstreams: expected a list, got a mapping',
    ]);
  });

  it('requires a reason and a valid expiry date on every exception', () => {
    expect(
      problems(
        [
          'ignore:',
          '  - rule: unpinned-revision', // 2
          '    id: org/model',
          '    expires: 2026-01-31',
          '  - rule: remote-code', // 5
          '    id: org/model',
          '    reason: "   "',
          '    expires: 2026-02-30', // not a day
          '  - rule: license-policy', // 9
          '    id: org/model',
          '    reason: reviewed',
          '    expires: 31/12/2026',
          '  - rule: license-policy', // 13
          '    reason: reviewed',
          '  - rule: licence-policy', // 15
          '    path: x/**',
          '    reason: reviewed',
          '    expires: 2026-01-01',
        ].join('\n'),
      ),
    ).toEqual([
      '2:5 ignore[0].reason: missing required key',
      '7:13 ignore[1].reason: must not be empty',
      '8:14 ignore[1].expires: expected a date as YYYY-MM-DD, got "2026-02-30"',
      '12:14 ignore[2].expires: expected a date as YYYY-MM-DD, got "31/12/2026"',
      '13:5 ignore[3].expires: missing required key',
      '13:5 ignore[3]: an exception needs an id or a path (to turn a rule off everywhere, use rules)',
      '15:11 ignore[4].rule: unknown rule id "licence-policy"; did you mean "license-policy"?',
    ]);
  });

  it('rejects licence entries that name nothing known', () => {
    expect(
      problems(
        [
          'licenses:',
          '  models:',
          '    allow:',
          '      - Apache-2.0 OR MIT',
          '      - apache-3.0',
          '      - cc-by-zz-*',
          '      - GPL-2.0 WITH Nonsense-exception',
        ].join('\n'),
      ),
    ).toEqual([
      '4:9 licenses.models.allow[0]: "Apache-2.0 OR MIT" is an expression; list one licence per entry (OR is implied)',
      '5:9 licenses.models.allow[1]: "apache-3.0" is not an SPDX licence id, a Hub licence id, other:<license_name> or a LicenseRef-…',
      '6:9 licenses.models.allow[2]: "cc-by-zz-*" matches no SPDX or Hub licence id',
      '7:9 licenses.models.allow[3]: "GPL-2.0 WITH Nonsense-exception" is not a known licence with a known SPDX exception',
    ]);
  });

  it('reports YAML syntax errors, duplicate keys and several documents at their line', () => {
    expect(problems('rules:\n  remote-code: [off\nignore: []\n')).toEqual([
      expect.stringMatching(/^3:\d+ : invalid YAML: /),
    ]);
    expect(problems('require-pinned: true\nrequire-pinned: false\n')).toEqual([
      '2:1 require-pinned: duplicate key',
    ]);
    expect(problems('version: 1\n---\nversion: 1\n')).toEqual([
      '2:1 : expected one YAML document, found several',
    ]);
    expect(problems('version: 2\n')).toEqual(['1:10 version: only version 1 exists']);
    expect(problems('- a\n- b\n')).toEqual(
      [': expected a mapping, got a list'].map((m) => `1:1 ${m}`),
    );
  });

  it('counts lines from 1 in CRLF files', () => {
    expect(problems('version: 1\r\nrules:\r\n  nope: off\r\n')).toEqual([
      '3:3 rules.nope: unknown rule id "nope"; see --list-rules',
    ]);
  });

  it('says which file in the error message', () => {
    expect(() => parsePolicy('bogus: 1\n', 'policies/strict.yml')).toThrow(
      new ConfigurationError(
        'Invalid policy file:\n  policies/strict.yml:1:1: bogus: unknown key "bogus"; expected one of $schema, version, require-pinned, require-safetensors, licenses, publishers, rules, upstreams, ignore, app',
      ),
    );
  });
});

describe('policy schema: what a valid file becomes', () => {
  it('an empty or comment-only file is the default policy', () => {
    expect(parsePolicy('', FILE)).toEqual({ ...defaultPolicy(), file: FILE });
    expect(parsePolicy('# nothing yet\n', FILE)).toEqual({ ...defaultPolicy(), file: FILE });
  });

  it('reads every section', () => {
    const policy = parsePolicy(
      [
        'version: 1',
        'require-pinned: true',
        'require-safetensors: false',
        'licenses:',
        '  deny: [cc-by-nc-4.0]',
        '  models:',
        '    allow: [apache-2.0, llama3.1, "other:Qwen"]',
        'publishers:',
        '  trusted: [meta-llama, acme-*]',
        '  well-known: [acme]',
        'rules:',
        '  remote-code: off',
        '  upstream-gated: on',
        '  dependency-unpinned: low',
        '  revision-drift: { severity: high, thresholds: { high-commits: 10, high-days: 30 } }',
        'upstreams:',
        '  - match: meta-llama/*',
        '    ecosystem: huggingface',
        '    rules:',
        '      revision-drift: { thresholds: { medium-commits: 1 } }',
        'ignore:',
        '  - rule: unpinned-revision',
        '    id: openai-community/gpt2',
        '    path: notebooks/**',
        '    reason: demo only',
        '    expires: 2026-06-30',
      ].join('\n'),
      FILE,
    );
    expect(policy).toEqual({
      file: FILE,
      requirePinned: true,
      requireSafetensors: false,
      licenses: {
        models: {
          allow: [
            { text: 'apache-2.0', ids: ['Apache-2.0'] },
            { text: 'llama3.1', ids: ['LicenseRef-hf-llama3.1'] },
            { text: 'other:Qwen', ids: ['LicenseRef-other-qwen'] },
          ],
          deny: [{ text: 'cc-by-nc-4.0', ids: ['CC-BY-NC-4.0'] }],
        },
        datasets: { allow: null, deny: [{ text: 'cc-by-nc-4.0', ids: ['CC-BY-NC-4.0'] }] },
      },
      publishers: { trusted: ['meta-llama', 'acme-*'], wellKnown: ['acme'] },
      rules: {
        'remote-code': { enabled: false },
        'upstream-gated': { enabled: true },
        'dependency-unpinned': { severity: 'low' },
        'revision-drift': { severity: 'high', thresholds: { 'high-commits': 10, 'high-days': 30 } },
      },
      upstreams: [
        {
          match: 'meta-llama/*',
          ecosystem: 'huggingface',
          rules: { 'revision-drift': { thresholds: { 'medium-commits': 1 } } },
          line: 17,
        },
      ],
      ignore: [
        {
          rule: 'unpinned-revision',
          id: 'openai-community/gpt2',
          path: 'notebooks/**',
          reason: 'demo only',
          expires: '2026-06-30',
          line: 22,
          column: 5,
        },
      ],
    });
  });

  it('follows YAML aliases (a list shared by models and datasets)', () => {
    const policy = parsePolicy(
      'licenses:\n  models:\n    allow: &ok [MIT]\n  datasets:\n    allow: *ok\n',
      FILE,
    );
    expect(policy.licenses.datasets.allow).toEqual([{ text: 'MIT', ids: ['MIT'] }]);
  });
});
