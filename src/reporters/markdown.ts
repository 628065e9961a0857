import type { ScanResult } from '../scan.js';
import { SEVERITIES, type Finding, type Severity } from '../types.js';
import { upstreamUrl } from '../util/links.js';
import { code, md, safeUrl } from './escape.js';
import { activeFindings, countBySeverity, groupByFile, suppressedFindings } from './summary.js';

export const SEVERITY_ICON: Record<Severity, string> = {
  critical: '🟥',
  high: '🟧',
  medium: '🟨',
  low: '🟦',
  info: '⬜',
};

export interface MarkdownOptions {
  /** Link file:line to this base (`https://github.com/o/r/blob/<sha>`); plain text when absent. */
  blobUrl?: string;
  /** Stop adding findings once the text reaches this many characters (GitHub's limits). */
  maxLength?: number;
  title?: string;
  /** Marks findings on lines a pull request changes (✏️ before the line link). */
  highlight?: (f: Finding) => boolean;
  /** Heading level of the per-file sections (default 3). */
  fileHeadingLevel?: number;
}

/** Shown where `highlight` marks findings, so the mark explains itself. */
export const CHANGED_MARK = '✏️';

/**
 * Headline: counts by severity, most severe first; "no findings" when clean. Findings a policy
 * exception suppresses are not counted, only mentioned.
 */
export function headline(findings: readonly Finding[]): string {
  const active = activeFindings(findings);
  const suppressed = findings.length - active.length;
  if (active.length === 0)
    return suppressed > 0 ? `No findings (${suppressed} suppressed).` : 'No findings.';
  const counts = countBySeverity(active);
  return [
    ...SEVERITIES.filter((s) => counts[s] > 0).map((s) => `${SEVERITY_ICON[s]} ${counts[s]} ${s}`),
    ...(suppressed > 0 ? [`${suppressed} suppressed`] : []),
  ].join(' · ');
}

/** The full report as GitHub-flavoured markdown: pure, shared by every markdown surface. */
export function renderMarkdown(result: ScanResult, options: MarkdownOptions = {}): string {
  const parts: string[] = [];
  parts.push(`## ${md(options.title ?? 'LLM supply chain report')}`, '');
  parts.push(`**${headline(result.findings)}** ${statsLine(result)}`, '');
  const active = activeFindings(result.findings);
  const changed = options.highlight ? active.filter(options.highlight).length : 0;
  if (changed > 0) parts.push(`${CHANGED_MARK} ${changed} on lines this pull request changes.`, '');
  const budget = options.maxLength ?? Infinity;
  let length = parts.join('\n').length;
  let shown = 0;
  for (const [file, findings] of groupByFile(active)) {
    const section = fileSection(file, findings, options);
    if (length + section.length > budget - 400) break;
    parts.push(section);
    length += section.length + 1;
    shown += findings.length;
  }
  if (shown < active.length) {
    parts.push(
      `_${active.length - shown} more findings are not shown here; the full list is in the job summary and the JSON report._`,
      '',
    );
  }
  const folded = suppressedSection(result.findings, options);
  if (folded && length + folded.length <= budget - 400) parts.push(folded);
  parts.push(referencesSection(result));
  return parts.join('\n');
}

function statsLine(result: ScanResult): string {
  const upstreams = new Set(result.references.map((r) => `${r.ecosystem}:${r.id}`)).size;
  return `(${result.references.length} references to ${upstreams} upstreams in ${result.stats.filesRead} files)`;
}

/** One file's findings as a table: severity, rule, upstream, what is wrong, how to fix. */
export function fileSection(file: string, findings: Finding[], options: MarkdownOptions): string {
  return [fileTableHead(file, options), ...findings.map((f) => findingRow(f, options)), ''].join(
    '\n',
  );
}

/** The heading and header rows of a file's table; rows follow, one line each. */
export function fileTableHead(file: string, options: MarkdownOptions): string {
  return [
    `${'#'.repeat(options.fileHeadingLevel ?? 3)} ${code(file)}`,
    '',
    '| Severity | Rule | Upstream | What | How to fix |',
    '| --- | --- | --- | --- | --- |',
  ].join('\n');
}

export function findingRow(f: Finding, options: MarkdownOptions): string {
  const where = location(f, options);
  const upstream = f.id ? upstreamCell(f) : '';
  const fix = [f.remediation ? md(f.remediation) : '', linksCell(f)].filter(Boolean).join(' ');
  return `| ${SEVERITY_ICON[f.severity]} ${f.severity} | ${code(f.rule, { inTable: true })} | ${upstream} | ${where} ${md(f.message)} | ${fix} |`;
}

function upstreamCell(f: Finding): string {
  const url = upstreamUrl(f.ecosystem, f.kind, f.id as string);
  return url ? `[${md(f.id as string)}](${url})` : md(f.id as string);
}

/** Upstream commit, compare page or advisory links a registry attached to the finding. */
function linksCell(f: Finding): string {
  return (f.links ?? [])
    .map((l) => ({ title: l.title, url: safeUrl(l.url) }))
    .filter((l) => l.url !== null)
    .map((l) => `[${md(l.title)}](${l.url})`)
    .join(' · ');
}

function location(f: Finding, options: MarkdownOptions): string {
  const mark = options.highlight?.(f) ? `${CHANGED_MARK} ` : '';
  const label = `L${f.line}`;
  if (!options.blobUrl) return `${mark}${label}:`;
  const path = f.file.split('/').map(encodeURIComponent).join('/');
  return `${mark}[${label}](${options.blobUrl}/${path}#L${f.line}):`;
}

/**
 * Findings covered by a policy exception, collapsed: nothing disappears without a trace, and a
 * reviewer sees the recorded reason and when the exception ends.
 */
export function suppressedSection(findings: readonly Finding[], options: MarkdownOptions): string {
  const folded = suppressedFindings(findings);
  if (folded.length === 0) return '';
  const rows = folded.map((f) => {
    const upstream = f.id ? upstreamCell(f) : '';
    const what = `${code(f.file, { inTable: true })} ${location(f, options)} ${md(f.message)}`;
    const expires = f.suppressed?.expires ? md(f.suppressed.expires) : '';
    return `| ${SEVERITY_ICON[f.severity]} ${f.severity} | ${code(f.rule, { inTable: true })} | ${upstream} | ${what} | ${md(f.suppressed?.reason ?? '')} | ${expires} |`;
  });
  return [
    `<details><summary>${folded.length} suppressed by policy exceptions</summary>`,
    '',
    '| Severity | Rule | Upstream | What | Reason | Expires |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    '</details>',
    '',
  ].join('\n');
}

/** Collapsed table of every upstream the scan saw, with how many references are pinned. */
export function referencesSection(result: ScanResult): string {
  if (result.references.length === 0) return '';
  const byUpstream = new Map<
    string,
    { count: number; pinned: number; kind: string; ecosystem: string; id: string }
  >();
  for (const r of result.references) {
    const key = `${r.ecosystem}\0${r.kind}\0${r.id}`;
    const e = byUpstream.get(key) ?? {
      count: 0,
      pinned: 0,
      kind: r.kind,
      ecosystem: r.ecosystem,
      id: r.id,
    };
    e.count++;
    if (r.pinned) e.pinned++;
    byUpstream.set(key, e);
  }
  const rows = [...byUpstream.values()]
    .sort((a, b) => a.kind.localeCompare(b.kind) || a.id.localeCompare(b.id))
    .map(
      (e) =>
        `| ${e.kind} | ${e.ecosystem} | ${code(e.id, { inTable: true })} | ${e.count} | ${e.pinned}/${e.count} |`,
    );
  return [
    '<details><summary>Upstreams referenced</summary>',
    '',
    '| Kind | Ecosystem | Id | References | Pinned |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
    '</details>',
    '',
  ].join('\n');
}
