/**
 * A small JavaScript/TypeScript tokenizer: names, string and template literals, brackets and
 * operators, with comments and regex literals skipped. JSX text is not modelled; a stray quote in
 * it yields a string token that stops at the line end, which keeps the damage local.
 */

export const NAME = 1;
export const STRING = 2;
export const TEMPLATE = 3;
export const NUMBER = 4;
export const OP = 5;
export const REGEX = 6;
/** A '…' or "…" literal cut short by a line end. */
export const BROKEN_STRING = 7;

export interface Tokens {
  count: number;
  kind: Uint8Array;
  start: Int32Array;
  end: Int32Array;
  /** For brackets: the partner bracket's index, or -1. */
  match: Int32Array;
  /** 1 when a line break separates this token from the previous one. */
  newline: Uint8Array;
}

export interface TokenizeResult {
  tokens: Tokens;
  problems: { offset: number; message: string }[];
}

const LF = 10;
const BACKSLASH = 92;
const SLASH = 47;
const STAR = 42;
const BACKTICK = 96;
const DOLLAR = 36;
const LBRACE = 123;
const RBRACE = 125;

/** After these words a `/` starts a regex, not a division. */
const REGEX_AFTER_WORD = new Set([
  'return',
  'typeof',
  'instanceof',
  'in',
  'of',
  'new',
  'delete',
  'void',
  'throw',
  'case',
  'do',
  'else',
  'yield',
  'await',
]);

const MULTI_OPS = new Set([
  '>>>=',
  '...',
  '===',
  '!==',
  '**=',
  '<<=',
  '>>=',
  '>>>',
  '&&=',
  '||=',
  '??=',
  '=>',
  '==',
  '!=',
  '<=',
  '>=',
  '&&',
  '||',
  '??',
  '?.',
  '++',
  '--',
  '+=',
  '-=',
  '*=',
  '/=',
  '%=',
  '&=',
  '|=',
  '^=',
  '**',
  '<<',
  '>>',
]);

function isNameStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === DOLLAR || c >= 0x80;
}

function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 57);
}

function isOpChar(c: number): boolean {
  return (
    c === 61 ||
    c === 33 ||
    c === 60 ||
    c === 62 ||
    c === 43 ||
    c === 45 ||
    c === 42 ||
    c === 37 ||
    c === 38 ||
    c === 124 ||
    c === 94 ||
    c === 63 ||
    c === 46 ||
    c === SLASH
  );
}

class Buffer {
  count = 0;
  kind: Uint8Array;
  start: Int32Array;
  end: Int32Array;
  match: Int32Array;
  newline: Uint8Array;

  constructor(capacity: number) {
    this.kind = new Uint8Array(capacity);
    this.start = new Int32Array(capacity);
    this.end = new Int32Array(capacity);
    this.match = new Int32Array(capacity);
    this.newline = new Uint8Array(capacity);
  }

  push(kind: number, start: number, end: number, newline: boolean): number {
    if (this.count === this.kind.length) this.grow();
    const i = this.count++;
    this.kind[i] = kind;
    this.start[i] = start;
    this.end[i] = end;
    this.match[i] = -1;
    this.newline[i] = newline ? 1 : 0;
    return i;
  }

  private grow(): void {
    const size = this.kind.length * 2;
    const copy = <T extends Uint8Array | Int32Array>(a: T, b: T): T => (b.set(a), b);
    this.kind = copy(this.kind, new Uint8Array(size));
    this.start = copy(this.start, new Int32Array(size));
    this.end = copy(this.end, new Int32Array(size));
    this.match = copy(this.match, new Int32Array(size));
    this.newline = copy(this.newline, new Uint8Array(size));
  }
}

export function tokenize(text: string): TokenizeResult {
  return new Scanner(text).run();
}

class Scanner {
  private readonly buf: Buffer;
  private readonly problems: { offset: number; message: string }[] = [];
  private readonly stack: number[] = [];
  private i = 0;
  private sawNewline = false;

  constructor(private readonly text: string) {
    this.buf = new Buffer(Math.max(64, text.length >> 3));
  }

  run(): TokenizeResult {
    const { text } = this;
    const n = text.length;
    if (text.startsWith('#!')) this.i = lineEnd(text, 0);
    while (this.i < n) {
      const c = text.charCodeAt(this.i);
      if (c === LF) {
        this.sawNewline = true;
        this.i++;
      } else if (c === 32 || c === 9 || c === 13 || c === 12 || c === 0xa0 || c === 0xfeff) {
        this.i++;
      } else if (c === SLASH && text.charCodeAt(this.i + 1) === SLASH) {
        this.i = lineEnd(text, this.i);
      } else if (c === SLASH && text.charCodeAt(this.i + 1) === STAR) {
        this.blockComment();
      } else if (isNameStart(c) || c === 35 /* #private */) {
        const s = this.i++;
        while (this.i < n && isNameChar(text.charCodeAt(this.i))) this.i++;
        this.push(NAME, s, this.i);
      } else if (c >= 48 && c <= 57) {
        const s = this.i++;
        while (
          this.i < n &&
          (isNameChar(text.charCodeAt(this.i)) || text.charCodeAt(this.i) === 46)
        )
          this.i++;
        this.push(NUMBER, s, this.i);
      } else if (c === 39 || c === 34) {
        this.quoted(c);
      } else if (c === BACKTICK) {
        const s = this.i;
        const end = skipTemplate(text, s);
        if (end < 0) this.problems.push({ offset: s, message: 'unterminated template literal' });
        this.i = Math.abs(end);
        this.push(TEMPLATE, s, this.i);
      } else if (c === SLASH && this.regexAllowed()) {
        this.regexOrSlash();
      } else if (c === 40 || c === 91 || c === LBRACE) {
        this.stack.push(this.push(OP, this.i, ++this.i));
      } else if (c === 41 || c === 93 || c === RBRACE) {
        const t = this.push(OP, this.i, ++this.i);
        const open = this.stack.pop();
        if (open !== undefined) {
          this.buf.match[open] = t;
          this.buf.match[t] = open;
        }
      } else {
        this.operator();
      }
    }
    const { count, kind, start, end, match, newline } = this.buf;
    return { tokens: { count, kind, start, end, match, newline }, problems: this.problems };
  }

  private push(kind: number, start: number, end: number): number {
    const t = this.buf.push(kind, start, end, this.sawNewline);
    this.sawNewline = false;
    return t;
  }

  private blockComment(): void {
    const close = this.text.indexOf('*/', this.i + 2);
    if (close === -1) {
      this.problems.push({ offset: this.i, message: 'unterminated block comment' });
      this.i = this.text.length;
      return;
    }
    if (this.text.lastIndexOf('\n', close) > this.i) this.sawNewline = true;
    this.i = close + 2;
  }

  private quoted(q: number): void {
    const { text } = this;
    const s = this.i;
    let i = s + 1;
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === BACKSLASH) i++;
      else if (c === q) {
        this.i = i + 1;
        this.push(STRING, s, this.i);
        return;
      } else if (c === LF) break;
    }
    this.i = i;
    this.push(BROKEN_STRING, s, i);
  }

  /** A `/` starts a regex where an expression may begin: after an operator or a keyword. */
  private regexAllowed(): boolean {
    const b = this.buf;
    if (b.count === 0) return true;
    const k = b.kind[b.count - 1];
    const s = b.start[b.count - 1] as number;
    if (k === NAME) return REGEX_AFTER_WORD.has(this.text.slice(s, b.end[b.count - 1]));
    if (k !== OP) return false;
    const c = this.text.charCodeAt(s);
    return c !== 41 && c !== 93 && c !== RBRACE;
  }

  private regexOrSlash(): void {
    const { text } = this;
    const s = this.i;
    let inClass = false;
    for (let i = s + 1; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === LF) break;
      if (c === BACKSLASH) i++;
      else if (c === 91) inClass = true;
      else if (c === 93) inClass = false;
      else if (c === SLASH && !inClass) {
        let j = i + 1;
        while (j < text.length && isNameChar(text.charCodeAt(j))) j++;
        this.i = j;
        this.push(REGEX, s, j);
        return;
      }
    }
    this.operator();
  }

  private operator(): void {
    const { text } = this;
    const s = this.i;
    let len = 1;
    if (isOpChar(text.charCodeAt(s)) && isOpChar(text.charCodeAt(s + 1))) {
      for (let l = 4; l >= 2; l--) {
        if (MULTI_OPS.has(text.slice(s, s + l))) {
          len = l;
          break;
        }
      }
      // `a?.5:b` is a conditional, not optional chaining
      if (len === 2 && text.charCodeAt(s) === 63 && text.charCodeAt(s + 1) === 46) {
        const d = text.charCodeAt(s + 2);
        if (d >= 48 && d <= 57) len = 1;
      }
    }
    this.i = s + len;
    this.push(OP, s, this.i);
  }
}

function lineEnd(text: string, i: number): number {
  const nl = text.indexOf('\n', i);
  return nl === -1 ? text.length : nl;
}

/**
 * Skips a template literal starting at the backtick `s`; `${…}` substitutions may nest strings
 * and templates. Returns the offset after the closing backtick, or the negated file length.
 */
export function skipTemplate(text: string, s: number): number {
  const n = text.length;
  let i = s + 1;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === BACKSLASH) i += 2;
    else if (c === BACKTICK) return i + 1;
    else if (c === DOLLAR && text.charCodeAt(i + 1) === LBRACE) {
      const end = skipSubstitution(text, i + 2);
      if (end < 0) return end;
      i = end;
    } else i++;
  }
  return -n;
}

function skipSubstitution(text: string, i: number): number {
  const n = text.length;
  let depth = 1;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === LBRACE) depth++;
    else if (c === RBRACE) {
      if (--depth === 0) return i + 1;
    } else if (c === BACKTICK) {
      const end = skipTemplate(text, i);
      if (end < 0) return end;
      i = end;
      continue;
    } else if (c === 39 || c === 34) {
      i++;
      while (i < n && text.charCodeAt(i) !== c && text.charCodeAt(i) !== LF) {
        if (text.charCodeAt(i) === BACKSLASH) i++;
        i++;
      }
    }
    i++;
  }
  return -n;
}
