import { isMap, isPair, isScalar, isSeq, type YAMLMap } from 'yaml';
import type {
  Extraction,
  ExtractInput,
  Extractor,
  Reference,
  TextSpan,
  WeightsFile,
} from '../../types.js';
import { emptyExtraction, errorMessage } from '../extraction.js';
import { hubReference } from '../references.js';
import { basename } from '../../util/paths.js';
import { LineIndex } from '../../util/text.js';
import { weightsFormat } from '../../util/weights.js';
import { parseYaml, scalarString } from '../../util/yaml.js';
import { parseHubUrl } from './hub-url.js';

const ID = 'dvc';

const URL_LIKE = /^[a-z][a-z0-9+.-]*:\/\//i;

type FileKind = 'dvc-file' | 'lock' | 'pipeline';

export const extractor: Extractor = {
  id: ID,
  description:
    'DVC files (*.dvc, dvc.lock, dvc.yaml): tracked weights with their md5 and size, and data ' +
    'imported from the Hugging Face Hub.',
  match: (path) => fileKind(path) !== null,
  extract(input) {
    try {
      return extractDvc(input);
    } catch (error) {
      return {
        ...emptyExtraction(),
        problems: [{ file: input.path, line: 1, column: 1, message: errorMessage(error) }],
      };
    }
  },
};

function fileKind(path: string): FileKind | null {
  const name = basename(path);
  if (name === 'dvc.lock') return 'lock';
  if (name === 'dvc.yaml') return 'pipeline';
  // `.dvc` alone is DVC's own directory name, never a stage file.
  return name.length > 4 && name.endsWith('.dvc') ? 'dvc-file' : null;
}

interface Context {
  file: string;
  lines: LineIndex;
  out: Extraction;
  seenWeights: Set<string>;
}

function extractDvc(input: ExtractInput): Extraction {
  const out = emptyExtraction();
  const kind = fileKind(input.path);
  const lines = new LineIndex(input.text);
  const yaml = parseYaml(input.text);
  if (yaml.error) {
    out.problems.push({
      ...lines.location(input.path, yaml.error.offset),
      message: `invalid YAML: ${yaml.error.message}`,
    });
  }
  const root = yaml.docs[0]?.contents;
  if (!isMap(root)) return out;

  const ctx: Context = { file: input.path, lines, out, seenWeights: new Set() };
  if (kind === 'dvc-file') stage(ctx, root, true);
  else if (kind === 'lock') for (const s of lockStages(root)) stage(ctx, s, true);
  else for (const s of pipelineStages(root)) stage(ctx, s, false);
  return out;
}

/** dvc.lock 2.x keeps stages under `stages:`; 1.x put them at the top level. */
function lockStages(root: YAMLMap): YAMLMap[] {
  const stages = get(root, 'stages');
  return mapValues(isMap(stages) ? stages : root);
}

/** dvc.yaml stages; a `foreach` stage keeps its deps and outs under `do:`. */
function pipelineStages(root: YAMLMap): YAMLMap[] {
  return mapValues(get(root, 'stages')).map((s) => {
    const body = get(s, 'do');
    return isMap(body) ? body : s;
  });
}

/**
 * One stage: a `.dvc` file, a dvc.lock entry or a dvc.yaml stage. `locked` entries carry hashes,
 * so their weights become WeightsFiles; dvc.yaml only names paths, so only Hub URLs count there.
 */
function stage(ctx: Context, node: YAMLMap, locked: boolean): void {
  let upstream: WeightsFile['upstream'];
  for (const dep of entries(get(node, 'deps'))) {
    const ref = depReference(ctx, dep);
    const from = ref ? upstreamOf(ref) : undefined;
    if (ref) ctx.out.references.push(ref);
    upstream ??= from;
    if (locked) weightsEntry(ctx, dep, from);
  }
  // An import (`dvc import`, `dvc import-url`) has no command: its outs are the upstream's file.
  const imported = get(node, 'cmd') === undefined ? upstream : undefined;
  for (const o of entries(get(node, 'outs'))) {
    if (locked) weightsEntry(ctx, o, imported);
    else {
      const ref = urlReference(ctx, o.path, 'outs');
      if (ref) ctx.out.references.push(ref);
    }
  }
}

/** A dep or out: its `path` scalar and the map holding its hash fields (absent in dvc.yaml lists). */
interface Entry {
  path: unknown;
  fields: YAMLMap | null;
}

function entries(list: unknown): Entry[] {
  if (!isSeq(list)) return [];
  const out: Entry[] = [];
  for (const item of list.items) {
    if (isScalar(item)) out.push({ path: item, fields: null });
    else if (isMap(item) && get(item, 'path') !== undefined)
      out.push({ path: get(item, 'path'), fields: item });
    else if (isMap(item) && item.items.length === 1 && isPair(item.items[0])) {
      // dvc.yaml long form: `- model.pt: {cache: false}`
      const pair = item.items[0];
      out.push({ path: pair.key, fields: isMap(pair.value) ? pair.value : null });
    }
  }
  return out;
}

function depReference(ctx: Context, dep: Entry): Reference | null {
  const repo = dep.fields ? get(dep.fields, 'repo') : undefined;
  if (isMap(repo)) return repoReference(ctx, repo, dep.path);
  return urlReference(ctx, dep.path, 'deps');
}

/** `dvc import <git url> <path>`: the dep names a git repo, which may be a Hub repo. */
function repoReference(ctx: Context, repo: YAMLMap, pathNode: unknown): Reference | null {
  const url = scalarString(get(repo, 'url'));
  const hub = url ? parseHubUrl(url.value) : null;
  if (!url || !hub) return null;
  // rev_lock is the commit DVC resolved and will fetch; rev is what the user asked for.
  const revNode = scalarString(get(repo, 'rev_lock')) ?? scalarString(get(repo, 'rev'));
  const filename = scalarString(pathNode)?.value;
  return hubReference({
    raw: hub.id,
    kind: hub.kind,
    at: ctx.lines.location(ctx.file, url.offset),
    extractor: ID,
    via: 'repo.url',
    revision: revNode?.value ?? null,
    revisionSpan: revNode ? span(ctx, revNode.offset, revNode.end) : undefined,
    filename,
  });
}

/** `dvc import-url hf://…` or `https://huggingface.co/…`, and Hub URLs in dvc.yaml. */
function urlReference(ctx: Context, pathNode: unknown, via: string): Reference | null {
  const path = scalarString(pathNode);
  const hub = path ? parseHubUrl(path.value) : null;
  if (!path || !hub) return null;
  const revStart = hub.revisionOffset === undefined ? -1 : path.offset + hub.revisionOffset;
  const revisionSpan =
    hub.revision && revStart >= 0 ? span(ctx, revStart, revStart + hub.revision.length) : undefined;
  return hubReference({
    raw: hub.id,
    kind: hub.kind,
    at: ctx.lines.location(ctx.file, path.offset),
    extractor: ID,
    via,
    revision: hub.revision,
    revisionSpan: revisionSpan?.text === hub.revision ? revisionSpan : undefined,
    filename: hub.filename,
  });
}

function weightsEntry(ctx: Context, entry: Entry, upstream?: WeightsFile['upstream']): void {
  const path = scalarString(entry.path);
  // A remote dep (import-url) is the source; the local out is the weights file to record.
  if (!path || URL_LIKE.test(path.value)) return;
  const format = weightsFormat(path.value);
  if (!format || ctx.seenWeights.has(path.value)) return;
  ctx.seenWeights.add(path.value);
  const weights: WeightsFile = {
    ...ctx.lines.location(ctx.file, path.offset),
    name: path.value,
    format,
    origin: 'dvc',
  };
  const md5 = entry.fields ? scalarString(get(entry.fields, 'md5'))?.value : undefined;
  const size = entry.fields ? get(entry.fields, 'size') : undefined;
  if (md5 && /^[0-9a-f]{32}$/i.test(md5)) weights.md5 = md5.toLowerCase();
  if (isScalar(size) && typeof size.value === 'number' && Number.isSafeInteger(size.value))
    weights.size = size.value;
  if (upstream) weights.upstream = upstream;
  ctx.out.weights.push(weights);
}

function upstreamOf(ref: Reference): WeightsFile['upstream'] {
  return { id: ref.id, revision: ref.revision, kind: ref.kind === 'dataset' ? 'dataset' : 'model' };
}

function span(ctx: Context, start: number, end: number): TextSpan | undefined {
  return ctx.lines.span(ctx.file, start, end) ?? undefined;
}

function get(map: unknown, key: string): unknown {
  if (!isMap(map)) return undefined;
  const pair = map.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === key);
  return pair?.value ?? undefined;
}

function mapValues(map: unknown): YAMLMap[] {
  if (!isMap(map)) return [];
  return map.items.map((p) => p.value).filter((v): v is YAMLMap => isMap(v));
}
