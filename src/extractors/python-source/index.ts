import type {
  Extraction,
  ExtractInput,
  Extractor,
  Fact,
  Reference,
  WeightsFile,
} from '../../types.js';
import { LineIndex } from '../../util/text.js';
import { weightsFormat } from '../../util/weights.js';
import { emptyExtraction, errorMessage, problemOnly } from '../extraction.js';
import { hubReference } from '../references.js';
import { analyze, type Found, type FoundFact, type FoundRef } from './analyze.js';
import { notebookSource, type CellSource } from './notebook.js';
import { tokenize } from './tokenizer.js';

const ID = 'python-source';

/**
 * Names that must occur for a file to matter. Checked on the raw text before tokenizing, so the
 * many Python files that load nothing cost one regex pass.
 */
const TRIGGER =
  /from_pretrained|pipeline|SentenceTransformer|CrossEncoder|SparseEncoder|hf_hub_|snapshot_download|load_dataset|vllm|create_model|get_tokenizer|load_adapter|load_lora_weights|trust_remote_code|weights_only|pickle|joblib\.load|dill\.load/;

export const extractor: Extractor = {
  id: ID,
  description:
    'Python sources and Jupyter notebooks: Hugging Face loader calls (from_pretrained, pipeline, SentenceTransformer, hf_hub_download, snapshot_download, load_dataset, vLLM LLM, timm/open_clip hf-hub:) with constants resolved, trust_remote_code=True and pickle-based loads.',
  match: (path) => /\.(?:py|ipynb)$/i.test(path),
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
  const lines = new LineIndex(input.text);
  if (/\.ipynb$/i.test(input.path)) return extractNotebook(input, lines);
  const identity: CellSource = { text: input.text, toFile: (o) => o, toFileEnd: (o) => o };
  return scan(input, lines, identity);
}

function extractNotebook(input: ExtractInput, lines: LineIndex): Extraction {
  const { source, error } = notebookSource(input.text);
  const out = source ? scan(input, lines, source) : emptyExtraction();
  if (error) {
    out.problems.unshift({ ...lines.location(input.path, error.offset), message: error.message });
  }
  return out;
}

function scan(input: ExtractInput, lines: LineIndex, source: CellSource): Extraction {
  const out = emptyExtraction();
  const { tokens, problems } = tokenize(source.text);
  for (const p of problems) {
    out.problems.push({
      ...lines.location(input.path, source.toFile(p.offset)),
      message: p.message,
    });
  }
  const found = analyze(source.text, tokens);
  const place = new Placer(input.path, lines, source);
  collectReferences(found, place, out);
  for (const fact of found.facts) out.facts.push(place.fact(fact));
  return out;
}

class Placer {
  constructor(
    readonly file: string,
    private readonly lines: LineIndex,
    private readonly source: CellSource,
  ) {}

  at(offset: number) {
    return this.lines.location(this.file, this.source.toFile(offset));
  }

  span(start: number, end: number) {
    const from = this.source.toFile(start);
    const to = start === end ? from : this.source.toFileEnd(end);
    return this.lines.span(this.file, from, to) ?? undefined;
  }

  fact(f: FoundFact): Fact {
    const at = this.at(f.at);
    const span = f.span ? this.span(f.span.start, f.span.end) : undefined;
    if (f.type === 'remote-code') {
      return {
        type: 'remote-code',
        via: 'trust_remote_code',
        detail: f.detail,
        ...at,
        ...(span && { span }),
      };
    }
    return { type: 'unsafe-load', call: f.call, detail: f.detail, ...at, ...(span && { span }) };
  }
}

function collectReferences(found: Found, place: Placer, out: Extraction): void {
  const seen = new Map<string, Reference>();
  const weights = new Set<string>();
  for (const r of found.refs) {
    const ref = toReference(r, place);
    if (!ref) continue;
    const key = [
      ref.kind,
      ref.id,
      ref.line,
      ref.column,
      ref.revision,
      ref.revisionSpan?.line,
      ref.revisionSpan?.column,
      ref.filename,
    ].join('\u0000');
    const prior = seen.get(key);
    if (prior) {
      if (ref.trustRemoteCode) prior.trustRemoteCode = true;
      continue;
    }
    seen.set(key, ref);
    out.references.push(ref);
    const file = r.filename ? toWeights(r, ref, place) : null;
    const wkey = file ? `${file.name}\u0000${file.line}\u0000${file.column}\u0000${ref.id}` : '';
    if (file && !weights.has(wkey)) {
      weights.add(wkey);
      out.weights.push(file);
    }
  }
}

function toReference(r: FoundRef, place: Placer): Reference | null {
  const revisionSpan = r.revision ? place.span(r.revision.start, r.revision.end) : undefined;
  return hubReference({
    raw: r.id.value.slice(r.skip),
    kind: r.kind,
    at: place.at(r.id.start + r.skip),
    extractor: ID,
    via: r.via,
    revision: r.revision?.value ?? null,
    revisionSpan,
    bare: r.bare,
    trustRemoteCode: r.trust,
    filename: r.filename?.value,
  });
}

function toWeights(r: FoundRef, ref: Reference, place: Placer): WeightsFile | null {
  const name = r.filename?.value;
  const format = name ? weightsFormat(name) : null;
  if (!name || !format || !r.filename) return null;
  return {
    ...place.at(r.filename.start),
    name,
    format,
    origin: 'source',
    upstream: {
      id: ref.id,
      revision: ref.revision,
      kind: ref.kind === 'dataset' ? 'dataset' : 'model',
    },
  };
}
