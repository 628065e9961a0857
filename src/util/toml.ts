/**
 * Source positions for TOML values. smol-toml gives values but no positions, so this scanner walks
 * the same text once and records, for every key path (`['project', 'dependencies', 3]`,
 * `['package', 17, 'name']`), where the value sits. It follows TOML's structure (tables, arrays of
 * tables, dotted and quoted keys, inline tables, nested arrays, every string form, comments), so a
 * string repeated in several tables still maps to the right line. Run it on text smol-toml has
 * accepted; on anything it does not understand it skips to the next line rather than guess.
 */
import { parse as parseToml, TomlDate, TomlError } from 'smol-toml';
import type { ExtractInput, Location, ParseProblem, TextSpan } from '../types.js';
import { errorMessage } from '../extractors/extraction.js';
import { LineIndex } from './text.js';

export type TomlPath = readonly (string | number)[];

export interface TomlPosition {
  /** Offset of the key's name (inside quotes for a quoted key), null for array elements. */
  keyStart: number | null;
  /** Value range; for strings, the content inside the quotes. */
  start: number;
  end: number;
  /** The value is a string (so `start`/`end` are its content). */
  isString: boolean;
}

export class TomlPositions {
  private constructor(private readonly map: Map<string, TomlPosition>) {}

  /**
   * `maxDepth` limits which values are recorded (lockfiles need `package.N.name`, not the
   * thousands of wheel entries below it); everything is still scanned.
   */
  static scan(text: string, maxDepth = Infinity): TomlPositions {
    const map = new Map<string, TomlPosition>();
    new Scanner(text, map, maxDepth).run();
    return new TomlPositions(map);
  }

  get(path: TomlPath): TomlPosition | undefined {
    return this.map.get(encode(path));
  }

  /** The position of `path`, or of its nearest recorded ancestor (a table header at worst). */
  nearest(path: TomlPath): TomlPosition | undefined {
    for (let n = path.length; n > 0; n--) {
      const hit = this.map.get(encode(path.slice(0, n)));
      if (hit) return hit;
    }
    return undefined;
  }
}

function segment(p: string | number): string {
  return typeof p === 'number' ? `#${p}` : `.${p}`;
}

/** Paths are keyed as strings; children extend the parent's key, so no arrays are built per value. */
function join(parent: string, p: string | number): string {
  return parent === '' ? segment(p) : `${parent}\u0000${segment(p)}`;
}

function encode(path: TomlPath): string {
  return path.reduce<string>(join, '');
}

class ScanError extends Error {}

const BARE_KEY = /[A-Za-z0-9_-]+/y;

class Scanner {
  private pos = 0;
  /** Arrays of tables seen so far (encoded resolved path → element count). */
  private readonly aot = new Map<string, number>();

  constructor(
    private readonly s: string,
    private readonly out: Map<string, TomlPosition>,
    private readonly maxDepth: number,
  ) {}

  /** The child's key, or null once below `maxDepth` (then nothing under it is recorded). */
  private child(parent: string | null, depth: number, p: string | number): string | null {
    return parent === null || depth > this.maxDepth ? null : join(parent, p);
  }

  private set(path: string | null, at: TomlPosition): void {
    if (path !== null) this.out.set(path, at);
  }

  run(): void {
    let table = { path: '', depth: 0 };
    while (this.skipBlank()) {
      const lineStart = this.pos;
      try {
        if (this.s[this.pos] === '[') table = this.header();
        else this.keyValue(table);
        this.endOfLine();
      } catch (e) {
        if (!(e instanceof ScanError)) throw e;
        this.pos = Math.max(lineStart + 1, this.pos);
        this.skipLine();
      }
    }
  }

  private header(): { path: string; depth: number } {
    const start = this.pos;
    const isArray = this.s.startsWith('[[', this.pos);
    this.pos += isArray ? 2 : 1;
    const keys = this.key();
    this.skipSpaces();
    if (!this.s.startsWith(isArray ? ']]' : ']', this.pos)) throw new ScanError();
    this.pos += isArray ? 2 : 1;
    const path = this.resolve(
      keys.map((k) => k.name),
      isArray,
    );
    const last = keys[keys.length - 1];
    this.out.set(path.path, {
      keyStart: last?.start ?? start,
      start,
      end: this.pos,
      isString: false,
    });
    return path;
  }

  /** Table path with array-of-tables segments replaced by their current element. */
  private resolve(keys: string[], isArray: boolean): { path: string; depth: number } {
    let path = '';
    let depth = 0;
    keys.forEach((key, i) => {
      path = join(path, key);
      depth++;
      const n = this.aot.get(path);
      if (isArray && i === keys.length - 1) this.aot.set(path, (n ?? 0) + 1);
      const index =
        isArray && i === keys.length - 1 ? (n ?? 0) : n === undefined ? undefined : n - 1;
      if (index === undefined) return;
      path = join(path, index);
      depth++;
    });
    return { path, depth };
  }

  private keyValue(table: { path: string; depth: number }): void {
    const keys = this.key();
    this.skipSpaces();
    if (this.s[this.pos] !== '=') throw new ScanError();
    this.pos++;
    this.skipSpaces();
    const last = keys[keys.length - 1];
    this.value(...this.descend(table.path, table.depth, keys), last?.start ?? null);
  }

  private descend(
    path: string | null,
    depth: number,
    keys: { name: string }[],
  ): [string | null, number] {
    for (const k of keys) path = this.child(path, ++depth, k.name);
    return [path, depth];
  }

  /** A dotted key; each part with the offset where its name starts. */
  private key(): { name: string; start: number }[] {
    const parts: { name: string; start: number }[] = [];
    for (;;) {
      this.skipSpaces();
      const c = this.s[this.pos];
      if (c === '"' || c === "'") {
        const start = this.pos + 1;
        const end = c === '"' ? this.basicString() : this.literalString();
        const raw = this.s.slice(start, end);
        parts.push({ name: c === '"' ? unescapeAll(raw) : raw, start });
      } else {
        BARE_KEY.lastIndex = this.pos;
        const m = BARE_KEY.exec(this.s);
        if (!m) throw new ScanError();
        parts.push({ name: m[0], start: this.pos });
        this.pos += m[0].length;
      }
      this.skipSpaces();
      if (this.s[this.pos] !== '.') return parts;
      this.pos++;
    }
  }

  private value(path: string | null, depth: number, keyStart: number | null): void {
    const s = this.s;
    const c = s[this.pos];
    if (c === '"' || c === "'") {
      if (s.startsWith(c.repeat(3), this.pos)) {
        const str = this.multilineString(c);
        this.set(path, { keyStart, start: str.start, end: str.end, isString: true });
        return;
      }
      const start = this.pos + 1;
      const end = c === '"' ? this.basicString() : this.literalString();
      this.set(path, { keyStart, start, end, isString: true });
      return;
    }
    const start = this.pos;
    if (c === '[') this.array(path, depth);
    else if (c === '{') this.inlineTable(path, depth);
    else this.scalar();
    this.set(path, { keyStart, start, end: this.pos, isString: false });
  }

  private array(path: string | null, depth: number): void {
    this.pos++;
    for (let i = 0; ; i++) {
      this.skipBlankInside();
      if (this.s[this.pos] === ']') break;
      this.value(this.child(path, depth + 1, i), depth + 1, null);
      this.skipBlankInside();
      if (this.s[this.pos] === ',') this.pos++;
      else if (this.s[this.pos] !== ']') throw new ScanError();
    }
    this.pos++;
  }

  private inlineTable(path: string | null, depth: number): void {
    this.pos++;
    for (;;) {
      this.skipBlankInside();
      if (this.s[this.pos] === '}') break;
      const keys = this.key();
      this.skipSpaces();
      if (this.s[this.pos] !== '=') throw new ScanError();
      this.pos++;
      this.skipSpaces();
      const last = keys[keys.length - 1];
      this.value(...this.descend(path, depth, keys), last?.start ?? null);
      this.skipBlankInside();
      if (this.s[this.pos] === ',') this.pos++;
      else if (this.s[this.pos] !== '}') throw new ScanError();
    }
    this.pos++;
  }

  /** Numbers, booleans, dates (which may hold one space): up to a delimiter, trailing blanks dropped. */
  private scalar(): void {
    const start = this.pos;
    while (this.pos < this.s.length && !',]}#\r\n'.includes(this.s[this.pos] as string)) this.pos++;
    while (this.pos > start && /[ \t]/.test(this.s[this.pos - 1] as string)) this.pos--;
    if (this.pos === start) throw new ScanError();
  }

  /** Skips a one-line basic string; returns the offset of its closing quote. */
  private basicString(): number {
    const s = this.s;
    let i = ++this.pos;
    for (; i < s.length; i++) {
      const c = s[i];
      if (c === '"') {
        this.pos = i + 1;
        return i;
      }
      if (c === '\\') i++;
      else if (c === '\n') break;
    }
    throw new ScanError();
  }

  private literalString(): number {
    const start = ++this.pos;
    const close = this.s.indexOf("'", start);
    const newline = this.s.indexOf('\n', start);
    if (close === -1 || (newline !== -1 && newline < close)) throw new ScanError();
    this.pos = close + 1;
    return close;
  }

  /** `"""…"""` or `'''…'''`; up to two extra quotes before the closing ones belong to the content. */
  private multilineString(q: string): { start: number; end: number } {
    this.pos += 3;
    if (this.s.startsWith('\r\n', this.pos)) this.pos += 2;
    else if (this.s[this.pos] === '\n') this.pos++;
    const start = this.pos;
    const delim = q.repeat(3);
    while (this.pos < this.s.length) {
      if (q === '"' && this.s[this.pos] === '\\') {
        this.pos += 2;
        continue;
      }
      if (this.s.startsWith(delim, this.pos)) {
        let end = this.pos + 3;
        while (this.s[end] === q && end - this.pos < 5) end++;
        this.pos = end;
        return { start, end: end - 3 };
      }
      this.pos++;
    }
    throw new ScanError();
  }

  private skipSpaces(): void {
    while (this.s[this.pos] === ' ' || this.s[this.pos] === '\t') this.pos++;
  }

  private skipLine(): void {
    const nl = this.s.indexOf('\n', this.pos);
    this.pos = nl === -1 ? this.s.length : nl + 1;
  }

  /** Blank lines and comments between statements; false at the end of the text. */
  private skipBlank(): boolean {
    for (;;) {
      this.skipSpaces();
      const c = this.s[this.pos];
      if (c === undefined) return false;
      if (c === '#') this.skipLine();
      else if (c === '\r' || c === '\n') this.pos++;
      else return true;
    }
  }

  /** Inside arrays (and TOML 1.1 inline tables) newlines and comments may appear anywhere. */
  private skipBlankInside(): void {
    if (!this.skipBlank()) throw new ScanError();
  }

  private endOfLine(): void {
    this.skipSpaces();
    const c = this.s[this.pos];
    if (c === '#' || c === '\r' || c === '\n' || c === undefined) this.skipLine();
    else throw new ScanError();
  }
}

/** Decodes the escapes of a basic string's content (only keys need decoding). */
function unescapeAll(raw: string): string {
  return raw.replace(/\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)/g, (seq) => unescape(seq));
}

const SIMPLE_ESCAPES: Record<string, string> = {
  b: '\b',
  t: '\t',
  n: '\n',
  f: '\f',
  r: '\r',
  e: '\x1b',
  '"': '"',
  '\\': '\\',
};

function unescape(seq: string): string {
  const c = seq[1] ?? '';
  if (c === 'u' || c === 'U') {
    const code = parseInt(seq.slice(2, c === 'u' ? 6 : 10), 16);
    return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : '';
  }
  return SIMPLE_ESCAPES[c] ?? c;
}

/** A parsed TOML file with the positions of its values, or the syntax error smol-toml reported. */
export interface TomlDocument {
  data: Record<string, unknown>;
  positions: TomlPositions;
  lines: LineIndex;
  file: string;
}

export function readToml(input: ExtractInput, maxDepth = Infinity): TomlDocument | ParseProblem {
  let data: Record<string, unknown>;
  try {
    data = parseToml(input.text) as Record<string, unknown>;
  } catch (e) {
    return tomlProblem(input, e);
  }
  return {
    data,
    positions: TomlPositions.scan(input.text, maxDepth),
    lines: new LineIndex(input.text),
    file: input.path,
  };
}

function tomlProblem(input: ExtractInput, e: unknown): ParseProblem {
  const lines = new LineIndex(input.text);
  const err = e instanceof TomlError ? e : null;
  const line = Math.min(Math.max(err?.line ?? 1, 1), lines.lineCount);
  const column = Math.min(Math.max(err?.column ?? 1, 1), lines.lineText(line).length + 1);
  const message = errorMessage(e).split('\n')[0] as string;
  return {
    file: input.path,
    line,
    column,
    message: message.replace(/^Invalid TOML document: /, 'invalid TOML: '),
  };
}

export function isParseProblem(x: TomlDocument | ParseProblem): x is ParseProblem {
  return 'message' in x;
}

/**
 * Where `path` sits: its key (or, for array elements and with `prefer = 'value'`, its value), else
 * the nearest recorded ancestor; never outside the file.
 */
export function keyLocation(
  doc: TomlDocument,
  path: TomlPath,
  prefer: 'key' | 'value' = 'key',
): Location {
  const exact = doc.positions.get(path);
  const at = exact ?? doc.positions.nearest(path);
  const offset = at ? (prefer === 'value' && exact ? at.start : (at.keyStart ?? at.start)) : 0;
  return doc.lines.location(doc.file, offset);
}

/** The trimmed content span of the string at `path`, for a fix to replace. */
export function tomlStringSpan(doc: TomlDocument, path: TomlPath): TextSpan | undefined {
  const at = stringAt(doc, path);
  if (!at) return undefined;
  const raw = doc.lines.text.slice(at.start, at.end);
  const lead = raw.length - raw.trimStart().length;
  const trail = raw.length - raw.trimEnd().length;
  if (lead + trail >= raw.length) return undefined;
  return doc.lines.span(doc.file, at.start + lead, at.end - trail) ?? undefined;
}

/** The content range of the string at `path`, when it is one. */
export function stringAt(doc: TomlDocument, path: TomlPath): { start: number; end: number } | null {
  const at = doc.positions.get(path);
  return at?.isString ? { start: at.start, end: at.end } : null;
}

export function isTable(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof TomlDate);
}
