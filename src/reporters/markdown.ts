import type { ScanResult } from '../scan.js';
import { SEVERITIES, type Finding, type Severity } from '../types.js';
import { upstreamUrl } from '../util/links.js';
import { code, md } from './escape.js';
import { countBySeverity, groupByFile } from './summary.js';

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
}

/** Headline: counts by severity, most severe first; "no findings" when clean. */
export function headline(findings: readonly Finding[]): string {
  if (findings.length === 0) return 'No findings.';
  const counts = countBySeverity(findings);
  return SEVERITIES.filter((s) => counts[s] > 0)
    .map((s) => `${SEVERITY_ICON[s]} ${counts[s]} ${s}`)
    .join(' · ');
}

/** The full report as GitHub-flavoured markdown: pure, shared by every markdown surface. */
export function renderMarkdown(result: ScanResult, options: MarkdownOptions = {}): string {
  const parts: string[] = [];
  parts.push(`## ${md(options.title ?? 'LLM supply chain report')}`, '');
  parts.push(`**${headline(result.findings)}** ${statsLine(result)}`, '');
  const budget = options.maxLength ?? Infinity;
  let length = parts.join('\n').length;
  let shown = 0;
  for (const [file, findings] of groupByFile(result.findings)) {
    const section = fileSection(file, findings, options);
    if (length + section.length > budget - 400) break;
    parts.push(section);
    length += section.length + 1;
    shown += findings.length;
  }
  if (shown < result.findings.length) {
    parts.push(
      `_${result.findings.length - shown} more findings are not shown here; the full list is in the job summary and the JSON report._`,
      '',
    );
  }
  parts.push(referencesSection(result));
  return parts.join('\n');
}

function statsLine(result: ScanResult): string {
  const upstreams = new Set(result.references.map((r) => `${r.ecosystem}:${r.id}`)).size;
  return `(${result.references.length} references to ${upstreams} upstreams in ${result.stats.filesRead} files)`;
}

function fileSection(file: string, findings: Finding[], options: MarkdownOptions): string {
  const rows = findings.map((f) => {
    const where = location(f, options);
    const upstream = f.id ? upstreamCell(f) : '';
    const fix = f.remediation ? md(f.remediation) : '';
    return `| ${SEVERITY_ICON[f.severity]} ${f.severity} | ${code(f.rule, { inTable: true })} | ${upstream} | ${where} ${md(f.message)} | ${fix} |`;
  });
  return [
    `### ${code(file)}`,
    '',
    '| Severity | Rule | Upstream | What | How to fix |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}

function upstreamCell(f: Finding): string {
  const url = upstreamUrl(f.ecosystem, f.kind, f.id as string);
  return url ? `[${md(f.id as string)}](${url})` : md(f.id as string);
}

function location(f: Finding, options: MarkdownOptions): string {
  const label = `L${f.line}`;
  if (!options.blobUrl) return `${label}:`;
  const path = f.file.split('/').map(encodeURIComponent).join('/');
  return `[${label}](${options.blobUrl}/${path}#L${f.line}):`;
}

function referencesSection(result: ScanResult): string {
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
