import type { Node } from 'jsonc-parser';
import type { Extraction, ExtractInput, Extractor, Fact, Reference } from '../../types.js';
import { emptyExtraction, errorMessage } from '../extraction.js';
import { hubReference } from '../references.js';
import { jsonEntries, jsonString, parseJson, positionOf } from '../../util/json.js';
import { basename } from '../../util/paths.js';
import { LineIndex } from '../../util/text.js';

const ID = 'hf-config';

/** The files `save_pretrained` writes that can name an upstream or custom code. */
const FILE_NAMES = new Set([
  'config.json',
  'generation_config.json',
  'tokenizer_config.json',
  'preprocessor_config.json',
  'processor_config.json',
]);

/** Keys under which composite models keep a sub-model's config (its own `_name_or_path`). */
const NESTED_CONFIG = /^(?:[a-z0-9_]+_config|encoder|decoder)$/;

/** Keys that say a generic `config.json` was written by transformers. */
const HF_MARKERS =
  /"(?:_name_or_path|name_or_path|transformers_version|auto_map|architectures|model_type)"/;

export const extractor: Extractor = {
  id: ID,
  description:
    'Transformers config files (config.json, generation_config.json, tokenizer_config.json, ' +
    'preprocessor_config.json, processor_config.json): the model they were saved from, the ' +
    'transformers version and custom-code auto_map entries.',
  match: (path) => FILE_NAMES.has(basename(path)),
  extract(input) {
    try {
      return extractConfig(input);
    } catch (error) {
      return {
        ...emptyExtraction(),
        problems: [{ file: input.path, line: 1, column: 1, message: errorMessage(error) }],
      };
    }
  },
};

function extractConfig(input: ExtractInput): Extraction {
  const out = emptyExtraction();
  const lines = new LineIndex(input.text);
  const doc = parseJson(input.text);
  // `config.json` is a common name outside ML; only complain about files that look like ours.
  const ours = basename(input.path) !== 'config.json' || HF_MARKERS.test(input.text);
  if (doc.error && ours) {
    out.problems.push({
      ...lines.location(input.path, doc.error.offset),
      message: doc.error.message,
    });
  }
  if (doc.root?.type !== 'object' || !ours) return out;

  const at = (node: Node) => ({ file: input.path, ...positionOf(lines, node) });
  for (const [key, value, keyNode] of jsonEntries(doc.root)) {
    if (key === '_name_or_path' || key === 'name_or_path') {
      pushRef(out.references, nameOrPath(value, key, at));
    } else if (NESTED_CONFIG.test(key)) {
      for (const [sub, subValue] of jsonEntries(value)) {
        if (sub === '_name_or_path')
          pushRef(out.references, nameOrPath(subValue, `${key}.${sub}`, at));
      }
    } else if (key === 'transformers_version') {
      const version = jsonString(value);
      if (version) out.facts.push({ type: 'transformers-version', version, ...at(value) });
    } else if (key === 'auto_map') {
      autoMap(value, keyNode, at, out);
    }
  }
  return out;
}

type At = (node: Node) => { file: string; line: number; column: number };

function nameOrPath(value: Node, via: string, at: At): Reference | null {
  const raw = jsonString(value);
  if (!raw) return null;
  // Saved configs record the id handed to from_pretrained, so a bare legacy id is a Hub id.
  return hubReference({ raw, kind: 'model', at: at(value), extractor: ID, via, bare: true });
}

function pushRef(refs: Reference[], ref: Reference | null): void {
  if (ref) refs.push(ref);
}

/**
 * `auto_map` makes transformers import Python from the repository (custom code). A value of the
 * form `org/repo--module.Class` imports it from another Hub repo, which is then an upstream too.
 */
function autoMap(node: Node, keyNode: Node, at: At, out: Extraction): void {
  const refs: string[] = [];
  const seen = new Set<string>();
  for (const [autoClass, value] of jsonEntries(node)) {
    for (const item of classRefs(value)) {
      refs.push(`${autoClass}=${item.value as string}`);
      const repo = remoteRepo(item.value as string);
      if (!repo || seen.has(repo)) continue;
      seen.add(repo);
      const ref = hubReference({
        raw: repo,
        kind: 'model',
        at: at(item),
        extractor: ID,
        via: 'auto_map',
        bare: true,
        trustRemoteCode: true,
      });
      pushRef(out.references, ref);
    }
  }
  if (refs.length === 0) return;
  const fact: Fact = {
    type: 'remote-code',
    via: 'auto_map',
    detail: refs.join(', '),
    ...at(keyNode),
  };
  out.facts.push(fact);
}

/** String class references; `AutoTokenizer` maps to a `[slow, fast]` pair with nulls. */
function classRefs(value: Node): Node[] {
  if (value.type === 'string') return value.value ? [value] : [];
  if (value.type !== 'array') return [];
  return (value.children ?? []).filter((c) => c.type === 'string' && c.value);
}

function remoteRepo(classRef: string): string | null {
  const i = classRef.indexOf('--');
  return i > 0 ? classRef.slice(0, i) : null;
}
