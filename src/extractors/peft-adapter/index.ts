import type { Extraction, ExtractInput, Extractor, TextSpan } from '../../types.js';
import { emptyExtraction, errorMessage } from '../extraction.js';
import { hubReference } from '../references.js';
import {
  jsonNode,
  jsonString,
  parseJson,
  positionOf,
  stringContentRange,
} from '../../util/json.js';
import { basename } from '../../util/paths.js';
import { LineIndex } from '../../util/text.js';

const ID = 'peft-adapter';

export const extractor: Extractor = {
  id: ID,
  description:
    'PEFT adapter configs (adapter_config.json): the base model the adapter is loaded onto and ' +
    'the revision it pins.',
  match: (path) => basename(path) === 'adapter_config.json',
  extract(input) {
    try {
      return extractAdapter(input);
    } catch (error) {
      return {
        ...emptyExtraction(),
        problems: [{ file: input.path, line: 1, column: 1, message: errorMessage(error) }],
      };
    }
  },
};

function extractAdapter(input: ExtractInput): Extraction {
  const out = emptyExtraction();
  const lines = new LineIndex(input.text);
  const doc = parseJson(input.text);
  if (doc.error) {
    out.problems.push({
      ...lines.location(input.path, doc.error.offset),
      message: doc.error.message,
    });
  }
  if (doc.root?.type !== 'object') return out;

  const base = jsonNode(doc.root, ['base_model_name_or_path']);
  const raw = jsonString(base);
  if (!base || !raw) return out;

  // `revision: null` (PEFT's default) means the base model is fetched from the default branch.
  const revisionNode = jsonNode(doc.root, ['revision']);
  const revision = jsonString(revisionNode);
  let revisionSpan: TextSpan | undefined;
  if (revisionNode && revision !== undefined) {
    const { start, end } = stringContentRange(revisionNode);
    revisionSpan = lines.span(input.path, start, end) ?? undefined;
  }
  // PeftModel.from_pretrained hands this string to the Hub loader, so a bare id is a Hub id.
  const ref = hubReference({
    raw,
    kind: 'model',
    at: { file: input.path, ...positionOf(lines, base) },
    extractor: ID,
    via: 'base_model_name_or_path',
    revision: revision ?? null,
    revisionSpan,
    bare: true,
  });
  if (ref) out.references.push(ref);
  return out;
}
