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

/** Cell magics whose body is not Python. */
const FOREIGN_CELL = /^%%(?!time\b|timeit\b|capture\b|writefile\s+\S+\.py\b)/;

export function notebookSource(json: string): NotebookResult {
  const doc = parseJson(json);
  if (!doc.root)
    return { source: null, error: doc.error ?? { message: 'invalid JSON', offset: 0 } };
  const builder = new SourceBuilder(json);
  for (const cell of codeCells(doc.root)) builder.cell(cell);
  return { source: builder.finish(), error: doc.error };
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

class SourceBuilder {
  private readonly pieces: string[] = [];
  private starts: number[] = [];
  private ends: number[] = [];

  constructor(private readonly json: string) {}

  cell(source: Node): void {
    const strings = source.type === 'array' ? (source.children ?? []) : [source];
    const from = this.starts.length;
    for (const s of strings) if (s.type === 'string') this.string(s);
    this.blankMagics(from);
    const last = this.ends[this.ends.length - 1] ?? source.offset;
    this.push('\n', last, last); // a cell always ends its last statement
  }

  finish(): CellSource {
    const text = this.pieces.join('');
    const starts = Int32Array.from(this.starts);
    const ends = Int32Array.from(this.ends);
    const len = text.length;
    return {
      text,
      toFile: (o) => (o < len ? (starts[o] as number) : len > 0 ? (ends[len - 1] as number) : 0),
      toFileEnd: (o) => (o > 0 ? (ends[Math.min(o, len) - 1] as number) : (starts[0] ?? 0)),
    };
  }

  private push(piece: string, start: number, end: number): void {
    this.pieces.push(piece);
    this.starts.push(start);
    this.ends.push(end);
  }

  /** Decodes one JSON string, recording where each decoded character came from. */
  private string(node: Node): void {
    const json = this.json;
    const end = node.offset + node.length - 1;
    let k = node.offset + 1;
    while (k < end) {
      const c = json.charCodeAt(k);
      if (c !== 92) {
        this.push(json[k] as string, k, k + 1);
        k++;
        continue;
      }
      const e = json[k + 1] ?? '';
      if (e === 'u') {
        const code = parseInt(json.slice(k + 2, k + 6), 16);
        this.push(String.fromCharCode(Number.isNaN(code) ? 0xfffd : code), k, k + 6);
        k += 6;
      } else {
        this.push(JSON_ESCAPES[e] ?? (e || ' '), k, k + 2);
        k += 2;
      }
    }
  }

  /** IPython shell and magic lines (`!pip …`, `%env …`) are not Python; blank them in place. */
  private blankMagics(from: number): void {
    const cell = this.pieces.slice(from).join('');
    if (FOREIGN_CELL.test(cell)) {
      this.blank(from, this.pieces.length);
      return;
    }
    let lineStart = 0;
    for (let i = 0; i <= cell.length; i++) {
      if (i < cell.length && cell[i] !== '\n') continue;
      const first = /\S/.exec(cell.slice(lineStart, i));
      const head = first ? cell[lineStart + first.index] : '';
      if (head === '!' || head === '%') this.blank(from + lineStart, from + i);
      lineStart = i + 1;
    }
  }

  private blank(from: number, to: number): void {
    for (let i = from; i < to; i++) if (this.pieces[i] !== '\n') this.pieces[i] = ' ';
  }
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
