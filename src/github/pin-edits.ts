import { createHash } from 'node:crypto';

/**
 * One replacement on one line, in the coordinates the extractors use: 1-based line, 1-based
 * columns (UTF-16 code units, `endColumn` exclusive) in the text without its byte order mark.
 */
export interface PinEdit {
  line: number;
  column: number;
  endColumn: number;
  /** What the span must still read; anything else means the file moved on since the scan. */
  expected: string;
  replacement: string;
}

export type EditResult =
  { ok: true; bytes: Uint8Array; changed: boolean } | { ok: false; reason: string };

/**
 * Replaces exactly each span and nothing else: every other byte (line endings, a byte order mark,
 * a missing final newline, indentation, quotes) stays as it was, so the pull request's diff is
 * the pin and only the pin. Refuses files that are not UTF-8 (a round trip would change bytes)
 * and spans whose text is no longer what the scan saw.
 */
export function applyPinEdits(bytes: Uint8Array, edits: readonly PinEdit[]): EditResult {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return { ok: false, reason: 'the file is not UTF-8 text' };
  }
  const bom = text.startsWith('\uFEFF') ? '\uFEFF' : '';
  text = text.slice(bom.length);
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  const spans: { start: number; end: number; edit: PinEdit }[] = [];
  for (const edit of dedupe(edits)) {
    const lineStart = starts[edit.line - 1];
    if (lineStart === undefined || edit.column < 1 || edit.endColumn < edit.column)
      return { ok: false, reason: `line ${edit.line} does not exist any more` };
    const next = starts[edit.line];
    const lineEnd = next === undefined ? text.length : next - 1;
    const start = lineStart + edit.column - 1;
    const end = lineStart + edit.endColumn - 1;
    if (end > lineEnd || text.slice(start, end) !== edit.expected)
      return {
        ok: false,
        reason: `line ${edit.line} no longer has ${JSON.stringify(edit.expected)} at column ${edit.column}`,
      };
    spans.push({ start, end, edit });
  }
  spans.sort((a, b) => b.start - a.start);
  for (let i = 1; i < spans.length; i++) {
    if ((spans[i] as (typeof spans)[number]).end > (spans[i - 1] as (typeof spans)[number]).start)
      return { ok: false, reason: `two edits overlap on line ${spans[i]?.edit.line}` };
  }
  let out = text;
  for (const { start, end, edit } of spans)
    out = out.slice(0, start) + edit.replacement + out.slice(end);
  if (out === text) return { ok: true, bytes, changed: false };
  return { ok: true, bytes: new TextEncoder().encode(bom + out), changed: true };
}

/** The same span named twice (two findings, one pin) is one edit. */
function dedupe(edits: readonly PinEdit[]): PinEdit[] {
  const seen = new Map<string, PinEdit>();
  for (const e of edits) seen.set(`${e.line}:${e.column}:${e.endColumn}:${e.replacement}`, e);
  return [...seen.values()];
}

/** The id git gives a file's content (`git hash-object`): compares contents without fetching. */
export function gitBlobSha(bytes: Uint8Array): string {
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}
