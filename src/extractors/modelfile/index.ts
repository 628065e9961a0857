import type { Extraction, Extractor, ExtractInput, Reference, WeightsFile } from '../../types.js';
import { emptyExtraction } from '../extraction.js';
import { hubReference } from '../references.js';
import { LineIndex } from '../../util/text.js';
import { weightsFormat } from '../../util/weights.js';
import { parseModelfile, type ModelfileCommand } from './parse.js';

const ID = 'modelfile';

/** `FROM hf.co/org/repo:Q4_K_M` and `FROM https://huggingface.co/org/repo`. */
const HF_PREFIX = /^(?:https?:\/\/)?(?:www\.)?(?:hf\.co|huggingface\.co)\//i;

/** Ollama's own registry; `registry.ollama.ai/library/llama3` is `llama3`. */
const DEFAULT_HOST = /^(?:https?:\/\/)?registry\.ollama\.ai\//i;

const OLLAMA_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.\-/:]*(?:@sha256:[0-9a-f]{64})?$/i;

export const extractor: Extractor = {
  id: ID,
  description:
    'Ollama Modelfiles: FROM/DRAFT base models (Ollama library names with their tag or digest, hf.co GGUF repos) and local weights or adapters named by FROM/ADAPTER.',
  match(path) {
    const base = path.slice(path.lastIndexOf('/') + 1);
    return base === 'Modelfile' || base.endsWith('.Modelfile') || base.startsWith('Modelfile.');
  },
  extract(input) {
    try {
      return extractModelfile(input);
    } catch {
      return emptyExtraction();
    }
  },
};

function extractModelfile(input: ExtractInput): Extraction {
  const out = emptyExtraction();
  const lines = new LineIndex(input.text);
  const parsed = parseModelfile(input.text);
  for (const problem of parsed.problems) {
    out.problems.push({ ...lines.location(input.path, problem.offset), message: problem.message });
  }
  for (const cmd of parsed.commands) {
    if (cmd.name === 'from' || cmd.name === 'draft') fromCommand(cmd, input.path, lines, out);
    else if (cmd.name === 'adapter') adapterCommand(cmd, input.path, lines, out);
  }
  return out;
}

function fromCommand(cmd: ModelfileCommand, file: string, lines: LineIndex, out: Extraction): void {
  const arg = firstWord(cmd);
  if (!arg) return;
  const via = cmd.name.toUpperCase();
  if (isLocalPath(arg.value)) {
    out.weights.push(localWeights(arg.value, lines.location(file, arg.offset)));
    return;
  }
  if (HF_PREFIX.test(arg.value)) {
    const ref = hfReference(arg.value, via, lines.location(file, arg.offset));
    if (ref) out.references.push(ref);
    return;
  }
  const ref = ollamaReference(arg.value, arg.offset, via, file, lines);
  if (ref) out.references.push(ref);
}

function adapterCommand(
  cmd: ModelfileCommand,
  file: string,
  lines: LineIndex,
  out: Extraction,
): void {
  const arg = firstWord(cmd);
  if (!arg) return;
  const at = lines.location(file, arg.offset);
  if (HF_PREFIX.test(arg.value)) {
    const ref = hfReference(arg.value, 'ADAPTER', at);
    if (ref) out.references.push(ref);
    return;
  }
  // Ollama reads adapters from disk only: anything that is not a Hub URL is a local path.
  out.weights.push(localWeights(arg.value, at));
}

/**
 * The argument up to the first blank. Ollama keeps a trailing `# note` as part of the value,
 * but names and paths in real files never contain blanks unless quoted.
 */
function firstWord(cmd: ModelfileCommand): { value: string; offset: number } | null {
  const value = cmd.quoted ? cmd.value.trim() : (cmd.value.trim().split(/\s+/)[0] ?? '');
  if (!value) return null;
  const lead = cmd.value.indexOf(value);
  return { value, offset: cmd.offset + Math.max(0, lead) };
}

function isLocalPath(value: string): boolean {
  if (/^[.~/\\]/.test(value) || /^[A-Za-z]:[\\/]/.test(value) || value.includes('\\')) return true;
  return weightsFormat(value) !== null;
}

function localWeights(
  name: string,
  at: { file: string; line: number; column: number },
): WeightsFile {
  // `ollama show --modelfile` writes blob paths (`…/blobs/sha256-…`): those blobs are GGUF.
  const format =
    weightsFormat(name) ?? (/\/blobs\/sha256-[0-9a-f]+$/i.test(name) ? 'gguf' : 'other');
  return { ...at, name, format, origin: 'modelfile' };
}

/** The `:Q4_K_M` suffix picks a GGUF file inside the repo; it is not a git revision. */
function hfReference(
  value: string,
  via: string,
  at: { file: string; line: number; column: number },
): Reference | null {
  const rest = value.replace(HF_PREFIX, '');
  const colon = rest.lastIndexOf(':');
  const repo = colon > rest.lastIndexOf('/') ? rest.slice(0, colon) : rest;
  const quant = colon > rest.lastIndexOf('/') ? rest.slice(colon + 1) : '';
  const label = quant && quant.toLowerCase() !== 'latest' ? `${via} (quant ${quant})` : via;
  return hubReference({ raw: `hf.co/${repo}`, kind: 'model', at, extractor: ID, via: label });
}

/** `[host/][namespace/]model[:tag][@sha256:digest]`, as ollama's ParseName reads it. */
function ollamaReference(
  value: string,
  offset: number,
  via: string,
  file: string,
  lines: LineIndex,
): Reference | null {
  if (!OLLAMA_NAME.test(value)) return null;
  const at = value.indexOf('@');
  const digest = at === -1 ? null : value.slice(at + 1);
  const name = at === -1 ? value : value.slice(0, at);
  const colon = name.lastIndexOf(':');
  const hasTag = colon > name.lastIndexOf('/');
  const tag = hasTag ? name.slice(colon + 1) : null;
  const id = canonicalOllamaName(hasTag ? name.slice(0, colon) : name);
  if (!id) return null;

  const revision = digest ?? tag;
  const revStart = digest ? offset + at + 1 : offset + colon + 1;
  const ref: Reference = {
    kind: 'model',
    ecosystem: 'ollama',
    id,
    revision,
    pinned: !!digest || (tag !== null && /^sha256[-:][0-9a-f]{12,64}$/i.test(tag)),
    ...lines.location(file, offset),
    extractor: ID,
    via,
  };
  if (revision) {
    const span = lines.span(file, revStart, revStart + revision.length);
    if (span) ref.revisionSpan = span;
  }
  return ref;
}

function canonicalOllamaName(name: string): string | null {
  const stripped = name.replace(DEFAULT_HOST, '').replace(/^library\//i, '');
  const parts = stripped.split('/');
  if (parts.some((p) => !p) || parts.length > 3) return null;
  return stripped;
}
