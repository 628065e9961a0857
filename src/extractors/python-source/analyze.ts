import { NAME, NEWLINE, OP, STRING, stringParts, type Tokens } from './tokenizer.js';

/**
 * Finds Hub loader calls, remote-code switches and unsafe deserialization in a token stream.
 * Offsets are into the scanned text (which, for notebooks, is the concatenated cell source).
 */

/** A string literal's decoded value and where its content (without quotes) sits. */
export interface Literal {
  value: string;
  start: number;
  end: number;
}

export interface FoundRef {
  kind: 'model' | 'dataset';
  id: Literal;
  /** Characters of `id.value` before the id itself (`hf-hub:`). */
  skip: number;
  via: string;
  revision: Literal | null;
  trust: boolean;
  filename: Literal | null;
  bare: boolean;
}

export interface FoundFact {
  type: 'remote-code' | 'unsafe-load';
  call: string;
  detail: string;
  at: number;
  span: { start: number; end: number } | null;
}

export interface Found {
  refs: FoundRef[];
  facts: FoundFact[];
}

interface Arg {
  kw: string | null;
  start: number;
  end: number;
}

interface Binding {
  name: string;
  attr: boolean;
  start: number;
  end: number;
  /** Offset from which the binding holds (after its statement). */
  from: number;
}

/** How a loader call reads its id: what the reference will carry besides the id. */
interface Load {
  via: string;
  revision: Literal | null;
  trust: boolean;
  kind?: 'model' | 'dataset';
  bare?: boolean;
  filename?: Literal | null;
}

/** `load_dataset` builders that read local or inline data rather than a Hub dataset. */
const LOCAL_BUILDERS = new Set(
  (
    'json jsonl csv tsv parquet text txt imagefolder audiofolder videofolder pdffolder ' +
    'niftifolder arrow webdataset pandas generator sql xml spark cache lance hdf5 eval'
  ).split(' '),
);

const UNSAFE_CALLS = new Set(
  (
    'pickle.load pickle.loads cPickle.load cPickle.loads _pickle.load _pickle.loads ' +
    'dill.load dill.loads cloudpickle.load cloudpickle.loads joblib.load pd.read_pickle ' +
    'pandas.read_pickle'
  ).split(' '),
);

const NUMPY_LOAD = new Set(['np.load', 'numpy.load']);
const ENV_GETTERS = new Set(['os.getenv', 'getenv', 'os.environ.get', 'environ.get']);
const FIELD_CALLS = new Set(['field', 'dataclasses.field']);
const HF_HUB_PREFIX = /^hf[-_]hub:/;

/** Names whose call may matter; anything else is skipped before its arguments are read. */
const CALLS = new Set(
  (
    'from_pretrained pipeline SentenceTransformer CrossEncoder SparseEncoder ' +
    'hf_hub_download hf_hub_url snapshot_download load_dataset load_dataset_builder LLM ' +
    'EngineArgs AsyncEngineArgs create_model create_model_and_transforms ' +
    'create_model_from_pretrained get_tokenizer load_adapter load_lora_weights load loads ' +
    'read_pickle add_argument'
  ).split(' '),
);

export function analyze(text: string, tokens: Tokens): Found {
  return new Analyzer(text, tokens).run();
}

class Analyzer {
  private readonly refs: FoundRef[] = [];
  private readonly facts: FoundFact[] = [];
  private readonly bindings = new Map<string, Binding[]>();
  private readonly vllm: boolean;

  constructor(
    private readonly text: string,
    private readonly t: Tokens,
  ) {
    this.vllm = text.includes('vllm');
  }

  run(): Found {
    const { count, kind, start, end } = this.t;
    const text = this.text;
    const open: number[] = [];
    const calls: number[] = [];
    let statement = true;
    for (let i = 0; i < count; i++) {
      const k = kind[i];
      if (k === NEWLINE) {
        statement = true;
        continue;
      }
      if (k === OP) {
        // Brackets, `;` and `,` are one-character tokens, so the first character identifies them.
        const c = text.charCodeAt(start[i] as number);
        statement = c === 59;
        if (c === 40 || c === 91 || c === 123) open.push(i);
        else if (c === 41 || c === 93 || c === 125) open.pop();
        continue;
      }
      if (statement) {
        statement = false;
        if (k === NAME) this.assignment(i);
      }
      if (k === NAME) {
        if (kind[i + 1] === OP && text.charCodeAt(start[i + 1] as number) === 40) {
          this.callSite(i, calls);
        } else if ((end[i] as number) - (start[i] as number) === 17) {
          if (this.is(i, 'trust_remote_code')) this.trustKeyword(i, open[open.length - 1]);
        }
      } else if (k === STRING && this.isOp(i + 1, 58)) {
        this.trustKey(i);
      }
    }
    // Calls are read after every binding is known: a function may use a constant defined below it.
    for (const i of calls) this.call(i);
    return { refs: this.refs, facts: this.facts };
  }

  private callSite(i: number, calls: number[]): void {
    if (this.is(i - 1, 'def')) {
      this.parameterDefaults(i + 1);
      return;
    }
    const name = this.str(i);
    if (!CALLS.has(name) || this.is(i - 1, 'class')) return;
    if (name === 'add_argument') this.argparse(i, this.args(i + 1));
    else calls.push(i);
  }

  /** `def main(model_id: str = "org/x")`: the default binds the parameter inside the body. */
  private parameterDefaults(open: number): void {
    const from = this.t.start[open] as number;
    for (const a of this.args(open)) {
      if (a.kw !== null && a.kw !== '*') {
        this.bind({ name: a.kw, attr: false, start: a.start, end: a.end, from });
      } else if (a.kw === null && this.t.kind[a.start] === NAME && this.isOp(a.start + 1, 58)) {
        const eq = this.annotationEnd(a.start + 2);
        if (eq > 0 && eq < a.end) {
          this.bind({ name: this.str(a.start), attr: false, start: eq + 1, end: a.end, from });
        }
      }
    }
  }

  // ---- token helpers ----

  private str(i: number): string {
    return this.text.slice(this.t.start[i], this.t.end[i]);
  }

  /** Single-character operator test by char code. */
  private isOp(i: number, code: number): boolean {
    if (i < 0 || i >= this.t.count || this.t.kind[i] !== OP) return false;
    const s = this.t.start[i] as number;
    return (this.t.end[i] as number) - s === 1 && this.text.charCodeAt(s) === code;
  }

  private is(i: number, word: string): boolean {
    if (i < 0 || i >= this.t.count || this.t.kind[i] !== NAME) return false;
    const s = this.t.start[i] as number;
    return (this.t.end[i] as number) - s === word.length && this.text.startsWith(word, s);
  }

  /** End (exclusive) of the bracket opened at `i`, tolerating an unbalanced file. */
  private close(i: number): number {
    const m = this.t.match[i] as number;
    return m < 0 ? this.t.count : m;
  }

  /** Names of a dotted expression ending at token `last` (`a.b.c` → [a, b, c]). */
  private dotted(last: number): { parts: string[]; first: number } {
    const parts = [this.str(last)];
    let j = last;
    while (this.isOp(j - 1, 46) && this.t.kind[j - 2] === NAME) {
      j -= 2;
      parts.unshift(this.str(j));
    }
    return { parts, first: j };
  }

  private isDottedName(s: number, e: number): boolean {
    if (e <= s || (e - s) % 2 === 0) return false;
    for (let j = s; j < e; j += 2) {
      if (this.t.kind[j] !== NAME) return false;
      if (j + 1 < e && !this.isOp(j + 1, 46)) return false;
    }
    return true;
  }

  /** Splits the arguments of the call whose `(` is at `open`. */
  private args(open: number): Arg[] {
    const end = this.close(open);
    const out: Arg[] = [];
    let s = open + 1;
    let j = s;
    while (j <= end) {
      if (j === end || this.isOp(j, 44)) {
        if (j > s) out.push(this.arg(s, j));
        s = j + 1;
      } else if (this.t.kind[j] === OP && (this.t.match[j] as number) > j) {
        j = this.t.match[j] as number;
      }
      j++;
    }
    return out;
  }

  private arg(s: number, e: number): Arg {
    if (this.t.kind[s] === NAME && this.isOp(s + 1, 61) && e > s + 2) {
      return { kw: this.str(s), start: s + 2, end: e };
    }
    const star = this.t.kind[s] === OP && this.text.charCodeAt(this.t.start[s] as number) === 42;
    return { kw: star ? '*' : null, start: s, end: e };
  }

  // ---- bindings (constants) ----

  /** `X = ...`, `a.b.X = ...`, `X: T = ...` and chains `X = Y = ...` at a statement start. */
  private assignment(i: number): void {
    const first = this.targetEnd(i);
    if (first < 0) return;
    const targets: number[] = []; // the last name token of each target
    let j: number;
    if (this.isOp(first + 1, 58)) {
      const eq = this.annotationEnd(first + 2);
      if (eq < 0) return;
      targets.push(first);
      j = eq + 1;
    } else {
      j = i;
      for (let t = first; t >= 0 && this.isOp(t + 1, 61); t = this.targetEnd(j)) {
        targets.push(t);
        j = t + 2;
      }
      if (targets.length === 0) return;
    }
    const end = this.statementEnd(j);
    if (end <= j) return;
    const from = end < this.t.count ? (this.t.start[end] as number) : this.text.length;
    for (const t of targets) {
      const attr = this.isOp(t - 1, 46);
      this.bind({ name: this.str(t), attr, start: j, end, from });
    }
  }

  /** The last name of a (dotted) assignment target starting at `i`, or -1. */
  private targetEnd(i: number): number {
    if (this.t.kind[i] !== NAME) return -1;
    let j = i;
    while (this.isOp(j + 1, 46) && this.t.kind[j + 2] === NAME) j += 2;
    return j;
  }

  /** The `=` of an annotated assignment (`X: str = ...`), or -1 for a bare annotation. */
  private annotationEnd(i: number): number {
    for (let j = i; j < this.t.count; j++) {
      if (this.t.kind[j] === NEWLINE || this.isOp(j, 59)) return -1;
      if (this.isOp(j, 61)) return j;
      if (this.t.kind[j] === OP && (this.t.match[j] as number) > j) j = this.t.match[j] as number;
    }
    return -1;
  }

  private statementEnd(i: number): number {
    let j = i;
    while (j < this.t.count && this.t.kind[j] !== NEWLINE && !this.isOp(j, 59)) {
      if (this.t.kind[j] === OP && (this.t.match[j] as number) > j) j = this.t.match[j] as number;
      j++;
    }
    return Math.min(j, this.t.count);
  }

  private bind(b: Binding): void {
    const list = this.bindings.get(b.name);
    if (list) list.push(b);
    else this.bindings.set(b.name, [b]);
  }

  /** The binding in force at `at`: the nearest one before it, else the first one after it. */
  private lookup(name: string, at: number, attr: boolean): Binding | undefined {
    const list = this.bindings.get(name);
    if (!list) return undefined;
    const pool = attr ? list.filter((b) => b.attr) : list.filter((b) => !b.attr);
    let best: Binding | undefined;
    for (const b of pool) if (b.from <= at && (!best || b.from > best.from)) best = b;
    return best ?? pool[0];
  }

  // ---- expression evaluation ----

  private evaluate(s: number, e: number, depth = 0): Literal | null {
    if (depth > 8 || s >= e) return null;
    if (this.isOp(s, 40) && this.t.match[s] === e - 1)
      return this.evaluate(s + 1, e - 1, depth + 1);
    const at = this.t.start[s] as number;
    if (e - s === 1) {
      if (this.t.kind[s] === STRING) return this.literal(s);
      if (this.t.kind[s] === NAME)
        return this.viaBinding(this.lookup(this.str(s), at, false), depth);
      return null;
    }
    if (this.isDottedName(s, e)) {
      const name = this.str(e - 1);
      const b = this.lookup(name, at, true) ?? this.lookup(name, at, false);
      return this.viaBinding(b, depth);
    }
    if (e - s === 4 && this.t.kind[s] === NAME && this.isOp(s + 1, 91) && this.isOp(s + 3, 93)) {
      const key = this.t.kind[s + 2] === STRING ? this.literal(s + 2) : null;
      return key ? this.dictEntry(this.lookup(this.str(s), at, false), key.value, depth) : null;
    }
    if (this.isOp(e - 1, 41)) return this.callDefault(s, e, depth);
    return null;
  }

  private viaBinding(b: Binding | undefined, depth: number): Literal | null {
    return b ? this.evaluate(b.start, b.end, depth + 1) : null;
  }

  /** `os.getenv("X", "org/default")` and `field(default="org/x")`: the default is the value. */
  private callDefault(s: number, e: number, depth: number): Literal | null {
    const open = this.t.match[e - 1] as number;
    if (open <= s || !this.isDottedName(s, open)) return null;
    const callee = this.dotted(open - 1).parts.join('.');
    const args = this.args(open);
    if (ENV_GETTERS.has(callee)) {
      const d = kwArg(args, 'default') ?? positional(args, 1);
      return d ? this.evaluate(d.start, d.end, depth + 1) : null;
    }
    if (FIELD_CALLS.has(callee)) {
      const d = kwArg(args, 'default');
      return d ? this.evaluate(d.start, d.end, depth + 1) : null;
    }
    return null;
  }

  private dictEntry(b: Binding | undefined, key: string, depth: number): Literal | null {
    if (!b || !this.isOp(b.start, 123)) return null;
    const end = this.close(b.start);
    let s = b.start + 1;
    for (let j = s; j <= end; j++) {
      if (j === end || this.isOp(j, 44)) {
        if (this.t.kind[s] === STRING && this.isOp(s + 1, 58) && this.literal(s)?.value === key) {
          return this.evaluate(s + 2, j, depth + 1);
        }
        s = j + 1;
      } else if (this.t.kind[j] === OP && (this.t.match[j] as number) > j) {
        j = this.t.match[j] as number;
      }
    }
    return null;
  }

  private literal(i: number): Literal | null {
    const parts = stringParts(this.text, this.t.start[i] as number, this.t.end[i] as number);
    if (parts.bytes) return null;
    const raw = this.text.slice(parts.contentStart, parts.contentEnd);
    if (parts.fstring && raw.includes('{')) return null; // a template, not an id
    const value = !parts.raw && raw.includes('\\') ? unescape(raw) : raw;
    return { value, start: parts.contentStart, end: parts.contentEnd };
  }

  private value(arg: Arg | undefined): Literal | null {
    return arg ? this.evaluate(arg.start, arg.end) : null;
  }

  // ---- calls ----

  private call(i: number): void {
    const name = this.str(i);
    const { parts } = this.dotted(i);
    const args = this.args(i + 1);
    const owner = parts.length > 1 ? (parts[parts.length - 2] as string) : '';
    const load = { via: name, revision: this.revision(args), trust: this.trusted(args) };
    switch (name) {
      case 'from_pretrained': {
        // PeftModel.from_pretrained(base_model, adapter_id). Adapters never have legacy bare Hub
        // ids, so a bare adapter name is a local directory.
        const peft = /^Peft(?:Mixed)?Model/.test(owner);
        const id = peft
          ? (kwArg(args, 'model_id') ?? positional(args, 1))
          : (kwArg(args, 'pretrained_model_name_or_path') ?? positional(args, 0));
        this.hub(id, { ...load, bare: !peft });
        return;
      }
      case 'pipeline':
        if (parts.length > 1 && owner !== 'transformers') return;
        this.hub(kwArg(args, 'model') ?? positional(args, 1), { ...load, bare: true });
        this.hub(kwArg(args, 'tokenizer'), { ...load, via: 'pipeline(tokenizer=)', bare: true });
        return;
      case 'SentenceTransformer':
      case 'CrossEncoder':
      case 'SparseEncoder': {
        const id =
          kwArg(args, 'model_name_or_path') ?? kwArg(args, 'model_name') ?? positional(args, 0);
        this.hub(id, { ...load, bare: true });
        return;
      }
      case 'hf_hub_download':
      case 'hf_hub_url':
      case 'snapshot_download':
        this.download(args, load);
        return;
      case 'load_dataset':
      case 'load_dataset_builder':
        this.dataset(args, load);
        return;
      case 'LLM':
      case 'EngineArgs':
      case 'AsyncEngineArgs': {
        if (!this.vllm || (parts.length > 1 && owner !== 'vllm')) return;
        this.hub(kwArg(args, 'model') ?? positional(args, 0), load);
        const revision = this.value(kwArg(args, 'tokenizer_revision'));
        this.hub(kwArg(args, 'tokenizer'), { ...load, via: `${name}(tokenizer=)`, revision });
        return;
      }
      case 'create_model':
      case 'create_model_and_transforms':
      case 'create_model_from_pretrained':
      case 'get_tokenizer':
        this.hfHub(name, kwArg(args, 'model_name') ?? positional(args, 0));
        return;
      case 'load_adapter':
        this.hub(kwArg(args, 'peft_model_id') ?? positional(args, 0), load);
        return;
      case 'load_lora_weights': {
        const id = kwArg(args, 'pretrained_model_name_or_path_or_dict') ?? positional(args, 0);
        this.hub(id, { ...load, filename: this.value(kwArg(args, 'weight_name')) });
        return;
      }
      default:
        this.unsafe(i, parts.join('.'), args);
    }
  }

  private revision(args: Arg[]): Literal | null {
    return this.value(kwArg(args, 'revision') ?? kwArg(args, 'commit_id'));
  }

  private trusted(args: Arg[]): boolean {
    const a = kwArg(args, 'trust_remote_code');
    return !!a && a.end - a.start === 1 && this.is(a.start, 'True');
  }

  /** Records a Hub reference when `arg` evaluates to a string. */
  private hub(arg: Arg | undefined, load: Load): void {
    const id = this.value(arg);
    if (!id) return;
    this.refs.push({
      kind: load.kind ?? 'model',
      id,
      skip: 0,
      via: load.via,
      revision: load.revision,
      trust: load.trust,
      filename: load.filename ?? null,
      bare: load.bare ?? false,
    });
  }

  private download(args: Arg[], load: Load): void {
    const kind = this.value(kwArg(args, 'repo_type'))?.value ?? 'model';
    if (kind !== 'model' && kind !== 'dataset') return; // spaces are not tracked
    const filename =
      load.via === 'snapshot_download'
        ? null
        : this.value(kwArg(args, 'filename') ?? positional(args, 1));
    this.hub(kwArg(args, 'repo_id') ?? positional(args, 0), {
      ...load,
      kind,
      filename,
      bare: true,
    });
  }

  private dataset(args: Arg[], load: Load): void {
    const path = kwArg(args, 'path') ?? positional(args, 0);
    const lit = this.value(path);
    if (!lit || LOCAL_BUILDERS.has(lit.value.toLowerCase())) return;
    this.hub(path, { ...load, kind: 'dataset', bare: true });
  }

  /** timm / open_clip names only reach the Hub with an `hf-hub:` prefix. */
  private hfHub(name: string, arg: Arg | undefined): void {
    const id = this.value(arg);
    const prefix = id ? HF_HUB_PREFIX.exec(id.value) : null;
    if (!id || !prefix) return;
    this.refs.push({
      kind: 'model',
      id,
      skip: prefix[0].length,
      via: name,
      revision: null,
      trust: false,
      filename: null,
      bare: false,
    });
  }

  /** `parser.add_argument("--model_name", default="org/x")` makes `args.model_name` resolvable. */
  private argparse(i: number, args: Arg[]): void {
    const def = kwArg(args, 'default');
    if (!def) return;
    let dest = this.value(kwArg(args, 'dest'))?.value;
    if (!dest) {
      for (const a of args) {
        if (a.kw !== null) continue;
        const flag = this.value(a)?.value;
        if (flag?.startsWith('--')) {
          dest = flag.slice(2).replace(/-/g, '_');
          break;
        }
        if (flag && !flag.startsWith('-')) dest = flag;
      }
    }
    if (!dest) return;
    this.bind({
      name: dest,
      attr: true,
      start: def.start,
      end: def.end,
      from: this.t.start[i] as number,
    });
  }

  private unsafe(i: number, callee: string, args: Arg[]): void {
    const first = this.dotted(i).first;
    if (UNSAFE_CALLS.has(callee)) {
      this.facts.push({
        type: 'unsafe-load',
        call: callee,
        detail: `${callee} deserializes with pickle`,
        at: this.t.start[first] as number,
        span: null,
      });
      return;
    }
    const flag =
      callee === 'torch.load'
        ? ['weights_only', 'False']
        : NUMPY_LOAD.has(callee)
          ? ['allow_pickle', 'True']
          : null;
    if (!flag) return;
    const [key, value] = flag as [string, string];
    const a = kwArg(args, key);
    if (!a || a.end - a.start !== 1 || !this.is(a.start, value)) return;
    this.facts.push({
      type: 'unsafe-load',
      call: callee,
      detail: `${key}=${value}`,
      at: this.t.start[a.start - 2] as number,
      span: { start: this.t.start[a.start] as number, end: this.t.end[a.start] as number },
    });
  }

  // ---- trust_remote_code anywhere ----

  /** `trust_remote_code=True` as a keyword argument of any call (not a `def` default). */
  private trustKeyword(i: number, open: number | undefined): void {
    if (open === undefined || !this.isOp(open, 40)) return;
    if (!this.isOp(i + 1, 61) || !this.is(i + 2, 'True')) return;
    if (!this.isOp(i + 3, 44) && !this.isOp(i + 3, 41)) return;
    if (this.is(open - 2, 'def')) return;
    this.remoteCode(i, i + 2);
  }

  /** `{"trust_remote_code": True}` in a kwargs dict. */
  private trustKey(i: number): void {
    if (!this.is(i + 2, 'True')) return;
    if (this.literal(i)?.value !== 'trust_remote_code') return;
    this.remoteCode(i, i + 2);
  }

  private remoteCode(keyword: number, value: number): void {
    this.facts.push({
      type: 'remote-code',
      call: '',
      detail: 'trust_remote_code=True',
      at: this.t.start[keyword] as number,
      span: { start: this.t.start[value] as number, end: this.t.end[value] as number },
    });
  }
}

function kwArg(args: Arg[], name: string): Arg | undefined {
  return args.find((a) => a.kw === name);
}

function positional(args: Arg[], index: number): Arg | undefined {
  let n = 0;
  for (const a of args) {
    if (a.kw === '*') return undefined; // *args hide the positions after them
    if (a.kw !== null) continue;
    if (n === index) return a;
    n++;
  }
  return undefined;
}

const ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '\\': '\\',
  "'": "'",
  '"': '"',
};

function unescape(raw: string): string {
  return raw.replace(/\\(.)/gs, (m, c: string) => ESCAPES[c] ?? m);
}
