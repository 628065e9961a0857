import type { Extraction, ExtractInput, Extractor, Reference } from '../../types.js';
import { LineIndex } from '../../util/text.js';
import { weightsFormat } from '../../util/weights.js';
import { emptyExtraction, errorMessage, problemOnly } from '../extraction.js';
import { hubReference } from '../references.js';
import { analyze, type FoundRef } from './analyze.js';
import { tokenize } from './tokenizer.js';

const ID = 'js-source';

/** Only files naming a loader are tokenized; the rest cost one regex pass. */
const TRIGGER =
  /from_pretrained|pipeline|downloadFile|snapshotDownload|listFiles|fileDownloadInfo|fileExists|pathsInfo|parseSafetensorsMetadata|listCommits|modelInfo|datasetInfo/;

export const extractor: Extractor = {
  id: ID,
  description:
    'JavaScript and TypeScript sources: transformers.js loaders (pipeline, X.from_pretrained) and @huggingface/hub calls (downloadFile, listFiles, snapshotDownload …) with constants resolved.',
  match: (path) =>
    /\.(?:[cm]?js|[cm]?ts|jsx|tsx)$/i.test(path) && !/\.d\.[cm]?ts$|\.min\.js$/i.test(path),
  extract,
};

function extract(input: ExtractInput): Extraction {
  if (!TRIGGER.test(input.text)) return emptyExtraction();
  try {
    return read(input);
  } catch (error) {
    // A bug here must not stop the scan of the other files.
    return problemOnly({ file: input.path, line: 1, column: 1, message: errorMessage(error) });
  }
}

function read(input: ExtractInput): Extraction {
  const out = emptyExtraction();
  const lines = new LineIndex(input.text);
  const { tokens, problems } = tokenize(input.text);
  for (const p of problems)
    out.problems.push({ ...lines.location(input.path, p.offset), message: p.message });
  const seen = new Set<string>();
  for (const found of analyze(input.text, tokens)) {
    const ref = toReference(found, input.path, lines);
    if (!ref) continue;
    const key = [
      ref.kind,
      ref.id,
      ref.line,
      ref.column,
      ref.revision,
      ref.revisionSpan?.column,
      ref.filename,
    ].join('\u0000');
    if (seen.has(key)) continue;
    seen.add(key);
    out.references.push(ref);
    addWeights(found, ref, input.path, lines, out);
  }
  return out;
}

function toReference(f: FoundRef, file: string, lines: LineIndex): Reference | null {
  const revisionSpan = f.revision
    ? (lines.span(file, f.revision.start, f.revision.end) ?? undefined)
    : undefined;
  return hubReference({
    raw: f.id.value.slice(f.skip),
    kind: f.kind,
    at: lines.location(file, f.id.start + f.skip),
    extractor: ID,
    via: f.via,
    revision: f.revision?.value ?? null,
    revisionSpan,
    bare: f.bare,
    filename: f.filename?.value,
  });
}

/** `downloadFile({ path: "model.safetensors" })` fetches a weights file from the repo. */
function addWeights(
  f: FoundRef,
  ref: Reference,
  file: string,
  lines: LineIndex,
  out: Extraction,
): void {
  const name = f.filename?.value;
  const format = name ? weightsFormat(name) : null;
  if (!name || !format || !f.filename) return;
  const at = lines.location(file, f.filename.start);
  if (out.weights.some((w) => w.name === name && w.line === at.line && w.column === at.column))
    return;
  out.weights.push({
    ...at,
    name,
    format,
    origin: 'source',
    upstream: {
      id: ref.id,
      revision: ref.revision,
      kind: ref.kind === 'dataset' ? 'dataset' : 'model',
    },
  });
}
