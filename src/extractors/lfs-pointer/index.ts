import type { Extraction, ExtractInput, Extractor, ParseProblem } from '../../types.js';
import { emptyExtraction } from '../extraction.js';
import { basename } from '../../util/paths.js';
import { weightsFormat } from '../../util/weights.js';

const ID = 'lfs-pointer';

/** Extensions of files that hold weights (or tokenizer models) and so are stored in LFS. */
const WEIGHTS_EXT =
  /\.(?:safetensors|bin|pt|pth|ckpt|pkl|gguf|onnx|h5|keras|msgpack|model|pickle|joblib|npz)$/i;

/**
 * Pointer spec (git-lfs docs/spec.md): `version` first, then `key value` lines sorted by key,
 * each ending in LF, the whole pointer under 1024 bytes. `hawser` is the spec's pre-1.0 URL,
 * which git-lfs still reads.
 */
const VERSION_LINE = /^version https:\/\/(?:git-lfs|hawser)\.github\.com\/spec\/v1$/;
const OID = /^oid sha256:([0-9a-f]{64})$/;
const SIZE = /^size (\d+)$/;
const MAX_POINTER_BYTES = 1024;

export const extractor: Extractor = {
  id: ID,
  description:
    'Git LFS pointer files committed in place of weights (*.safetensors, *.bin, *.pt, *.gguf, ' +
    '*.onnx…): the sha256 and size of the real file.',
  match: (path) => WEIGHTS_EXT.test(basename(path)),
  maxBytes: MAX_POINTER_BYTES,
  extract: (input) => extractPointer(input),
};

function extractPointer(input: ExtractInput): Extraction {
  const out = emptyExtraction();
  if (!input.text.startsWith('version ') || input.text.length > MAX_POINTER_BYTES) return out;
  const lines = input.text.split('\n').map((l) => l.replace(/\r$/, ''));
  if (!VERSION_LINE.test(lines[0] ?? '')) return out;

  const oid = findField(lines, 'oid', OID);
  const size = findField(lines, 'size', SIZE);
  const problem =
    fieldProblem(input.path, 'oid', oid, 'oid sha256:<64 lowercase hex digits>') ??
    fieldProblem(input.path, 'size', size, 'size <bytes>');
  if (problem) {
    out.problems.push(problem);
    return out;
  }
  const bytes = Number(size?.value);
  if (!Number.isSafeInteger(bytes)) {
    out.problems.push({
      file: input.path,
      line: size?.line ?? 1,
      column: 6,
      message: 'LFS pointer size is out of range',
    });
    return out;
  }
  out.weights.push({
    file: input.path,
    line: 1,
    column: 1,
    name: input.path,
    format: weightsFormat(input.path) ?? 'other',
    origin: 'lfs-pointer',
    sha256: oid?.value as string,
    size: bytes,
  });
  return out;
}

interface Field {
  line: number;
  value: string | null;
}

/** The first line for `key`, with its value when it is well-formed. */
function findField(lines: string[], key: string, pattern: RegExp): Field | null {
  const i = lines.findIndex((l) => l === key || l.startsWith(`${key} `));
  if (i === -1) return null;
  return { line: i + 1, value: pattern.exec(lines[i] as string)?.[1] ?? null };
}

function fieldProblem(
  file: string,
  key: string,
  field: Field | null,
  expected: string,
): ParseProblem | null {
  if (!field) return { file, line: 1, column: 1, message: `LFS pointer has no ${key} line` };
  if (field.value === null) {
    return {
      file,
      line: field.line,
      column: 1,
      message: `malformed LFS pointer ${key} line, expected "${expected}"`,
    };
  }
  return null;
}
