import { isMap, isPair, isScalar, isSeq, type YAMLMap } from 'yaml';
import type { Extraction, ExtractInput, Extractor, Fact } from '../../types.js';
import { emptyExtraction, errorMessage } from '../extraction.js';
import { hubReference } from '../references.js';
import { LineIndex } from '../../util/text.js';
import { parseYaml, scalarString } from '../../util/yaml.js';

const ID = 'model-card';

/** Metadata keys of Hub model and dataset cards; front matter without any of them is not a card. */
const CARD_KEYS = [
  'base_model',
  'datasets',
  'license',
  'pipeline_tag',
  'library_name',
  'tags',
  'model-index',
  'language',
];
const CARD_KEY_LINE = new RegExp(`^(?:${CARD_KEYS.join('|')})\\s*:`, 'm');
const FENCE = /^---[ \t]*\r?$/;

export const extractor: Extractor = {
  id: ID,
  description:
    'Model and dataset cards (README.md and other Markdown with YAML front matter): base_model, ' +
    'datasets and the declared license.',
  match: (path) => path.toLowerCase().endsWith('.md'),
  extract(input) {
    try {
      return extractCard(input);
    } catch (error) {
      return {
        ...emptyExtraction(),
        problems: [{ file: input.path, line: 1, column: 1, message: errorMessage(error) }],
      };
    }
  },
};

function extractCard(input: ExtractInput): Extraction {
  const out = emptyExtraction();
  if (!input.text.startsWith('---')) return out;
  const block = frontMatter(input.text);
  if (!block) return out;

  const lines = new LineIndex(input.text);
  const yaml = parseYaml(block.body);
  const looksLikeCard = CARD_KEY_LINE.test(block.body);
  if (yaml.error && looksLikeCard) {
    out.problems.push({
      ...lines.location(input.path, block.start + yaml.error.offset),
      message: `invalid YAML front matter: ${yaml.error.message}`,
    });
  }
  const root = yaml.docs[0]?.contents;
  if (!isMap(root) || !CARD_KEYS.some((k) => root.has(k))) return out;

  const at = (offset: number) => lines.location(input.path, block.start + offset);
  for (const item of strings(valueOf(root, 'base_model'))) {
    const ref = hubReference({
      raw: item.value,
      kind: 'model',
      at: at(item.offset),
      extractor: ID,
      via: 'base_model',
      bare: true,
    });
    if (ref) out.references.push(ref);
  }
  for (const item of strings(valueOf(root, 'datasets'))) {
    const ref = hubReference({
      raw: item.value,
      kind: 'dataset',
      at: at(item.offset),
      extractor: ID,
      via: 'datasets',
      bare: true,
    });
    if (ref) out.references.push(ref);
  }
  const license = licenseFact(root, at);
  if (license) out.facts.push(license);
  return out;
}

/**
 * The YAML between the opening `---` line and the next `---` line. `start` is the body's offset
 * in the file, so positions inside the body map back to file lines (the body starts on line 2).
 */
function frontMatter(text: string): { body: string; start: number } | null {
  const firstBreak = text.indexOf('\n');
  if (firstBreak === -1 || !FENCE.test(text.slice(0, firstBreak))) return null;
  const start = firstBreak + 1;
  let lineStart = start;
  while (lineStart <= text.length) {
    const next = text.indexOf('\n', lineStart);
    const end = next === -1 ? text.length : next;
    if (FENCE.test(text.slice(lineStart, end)))
      return { body: text.slice(start, lineStart), start };
    if (next === -1) return null;
    lineStart = next + 1;
  }
  return null;
}

function valueOf(map: YAMLMap, key: string): unknown {
  const pair = map.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === key);
  return pair?.value;
}

/** A scalar or a list of scalars, as strings with their body offsets. */
function strings(node: unknown): { value: string; offset: number }[] {
  const items = isSeq(node) ? node.items : [node];
  const out: { value: string; offset: number }[] = [];
  for (const item of items) {
    const s = scalarString(item);
    if (s && s.value.trim()) out.push({ value: s.value.trim(), offset: s.offset });
  }
  return out;
}

function licenseFact(
  root: YAMLMap,
  at: (offset: number) => { file: string; line: number; column: number },
): Fact | null {
  const licenses = strings(valueOf(root, 'license'));
  const first = licenses[0];
  if (!first) return null;
  // The Hub takes one identifier; a list (seen in some cards) means any of them.
  const fact: Fact = {
    type: 'license',
    license: licenses.map((l) => l.value).join(' OR '),
    ...at(first.offset),
  };
  const name = strings(valueOf(root, 'license_name'))[0];
  const link = strings(valueOf(root, 'license_link'))[0];
  if (name) fact.licenseName = name.value;
  if (link) fact.licenseLink = link.value;
  return fact;
}
