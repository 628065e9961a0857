import type { Assignment, Emitter } from './emit.js';
import {
  shellCommands,
  splitAssignment,
  subWord,
  variableReference,
  wordStart,
  type Word,
} from './shell.js';

/** Where a command runs, as far as the file tells. */
export interface Scope {
  emitter: Emitter;
  /** Variables visible to the command (script assignments, ENV/ARG, container env). */
  variables: Assignment[];
  /** The container image or entrypoint is a known model server (vLLM, TGI, TEI, SGLang, llama.cpp). */
  server: boolean;
  /** The words are a container's arguments (compose, Kubernetes, Dockerfile CMD). */
  container: boolean;
}

const SERVER_IMAGE =
  /(?:vllm|text-generation-inference|text-embeddings-inference|sglang|llama\.cpp|llama-cpp|llama-server|(?:^|[/_-])(?:tgi|tei)(?:[:_-]|$))/i;

const SERVER_PROGRAMS = new Set([
  'text-generation-launcher',
  'text-embeddings-router',
  'llama-server',
  'llama-cli',
]);

const SERVER_MODULES =
  /^(?:vllm\.entrypoints\.(?:openai\.)?api_server|sglang\.launch_server|sglang_router\.launch_server)$/;

/** Programs whose `--model` is very likely a Hub id handed to transformers or a server. */
const LAUNCHERS =
  /^(?:python[0-9.]*|torchrun|accelerate|deepspeed|trl|llamafactory-cli|axolotl|tune|vllm|sglang)$/;

/** Words that run the rest of the line as a command (`sudo`, `uv run`…). */
const WRAPPERS = new Set(['sudo', 'env', 'nohup', 'exec', 'time', 'command', 'nice', 'stdbuf']);
const RUNNERS = new Set(['uv', 'poetry', 'pipenv', 'pdm', 'hatch']);

const MODEL_FLAGS = new Set([
  '--model',
  '--model-id',
  '--model-name-or-path',
  '--model-path',
  '--pretrained-model-name-or-path',
  '--base-model',
  '--hf-repo',
  '-hf',
  '-hfr',
]);
const TOKENIZER_FLAGS = new Set([
  '--tokenizer',
  '--tokenizer-name',
  '--tokenizer-path',
  '--tokenizer-name-or-path',
]);
/** Flag names too generic to trust outside a server, a launcher or a container's arguments. */
const GENERIC_FLAGS = new Set(['--model', '--model-path', '--tokenizer', '--tokenizer-path']);
/** Flags that certainly feed a Hub loader, so a bare `gpt2` counts. */
const LOADER_FLAGS = new Set([
  '--model-name-or-path',
  '--pretrained-model-name-or-path',
  '--tokenizer-name',
]);
const DATASET_FLAGS = new Set(['--dataset-name', '--dataset-id']);

export function isServerImage(image: string): boolean {
  return SERVER_IMAGE.test(image);
}

/** Scans every command in a piece of shell text. */
export function scanShell(
  source: string,
  offsetOf: (i: number) => number,
  scope: Scope,
  newlineEnds = true,
  depth = 0,
): void {
  for (const words of shellCommands(source, offsetOf, { newlineEnds }))
    scanCommand(words, scope, depth);
}

/** Assignment-only commands (`MODEL=x`, `export MODEL_ID=x`) as variables, in file order. */
export function collectAssignments(commands: Word[][]): Assignment[] {
  const out: Assignment[] = [];
  for (const words of commands) {
    const rest = /^(?:export|declare|local|readonly|typeset)$/.test(words[0]?.text ?? '')
      ? words.slice(1)
      : words;
    const assignments = rest.filter((w) => !w.text.startsWith('-')).map(splitAssignment);
    if (assignments.length && assignments.every((a) => a !== null))
      out.push(...(assignments as Assignment[]));
  }
  return out;
}

export function scanCommand(words: Word[], scope: Scope, depth = 0): void {
  if (depth > 4) return;
  let i = 0;
  let wrapped = false;
  const prefix: Assignment[] = [];
  for (;;) {
    const word = words[i];
    if (!word) return;
    const assignment = splitAssignment(word);
    if (assignment) prefix.push(assignment);
    else if (WRAPPERS.has(word.text)) wrapped = true;
    else if (wrapped && word.text.startsWith('-')) {
      /* a wrapper's own option: `sudo -E`, `env -i` */
    } else if (RUNNERS.has(baseName(word.text)) && words[i + 1]?.text === 'run') i++;
    else break;
    i++;
  }
  if (prefix.length) scanEnv(prefix, { ...scope, variables: [...scope.variables, ...prefix] });
  const local = prefix.length ? { ...scope, variables: [...scope.variables, ...prefix] } : scope;
  const args = words.slice(i);
  // `$LLAMA_SERVER_PATH …` with `LLAMA_SERVER_PATH=${LLAMA_SERVER_PATH:-llama-server}`.
  const programWord = args[0] ? (resolve(args[0], local) ?? args[0]) : undefined;
  const program = baseName(programWord?.text ?? '');

  if (/^(?:ba|z|da)?sh$/.test(program)) return shellC(args, local, depth);
  if ((program === 'docker' || program === 'podman') && args[1]?.text === 'run')
    return dockerRun(args.slice(2), local, depth);
  if (program === 'git' && args[1]?.text === 'clone') return gitClone(args.slice(2), local);
  if (isDownload(args)) return download(args, local);
  if (program === 'vllm' && args[1]?.text === 'serve')
    return serverArgs(args.slice(2), { ...local, server: true }, 'vllm serve');
  const server = local.server || SERVER_PROGRAMS.has(program) || runsServerModule(args);
  // A container's arguments may start with a flag: the image's entrypoint is the program.
  const launcher =
    LAUNCHERS.test(program) || (local.container && args[0]?.text.startsWith('-') === true);
  flags(args, { ...local, server }, server || launcher || local.container);
}

function baseName(text: string): string {
  return text.slice(text.lastIndexOf('/') + 1);
}

function runsServerModule(args: Word[]): boolean {
  const m = args.findIndex((w) => w.text === '-m');
  return m !== -1 && SERVER_MODULES.test(args[m + 1]?.text ?? '');
}

/** `sh -c "script"`: the script is shell again, mapped back to the file through the word. */
function shellC(args: Word[], scope: Scope, depth: number): void {
  const c = args.findIndex((w) => w.text === '-c' || /^-[a-z]*c$/.test(w.text));
  const script = c === -1 ? undefined : args[c + 1];
  if (!script) return;
  scanShell(script.text, (k) => script.at[k] ?? wordStart(script), scope, true, depth + 1);
}

/** docker/podman flags that take a value; everything else is a switch. */
const DOCKER_VALUE_FLAGS = new Set(
  (
    '-v --volume -p --publish -e --env --env-file --name --gpus --shm-size --runtime --network --net --ipc ' +
    '--entrypoint -w --workdir -u --user --device --mount -l --label --cpus -m --memory --restart --platform ' +
    '--pull --hostname -h --add-host --ulimit --log-driver --log-opt --cap-add --cap-drop --security-opt ' +
    '--tmpfs --group-add --pid --uts --cidfile --memory-swap --cpuset-cpus --health-cmd --stop-signal'
  ).split(' '),
);

function dockerRun(args: Word[], scope: Scope, depth: number): void {
  const env: Assignment[] = [];
  let i = 0;
  for (; i < args.length; i++) {
    const word = args[i] as Word;
    if (word.text === '--') {
      i++;
      break;
    }
    if (!word.text.startsWith('-')) break;
    const eq = word.text.indexOf('=');
    const name = eq === -1 ? word.text : word.text.slice(0, eq);
    let value: Word | undefined;
    if (eq !== -1 && name.startsWith('--')) value = subWord(word, eq + 1);
    else if (DOCKER_VALUE_FLAGS.has(name)) value = args[++i];
    if ((name === '-e' || name === '--env') && value) {
      const assignment = splitAssignment(value);
      if (assignment) env.push(assignment);
    }
  }
  const image = args[i];
  if (!image) return;
  const inner: Scope = {
    ...scope,
    variables: [...scope.variables, ...env],
    server: isServerImage(image.text),
    container: true,
  };
  scanEnv(env, inner);
  const rest = args.slice(i + 1);
  if (rest.length) scanCommand(rest, inner, depth + 1);
}

function isDownload(args: Word[]): boolean {
  const program = baseName(args[0]?.text ?? '');
  const sub = args[1]?.text;
  return (
    (program === 'huggingface-cli' || program === 'hf' || program === 'tune') && sub === 'download'
  );
}

/** Flags of `huggingface-cli download` / `hf download` / `tune download` that take a value. */
const DOWNLOAD_VALUE_FLAGS = new Set([
  '--repo-type',
  '--revision',
  '--local-dir',
  '--cache-dir',
  '--token',
  '--hf-token',
  '--max-workers',
  '--local-dir-use-symlinks',
  '--etag-timeout',
  '--output-dir',
  '--format',
]);
/** argparse `nargs='*'` flags: they swallow every following word up to the next flag. */
const DOWNLOAD_LIST_FLAGS = new Set(['--include', '--exclude', '--ignore-patterns']);

function download(args: Word[], scope: Scope): void {
  const via = `${baseName(args[0]?.text ?? '')} download`;
  const positional: Word[] = [];
  let repoType = 'model';
  let revision: Word | null = null;
  for (let i = 2; i < args.length; i++) {
    const word = args[i] as Word;
    if (!word.text.startsWith('-')) {
      positional.push(word);
      continue;
    }
    const eq = word.text.indexOf('=');
    const name = eq === -1 ? word.text : word.text.slice(0, eq);
    if (DOWNLOAD_LIST_FLAGS.has(name)) {
      while (eq === -1 && args[i + 1] && !args[i + 1]?.text.startsWith('-')) i++;
      continue;
    }
    if (!DOWNLOAD_VALUE_FLAGS.has(name)) continue;
    const value = eq === -1 ? args[++i] : subWord(word, eq + 1);
    if (!value) continue;
    if (name === '--repo-type') repoType = value.text.toLowerCase();
    if (name === '--revision') revision = resolve(value, scope);
  }
  const repo = positional[0] ? resolve(positional[0], scope) : null;
  if (!repo || (repoType !== 'model' && repoType !== 'dataset')) return;
  const filename = positional[1]?.text;
  scope.emitter.hub(repo, {
    kind: repoType,
    via,
    bare: true,
    revision,
    ...(filename && !variableReference(positional[1] as Word) ? { filename } : {}),
  });
}

/** `git clone https://huggingface.co/org/repo [-b rev]`. */
function gitClone(args: Word[], scope: Scope): void {
  let branch: Word | null = null;
  let url: Word | null = null;
  for (let i = 0; i < args.length; i++) {
    const text = args[i]?.text ?? '';
    if (text === '-b' || text === '--branch') branch = args[++i] ?? null;
    else if (text.startsWith('--branch=')) branch = subWord(args[i] as Word, 9);
    else if (!text.startsWith('-') && !url) url = args[i] ?? null;
  }
  const resolved = url ? resolve(url, scope) : null;
  if (!resolved || !/^(?:https?:\/\/)?(?:www\.)?(?:huggingface\.co|hf\.co)\//i.test(resolved.text))
    return;
  const kind = /\/datasets\//i.test(resolved.text) ? 'dataset' : 'model';
  if (/\/spaces\//i.test(resolved.text)) return;
  scope.emitter.hub(resolved, {
    kind,
    via: 'git clone',
    bare: false,
    revision: branch ? resolve(branch, scope) : null,
  });
}

/** `vllm serve org/model --flags`: the first positional word is the model. */
function serverArgs(args: Word[], scope: Scope, via: string): void {
  const first = args[0];
  if (first && !first.text.startsWith('-')) flags(args.slice(1), scope, true, { word: first, via });
  else flags(args, scope, true);
}

interface Found {
  word: Word;
  via: string;
}

/** What one command line says about its model. */
interface CommandFlags {
  model: Found | null;
  tokenizer: Found | null;
  revision: Word | null;
  tokenizerRevision: Word | null;
  codeRevision: Word | null;
  hfFile?: string;
  trust: Word | null;
  datasets: Found[];
}

/**
 * Reads the model, tokenizer, revisions and trust flag of one command line and reports them.
 * `generic` admits flags as common as `--model`, which other CLIs use for API model names.
 */
function flags(args: Word[], scope: Scope, generic: boolean, positional?: Found): void {
  const found = readFlags(args, generic);
  found.model = positional ?? found.model;
  emitFlags(found, scope);
}

function readFlags(args: Word[], generic: boolean): CommandFlags {
  const out: CommandFlags = {
    model: null,
    tokenizer: null,
    revision: null,
    tokenizerRevision: null,
    codeRevision: null,
    trust: null,
    datasets: [],
  };
  for (let i = 0; i < args.length; i++) {
    const word = args[i] as Word;
    if (!word.text.startsWith('-')) continue;
    const eq = word.text.startsWith('--') ? word.text.indexOf('=') : -1;
    const written = eq === -1 ? word.text : word.text.slice(0, eq);
    const name = written.replace(/_/g, '-').toLowerCase();
    const next = args[i + 1];
    const inline = eq === -1 ? null : subWord(word, eq + 1);
    // The value is `--flag=value` or the next word, unless that word is another flag.
    const value = inline ?? (next && !next.text.startsWith('-') ? next : null);
    const consume = (): Word | null => {
      if (!inline && value) i++;
      return value;
    };
    if (name === '--trust-remote-code') {
      const explicit = value && /^(?:true|false|1|0|yes|no)$/i.test(value.text) ? consume() : null;
      if (!explicit || /^(?:true|1|yes)$/i.test(explicit.text))
        out.trust = subWord(word, 0, written.length);
    } else if (MODEL_FLAGS.has(name) || TOKENIZER_FLAGS.has(name)) {
      if (GENERIC_FLAGS.has(name) && !generic) continue;
      const taken = consume();
      if (!taken) continue;
      const hit = {
        word: /^(?:--hf-repo|-hfr?)$/.test(name) ? stripQuant(taken) : taken,
        via: written,
      };
      if (MODEL_FLAGS.has(name)) out.model ??= hit;
      else out.tokenizer ??= hit;
    } else if (DATASET_FLAGS.has(name)) {
      const taken = consume();
      if (taken) out.datasets.push({ word: taken, via: written });
    } else if (name === '--revision') out.revision = consume();
    else if (name === '--tokenizer-revision') out.tokenizerRevision = consume();
    else if (name === '--code-revision') out.codeRevision = consume();
    else if (name === '--hf-file' || name === '-hff') out.hfFile = consume()?.text;
  }
  return out;
}

function emitFlags(found: CommandFlags, scope: Scope): void {
  const { emitter } = scope;
  const bare = (hit: Found) =>
    scope.server ||
    hit.via === 'vllm serve' ||
    LOADER_FLAGS.has(hit.via.replace(/_/g, '-').toLowerCase());
  const at = (word: Word | null) => (word ? resolve(word, scope) : null);
  const model = found.model && at(found.model.word);
  if (found.model && model) {
    const options = { kind: 'model' as const, via: found.model.via, bare: bare(found.model) };
    const trustRemoteCode = !!found.trust;
    emitter.hub(model, {
      ...options,
      revision: at(found.revision),
      trustRemoteCode,
      ...(found.hfFile ? { filename: found.hfFile } : {}),
    });
    // `--code-revision` pins the repo's Python code separately from its weights.
    const code = at(found.codeRevision);
    if (code) {
      emitter.hub(model, {
        ...options,
        via: '--code-revision',
        revision: code,
        trustRemoteCode,
        separate: true,
      });
    }
  }
  const tokenizer = found.tokenizer && at(found.tokenizer.word);
  if (found.tokenizer && tokenizer) {
    emitter.hub(tokenizer, {
      kind: 'model',
      via: found.tokenizer.via,
      bare: bare(found.tokenizer),
      revision: at(found.tokenizerRevision),
    });
  }
  for (const dataset of found.datasets) {
    const word = at(dataset.word);
    if (word) emitter.hub(word, { kind: 'dataset', via: dataset.via, bare: false });
  }
  if (found.trust) emitter.trustFact(found.trust, found.trust.text);
}

/** `org/repo:Q4_K_M` names a GGUF quant inside the repo, not a revision. */
function stripQuant(word: Word): Word {
  const colon = word.text.lastIndexOf(':');
  return colon > word.text.lastIndexOf('/') ? subWord(word, 0, colon) : word;
}

/**
 * The literal a word stands for: itself, the value of the variable it references (the latest
 * assignment before it), or the default of `${X:-default}`. Null for unresolvable references.
 */
function resolve(word: Word, scope: Scope, depth = 0): Word | null {
  const ref = variableReference(word);
  if (!ref) return word;
  if (depth > 3) return null;
  const before = wordStart(word);
  const candidates = scope.variables.filter((a) => a.name === ref.name);
  const assignment = candidates.filter((a) => wordStart(a.value) < before).pop() ?? candidates[0];
  const value = assignment?.value.text ? resolve(assignment.value, scope, depth + 1) : null;
  return value ?? (ref.fallback ? resolve(ref.fallback, scope, depth + 1) : null);
}

const MODEL_ENV = ['MODEL_ID', 'HF_MODEL_ID', 'MODEL_NAME', 'MODEL'];
const REVISION_ENV = ['REVISION', 'HF_MODEL_REVISION', 'MODEL_REVISION'];

/**
 * One env block (a compose service, a container, a Dockerfile, a script): the model variable
 * TGI/TEI/vLLM images read, with `REVISION` and `TRUST_REMOTE_CODE` from the same block.
 */
export function scanEnv(entries: Assignment[], scope: Scope): void {
  const get = (names: string[]) => entries.find((e) => names.includes(e.name));
  const trustEntry = entries.find(
    (e) => e.name === 'TRUST_REMOTE_CODE' && /^(?:true|1)$/i.test(e.value.text),
  );
  const revisionEntry = get(REVISION_ENV);
  let revisionUsed = false;
  for (const entry of entries) {
    const isModel = MODEL_ENV.includes(entry.name);
    if (!isModel && entry.name !== 'TOKENIZER') continue;
    const word = resolve(entry.value, scope);
    if (!word) continue;
    const revision =
      isModel && !revisionUsed && revisionEntry ? resolve(revisionEntry.value, scope) : null;
    const ref = scope.emitter.hub(word, {
      kind: 'model',
      via: entry.name,
      bare: scope.server,
      revision,
      trustRemoteCode: isModel && !!trustEntry,
    });
    if (ref && isModel) revisionUsed = true;
  }
  if (trustEntry)
    scope.emitter.trustFact(trustEntry.value, `TRUST_REMOTE_CODE=${trustEntry.value.text}`);
}
