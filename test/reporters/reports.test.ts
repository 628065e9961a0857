import { renderJson } from '../../src/reporters/json.js';
import { headline, renderMarkdown } from '../../src/reporters/markdown.js';
import { toSarif } from '../../src/reporters/sarif.js';
import { renderText } from '../../src/reporters/text.js';
import { FINDINGS, HOSTILE, result } from './result.js';

describe('JSON report', () => {
  it('has the documented top-level shape and per-finding fields', () => {
    const report = JSON.parse(renderJson(result(FINDINGS)));
    expect(Object.keys(report)).toEqual([
      'version',
      'tool',
      'root',
      'summary',
      'references',
      'weights',
      'findings',
      'skipped',
    ]);
    expect(report.version).toBe(1);
    expect(report.summary.bySeverity).toEqual({ critical: 0, high: 1, medium: 1, low: 0, info: 1 });
    expect(report.summary.highestSeverity).toBe('high');
    expect(report.findings[1]).toEqual({
      rule: 'unpinned-revision',
      severity: 'medium',
      message: 'Dataset tatsu-lab/alpaca has no revision.',
      file: 'configs/axolotl.yml',
      line: 12,
      column: 11,
      id: 'tatsu-lab/alpaca',
      ecosystem: 'huggingface',
    });
  });
});

describe('SARIF', () => {
  it('is SARIF 2.1.0 with stable rule ids, help per rule and fingerprints', () => {
    const sarif = toSarif(result(FINDINGS));
    expect(sarif.version).toBe('2.1.0');
    const run = sarif.runs[0]!;
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual([
      'parse-error',
      'remote-code',
      'unpinned-revision',
    ]);
    for (const rule of run.tool.driver.rules) {
      expect(rule.help.text.length).toBeGreaterThan(20);
      expect(Number(rule.properties['security-severity'])).toBeGreaterThan(0);
    }
    expect(run.results.map((r) => [r.ruleId, r.ruleIndex, r.level])).toEqual([
      ['remote-code', 1, 'error'],
      ['unpinned-revision', 2, 'warning'],
      ['parse-error', 0, 'note'],
    ]);
    expect(run.results[0]!.locations[0]!.physicalLocation).toEqual({
      artifactLocation: { uri: 'src/train.py', uriBaseId: '%SRCROOT%' },
      region: { startLine: 40, startColumn: 63 },
    });
  });

  it('gives the same finding the same fingerprint on another line, and repeated findings distinct ones', () => {
    const a = toSarif(result([FINDINGS[1]!])).runs[0]!.results[0]!.partialFingerprints;
    const moved = toSarif(result([{ ...FINDINGS[1]!, line: 99 }])).runs[0]!.results[0]!
      .partialFingerprints;
    expect(moved).toEqual(a);
    const twice = toSarif(result([FINDINGS[1]!, { ...FINDINGS[1]!, line: 50 }])).runs[0]!.results;
    expect(twice[0]!.partialFingerprints).not.toEqual(twice[1]!.partialFingerprints);
  });
});

describe('markdown', () => {
  it('headline counts by severity, most severe first', () => {
    expect(headline(FINDINGS)).toBe('🟧 1 high · 🟨 1 medium · ⬜ 1 info');
    expect(headline([])).toBe('No findings.');
  });

  it('renders a table per file with links', () => {
    expect(
      renderMarkdown(result(FINDINGS), { blobUrl: 'https://github.com/o/r/blob/abc' }),
    ).toMatchSnapshot();
  });

  it('escapes hostile messages, ids and file names', () => {
    const out = renderMarkdown(
      result([{ ...FINDINGS[0]!, message: HOSTILE, id: HOSTILE, file: HOSTILE }]),
    );
    // The file name is shown only as a code span (where markdown and HTML are inert).
    const raw = out.split('\n').filter((l) => l.includes('<!--'));
    expect(raw).toEqual([
      '### ``org/x <!-- @octocat `rm -rf` | [link](javascript:alert(1)) ::set-output name=x::y ## heading``',
    ]);
    const rest = out.replace(raw[0]!, '');
    expect(rest).not.toContain('<!--');
    expect(rest).not.toContain('@octocat');
    expect(rest).not.toContain('](javascript');
    expect(rest).not.toMatch(/^## heading/m);
  });

  it('stops adding findings at the length budget and says how many are left out', () => {
    const many = Array.from({ length: 200 }, (_, i) => ({ ...FINDINGS[1]!, file: `f${i}.yml` }));
    const out = renderMarkdown(result(many), { maxLength: 5000 });
    expect(out.length).toBeLessThan(5000);
    expect(out).toMatch(/_\d+ more findings are not shown here/);
  });
});

describe('text', () => {
  it('prints compiler-style lines and neutralises control characters', () => {
    const out = renderText(result([{ ...FINDINGS[1]!, file: 'a\x1b[31mb.yml' }]));
    expect(out.split('\n')[0]).toBe(
      'a?[31mb.yml:12:11  medium   unpinned-revision  Dataset tatsu-lab/alpaca has no revision.',
    );
  });
});
