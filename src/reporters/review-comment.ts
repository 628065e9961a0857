import { RULES } from '../rules.js';
import type { Finding } from '../types.js';
import { upstreamUrl } from '../util/links.js';
import { TOOL_NAME, TOOL_URL } from '../version.js';
import { code, md, safeUrl } from './escape.js';
import { SEVERITY_ICON } from './markdown.js';

const MARKER_PREFIX = '<!-- llm-supply-chain-guard:finding ';
const MARKER = /<!-- llm-supply-chain-guard:finding ([0-9a-f]{32}) -->/g;

/** Hidden in each review comment so a re-run recognises the findings it already commented on. */
export function findingMarker(fingerprint: string): string {
  return `${MARKER_PREFIX}${fingerprint} -->`;
}

export function markedFingerprints(body: string): string[] {
  return [...body.matchAll(MARKER)].map((m) => m[1] as string);
}

/**
 * The line with the finding's fix applied, or null when there is no mechanical fix for this line
 * or the line no longer holds the text the fix replaces (a stale fix must not be suggested).
 */
export function suggestedLine(f: Finding, line: number, lineText: string): string | null {
  const fix = f.fix;
  if (!fix || fix.span.line !== line) return null;
  const start = fix.span.column - 1;
  const end = fix.span.endColumn - 1;
  if (lineText.slice(start, end) !== fix.span.text) return null;
  return lineText.slice(0, start) + fix.replacement + lineText.slice(end);
}

/** The review comment's anchor: the fix's line when there is a fix, else the finding's line. */
export function anchorLine(f: Finding): number {
  return f.fix?.span.line ?? f.line;
}

/**
 * One finding as a line-anchored review comment: what is wrong, how to fix it, and a GitHub
 * ```suggestion block that applies the fix in one click when the fix is mechanical.
 */
export function renderReviewComment(
  f: Finding,
  options: { fingerprint: string; suggestion?: string | null },
): string {
  const rule = RULES[f.rule];
  const upstream = f.id ? ` · ${upstreamLink(f)}` : '';
  const parts = [
    findingMarker(options.fingerprint),
    `${SEVERITY_ICON[f.severity]} **${f.severity}** · ${code(f.rule)}${upstream}`,
    '',
    md(f.message),
    '',
  ];
  if (f.remediation) parts.push(`**How to fix:** ${md(f.remediation)}`, '');
  if (options.suggestion != null) {
    if (f.fix) parts.push(md(f.fix.description), '');
    parts.push(suggestionBlock(options.suggestion), '');
  }
  const links = (f.links ?? [])
    .map((l) => ({ title: l.title, url: safeUrl(l.url) }))
    .filter((l) => l.url !== null)
    .map((l) => `[${md(l.title)}](${l.url})`);
  if (links.length > 0) parts.push(links.join(' · '), '');
  parts.push(`<sub>${md(TOOL_NAME)} · [${md(rule.title)}](${TOOL_URL}#rule-${f.rule})</sub>`);
  return parts.join('\n');
}

/**
 * A fence longer than any backtick run in the line, so the line's own text cannot close it
 * (GitHub accepts suggestion blocks with longer fences, as CommonMark does for code blocks).
 */
function suggestionBlock(line: string): string {
  const runs = line.match(/`{3,}/g) ?? [];
  const fence = '`'.repeat(Math.max(3, ...runs.map((r) => r.length + 1)));
  return `${fence}suggestion\n${line}\n${fence}`;
}

function upstreamLink(f: Finding): string {
  const url = upstreamUrl(f.ecosystem, f.kind, f.id as string);
  return url ? `[${md(f.id as string)}](${url})` : md(f.id as string);
}
