import type { ScanResult } from '../scan.js';
import type { Finding } from '../types.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import { md } from './escape.js';
import {
  CHANGED_MARK,
  fileTableHead,
  findingRow,
  headline,
  referencesSection,
  suppressedSection,
  type MarkdownOptions,
} from './markdown.js';
import { activeFindings, groupByFile } from './summary.js';

/** Finds the Action's one summary comment on a pull request (with the author's login). */
export const SUMMARY_MARKER = '<!-- llm-supply-chain-guard:summary -->';

/** GitHub rejects comment bodies over 65,536 characters with 422 "Body is too long". */
export const COMMENT_LIMIT = 65536;
/** Room kept below the limit: GitHub counts characters its own way (emoji, line endings). */
const MARGIN = 1536;

export interface PrCommentOptions {
  /** Findings on lines the pull request adds or changes. */
  isChanged: (f: Finding) => boolean;
  /** `https://github.com/o/r/blob/<head sha>[/prefix]` for line links. */
  blobUrl?: string;
  headSha: string;
  /** Only the changed files were read (`changed`), or the whole repository (`all`). */
  scope: 'changed' | 'all';
  /** Things the reader must know about this run (the 3000-file limit, a degraded registry…). */
  notes?: string[];
  /** Overrides COMMENT_LIMIT (tests). */
  maxLength?: number;
}

const TITLE = '### 🛡️ LLM supply chain guard';

/**
 * The sticky pull request comment: headline counts, then a table per file for the findings on
 * changed lines, the rest collapsed. Pure and deterministic for one commit and one set of findings,
 * so an unchanged re-run renders the same text and the comment is left alone.
 */
export function renderPrComment(result: ScanResult, options: PrCommentOptions): string {
  const active = activeFindings(result.findings);
  if (active.length === 0) return renderAllClear(result, options);
  const changed = active.filter(options.isChanged);
  const elsewhere = active.filter((f) => !options.isChanged(f));
  const head = [
    SUMMARY_MARKER,
    `${TITLE}: ${headline(result.findings)}`,
    '',
    countsLine(result, active.length, changed.length),
    '',
    ...notesBlock(options.notes),
  ].join('\n');
  const foot = footer(options.headSha);
  const references = referencesSection(result);
  const limit = (options.maxLength ?? COMMENT_LIMIT) - MARGIN;
  const budget = new Budget(limit - head.length - foot.length - 400);
  const table: MarkdownOptions = {
    fileHeadingLevel: 5,
    ...(options.blobUrl ? { blobUrl: options.blobUrl } : {}),
  };
  const suppressed = suppressedSection(result.findings, table);
  const parts = [head];
  if (changed.length > 0) {
    parts.push(`#### ${CHANGED_MARK} On lines this pull request changes`, '');
    parts.push(budget.tables(changed, table));
  }
  if (elsewhere.length > 0) {
    const where =
      options.scope === 'changed'
        ? 'Elsewhere in the files this pull request changes'
        : 'Already in the repository';
    const body = budget.tables(elsewhere, table);
    if (body !== '') {
      parts.push(
        changed.length > 0
          ? `<details><summary>${where} (${elsewhere.length})</summary>\n\n${body}\n</details>\n`
          : `#### ${where}\n\n${body}`,
      );
    }
  }
  if (budget.omitted > 0) {
    parts.push(
      `_${budget.omitted} more ${plural(budget.omitted, 'finding')} did not fit in a comment; the full list is in the job summary and the JSON report._`,
      '',
    );
  }
  if (suppressed && budget.fits(suppressed)) parts.push(suppressed);
  if (budget.fits(references)) parts.push(references);
  parts.push(foot);
  return parts.join('\n');
}

/** What the comment becomes once nothing is left to report: short, and says what was checked. */
export function renderAllClear(
  result: ScanResult,
  options: Pick<PrCommentOptions, 'headSha' | 'scope' | 'notes'>,
): string {
  const upstreams = upstreamCount(result);
  const what =
    options.scope === 'changed' ? 'the files this pull request changes' : 'this repository';
  const suppressed = result.findings.length - activeFindings(result.findings).length;
  const exceptions =
    suppressed > 0
      ? ` ${suppressed} ${plural(suppressed, 'finding')} covered by policy exceptions.`
      : '';
  return [
    SUMMARY_MARKER,
    `${TITLE}: ✅ all clear`,
    '',
    `No findings in ${what}: ${result.references.length} ${plural(result.references.length, 'reference')} to ${upstreams} ${plural(upstreams, 'upstream')} checked.${exceptions}`,
    '',
    ...notesBlock(options.notes),
    footer(options.headSha),
  ].join('\n');
}

function countsLine(result: ScanResult, n: number, changed: number): string {
  const upstreams = upstreamCount(result);
  const onChanged =
    changed > 0
      ? `**${changed} on lines this pull request changes**`
      : 'none on lines this pull request changes';
  return `${n} ${plural(n, 'finding')}, ${onChanged}. ${result.references.length} ${plural(result.references.length, 'reference')} to ${upstreams} ${plural(upstreams, 'upstream')} in ${result.stats.filesRead} ${plural(result.stats.filesRead, 'file')}.`;
}

function notesBlock(notes: string[] | undefined): string[] {
  if (!notes || notes.length === 0) return [];
  return ['> [!NOTE]', ...notes.map((n) => `> ${md(n)}`), ''];
}

function footer(headSha: string): string {
  return `<sub>${md(TOOL_NAME)} ${md(TOOL_VERSION)} · commit ${md(headSha.slice(0, 7))} · the job summary has the full report</sub>\n`;
}

function upstreamCount(result: ScanResult): number {
  return new Set(result.references.map((r) => `${r.ecosystem}:${r.id}`)).size;
}

function plural(n: number, word: string): string {
  return n === 1 ? word : `${word}s`;
}

/** Adds tables row by row while they fit, and counts what did not. */
class Budget {
  omitted = 0;
  constructor(private left: number) {}

  fits(text: string): boolean {
    if (text.length + 1 > this.left) return false;
    this.left -= text.length + 1;
    return true;
  }

  tables(findings: Finding[], options: MarkdownOptions): string {
    const out: string[] = [];
    for (const [file, group] of groupByFile(findings)) {
      const rows: string[] = [];
      const head = fileTableHead(file, options);
      let needed = head.length + 2;
      for (const f of group) {
        const row = findingRow(f, options);
        if (needed + row.length + 1 > this.left) {
          this.omitted++;
          continue;
        }
        rows.push(row);
        needed += row.length + 1;
      }
      if (rows.length === 0) continue;
      this.left -= needed;
      out.push([head, ...rows, ''].join('\n'));
    }
    return out.join('\n');
  }
}
