import { licenseText } from '../checks/hub.js';
import { hubUpstreamOf } from '../registries/huggingface/key.js';
import type { HubLicense } from '../registries/huggingface/types.js';
import { compareSeverity } from '../rules.js';
import type { ScanResult } from '../scan.js';
import type {
  Ecosystem,
  Finding,
  Location,
  Reference,
  ReferenceKind,
  RuleId,
  Severity,
} from '../types.js';
import { upstreamUrl } from '../util/links.js';
import { TOOL_NAME, TOOL_URL, TOOL_VERSION } from '../version.js';
import { code, md, safeUrl } from './escape.js';
import { headline, SEVERITY_ICON } from './markdown.js';
import { activeFindings } from './summary.js';

/** Finds the dashboard issue (together with the author's login, never alone). */
export const DASHBOARD_MARKER = '<!-- llm-supply-chain-guard:dashboard -->';
/** Ends the part the Action writes; everything below it belongs to people and is kept. */
export const DASHBOARD_END_MARKER =
  '<!-- llm-supply-chain-guard:dashboard-end: text below this line is kept on updates -->';
/** What sits below the end marker in a new dashboard, until people write their own. */
export const DEFAULT_NOTES =
  '\n---\n_Notes written below this line are kept when the dashboard is updated._\n';

/** GitHub rejects issue bodies over 65,536 characters ("Body is too long"). */
export const ISSUE_BODY_LIMIT = 65536;
/** Room kept below the limit: GitHub counts characters its own way (emoji, line endings). */
const MARGIN = 1536;

/** An open update pull request for an upstream, linked from its dashboard row. */
export interface LinkedPullRequest {
  number: number;
  url: string;
}

export interface DashboardOptions {
  /** The scanned commit: file:line links point at it. */
  sha: string | null;
  /** `https://github.com/o/r/blob/<sha>[/prefix]` for file:line links; plain text when absent. */
  blobUrl?: string;
  /** `https://github.com/o/r/commit/<sha>`. */
  commitUrl?: string;
  /** Update pull requests by `upstreamKey`; the table gets an "Update" column when given. */
  pullRequests?: ReadonlyMap<string, LinkedPullRequest>;
  /** Characters the generated part may take (the human notes below the marker take the rest). */
  maxLength?: number;
  /** Things the reader must know about this run (a degraded registry, a refused write…). */
  notes?: string[];
}

export interface DashboardContent {
  /** The generated part: from the marker to the end marker (exclusive). */
  body: string;
  /** Tables of the rows that did not fit, for the job summary; null when everything fit. */
  overflow: string | null;
  /** Rows left out of `body`. */
  omitted: number;
  /** No active finding: the dashboard has nothing to show and closes. */
  empty: boolean;
}

/** One upstream across the repository: the same key in dashboard rows and update branches. */
export function upstreamKey(u: {
  ecosystem?: Ecosystem;
  kind?: ReferenceKind;
  id?: string;
}): string {
  return `${u.ecosystem ?? ''}:${u.kind ?? ''}:${u.id ?? ''}`;
}

const KIND_TITLES: Record<ReferenceKind, string> = {
  model: 'Models',
  dataset: 'Datasets',
  package: 'Packages',
};
const KINDS: ReferenceKind[] = ['model', 'dataset', 'package'];

interface Row {
  key: string;
  kind: ReferenceKind;
  ecosystem: Ecosystem;
  id: string;
  severity: Severity;
  findings: Finding[];
  uses: Location[];
  references: Reference[];
}

/**
 * The dashboard issue's generated part: headline counts, one table per upstream kind (the most
 * severe upstream first), then findings that name no upstream. Pure and free of dates and run
 * ids, so an unchanged repository and unchanged upstreams render the same text and the issue is
 * left alone. Rows that do not fit go to `overflow`.
 */
export function renderDashboard(result: ScanResult, options: DashboardOptions): DashboardContent {
  const active = activeFindings(result.findings);
  if (active.length === 0)
    return {
      body: renderDashboardAllClear(result, options),
      overflow: null,
      omitted: 0,
      empty: true,
    };
  const rows = upstreamRows(result, active);
  const loose = active.filter((f) => !f.id || !f.kind || !f.ecosystem);
  const head = [
    DASHBOARD_MARKER,
    `**${headline(result.findings)}**`,
    '',
    attentionLine(rows),
    scannedLine(result, options),
    '',
    ...notesBlock(options.notes),
  ].join('\n');
  const foot = footer();
  const limit = options.maxLength ?? ISSUE_BODY_LIMIT - MARGIN;
  let left = limit - head.length - foot.length - 300;
  const parts = [head];
  const spill: string[] = [];
  let omitted = 0;
  const withPr = !!options.pullRequests;
  for (const kind of KINDS) {
    const group = rows.filter((r) => r.kind === kind);
    if (group.length === 0) continue;
    const heading = `#### ${KIND_TITLES[kind]} (${group.length})\n\n${upstreamTableHead(kind, withPr)}`;
    const lines = group.map((r) => upstreamRow(r, result, options));
    const fitted = fit(heading, lines, left);
    left -= fitted.used;
    omitted += lines.length - fitted.rows.length;
    if (fitted.rows.length > 0) parts.push([heading, ...fitted.rows, ''].join('\n'));
    if (fitted.rest.length > 0) spill.push([heading, ...fitted.rest, ''].join('\n'));
  }
  if (loose.length > 0) {
    const heading = `#### Other findings (${loose.length})\n\n| Severity | Rule | Where | What |\n| --- | --- | --- | --- |`;
    const lines = loose.map((f) => looseRow(f, options));
    const fitted = fit(heading, lines, left);
    omitted += lines.length - fitted.rows.length;
    if (fitted.rows.length > 0) parts.push([heading, ...fitted.rows, ''].join('\n'));
    if (fitted.rest.length > 0) spill.push([heading, ...fitted.rest, ''].join('\n'));
  }
  if (omitted > 0)
    parts.push(
      `_${omitted} more ${omitted === 1 ? 'row does' : 'rows do'} not fit in an issue; the job summary of the latest drift run lists ${omitted === 1 ? 'it' : 'them'}._`,
      '',
    );
  parts.push(foot);
  const overflow =
    spill.length > 0
      ? ['## Dashboard rows that did not fit in the issue', '', ...spill].join('\n')
      : null;
  return { body: parts.join('\n'), overflow, omitted, empty: false };
}

/** The generated part once nothing is left: short, and says what was checked. */
export function renderDashboardAllClear(
  result: ScanResult,
  options: Pick<DashboardOptions, 'sha' | 'commitUrl' | 'notes'>,
): string {
  const suppressed = result.findings.length;
  const exceptions =
    suppressed > 0
      ? ` ${suppressed} ${suppressed === 1 ? 'finding is' : 'findings are'} covered by policy exceptions.`
      : '';
  return [
    DASHBOARD_MARKER,
    '**✅ Nothing left to report.** This issue reopens when findings return.',
    '',
    `${scannedLine(result, options)}${exceptions}`,
    '',
    ...notesBlock(options.notes),
    footer(),
  ].join('\n');
}

/** The whole issue body: the generated part, the end marker, then the people's notes verbatim. */
export function composeDashboardBody(generated: string, notes: string): string {
  return `${generated}\n${DASHBOARD_END_MARKER}${notes}`;
}

/**
 * The people's part of an existing body: everything after the end marker, byte for byte. Null
 * when the marker is gone (someone edited the generated part away): then the default returns.
 */
export function notesOf(body: string): string | null {
  const at = body.indexOf(DASHBOARD_END_MARKER);
  return at < 0 ? null : body.slice(at + DASHBOARD_END_MARKER.length);
}

/** Characters the generated part may take next to these notes. */
export function generatedBudget(notes: string): number {
  return ISSUE_BODY_LIMIT - MARGIN - DASHBOARD_END_MARKER.length - 1 - notes.length;
}

function fit(heading: string, lines: string[], left: number) {
  const rows: string[] = [];
  const rest: string[] = [];
  let used = heading.length + 2;
  for (const line of lines) {
    if (rest.length === 0 && used + line.length + 1 <= left) {
      rows.push(line);
      used += line.length + 1;
    } else rest.push(line);
  }
  return { rows, rest, used: rows.length > 0 ? used : 0 };
}

function upstreamRows(result: ScanResult, active: Finding[]): Row[] {
  const rows = new Map<string, Row>();
  for (const f of active) {
    if (!f.id || !f.kind || !f.ecosystem) continue;
    const key = upstreamKey(f);
    let row = rows.get(key);
    if (!row) {
      const references = result.references.filter((r) => upstreamKey(r) === key);
      row = {
        key,
        kind: f.kind,
        ecosystem: f.ecosystem,
        id: f.id,
        severity: f.severity,
        findings: [],
        references,
        uses: uniqueLocations(references.length > 0 ? references : [f]),
      };
      rows.set(key, row);
    }
    row.findings.push(f);
    if (compareSeverity(f.severity, row.severity) < 0) row.severity = f.severity;
  }
  return [...rows.values()].sort(
    (a, b) =>
      compareSeverity(a.severity, b.severity) ||
      a.id.localeCompare(b.id) ||
      a.ecosystem.localeCompare(b.ecosystem),
  );
}

function uniqueLocations(items: readonly Location[]): Location[] {
  const seen = new Map<string, Location>();
  for (const l of items)
    seen.set(`${l.file}\0${l.line}`, { file: l.file, line: l.line, column: l.column });
  return [...seen.values()].sort((a, b) =>
    a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line,
  );
}

function attentionLine(rows: Row[]): string {
  const parts = KINDS.map((k) => [k, rows.filter((r) => r.kind === k).length] as const)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${n === 1 ? k : `${k}s`}`);
  const n = rows.length;
  return n === 0
    ? 'No upstream needs attention; the findings below name no upstream.'
    : `${n} ${n === 1 ? 'upstream needs' : 'upstreams need'} attention: ${parts.join(', ')}.`;
}

function scannedLine(
  result: ScanResult,
  options: Pick<DashboardOptions, 'sha' | 'commitUrl'>,
): string {
  const upstreams = new Set(result.references.map((r) => upstreamKey(r))).size;
  const short = options.sha ? code(options.sha.slice(0, 7)) : null;
  const url = options.commitUrl ? safeUrl(options.commitUrl) : null;
  const commit = short ? ` at ${url ? `[${short}](${url})` : short}` : '';
  return `Scanned the default branch${commit}: ${result.references.length} ${plural(result.references.length, 'reference')} to ${upstreams} ${plural(upstreams, 'upstream')} in ${result.stats.filesRead} ${plural(result.stats.filesRead, 'file')}.`;
}

function notesBlock(notes: string[] | undefined): string[] {
  if (!notes || notes.length === 0) return [];
  return ['> [!NOTE]', ...notes.map((n) => `> ${md(n)}`), ''];
}

function footer(): string {
  return `<sub>Kept up to date by [${md(TOOL_NAME)}](${TOOL_URL}) ${md(TOOL_VERSION)} on each drift run: edited when something changes, closed when nothing is left, reopened when findings return.</sub>`;
}

function upstreamTableHead(kind: ReferenceKind, withPr: boolean): string {
  const behind = kind === 'package' ? 'Releases behind' : 'Behind';
  const cols = [
    'Severity',
    'Upstream',
    'Where used',
    kind === 'package' ? 'Version → latest' : 'Pinned → latest',
    behind,
    'Licence',
    'Advisories',
    'Findings',
    ...(withPr ? ['Update'] : []),
  ];
  return [`| ${cols.join(' | ')} |`, `| ${cols.map(() => '---').join(' | ')} |`].join('\n');
}

function upstreamRow(row: Row, result: ScanResult, options: DashboardOptions): string {
  const url = upstreamUrl(row.ecosystem, row.kind, row.id);
  const name = url ? `[${md(row.id)}](${url})` : md(row.id);
  const upstream = row.kind === 'package' ? `${name} (${md(row.ecosystem)})` : name;
  const cells = [
    `${SEVERITY_ICON[row.severity]} ${row.severity}`,
    upstream,
    usesCell(row.uses, options),
    row.kind === 'package' ? versionCell(row) : pinCell(row),
    row.kind === 'package' ? releasesBehindCell(row) : behindCell(row),
    licenceCell(row, result),
    advisoriesCell(row),
    rulesCell(row.findings),
  ];
  if (options.pullRequests) {
    const pr = options.pullRequests.get(row.key);
    const prUrl = pr ? safeUrl(pr.url) : null;
    cells.push(pr ? (prUrl ? `[#${pr.number}](${prUrl})` : `#${pr.number}`) : '');
  }
  return `| ${cells.join(' | ')} |`;
}

const MAX_USES = 3;

function usesCell(uses: Location[], options: DashboardOptions): string {
  const shown = uses.slice(0, MAX_USES).map((u) => {
    const label = md(`${u.file}:${u.line}`);
    if (!options.blobUrl) return label;
    const path = u.file.split('/').map(encodeURIComponent).join('/');
    return `[${label}](${options.blobUrl}/${path}#L${u.line})`;
  });
  const more = uses.length - shown.length;
  return [...shown, ...(more > 0 ? [`and ${more} more`] : [])].join('<br>');
}

function details(row: Row, rule: RuleId): Record<string, unknown>[] {
  return row.findings.filter((f) => f.rule === rule).map((f) => f.details ?? {});
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** Hub: the pinned commit(s) → the head of main, from `revision-drift`; else the revisions as written. */
function pinCell(row: Row): string {
  const drift = details(row, 'revision-drift');
  const heads = unique(drift.map((d) => str(d.headSha)));
  const pins = unique(drift.map((d) => str(d.pinSha)));
  if (heads.length > 0)
    return `${pins.map((p) => code(p.slice(0, 7), { inTable: true })).join(', ')} → ${heads.map((h) => code(h.slice(0, 7), { inTable: true })).join(', ')}`;
  const written = unique(row.references.map((r) => r.revision));
  const unpinned = row.references.some((r) => !r.revision);
  const shown = written.map((w) => code(w.length === 40 ? w.slice(0, 7) : w, { inTable: true }));
  return [...shown, ...(unpinned ? ['unpinned'] : [])].join(', ');
}

function behindCell(row: Row): string {
  const drift = details(row, 'revision-drift');
  if (drift.length === 0) return '';
  // The oldest pin speaks for the upstream: that is the distance a reviewer has to cover.
  const worst = drift.reduce((a, b) => ((num(b.behind) ?? -1) > (num(a.behind) ?? -1) ? b : a));
  const commits = num(worst.behind);
  const days = num(worst.daysBehind);
  return [
    commits === null ? 'unknown commits' : `${commits} ${plural(commits, 'commit')}`,
    ...(days === null ? [] : [`${days} ${plural(days, 'day')}`]),
  ].join(' · ');
}

function versionCell(row: Row): string {
  const drift = details(row, 'dependency-drift');
  const used = unique([
    ...drift.map((d) => str(d.used)),
    ...details(row, 'dependency-vulnerable').map((d) => str(d.evaluated)),
  ]);
  const latest = unique(drift.map((d) => str(d.latest)));
  const v = (t: string) => code(t, { inTable: true });
  if (used.length === 0)
    return unique(row.references.map((r) => r.version ?? r.revision))
      .map(v)
      .join(', ');
  return latest.length > 0
    ? `${used.map(v).join(', ')} → ${latest.map(v).join(', ')}`
    : used.map(v).join(', ');
}

function releasesBehindCell(row: Row): string {
  const drift = details(row, 'dependency-drift');
  if (drift.length === 0) return '';
  const worst = drift.reduce((a, b) =>
    (num(b.releasesBehind) ?? -1) > (num(a.releasesBehind) ?? -1) ? b : a,
  );
  const n = num(worst.releasesBehind);
  const level = str(worst.level);
  const days = daysBetween(str(worst.usedPublished), str(worst.latestPublished));
  return [
    ...(n === null ? [] : [`${n} ${plural(n, 'release')}`]),
    ...(level ? [level] : []),
    ...(days === null ? [] : [`${days} ${plural(days, 'day')}`]),
  ].join(' · ');
}

function licenceCell(row: Row, result: ScanResult): string {
  const changed = details(row, 'license-changed')[0];
  if (changed)
    return `⚠️ ${md(licenseText(changed.pinned as HubLicense | null))} → ${md(licenseText(changed.head as HubLicense | null))}`;
  if (row.kind === 'package') return '';
  const texts = unique(
    row.references.map((r) => {
      const up = hubUpstreamOf(result.upstreams, r);
      return up?.at ? licenseText(up.at.license) : null;
    }),
  );
  const flagged = row.findings.some(
    (f) => f.rule === 'license-policy' || f.rule === 'license-lineage',
  );
  return `${flagged ? '⚠️ ' : ''}${texts.map(md).join(', ')}`.trim();
}

function advisoriesCell(row: Row): string {
  const out: string[] = [];
  for (const f of row.findings) {
    if (f.rule === 'dependency-vulnerable') {
      const id = str(f.details?.advisory) ?? 'advisory';
      const link = f.links?.map((l) => safeUrl(l.url)).find((u) => u !== null);
      out.push(link ? `[${md(id)}](${link})` : md(id));
    } else if (f.rule === 'upstream-security-scan' && f.severity !== 'info') {
      out.push(`Hub scan: ${f.severity}`);
    }
  }
  return unique(out).join(', ');
}

function rulesCell(findings: Finding[]): string {
  const rules = unique(findings.map((f) => f.rule));
  return rules.map((r) => code(r, { inTable: true })).join(' ');
}

function looseRow(f: Finding, options: DashboardOptions): string {
  const label = md(`${f.file}:${f.line}`);
  const path = f.file.split('/').map(encodeURIComponent).join('/');
  const where = options.blobUrl ? `[${label}](${options.blobUrl}/${path}#L${f.line})` : label;
  return `| ${SEVERITY_ICON[f.severity]} ${f.severity} | ${code(f.rule, { inTable: true })} | ${where} | ${md(f.message)} |`;
}

function unique<T>(items: readonly (T | null | undefined)[]): T[] {
  return [...new Set(items.filter((x): x is T => x !== null && x !== undefined))];
}

function daysBetween(from: string | null, to: string | null): number | null {
  if (!from || !to) return null;
  const a = Date.parse(from);
  const b = Date.parse(to);
  if (Number.isNaN(a) || Number.isNaN(b) || b < a) return null;
  return Math.floor((b - a) / 86_400_000);
}

function plural(n: number, word: string): string {
  return n === 1 ? word : `${word}s`;
}
