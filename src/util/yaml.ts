import {
  LineCounter,
  parseAllDocuments,
  isMap,
  isSeq,
  isScalar,
  isPair,
  type Document,
  type Node,
  type Pair,
} from 'yaml';

/**
 * YAML with positions. `yaml` keeps each node's source range; a LineCounter turns offsets into
 * lines. Alias expansion is capped (maxAliasCount) so an alias bomb becomes a parse error.
 */
export interface YamlFile {
  docs: Document.Parsed[];
  lineCounter: LineCounter;
  error: { message: string; offset: number } | null;
}

/**
 * The last text parsed and its result. The training-config, serving-config and conda extractors
 * all read `*.yaml`, one after the other on the same text: it is parsed once (a third of their
 * time). Callers only read the documents, never change them.
 */
let last: { text: string; file: YamlFile } | null = null;

export function parseYaml(text: string): YamlFile {
  if (last?.text === text) return last.file;
  const file = parseYamlOnce(text);
  last = { text, file };
  return file;
}

function parseYamlOnce(text: string): YamlFile {
  const lineCounter = new LineCounter();
  let docs: Document.Parsed[] = [];
  try {
    docs = parseAllDocuments(text, {
      lineCounter,
      uniqueKeys: false,
      prettyErrors: false,
      strict: false,
    }) as Document.Parsed[];
    if (!Array.isArray(docs)) docs = [docs as unknown as Document.Parsed];
  } catch (e) {
    return { docs: [], lineCounter, error: { message: (e as Error).message, offset: 0 } };
  }
  const firstError = docs.flatMap((d) => d.errors)[0];
  return {
    docs,
    lineCounter,
    error: firstError
      ? { message: firstError.message.split('\n')[0] as string, offset: firstError.pos[0] }
      : null,
  };
}

/** Converts a document to plain JS without letting an alias bomb expand. Null on failure. */
export function toPlain(doc: Document.Parsed): unknown {
  try {
    return doc.toJS({ maxAliasCount: 100 });
  } catch {
    return null;
  }
}

/** Visits every key/value pair with a scalar key, depth-first, with the path of keys above it. */
export function walkPairs(
  node: unknown,
  visit: (key: string, pair: Pair<unknown, unknown>, path: string[]) => void,
  path: string[] = [],
  depth = 0,
): void {
  if (depth > 64) return;
  if (isMap(node)) {
    for (const item of node.items) {
      if (!isPair(item)) continue;
      const key = isScalar(item.key) ? String(item.key.value) : null;
      if (key !== null) visit(key, item as Pair<unknown, unknown>, path);
      walkPairs(item.value, visit, key === null ? path : [...path, key], depth + 1);
    }
  } else if (isSeq(node)) {
    for (const item of node.items) walkPairs(item, visit, path, depth + 1);
  }
}

/** A scalar node's string value and the offset where its text starts (inside quotes). */
export function scalarString(node: unknown): { value: string; offset: number; end: number } | null {
  if (!isScalar(node) || node.range == null) return null;
  const v = node.value;
  if (typeof v !== 'string' && typeof v !== 'number') return null;
  const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE';
  const start = node.range[0] + (quoted ? 1 : 0);
  const end = node.range[1] - (quoted ? 1 : 0);
  // A plain scalar such as `1e50123` or `0123456` is a commit sha to us, not a number: keep
  // the source text rather than the number YAML made of it.
  const value = typeof v === 'number' && typeof node.source === 'string' ? node.source : String(v);
  return { value, offset: start, end };
}

export type { Node as YamlNode };
