import { isMap, isPair, isScalar, isSeq, type Document, type Pair, type YAMLMap } from 'yaml';
import type { Extraction, Extractor, ExtractInput, Location } from '../../types.js';
import { emptyExtraction, errorMessage } from '../extraction.js';
import { hubReference } from '../references.js';
import { parseYaml, scalarString } from '../../util/yaml.js';
import { LineIndex } from '../../util/text.js';
import {
  DATASET_BUILDERS,
  DATASET_LIST_KEYS,
  KEY_RULES,
  TRAINING_HINT,
  type KeyRule,
} from './keys.js';

const ID = 'training-config';

/** Folders whose YAML is CI, deployment or packaging, never a training recipe. */
const FOREIGN_DIRS =
  /(?:^|\/)(?:\.github|\.gitlab|\.circleci|k8s|kubernetes|manifests|helm|charts|deploy[^/]*)\//i;

/** YAML files with a fixed, non-training meaning (compose, DVC, conda, CI, docs, lockfiles). */
const FOREIGN_NAMES =
  /^(?:(?:docker-)?compose[^/]*|dvc|environment[^/]*|conda[^/]*|\.pre-commit-config|mkdocs|\.readthedocs|codecov|\.gitlab-ci|\.travis|azure-pipelines|bitbucket-pipelines|action|chart|pnpm-lock|pnpm-workspace|\.yarnrc|meta)\.ya?ml$/i;

interface Walk {
  file: string;
  lines: LineIndex;
  out: Extraction;
}

export const extractor: Extractor = {
  id: ID,
  description:
    'Training configs in YAML (axolotl, LLaMA-Factory, torchtune, TRL/alignment-handbook recipes): base models, tokenizers, adapters and Hub datasets with their revisions and trust_remote_code.',
  match: (path) => /\.ya?ml$/i.test(path),
  extract(input) {
    try {
      return extractTrainingConfig(input);
    } catch (error) {
      return {
        ...emptyExtraction(),
        problems: [
          {
            file: input.path,
            line: 1,
            column: 1,
            message: `could not read training config: ${errorMessage(error)}`,
          },
        ],
      };
    }
  },
};

function extractTrainingConfig(input: ExtractInput): Extraction {
  const out = emptyExtraction();
  if (FOREIGN_DIRS.test(input.path) || FOREIGN_NAMES.test(baseName(input.path))) return out;
  if (!TRAINING_HINT.test(input.text)) return out;

  const yaml = parseYaml(input.text);
  if (yaml.docs.some(isForeignDocument)) return out;
  const walk: Walk = { file: input.path, lines: new LineIndex(input.text), out };
  if (yaml.error) {
    out.problems.push({
      ...errorLocation(walk.lines, input.path, yaml.error.offset),
      message: `YAML syntax error: ${yaml.error.message}`,
    });
  }
  for (const doc of yaml.docs) visit(doc.contents, walk, 0);
  // The walk visits a mapping's own keys before its children; report in file order instead.
  out.references.sort((a, b) => a.line - b.line || a.column - b.column);
  return out;
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Kubernetes, compose, GitHub workflow and conda documents belong to other extractors. */
function isForeignDocument(doc: Document.Parsed): boolean {
  const keys = new Set(topKeys(doc));
  if (keys.has('apiVersion') && keys.has('kind')) return true;
  if (keys.has('services') && !keys.has('base_model') && !keys.has('model_name_or_path'))
    return true;
  if (keys.has('jobs') && (keys.has('on') || keys.has('true'))) return true;
  return keys.has('dependencies') && keys.has('channels');
}

function topKeys(doc: Document.Parsed): string[] {
  if (!isMap(doc.contents)) return [];
  return doc.contents.items.flatMap((item) =>
    isPair(item) && isScalar(item.key) ? [String(item.key.value)] : [],
  );
}

function visit(node: unknown, walk: Walk, depth: number): void {
  if (depth > 64) return;
  if (isSeq(node)) {
    for (const item of node.items) visit(item, walk, depth + 1);
    return;
  }
  if (!isMap(node)) return;
  visitMap(node, walk);
  for (const item of node.items) if (isPair(item)) visit(item.value, walk, depth + 1);
}

function visitMap(map: YAMLMap, walk: Walk): void {
  const pairs = pairsByKey(map);
  const before = walk.out.references.length;
  for (const [key, pair] of pairs) {
    const rule = KEY_RULES.get(key);
    if (rule) keyReference(rule, key, pair, pairs, walk);
    else if (DATASET_LIST_KEYS.has(key)) datasetList(key, pair.value, walk);
    else if (key === 'dataset_mixer' && isMap(pair.value)) datasetMixer(pair.value, walk);
  }
  const component = scalarString(pairs.get('_component_')?.value)?.value ?? '';
  // torchtune passes `source` (and any `revision`) of a dataset component to load_dataset.
  if (/dataset/i.test(component)) {
    const source = pairs.get('source');
    if (source)
      emit(
        source.value,
        { kind: 'dataset', bare: false, via: 'source', revision: pairs.get('revision')?.value },
        walk,
      );
  }
  trustRemoteCode(pairs.get('trust_remote_code'), before, walk);
}

function pairsByKey(map: YAMLMap): Map<string, Pair<unknown, unknown>> {
  const pairs = new Map<string, Pair<unknown, unknown>>();
  for (const item of map.items) {
    if (isPair(item) && isScalar(item.key))
      pairs.set(String(item.key.value), item as Pair<unknown, unknown>);
  }
  return pairs;
}

function keyReference(
  rule: KeyRule,
  key: string,
  pair: Pair<unknown, unknown>,
  pairs: Map<string, Pair<unknown, unknown>>,
  walk: Walk,
): void {
  let revisionKey = rule.revisionKeys.find((k) => pairs.has(k));
  // A bare `revision` next to a model key is the model's, not the dataset's.
  if (
    !revisionKey &&
    rule.kind === 'dataset' &&
    pairs.has('revision') &&
    ![...pairs.keys()].some((k) => KEY_RULES.get(k)?.kind === 'model')
  ) {
    revisionKey = 'revision';
  }
  const revision = revisionKey ? pairs.get(revisionKey)?.value : undefined;
  const options = { kind: rule.kind, bare: rule.bare, via: key, revision };
  if (rule.commaList) commaList(pair.value, options, walk);
  else emit(pair.value, options, walk);
}

interface EmitOptions {
  kind: 'model' | 'dataset';
  bare: boolean;
  via: string;
  revision?: unknown;
}

/** One scalar id → one reference; anything that is not a Hub id is silently skipped. */
function emit(
  node: unknown,
  options: EmitOptions,
  walk: Walk,
  part?: { value: string; offset: number },
): void {
  const scalar = part ?? scalarString(node);
  if (!scalar || typeof scalar.value !== 'string') return;
  const value = scalar.value.trim();
  if (!value || (options.kind === 'dataset' && DATASET_BUILDERS.has(value.toLowerCase()))) return;
  const at: Location = walk.lines.location(walk.file, scalar.offset);
  const revision = revisionOf(options.revision, walk);
  const ref = hubReference({
    raw: value,
    kind: options.kind,
    at,
    extractor: ID,
    via: options.via,
    bare: options.bare,
    revision: revision?.value ?? null,
    revisionSpan: revision?.span,
  });
  if (ref) walk.out.references.push(ref);
}

function revisionOf(node: unknown, walk: Walk) {
  const scalar = scalarString(node);
  if (!scalar || !scalar.value.trim()) return null;
  const span = walk.lines.span(walk.file, scalar.offset, scalar.end) ?? undefined;
  return { value: scalar.value.trim(), span };
}

/** `adapter_name_or_path: org/a,org/b`: each part at its own column. */
function commaList(node: unknown, options: EmitOptions, walk: Walk): void {
  const scalar = scalarString(node);
  if (!scalar) return;
  const raw = walk.lines.text.slice(scalar.offset, scalar.end);
  let from = 0;
  for (const part of scalar.value.split(',')) {
    const value = part.trim();
    if (!value) continue;
    const found = raw.indexOf(value, from);
    from = found === -1 ? from : found + value.length;
    emit(undefined, options, walk, { value, offset: scalar.offset + Math.max(0, found) });
  }
}

/** axolotl `datasets`/`test_datasets`/`pretraining_dataset` and alignment-handbook mixtures. */
function datasetList(key: string, node: unknown, walk: Walk): void {
  const items = isSeq(node) ? node.items : [node];
  for (const item of items) {
    if (isScalar(item)) {
      emit(item, { kind: 'dataset', bare: false, via: key }, walk);
      continue;
    }
    if (!isMap(item)) continue;
    const pairs = pairsByKey(item);
    // `data_files` and `ds_type` describe files inside the repo or on disk, never another repo.
    const idPair = pairs.get('path') ?? pairs.get('id');
    if (!idPair) continue;
    emit(
      idPair.value,
      {
        kind: 'dataset',
        bare: false,
        via: `${key}[].${pairs.has('path') ? 'path' : 'id'}`,
        revision: pairs.get('revision')?.value,
      },
      walk,
    );
  }
}

/** Older alignment-handbook recipes: `dataset_mixer: {org/name: 0.5}`. */
function datasetMixer(map: YAMLMap, walk: Walk): void {
  for (const item of map.items) {
    if (isPair(item)) emit(item.key, { kind: 'dataset', bare: false, via: 'dataset_mixer' }, walk);
  }
}

/** `trust_remote_code: true` applies to the models named in the same mapping. */
function trustRemoteCode(
  pair: Pair<unknown, unknown> | undefined,
  firstRef: number,
  walk: Walk,
): void {
  if (!pair || !isScalar(pair.value) || pair.value.range == null) return;
  const value = pair.value.value;
  if (value !== true && !(typeof value === 'string' && /^true$/i.test(value))) return;
  for (const ref of walk.out.references.slice(firstRef))
    if (ref.kind === 'model') ref.trustRemoteCode = true;
  const [start, end] = pair.value.range;
  const span = walk.lines.span(walk.file, start, end) ?? undefined;
  walk.out.facts.push({
    type: 'remote-code',
    via: 'trust_remote_code',
    detail: 'trust_remote_code: true',
    ...walk.lines.location(walk.file, start),
    ...(span ? { span } : {}),
  });
}

/** The error's place, kept on the visible text of its line (a parser may point past a `\r`). */
function errorLocation(lines: LineIndex, file: string, offset: number): Location {
  const { line, column } = lines.position(offset);
  return { file, line, column: Math.min(column, lines.lineText(line).length + 1) };
}
