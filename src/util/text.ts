import type { Location, TextSpan } from '../types.js';

/**
 * Maps string offsets to 1-based line/column. Built once per file; lookups are a binary search,
 * so extractors can ask for positions freely. Counts `\n` only, so CRLF files get the same line
 * numbers an editor shows (the `\r` stays at the end of the line's text).
 */
export class LineIndex {
  private readonly starts: number[];

  constructor(readonly text: string) {
    const starts = [0];
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    this.starts = starts;
  }

  get lineCount(): number {
    return this.starts.length;
  }

  position(offset: number): { line: number; column: number } {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] as number) <= clamped) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: clamped - (this.starts[lo] as number) + 1 };
  }

  location(file: string, offset: number): Location {
    return { file, ...this.position(offset) };
  }

  /** A span covering text[start, end) when it sits on one line; null otherwise. */
  span(file: string, start: number, end: number): TextSpan | null {
    const a = this.position(start);
    const b = this.position(end);
    if (a.line !== b.line) return null;
    return {
      file,
      line: a.line,
      column: a.column,
      endColumn: b.column,
      text: this.text.slice(start, end),
    };
  }

  /** The text of a 1-based line without its line terminator. */
  lineText(line: number): string {
    const start = this.starts[line - 1];
    if (start === undefined) return '';
    const next = this.starts[line];
    const end = next === undefined ? this.text.length : next - 1;
    return this.text.slice(start, end).replace(/\r$/, '');
  }

  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(line - 1, this.starts.length - 1))] as number;
  }
}

/** Decodes file bytes as UTF-8 (invalid sequences become U+FFFD) and drops a leading BOM. */
export function decodeText(bytes: Uint8Array): string {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Heuristic used by git: a NUL byte in the first 8000 bytes means binary. */
export function looksBinary(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 8000);
  for (let i = 0; i < n; i++) if (bytes[i] === 0) return true;
  return false;
}

/** Quotes a registry-supplied message as the end of a sentence, without doubling its period. */
export function quoted(message: string): string {
  const text = message.replace(/\s+/g, ' ').trim();
  return `"${text}"${/[.!?]$/.test(text) ? '' : '.'}`;
}
