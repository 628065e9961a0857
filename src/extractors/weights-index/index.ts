import type { Extraction, ExtractInput, Extractor } from '../../types.js';
import { emptyExtraction, errorMessage } from '../extraction.js';
import { jsonEntries, jsonNode, parseJson, positionOf } from '../../util/json.js';
import { basename } from '../../util/paths.js';
import { LineIndex } from '../../util/text.js';
import { weightsFormat } from '../../util/weights.js';

const ID = 'weights-index';

/** Shard indexes transformers writes; other `*.index.json` files are ours only with a weight_map. */
const SHARD_INDEX = /\.(?:safetensors|bin)\.index\.json$/;

export const extractor: Extractor = {
  id: ID,
  description:
    'Sharded checkpoint indexes (model.safetensors.index.json, pytorch_model.bin.index.json, ' +
    'any *.index.json with a weight_map): every shard file the index lists.',
  match: (path) => basename(path).endsWith('.index.json'),
  extract(input) {
    try {
      return extractIndex(input);
    } catch (error) {
      return {
        ...emptyExtraction(),
        problems: [{ file: input.path, line: 1, column: 1, message: errorMessage(error) }],
      };
    }
  },
};

function extractIndex(input: ExtractInput): Extraction {
  const out = emptyExtraction();
  const lines = new LineIndex(input.text);
  const strict = SHARD_INDEX.test(basename(input.path));
  const doc = parseJson(input.text);
  if (doc.error && (strict || input.text.includes('"weight_map"'))) {
    out.problems.push({
      ...lines.location(input.path, doc.error.offset),
      message: doc.error.message,
    });
  }
  if (!doc.root) return out;

  const weightMap = doc.root.type === 'object' ? jsonNode(doc.root, ['weight_map']) : undefined;
  if (weightMap?.type !== 'object') {
    if (strict && !doc.error) {
      const at = weightMap ?? doc.root;
      out.problems.push({
        ...lines.location(input.path, at.offset),
        message: weightMap ? 'weight_map is not an object' : 'shard index has no weight_map',
      });
    }
    return out;
  }

  const seen = new Set<string>();
  for (const [, value] of jsonEntries(weightMap)) {
    if (value.type !== 'string') continue;
    const shard = value.value as string;
    if (!shard || seen.has(shard)) continue;
    seen.add(shard);
    out.weights.push({
      file: input.path,
      ...positionOf(lines, value),
      name: shard,
      format: weightsFormat(shard) ?? 'other',
      origin: 'weights-index',
      index: input.path,
    });
  }
  return out;
}
