import { NAME, OP, STRING, TEMPLATE, type Tokens } from './tokenizer.js';

/**
 * Finds transformers.js loaders (`pipeline`, `X.from_pretrained`) and @huggingface/hub calls
 * (`downloadFile({ repo, path, revision })` …) and resolves constants their arguments name.
 */

export interface Literal {
  value: string;
  start: number;
  end: number;
}

export interface FoundRef {
  kind: 'model' | 'dataset';
  id: Literal;
  /** Characters of `id.value` before the id itself (`datasets/`). */
  skip: number;
  via: string;
  revision: Literal | null;
  filename: Literal | null;
  bare: boolean;
}

interface Range {
  start: number;
  end: number;
}

interface Binding extends Range {
  attr: boolean;
  from: number;
}

/** @huggingface/hub functions that read a repo named by `repo` (or `name` for *Info). */
const HUB_CALLS = new Set(
  (
    'downloadFile downloadFileToCacheDir snapshotDownload listFiles fileDownloadInfo ' +
    'fileExists pathsInfo parseSafetensorsMetadata listCommits modelInfo datasetInfo'
  ).split(' '),
);

const DECLARATION_WORDS = new Set(
  'const let var static readonly private public protected declare'.split(' '),
);

const DEFINITION_WORDS = new Set(['function', 'static', 'async', 'get', 'set']);

/** Operators that carry an expression across a line break (no ASI there). */
const CONTINUES_EXPRESSION = new Set('. ?. + - * / ? : || && ?? ( [ ,'.split(' '));

export function analyze(text: string, tokens: Tokens): FoundRef[] {
  return new Analyzer(text, tokens).run();
}

class Analyzer {
  private readonly refs: FoundRef[] = [];
  private readonly bindings = new Map<string, Binding[]>();
  private readonly transformers: boolean;

  constructor(
    private readonly text: string,
    private readonly t: Tokens,
  ) {
    this.transformers = text.includes('transformers');
  }

  run(): FoundRef[] {
    const calls: number[] = [];
    for (let i = 0; i < this.t.count; i++) {
      if (this.t.kind[i] !== NAME) continue;
      if (this.isOp(i + 1, '=')) this.assignment(i);
      else if (this.isOp(i + 1, ':') && this.isWord(i - 1, DECLARATION_WORDS))
        this.typedAssignment(i);
      else if (this.isOp(i + 1, '(')) calls.push(i);
    }
    for (const i of calls) this.call(i);
    return this.refs;
  }

  // ---- token helpers ----

  private str(i: number): string {
    return this.text.slice(this.t.start[i], this.t.end[i]);
  }

  private isOp(i: number, op: string): boolean {
    if (i < 0 || i >= this.t.count || this.t.kind[i] !== OP) return false;
    const s = this.t.start[i] as number;
    return (this.t.end[i] as number) - s === op.length && this.text.startsWith(op, s);
  }

  private is(i: number, word: string): boolean {
    return i >= 0 && i < this.t.count && this.t.kind[i] === NAME && this.str(i) === word;
  }

  private isWord(i: number, words: Set<string>): boolean {
    return i >= 0 && i < this.t.count && this.t.kind[i] === NAME && words.has(this.str(i));
  }

  private close(i: number): number {
    const m = this.t.match[i] as number;
    return m < 0 ? this.t.count : m;
  }

  private isOpen(i: number): boolean {
    return this.t.kind[i] === OP && (this.t.match[i] as number) > i;
  }

  /** Splits `[from, to)` at top-level commas; a top-level `;` means an unclosed bracket. */
  private split(from: number, to: number): Range[] {
    const out: Range[] = [];
    let s = from;
    for (let j = from; j <= to; j++) {
      const stop = j === to || this.isOp(j, ';');
      if (stop || this.isOp(j, ',')) {
        if (j > s) out.push({ start: s, end: j });
        if (stop) break;
        s = j + 1;
      } else if (this.isOpen(j)) {
        j = this.t.match[j] as number;
      }
    }
    return out;
  }

  // ---- bindings ----

  private assignment(i: number): void {
    const attr = this.isOp(i - 1, '.') || this.isOp(i - 1, '?.');
    this.bindValue(this.str(i), attr, i + 2);
  }

  /** `const MODEL: string = "…"`: skip the type annotation to its `=`. */
  private typedAssignment(i: number): void {
    for (let j = i + 2; j < this.t.count; j++) {
      if (this.isOp(j, '=')) {
        this.bindValue(this.str(i), false, j + 1);
        return;
      }
      if (this.isOp(j, ';') || this.isOp(j, ',') || this.t.newline[j + 1] === 1) return;
      if (this.isOpen(j)) j = this.t.match[j] as number;
    }
  }

  private bindValue(name: string, attr: boolean, start: number): void {
    const end = this.expressionEnd(start);
    if (end <= start) return;
    const from = end < this.t.count ? (this.t.start[end] as number) : this.text.length;
    const list = this.bindings.get(name);
    const b: Binding = { start, end, attr, from };
    if (list) list.push(b);
    else this.bindings.set(name, [b]);
  }

  /** End of the expression starting at `i`: a top-level `,` `;` closer, or a line that ends it. */
  private expressionEnd(i: number): number {
    let j = i;
    for (; j < this.t.count; j++) {
      if (this.isOp(j, ',') || this.isOp(j, ';')) break;
      if (
        this.t.kind[j] === OP &&
        (this.t.match[j] as number) >= 0 &&
        (this.t.match[j] as number) < j
      )
        break;
      if (j > i && this.t.newline[j] === 1 && !this.continues(j - 1) && !this.continues(j)) break;
      if (this.isOpen(j)) j = this.t.match[j] as number;
    }
    return j;
  }

  private continues(j: number): boolean {
    return this.t.kind[j] === OP && CONTINUES_EXPRESSION.has(this.str(j)) && !this.isClose(j);
  }

  private isClose(j: number): boolean {
    const m = this.t.match[j] as number;
    return m >= 0 && m < j;
  }

  private lookup(name: string, at: number, attr: boolean): Binding | undefined {
    const list = this.bindings.get(name);
    if (!list) return undefined;
    const pool = list.filter((b) => b.attr === attr);
    let best: Binding | undefined;
    for (const b of pool) if (b.from <= at && (!best || b.from > best.from)) best = b;
    return best ?? pool[0];
  }

  // ---- evaluation ----

  private evaluate(s: number, e: number, depth = 0): Literal | null {
    if (depth > 8 || s >= e) return null;
    if (this.is(e - 2, 'as') || this.is(e - 2, 'satisfies'))
      return this.evaluate(s, e - 2, depth + 1);
    if (this.isOp(s, '(') && this.t.match[s] === e - 1)
      return this.evaluate(s + 1, e - 1, depth + 1);
    const fallback = this.fallback(s, e);
    if (fallback >= 0) {
      return this.evaluate(s, fallback, depth + 1) ?? this.evaluate(fallback + 1, e, depth + 1);
    }
    if (e - s === 1) {
      const k = this.t.kind[s];
      if (k === STRING || k === TEMPLATE) return this.literal(s);
      if (k === NAME)
        return this.binding(this.lookup(this.str(s), this.t.start[s] as number, false), depth);
      return null;
    }
    const path = this.memberPath(s, e);
    return path ? this.member(path, this.t.start[s] as number, depth) : null;
  }

  /** `process.env.MODEL ?? "org/default"`: the top-level `??` or `||`, if any. */
  private fallback(s: number, e: number): number {
    for (let j = s; j < e; j++) {
      if (this.isOp(j, '??') || this.isOp(j, '||')) return j;
      if (this.isOpen(j)) j = this.t.match[j] as number;
    }
    return -1;
  }

  private memberPath(s: number, e: number): string[] | null {
    if ((e - s) % 2 === 0) return null;
    const parts: string[] = [];
    for (let j = s; j < e; j += 2) {
      if (this.t.kind[j] !== NAME) return null;
      if (j + 1 < e && !this.isOp(j + 1, '.') && !this.isOp(j + 1, '?.')) return null;
      parts.push(this.str(j));
    }
    return parts;
  }

  /** `CONFIG.model` reads an object literal; `this.model_id` a class field or assignment. */
  private member(path: string[], at: number, depth: number): Literal | null {
    const [head, ...rest] = path as [string, ...string[]];
    const root = head === 'this' ? undefined : this.lookup(head, at, false);
    if (root) {
      let range: Range | null = root;
      for (const key of rest) range = range ? this.property(range, key) : null;
      if (range) return this.evaluate(range.start, range.end, depth + 1);
    }
    const last = path[path.length - 1] as string;
    return this.binding(this.lookup(last, at, true) ?? this.lookup(last, at, false), depth);
  }

  private binding(b: Binding | undefined, depth: number): Literal | null {
    return b ? this.evaluate(b.start, b.end, depth + 1) : null;
  }

  /** The value range of `key` in the object literal spanning `range`, if it is one. */
  private property(range: Range, key: string): Range | null {
    if (!this.isOp(range.start, '{') || this.t.match[range.start] !== range.end - 1) return null;
    return this.properties(range.start).get(key) ?? null;
  }

  /** Properties of the object literal opened at `open` (shorthand `{ revision }` included). */
  private properties(open: number): Map<string, Range> {
    const out = new Map<string, Range>();
    for (const p of this.split(open + 1, this.close(open))) {
      const k = this.t.kind[p.start];
      const key =
        k === NAME ? this.str(p.start) : k === STRING ? this.literal(p.start)?.value : undefined;
      if (key === undefined) continue;
      if (this.isOp(p.start + 1, ':')) out.set(key, { start: p.start + 2, end: p.end });
      else if (p.end === p.start + 1 && k === NAME) out.set(key, { start: p.start, end: p.end });
    }
    return out;
  }

  /** The object literal an argument is, directly or through a constant. */
  private objectArg(range: Range | undefined): Map<string, Range> | null {
    if (!range) return null;
    if (this.isOp(range.start, '{') && this.t.match[range.start] === range.end - 1)
      return this.properties(range.start);
    if (range.end - range.start === 1 && this.t.kind[range.start] === NAME) {
      const b = this.lookup(this.str(range.start), this.t.start[range.start] as number, false);
      if (b && this.isOp(b.start, '{') && this.t.match[b.start] === b.end - 1)
        return this.properties(b.start);
    }
    return null;
  }

  private literal(i: number): Literal | null {
    const start = (this.t.start[i] as number) + 1;
    const end = (this.t.end[i] as number) - 1;
    if (end < start) return null;
    const raw = this.text.slice(start, end);
    if (this.t.kind[i] === TEMPLATE && /(?:^|[^\\])\$\{/.test(raw)) return null; // a template, not an id
    const value = raw.includes('\\') ? raw.replace(/\\(.)/gs, '$1') : raw;
    return { value, start, end };
  }

  private value(range: Range | undefined): Literal | null {
    return range ? this.evaluate(range.start, range.end) : null;
  }

  // ---- calls ----

  private call(i: number): void {
    const name = this.str(i);
    const hub = HUB_CALLS.has(name);
    if (name !== 'from_pretrained' && name !== 'pipeline' && !hub) return;
    if (this.isDefinition(i)) return;
    const args = this.split(i + 2, this.close(i + 1));
    const positional = args.filter((a) => !this.isOp(a.start, '...'));
    if (positional.length !== args.length && name !== 'from_pretrained') return;
    if (name === 'from_pretrained') {
      if (!this.isOp(i - 1, '.')) return;
      this.loader(positional[0], this.objectArg(positional[1]), 'from_pretrained');
    } else if (name === 'pipeline') {
      if (!this.transformers || (this.isOp(i - 1, '.') && !this.is(i - 2, 'transformers'))) return;
      this.loader(positional[1], this.objectArg(positional[2]), 'pipeline');
    } else {
      this.hubCall(name, this.objectArg(positional[0]));
    }
  }

  /** `static async from_pretrained(model_id) {…}` defines, it does not call. */
  private isDefinition(i: number): boolean {
    if (this.isWord(i - 1, DEFINITION_WORDS)) return true;
    const close = this.close(i + 1);
    return this.isOp(close + 1, '{');
  }

  private loader(id: Range | undefined, options: Map<string, Range> | null, via: string): void {
    const lit = this.value(id);
    if (!lit) return;
    const revision = this.value(options?.get('revision'));
    this.refs.push({ kind: 'model', id: lit, skip: 0, via, revision, filename: null, bare: true });
  }

  private hubCall(name: string, options: Map<string, Range> | null): void {
    if (!options) return;
    const info = name === 'modelInfo' || name === 'datasetInfo';
    const target = info ? options.get('name') : options.get('repo');
    if (!target) return;
    const repo = this.repo(target, info ? (name === 'datasetInfo' ? 'dataset' : 'model') : null);
    if (!repo) return;
    this.refs.push({
      ...repo,
      via: name,
      revision: this.value(options.get('revision')),
      filename: this.value(options.get('path')),
      bare: true,
    });
  }

  /** A RepoDesignation: `"org/x"`, `"datasets/org/x"` or `{ type: "dataset", name: "org/x" }`. */
  private repo(
    range: Range,
    fixed: 'model' | 'dataset' | null,
  ): { kind: 'model' | 'dataset'; id: Literal; skip: number } | null {
    const object = this.objectArg(range);
    if (object) {
      const id = this.value(object.get('name'));
      const type = this.value(object.get('type'))?.value ?? 'model';
      if (!id || (type !== 'model' && type !== 'dataset')) return null;
      return { kind: type, id, skip: 0 };
    }
    const id = this.value(range);
    if (!id) return null;
    if (fixed) return { kind: fixed, id, skip: 0 };
    const prefix = /^(models|datasets|spaces)\//.exec(id.value);
    if (prefix?.[1] === 'spaces') return null;
    return {
      kind: prefix?.[1] === 'datasets' ? 'dataset' : 'model',
      id,
      skip: prefix ? prefix[0].length : 0,
    };
  }
}
