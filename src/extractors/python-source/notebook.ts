import type { Node } from 'jsonc-parser';
import { jsonNode, parseJson } from '../../util/json.js';

/**
 * A notebook's code cells as one Python text, with a map from every character back to the
 * offset of the JSON text that encodes it. Cells run in order in one kernel, so one text lets a
 * constant from an early cell resolve a call in a later one.
 */
export interface CellSource {
  text: string;
  /** File offset where the character at `offset` is encoded. */
  toFile(offset: number): number;
  /** File offset just after the character before `offset` (for span ends). */
  toFileEnd(offset: number): number;
}

export interface NotebookResult {
  source: CellSource | null;
  error: { message: string; offset: number } | null;
}

/** A code cell's source: where its value starts, and the string literals it is made of. */
interface CellStrings {
  offset: number;
  /** Offsets of each literal's opening quote and just past its closing quote. */
  strings: { start: number; end: number }[];
}

/** Cell magics whose body is not Python. */
const FOREIGN_CELL = /^%%(?!time\b|timeit\b|capture\b|writefile\s+\S+\.py\b)/;

export function notebookSource(json: string): NotebookResult {
  const strict = strictCells(json);
  if (strict) return { source: build(json, strict), error: null };
  // Not strict JSON (comments, trailing commas, a syntax error): the lenient tree parser says
  // where, and still yields the cells it could read.
  const doc = parseJson(json);
  if (!doc.root)
    return { source: null, error: doc.error ?? { message: 'invalid JSON', offset: 0 } };
  return { source: build(json, codeCells(doc.root).map(cellStrings)), error: doc.error };
}

function build(json: string, cells: CellStrings[]): CellSource {
  const builder = new SourceBuilder(json);
  for (const cell of cells) builder.cell(cell);
  return builder.finish();
}

function codeCells(root: Node): Node[] {
  const cells = jsonNode(root, ['cells']);
  const lists = cells
    ? [cells]
    : (jsonNode(root, ['worksheets'])?.children ?? []).map((w) => jsonNode(w, ['cells']));
  const out: Node[] = [];
  for (const list of lists) {
    for (const cell of list?.children ?? []) {
      if (jsonNode(cell, ['cell_type'])?.value !== 'code') continue;
      const source = jsonNode(cell, ['source']) ?? jsonNode(cell, ['input']); // nbformat 4 / 3
      if (source) out.push(source);
    }
  }
  return out;
}

function cellStrings(source: Node): CellStrings {
  const nodes = source.type === 'array' ? (source.children ?? []) : [source];
  return {
    offset: source.offset,
    strings: nodes
      .filter((s) => s.type === 'string')
      .map((s) => ({ start: s.offset, end: s.offset + s.length })),
  };
}

/**
 * The same cells as `codeCells`, for text that JSON.parse accepts: a walk that records only the
 * offsets of code cells' source strings and skips everything else (outputs can be megabytes of
 * base64) with indexOf. The tree parser took more than half of a notebook's extraction time.
 */
function strictCells(json: string): CellStrings[] | null {
  try {
    JSON.parse(json);
  } catch {
    return null;
  }
  const w = new StrictWalker(json);
  const out: CellStrings[] = [];
  const readCells = () => w.elements(() => readCell(w, out));
  let cells = false;
  let worksheets: number | null = null;
  w.entries((key, at) => {
    if (key === 'cells' && !cells) {
      cells = true;
      readCells();
      return true;
    }
    if (key === 'worksheets' && worksheets === null) worksheets = at;
    return false;
  });
  // nbformat 3 keeps its cells in worksheets, read only when there is no `cells`.
  if (!cells && worksheets !== null)
    w.at(worksheets).elements(() =>
      w.entries((key) => {
        if (key !== 'cells') return false;
        readCells();
        return true;
      }),
    );
  return out;
}

function readCell(w: StrictWalker, out: CellStrings[]): void {
  let type: unknown;
  let typed = false;
  let source: CellStrings | null = null;
  let input: CellStrings | null = null;
  const read = w.entries((key) => {
    if (key === 'cell_type' && !typed) {
      typed = true;
      type = w.literal();
    } else if (key === 'source' && !source) source = w.strings();
    else if (key === 'input' && !input) input = w.strings();
    else return false;
    return true;
  });
  const strings = source ?? input;
  if (read && type === 'code' && strings) out.push(strings);
}

/**
 * Moves through strict JSON by offsets. Each method leaves the position just past the value it
 * was called on; a callback returns true when it read the value it was called at, else the
 * walker skips it.
 */
class StrictWalker {
  private i = 0;

  constructor(private readonly json: string) {}

  at(offset: number): this {
    this.i = offset;
    return this;
  }

  /** Calls `visit(key, valueOffset)` per property; false when the value is not an object. */
  entries(visit: (key: string, at: number) => boolean): boolean {
    this.space();
    if (this.json[this.i] !== '{') {
      this.skip();
      return false;
    }
    this.i++;
    for (;;) {
      this.space();
      if (this.json[this.i] === '}') break;
      const keyStart = this.i;
      this.skipString();
      const key = JSON.parse(this.json.slice(keyStart, this.i)) as string;
      this.space();
      this.i++; // ':'
      this.space();
      if (!visit(key, this.i)) this.skip();
      this.space();
      if (this.json[this.i] === ',') this.i++;
    }
    this.i++;
    return true;
  }

  /** Calls `visit()` with the position on each element; nothing when not an array. */
  elements(visit: () => boolean | void): void {
    this.space();
    if (this.json[this.i] !== '[') {
      this.skip();
      return;
    }
    this.i++;
    for (;;) {
      this.space();
      if (this.json[this.i] === ']') break;
      const at = this.i;
      if (visit() !== true) this.at(at).skip();
      this.space();
      if (this.json[this.i] === ',') this.i++;
    }
    this.i++;
  }

  /** A string, or an array's string elements (other elements ignored, as the tree path does). */
  strings(): CellStrings {
    this.space();
    const offset = this.i;
    const strings: CellStrings['strings'] = [];
    if (this.json[this.i] === '"') {
      this.skipString();
      strings.push({ start: offset, end: this.i });
    } else if (this.json[this.i] === '[') {
      this.elements(() => {
        if (this.json[this.i] !== '"') return false;
        const start = this.i;
        this.skipString();
        strings.push({ start, end: this.i });
        return true;
      });
    } else this.skip();
    return { offset, strings };
  }

  /** A scalar's value (strings decoded), undefined for objects and arrays. */
  literal(): unknown {
    this.space();
    const start = this.i;
    this.skip();
    const c = this.json[start];
    return c === '{' || c === '['
      ? undefined
      : (JSON.parse(this.json.slice(start, this.i)) as unknown);
  }

  private skip(): void {
    this.space();
    const json = this.json;
    const c = json.charCodeAt(this.i);
    if (c === 34) this.skipString();
    else if (c === 123 || c === 91) this.skipNested();
    else {
      // A number or a literal: up to the next delimiter.
      for (;;) {
        const d = json.charCodeAt(this.i);
        if (Number.isNaN(d) || d === 44 || d === 93 || d === 125 || d <= 32) return;
        this.i++;
      }
    }
  }

  /** Past the bracket that closes the one at the position; strings are jumped over whole. */
  private skipNested(): void {
    let depth = 0;
    const json = this.json;
    for (;;) {
      const c = json.charCodeAt(this.i);
      if (c === 34) {
        this.skipString();
        continue;
      }
      this.i++;
      if (c === 123 || c === 91) depth++;
      else if ((c === 125 || c === 93) && --depth === 0) return;
    }
  }

  private skipString(): void {
    const json = this.json;
    let j = this.i + 1;
    for (;;) {
      const q = json.indexOf('"', j);
      let backslashes = 0;
      for (let b = q - 1; json.charCodeAt(b) === 92; b--) backslashes++;
      if (backslashes % 2 === 0) {
        this.i = q + 1;
        return;
      }
      j = q + 1;
    }
  }

  private space(): void {
    const json = this.json;
    for (;;) {
      const c = json.charCodeAt(this.i);
      if (c !== 32 && c !== 10 && c !== 13 && c !== 9) return;
      this.i++;
    }
  }
}

/**
 * Decoded text and, per character (UTF-16 unit), the file offsets it was read from, kept in
 * typed arrays: one array push per character used to cost more than the tokenizer.
 */
class SourceBuilder {
  private readonly chunks: string[] = [];
  private starts: Int32Array;
  private ends: Int32Array;
  private length = 0;

  constructor(private readonly json: string) {
    this.starts = new Int32Array(json.length + 1);
    this.ends = new Int32Array(json.length + 1);
  }

  cell(source: CellStrings): void {
    let text = '';
    for (const s of source.strings) text += this.string(s.start, s.end);
    text = blankMagics(text);
    this.chunks.push(text, '\n');
    // A cell always ends its last statement; the newline sits where the last character ended.
    const at = this.length > 0 ? (this.ends[this.length - 1] as number) : source.offset;
    this.record(at, at);
  }

  finish(): CellSource {
    const text = this.chunks.join('');
    const starts = this.starts.subarray(0, this.length);
    const ends = this.ends.subarray(0, this.length);
    const len = text.length;
    return {
      text,
      toFile: (o) => (o < len ? (starts[o] as number) : len > 0 ? (ends[len - 1] as number) : 0),
      toFileEnd: (o) => (o > 0 ? (ends[Math.min(o, len) - 1] as number) : (starts[0] ?? 0)),
    };
  }

  private record(start: number, end: number): void {
    if (this.length === this.starts.length) this.grow();
    this.starts[this.length] = start;
    this.ends[this.length] = end;
    this.length++;
  }

  private grow(): void {
    const starts = new Int32Array(this.starts.length * 2);
    const ends = new Int32Array(this.ends.length * 2);
    starts.set(this.starts);
    ends.set(this.ends);
    this.starts = starts;
    this.ends = ends;
  }

  /** Decodes one JSON string literal [start, end), recording where each character came from. */
  private string(start: number, end: number): string {
    const json = this.json;
    const last = end - 1;
    let out = '';
    let k = start + 1;
    let run = k;
    while (k < last) {
      if (json.charCodeAt(k) !== 92) {
        this.record(k, k + 1);
        k++;
        continue;
      }
      out += json.slice(run, k);
      const e = json[k + 1] ?? '';
      if (e === 'u') {
        const code = parseInt(json.slice(k + 2, k + 6), 16);
        out += String.fromCharCode(Number.isNaN(code) ? 0xfffd : code);
        this.record(k, k + 6);
        k += 6;
      } else {
        out += JSON_ESCAPES[e] ?? (e || ' ');
        this.record(k, k + 2);
        k += 2;
      }
      run = k;
    }
    return out + json.slice(run, Math.max(run, Math.min(k, last)));
  }
}

/** IPython shell and magic lines (`!pip …`, `%env …`) are not Python; blank them in place. */
function blankMagics(cell: string): string {
  if (FOREIGN_CELL.test(cell)) return cell.replace(/[^\n]/g, ' ');
  if (!/^\s*[!%]/m.test(cell)) return cell;
  return cell
    .split('\n')
    .map((line) => (/^\s*[!%]/.test(line) ? ' '.repeat(line.length) : line))
    .join('\n');
}

const JSON_ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  b: '\b',
  f: '\f',
  '"': '"',
  '\\': '\\',
  '/': '/',
};
