/**
 * A small POSIX-shell word splitter that remembers where every character came from. Serving
 * configs hide their model ids in shell text of many shapes (scripts, Dockerfile RUN lines,
 * compose `command:` strings, `sh -c` arguments inside YAML), so words carry a per-character map
 * back to file offsets and a word can be split again later (`sh -c "vllm serve org/model"`).
 */

/** One shell word after quote removal. `at[i]` is the file offset of `text[i]`. */
export interface Word {
  text: string;
  at: number[];
}

export interface TokenizeOptions {
  /** A newline ends the command (scripts). In YAML scalars newlines are folded into blanks. */
  newlineEnds?: boolean;
}

/** Splits `source` into commands of words; `offsetOf(i)` maps a source index to a file offset. */
export function shellCommands(
  source: string,
  offsetOf: (index: number) => number,
  options: TokenizeOptions = {},
): Word[][] {
  return new Tokenizer(source, offsetOf, options.newlineEnds ?? true).run();
}

export function subWord(word: Word, from: number, to = word.text.length): Word {
  return { text: word.text.slice(from, to), at: word.at.slice(from, to) };
}

export function wordStart(word: Word): number {
  return word.at[0] ?? 0;
}

export function wordEnd(word: Word): number {
  return (word.at[word.at.length - 1] ?? -1) + 1;
}

/** `NAME=value` → the name and the value as a word of its own. */
export function splitAssignment(word: Word): { name: string; value: Word } | null {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(word.text);
  if (!m) return null;
  return { name: m[1] as string, value: subWord(word, m[0].length) };
}

/**
 * A word that is only a variable reference: `$X`, `${X}`, `$(X)` (Kubernetes), or `${X:-default}`
 * whose default is itself a literal worth reading.
 */
export function variableReference(word: Word): { name: string; fallback: Word | null } | null {
  const t = word.text;
  const plain =
    /^\$(?:([A-Za-z_][A-Za-z0-9_]*)|\{([A-Za-z_][A-Za-z0-9_]*)\}|\(([A-Za-z_][A-Za-z0-9_]*)\))$/.exec(
      t,
    );
  if (plain) return { name: (plain[1] ?? plain[2] ?? plain[3]) as string, fallback: null };
  const withDefault = /^\$\{([A-Za-z_][A-Za-z0-9_]*):?-(.*)\}$/.exec(t);
  if (!withDefault) return null;
  const name = withDefault[1] as string;
  const start = t.indexOf('-', name.length + 2) + 1;
  const fallback = subWord(word, start, t.length - 1);
  return { name, fallback: fallback.text ? unquoteWord(fallback) : null };
}

/** Strips one pair of quotes around a whole word (`"org/model"` inside a `${X:-…}` default). */
function unquoteWord(word: Word): Word {
  const t = word.text;
  if (t.length >= 2 && (t[0] === '"' || t[0] === "'") && t[t.length - 1] === t[0])
    return subWord(word, 1, t.length - 1);
  return word;
}

class Tokenizer {
  private readonly commands: Word[][] = [];
  private words: Word[] = [];
  private chars: string[] = [];
  private at: number[] = [];
  private started = false;
  private i = 0;

  constructor(
    private readonly s: string,
    private readonly offsetOf: (index: number) => number,
    private readonly newlineEnds: boolean,
  ) {}

  run(): Word[][] {
    const s = this.s;
    while (this.i < s.length) {
      const ch = s[this.i] as string;
      if (ch === '\\') this.backslash();
      else if (ch === "'") this.singleQuoted();
      else if (ch === '"') this.doubleQuoted();
      else if (ch === '$' && (s[this.i + 1] === '(' || s[this.i + 1] === '{')) this.group(this.i);
      else if (ch === '`') this.backticks();
      else if (ch === ' ' || ch === '\t' || ch === '\r') this.blank();
      else if (ch === '\n') this.newline();
      else if (ch === '#' && !this.started) this.comment();
      else if (ch === ';' || ch === '&' || ch === '|' || ch === '(' || ch === ')') this.separator();
      else if (ch === '<' || ch === '>') this.redirect();
      else this.take(this.i++);
    }
    this.endCommand();
    return this.commands;
  }

  private take(index: number): void {
    this.started = true;
    this.chars.push(this.s[index] as string);
    this.at.push(this.offsetOf(index));
  }

  private endWord(): void {
    if (this.started) this.words.push({ text: this.chars.join(''), at: this.at });
    this.chars = [];
    this.at = [];
    this.started = false;
  }

  private endCommand(): void {
    this.endWord();
    if (this.words.length) this.commands.push(this.words);
    this.words = [];
  }

  private backslash(): void {
    const next = this.s[this.i + 1];
    if (next === '\n') this.i += 2;
    else if (next === '\r' && this.s[this.i + 2] === '\n') this.i += 3;
    else if (next === undefined) this.i++;
    else {
      this.take(this.i + 1);
      this.i += 2;
    }
  }

  private singleQuoted(): void {
    this.started = true;
    let j = this.i + 1;
    while (j < this.s.length && this.s[j] !== "'") this.take(j++);
    this.i = j + 1;
  }

  private doubleQuoted(): void {
    this.started = true;
    let j = this.i + 1;
    while (j < this.s.length && this.s[j] !== '"') {
      const ch = this.s[j];
      const next = this.s[j + 1];
      if (ch === '\\' && next === '\n') j += 2;
      else if (ch === '\\' && next !== undefined && '"\\$`'.includes(next)) {
        this.take(j + 1);
        j += 2;
      } else if (ch === '$' && (next === '(' || next === '{')) j = this.group(j);
      else this.take(j++);
    }
    this.i = j + 1;
  }

  /** `$(…)` or `${…}` kept verbatim inside the word, nesting included. Returns the end index. */
  private group(start: number): number {
    const open = this.s[start + 1] as string;
    const close = open === '(' ? ')' : '}';
    let depth = 1;
    let j = start + 2;
    while (j < this.s.length && depth > 0) {
      if (this.s[j] === open) depth++;
      else if (this.s[j] === close) depth--;
      j++;
    }
    for (let k = start; k < j; k++) this.take(k);
    if (start === this.i) this.i = j;
    return j;
  }

  private backticks(): void {
    let j = this.i + 1;
    while (j < this.s.length && this.s[j] !== '`') j++;
    for (let k = this.i; k <= Math.min(j, this.s.length - 1); k++) this.take(k);
    this.i = j + 1;
  }

  private blank(): void {
    this.endWord();
    this.i++;
  }

  private newline(): void {
    if (this.newlineEnds) this.endCommand();
    else this.endWord();
    this.i++;
  }

  private comment(): void {
    while (this.i < this.s.length && this.s[this.i] !== '\n') this.i++;
  }

  private separator(): void {
    this.endCommand();
    this.i++;
  }

  /** `>`, `2>&1`, `<<EOF`: the operator is dropped, its target stays an ordinary word. */
  private redirect(): void {
    this.endWord();
    this.i++;
    while (
      this.s[this.i] === '>' ||
      this.s[this.i] === '<' ||
      this.s[this.i] === '&' ||
      this.s[this.i] === '-'
    )
      this.i++;
  }
}
