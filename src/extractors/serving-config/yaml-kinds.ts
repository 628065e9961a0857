import { isMap, isPair, isScalar, isSeq, type Document, type Pair, type YAMLMap } from 'yaml';
import type { Assignment, Emitter } from './emit.js';
import { isServerImage, scanCommand, scanEnv, type Scope } from './commands.js';
import { shellCommands, type Word } from './shell.js';
import { parseYaml } from '../../util/yaml.js';

/** Docker Compose and Kubernetes documents, the two YAML shapes that start containers. */
export function isCompose(doc: Document.Parsed): boolean {
  return isMap(doc.contents) && isMap(doc.contents.get('services', true));
}

export function isKubernetes(doc: Document.Parsed): boolean {
  return isMap(doc.contents) && doc.contents.has('apiVersion') && doc.contents.has('kind');
}

/**
 * A YAML string as a word, with each character mapped back to the file. Block and folded
 * scalars do not match their source text one to one, so value characters are aligned greedily
 * with the source (indentation and line breaks are skipped).
 */
export function scalarWord(node: unknown, text: string): Word | null {
  if (!isScalar(node) || node.range == null) return null;
  if (
    typeof node.value !== 'string' &&
    typeof node.value !== 'number' &&
    typeof node.value !== 'boolean'
  )
    return null;
  const value =
    typeof node.value === 'string'
      ? node.value
      : typeof node.source === 'string'
        ? node.source
        : String(node.value);
  const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE';
  const block = node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED';
  let p = node.range[0] + (quoted ? 1 : 0);
  if (block) p = text.indexOf('\n', p) + 1 || node.range[1];
  const end = node.range[1];
  const at: number[] = [];
  for (const ch of value) {
    // Source and value drift apart only by indentation, a line break or an escape: a short
    // window keeps this linear on long scripts.
    const limit = Math.min(end, p + 256);
    let q = p;
    while (q < limit && text[q] !== ch) q++;
    // A folded line break has no source character of its own: it sits where the break was.
    if (q >= limit) at.push(Math.min(p, end - 1));
    else {
      at.push(q);
      p = q + 1;
    }
  }
  return { text: value, at };
}

function pairs(map: YAMLMap): Map<string, Pair<unknown, unknown>> {
  const out = new Map<string, Pair<unknown, unknown>>();
  for (const item of map.items)
    if (isPair(item) && isScalar(item.key))
      out.set(String(item.key.value), item as Pair<unknown, unknown>);
  return out;
}

/** `command:`/`args:` as a string (shell-split by compose) or an exec-form list. */
function commandWords(node: unknown, text: string): Word[] {
  if (isSeq(node)) return node.items.flatMap((item) => scalarWord(item, text) ?? []);
  const word = scalarWord(node, text);
  if (!word) return [];
  // Compose splits a string command with shlex: line breaks are blanks, not command ends.
  return shellCommands(word.text, (k) => word.at[k] ?? 0, { newlineEnds: false }).flat();
}

/** Env entries of a compose service (`KEY: value` or `- KEY=value`). */
function composeEnv(node: unknown, text: string): Assignment[] {
  if (isMap(node)) {
    return node.items.flatMap((item) => {
      if (!isPair(item) || !isScalar(item.key)) return [];
      const value = scalarWord(item.value, text);
      return value ? [{ name: String(item.key.value), value }] : [];
    });
  }
  if (!isSeq(node)) return [];
  return node.items.flatMap((item) => {
    const word = scalarWord(item, text);
    const eq = word ? word.text.indexOf('=') : -1;
    if (!word || eq <= 0) return [];
    return [
      {
        name: word.text.slice(0, eq),
        value: { text: word.text.slice(eq + 1), at: word.at.slice(eq + 1) },
      },
    ];
  });
}

/** Kubernetes `env: [{name, value}]` (valueFrom entries carry no literal). */
function kubernetesEnv(node: unknown, text: string): Assignment[] {
  if (!isSeq(node)) return [];
  return node.items.flatMap((item) => {
    if (!isMap(item)) return [];
    const name = item.get('name');
    const value = scalarWord(item.get('value', true), text);
    return typeof name === 'string' && value ? [{ name, value }] : [];
  });
}

export function scanCompose(doc: Document.Parsed, emitter: Emitter): void {
  const services = isMap(doc.contents) ? doc.contents.get('services', true) : null;
  if (!isMap(services)) return;
  for (const item of services.items) {
    if (!isPair(item) || !isMap(item.value)) continue;
    const service = pairs(item.value);
    const image = scalarWord(service.get('image')?.value, emitter.text)?.text ?? '';
    const env = composeEnv(service.get('environment')?.value, emitter.text);
    const scope: Scope = { emitter, variables: env, server: isServerImage(image), container: true };
    scanEnv(env, scope);
    const words = [
      ...commandWords(service.get('entrypoint')?.value, emitter.text),
      ...commandWords(service.get('command')?.value, emitter.text),
    ];
    if (words.length) scanCommand(words, scope);
  }
}

/**
 * Any mapping that looks like a container (`command`/`args`/`env`), at any depth: Deployments,
 * Jobs, LeaderWorkerSets, KServe predictors, Helm-free manifests alike. KServe's `storageUri:
 * hf://org/model` is read too.
 */
export function scanKubernetes(node: unknown, emitter: Emitter, depth = 0): void {
  if (depth > 64) return;
  if (isSeq(node)) {
    for (const item of node.items) scanKubernetes(item, emitter, depth + 1);
    return;
  }
  if (!isMap(node)) return;
  const keys = pairs(node);
  if (keys.has('command') || keys.has('args') || isSeq(keys.get('env')?.value))
    container(keys, emitter);
  storageUri(keys, emitter);
  rayServeConfig(keys.get('serveConfigV2')?.value, emitter);
  for (const item of node.items) if (isPair(item)) scanKubernetes(item.value, emitter, depth + 1);
}

function container(keys: Map<string, Pair<unknown, unknown>>, emitter: Emitter): void {
  const image = scalarWord(keys.get('image')?.value, emitter.text)?.text ?? '';
  const format = keys.get('modelFormat')?.value;
  const kserveHf = isMap(format) && /huggingface/i.test(String(format.get('name') ?? ''));
  const env = kubernetesEnv(keys.get('env')?.value, emitter.text);
  const scope: Scope = {
    emitter,
    variables: env,
    server: isServerImage(image) || kserveHf,
    container: true,
  };
  scanEnv(env, scope);
  const words = [
    ...commandWords(keys.get('command')?.value, emitter.text),
    ...commandWords(keys.get('args')?.value, emitter.text),
  ];
  if (words.length) scanCommand(words, scope);
}

/** KServe `storageUri: hf://org/model` and vLLM production-stack Helm values `modelURL`. */
function storageUri(keys: Map<string, Pair<unknown, unknown>>, emitter: Emitter): void {
  const uri = scalarWord(keys.get('storageUri')?.value, emitter.text);
  if (uri && /^hf:\/\//i.test(uri.text)) {
    emitter.hub(
      { text: uri.text.slice(5), at: uri.at.slice(5) },
      { kind: 'model', via: 'storageUri', bare: false },
    );
  }
  const url = scalarWord(keys.get('modelURL')?.value, emitter.text);
  if (url) emitter.hub(url, { kind: 'model', via: 'modelURL', bare: false });
}

/**
 * KubeRay `serveConfigV2` is YAML inside a YAML string: its `env_vars` blocks (MODEL_ID…) and
 * Ray Serve LLM `model_source` keys, mapped back to the outer file through the string's word.
 */
function rayServeConfig(node: unknown, emitter: Emitter): void {
  const outer = scalarWord(node, emitter.text);
  if (!outer || !/\b(?:env_vars|model_source)\s*:/.test(outer.text)) return;
  const toFile = (inner: Word | null): Word | null =>
    inner && { text: inner.text, at: inner.at.map((k) => outer.at[k] ?? outer.at[0] ?? 0) };
  const visit = (value: unknown, depth: number): void => {
    if (depth > 32) return;
    if (isSeq(value)) value.items.forEach((item) => visit(item, depth + 1));
    if (!isMap(value)) return;
    const keys = pairs(value);
    const env = keys.get('env_vars')?.value;
    if (isMap(env)) {
      const entries = composeEnv(env, outer.text).map((e) => ({
        name: e.name,
        value: toFile(e.value) as Word,
      }));
      scanEnv(entries, { emitter, variables: entries, server: false, container: true });
    }
    const source = toFile(scalarWord(keys.get('model_source')?.value, outer.text));
    if (source) emitter.hub(source, { kind: 'model', via: 'model_source', bare: false });
    for (const item of value.items) if (isPair(item)) visit(item.value, depth + 1);
  };
  for (const doc of parseYaml(outer.text).docs) visit(doc.contents, 0);
}
