/**
 * A small Python tokenizer: just enough structure (names, strings, brackets, logical newlines)
 * to find calls and their arguments. Tokens live in typed arrays so a multi-megabyte file costs a
 * few allocations, not one object per token. Never throws: breakage becomes a problem entry.
 */

export const NAME = 1;
export const STRING = 2;
export const NUMBER = 3;
export const OP = 4;
export const NEWLINE = 5;
/** A string literal without its closing quote (content runs to the line or file end). */
export const BROKEN_STRING = 6;

export interface Tokens {
  count: number;
  kind: Uint8Array;
  start: Int32Array;
  end: Int32Array;
  /** For brackets: the index of the partner bracket, or -1 when unbalanced. */
  match: Int32Array;
}

export interface TokenizeResult {
  tokens: Tokens;
  problems: { offset: number; message: string }[];
}

const BACKSLASH = 92;
const LF = 10;
const CR = 13;
const HASH = 35;
const SQUOTE = 39;
const DQUOTE = 34;
const LBRACE = 123;
const RBRACE = 125;

function isNameStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c >= 0x80;
}

function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 57);
}

/** Letters that may prefix a string: r, u, b, f, t in the combinations Python accepts. */
function stringPrefixFlags(text: string, start: number, end: number): number {
  const len = end - start;
  if (len > 2) return -1;
  let flags = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i) | 0x20;
    if (c === 114)
      flags |= 1; // r
    else if (c === 102 || c === 116)
      flags |= 2; // f, t (template strings)
    else if (c === 98)
      flags |= 4; // b
    else if (c === 117 && len === 1)
      flags |= 8; // u
    else return -1;
  }
  return flags;
}

class TokenBuffer {
  count = 0;
  kind: Uint8Array;
  start: Int32Array;
  end: Int32Array;
  match: Int32Array;

  constructor(capacity: number) {
    this.kind = new Uint8Array(capacity);
    this.start = new Int32Array(capacity);
    this.end = new Int32Array(capacity);
    this.match = new Int32Array(capacity);
  }

  push(kind: number, start: number, end: number): number {
    if (this.count === this.kind.length) this.grow();
    const i = this.count++;
    this.kind[i] = kind;
    this.start[i] = start;
    this.end[i] = end;
    this.match[i] = -1;
    return i;
  }

  private grow(): void {
    const size = this.kind.length * 2 + 16;
    const kind = new Uint8Array(size);
    const start = new Int32Array(size);
    const end = new Int32Array(size);
    const match = new Int32Array(size);
    kind.set(this.kind);
    start.set(this.start);
    end.set(this.end);
    match.set(this.match);
    this.kind = kind;
    this.start = start;
    this.end = end;
    this.match = match;
  }
}

/** Character classes for ASCII; everything from U+0080 up counts as a name character. */
const SPACE = 1;
const NL = 2;
const COMMENT = 3;
const IDENT = 4;
const DIGIT = 5;
const QUOTE = 6;
const OPEN = 7;
const CLOSE = 8;
const JOIN = 9;
const DOT = 10;

const CLASS = new Uint8Array(128);
for (const c of ' \t\f\r') CLASS[c.charCodeAt(0)] = SPACE;
CLASS[LF] = NL;
CLASS[HASH] = COMMENT;
for (let c = 0; c < 128; c++) if (isNameStart(c)) CLASS[c] = IDENT;
for (let c = 48; c <= 57; c++) CLASS[c] = DIGIT;
CLASS[SQUOTE] = QUOTE;
CLASS[DQUOTE] = QUOTE;
for (const c of '([{') CLASS[c.charCodeAt(0)] = OPEN;
for (const c of ')]}') CLASS[c.charCodeAt(0)] = CLOSE;
CLASS[BACKSLASH] = JOIN;
CLASS[46] = DOT;
const NAME_CHAR = CLASS.map((c) => (c === IDENT || c === DIGIT ? 1 : 0));

/**
 * One scratch buffer serves every call: tokens are read by the caller before the next file is
 * tokenized, and reusing the arrays saves zeroing megabytes per file.
 */
let scratch = new TokenBuffer(4096);

/** Tokenizes `text`. The returned arrays are reused by the next call; read them before it. */
export function tokenize(text: string): TokenizeResult {
  const n = text.length;
  const buf = scratch;
  buf.count = 0;
  const problems: { offset: number; message: string }[] = [];
  const stack: number[] = [];
  let i = 0;

  const string = (tokenStart: number, quote: number, flags: number): void => {
    const end = scanString(text, quote, (flags & 2) !== 0);
    const broken = end < 0;
    const stop = broken ? -end : end;
    if (broken) {
      problems.push({
        offset: tokenStart,
        message: isTriple(text, quote)
          ? 'unterminated triple-quoted string literal'
          : 'unterminated string literal',
      });
    }
    buf.push(broken ? BROKEN_STRING : STRING, tokenStart, stop);
    i = stop;
  };

  while (i < n) {
    const c = text.charCodeAt(i);
    const cls = c < 128 ? CLASS[c] : IDENT;
    switch (cls) {
      case SPACE:
        do i++;
        while (text.charCodeAt(i) === 32);
        break;
      case NL:
        if (stack.length === 0 && buf.count > 0 && buf.kind[buf.count - 1] !== NEWLINE) {
          buf.push(NEWLINE, i, i + 1);
        }
        i++;
        break;
      case COMMENT: {
        const nl = text.indexOf('\n', i);
        i = nl === -1 ? n : nl;
        break;
      }
      case IDENT: {
        const s = i++;
        for (; i < n; i++) {
          const d = text.charCodeAt(i);
          if (d < 128 && NAME_CHAR[d] === 0) break;
        }
        const q = text.charCodeAt(i);
        if ((q === SQUOTE || q === DQUOTE) && i - s <= 2) {
          const flags = stringPrefixFlags(text, s, i);
          if (flags >= 0) {
            string(s, i, flags);
            break;
          }
        }
        buf.push(NAME, s, i);
        break;
      }
      case QUOTE:
        string(i, i, 0);
        break;
      case DIGIT: {
        const s = i;
        i = scanNumber(text, i);
        buf.push(NUMBER, s, i);
        break;
      }
      case DOT:
        if (isDigit(text.charCodeAt(i + 1))) {
          const s = i;
          i = scanNumber(text, i);
          buf.push(NUMBER, s, i);
        } else {
          buf.push(OP, i, ++i);
        }
        break;
      case JOIN:
        // Explicit line joining: the newline after it is not a logical newline.
        i++;
        if (text.charCodeAt(i) === CR) i++;
        if (text.charCodeAt(i) === LF) i++;
        break;
      case OPEN:
        stack.push(buf.push(OP, i, ++i));
        break;
      case CLOSE: {
        const t = buf.push(OP, i, ++i);
        const open = stack.pop();
        if (open !== undefined) {
          buf.match[open] = t;
          buf.match[t] = open;
        }
        break;
      }
      default: {
        const s = i;
        i = scanOperator(text, i);
        buf.push(OP, s, i);
      }
    }
  }
  if (buf.kind.length > 1 << 22) scratch = new TokenBuffer(4096); // do not pin a huge buffer
  return {
    tokens: { count: buf.count, kind: buf.kind, start: buf.start, end: buf.end, match: buf.match },
    problems,
  };
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Numbers are rare in the parts we read; they only need to be skipped as one token. */
function scanNumber(text: string, i: number): number {
  const n = text.length;
  const hex = (text.charCodeAt(i + 1) | 0x20) === 120;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (!isNameChar(c) && c !== 46) break;
    const sign = text.charCodeAt(i + 1);
    // 1e-5: the sign belongs to the exponent (not in hex literals, where e is a digit)
    if (!hex && (c | 0x20) === 101 && (sign === 43 || sign === 45)) i++;
    i++;
  }
  return i;
}

/** Operators: the ones we compare (`=`, `:`, `*`, `**`, `.`, `,`, `;`) must not swallow `==`. */
function scanOperator(text: string, i: number): number {
  const c = text.charCodeAt(i);
  const next = text.charCodeAt(i + 1);
  if (c === 61 || c === 58) return next === 61 ? i + 2 : i + 1; // = == : :=
  if (c === 44 || c === 46 || c === 59) return i + 1; // , . ;
  let j = i + 1;
  if ((c === 42 || c === 47 || c === 60 || c === 62) && next === c) j++;
  else if (c === 45 && next === 62) return i + 2; // ->
  if (text.charCodeAt(j) === 61) j++;
  return j;
}

function isTriple(text: string, quote: number): boolean {
  const q = text.charCodeAt(quote);
  return text.charCodeAt(quote + 1) === q && text.charCodeAt(quote + 2) === q;
}

/**
 * Scans a string literal whose opening quote is at `quote`. Returns the offset after the closing
 * quote, or the negated offset where an unterminated literal stops (line end, or file end for
 * triple-quoted ones). In f-strings, `{...}` fields may hold nested strings with the same quote
 * (PEP 701), so they are skipped with bracket counting.
 */
export function scanString(text: string, quote: number, fstring: boolean): number {
  const n = text.length;
  const q = text.charCodeAt(quote);
  const triple = isTriple(text, quote);
  if (triple && !fstring) return scanLongString(text, quote, q);
  let i = quote + (triple ? 3 : 1);
  while (i < n) {
    const c = text.charCodeAt(i);
    // Most characters are none of backslash, quote, newline or brace.
    if (c > BACKSLASH ? c !== LBRACE : c !== BACKSLASH && c !== q && c !== LF) {
      i++;
    } else if (c === BACKSLASH) {
      i += 2;
    } else if (c === q) {
      if (!triple) return i + 1;
      if (text.charCodeAt(i + 1) === q && text.charCodeAt(i + 2) === q) return i + 3;
      i++;
    } else if (c === LF && !triple) {
      return -i;
    } else if (c === LBRACE && fstring) {
      if (text.charCodeAt(i + 1) === LBRACE) {
        i += 2;
        continue;
      }
      const end = skipField(text, i + 1, triple);
      if (end < 0) return end;
      i = end;
    } else {
      i++;
    }
  }
  return -n;
}

/** Triple-quoted strings without fields (docstrings): jump from quote to quote. */
function scanLongString(text: string, quote: number, q: number): number {
  const ch = text[quote] as string;
  let i = quote + 3;
  for (;;) {
    const at = text.indexOf(ch, i);
    if (at === -1) return -text.length;
    let slashes = 0;
    while (text.charCodeAt(at - 1 - slashes) === BACKSLASH) slashes++;
    if (slashes % 2 === 0 && text.charCodeAt(at + 1) === q && text.charCodeAt(at + 2) === q) {
      return at + 3;
    }
    i = at + 1;
  }
}

/** Skips an f-string replacement field; returns the offset after its closing `}`. */
function skipField(text: string, i: number, multiline: boolean): number {
  const n = text.length;
  let depth = 1;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === LBRACE || c === 40 || c === 91) depth++;
    else if (c === RBRACE || c === 41 || c === 93) {
      depth--;
      if (depth === 0) return i + 1;
    } else if (c === SQUOTE || c === DQUOTE) {
      const end = scanString(text, i, isFPrefixed(text, i));
      if (end < 0) return end;
      i = end;
      continue;
    } else if (c === LF && !multiline) {
      return -i;
    }
    i++;
  }
  return -n;
}

function isFPrefixed(text: string, quote: number): boolean {
  let i = quote;
  while (i > 0 && isNameChar(text.charCodeAt(i - 1))) i--;
  const flags = i < quote ? stringPrefixFlags(text, i, quote) : 0;
  return flags > 0 && (flags & 2) !== 0;
}

/** Layout of a string token: prefix flags and where its content sits. */
export interface StringParts {
  raw: boolean;
  bytes: boolean;
  fstring: boolean;
  contentStart: number;
  contentEnd: number;
}

export function stringParts(text: string, start: number, end: number): StringParts {
  let q = start;
  while (q < end && text.charCodeAt(q) !== SQUOTE && text.charCodeAt(q) !== DQUOTE) q++;
  const flags = q > start ? Math.max(0, stringPrefixFlags(text, start, q)) : 0;
  const width = isTriple(text, q) && end - q >= 6 ? 3 : 1;
  return {
    raw: (flags & 1) !== 0,
    bytes: (flags & 4) !== 0,
    fstring: (flags & 2) !== 0,
    contentStart: q + width,
    contentEnd: Math.max(q + width, end - width),
  };
}
