import type { ScanResult } from '../scan.js';
import type { Severity } from '../types.js';
import { logSafe } from './escape.js';
import { headline } from './markdown.js';

const COLOR: Record<Severity, string> = {
  critical: '\x1b[1;31m',
  high: '\x1b[31m',
  medium: '\x1b[33m',
  low: '\x1b[36m',
  info: '\x1b[2m',
};
const RESET = '\x1b[0m';

/**
 * Untrusted text on one line: no terminal control sequences (a file name cannot drive the
 * terminal), and no line break or `::` a CI runner would read as a workflow command.
 */
function plain(text: string): string {
  return logSafe(text).replace(/[\x00-\x08\x0b-\x1f\x7f\x9b]/g, '?');
}

/** One line per finding, grouped by nothing: `file:line:col severity rule message`, like a compiler. */
export function renderText(result: ScanResult, options: { color?: boolean } = {}): string {
  const paint = (s: Severity, text: string) =>
    options.color ? `${COLOR[s]}${text}${RESET}` : text;
  const lines = result.findings.map((f) => {
    const where = `${plain(f.file)}:${f.line}:${f.column}`;
    const fix = f.remediation ? `\n    fix: ${plain(f.remediation)}` : '';
    if (f.suppressed)
      return `${where}  ${'ignored'.padEnd(8)} ${f.rule}  ${plain(f.message)}\n    suppressed: ${plain(f.suppressed.reason)}${f.suppressed.expires ? ` (until ${f.suppressed.expires})` : ''}`;
    return `${where}  ${paint(f.severity, f.severity.padEnd(8))} ${f.rule}  ${plain(f.message)}${fix}`;
  });
  const upstreams = new Set(result.references.map((r) => `${r.ecosystem}:${r.id}`)).size;
  lines.push(
    '',
    `${result.references.length} references to ${upstreams} upstreams in ${result.stats.filesRead} of ${result.stats.filesListed} files (${result.stats.totalMs} ms).`,
    headline(result.findings).replace(/[🟥🟧🟨🟦⬜] /gu, ''),
  );
  return lines.join('\n') + '\n';
}
