/**
 * Hugging Face Hub ids: what counts as one, and what is a local path instead.
 * Rules follow the Hub's repo-id validation (huggingface_hub `validate_repo_id`): one optional
 * namespace, names of [A-Za-z0-9._-], no `--` or `..`, no leading/trailing `-` or `.`, <= 96 chars.
 */

const NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,94}[A-Za-z0-9])?$/;

/** Namespaces the Hub reserves; `models/x` or `datasets/x` is a path, not a repo id. */
const RESERVED_NAMESPACES = new Set(['models', 'datasets', 'spaces', 'api', 'docs', 'blog']);

/** Directory names that training and serving code uses for local output. */
const LOCAL_DIRS = new Set([
  'output',
  'outputs',
  'out',
  'checkpoint',
  'checkpoints',
  'ckpt',
  'ckpts',
  'model',
  'data',
  'tmp',
  'temp',
  'cache',
  'runs',
  'results',
  'saved',
  'saved_models',
  'weights',
  'artifacts',
  'logs',
  'src',
  'local',
  'mnt',
  'home',
  'workspace',
  'root',
  'content',
  'drive',
  'storage',
  'lora',
  'adapters',
  'merged',
  'exports',
  'export',
  'pretrained',
  'finetuned',
  'base',
]);

/** One-word names that trainers give their own output folders (`checkpoint-500`, `step_1000`). */
const TRAINING_OUTPUT = /^(?:checkpoint|ckpt|step|global_step|epoch|iter|run)[-_]?\d+$/i;

/** File extensions that mark a string as a file path rather than a repo id. */
const FILE_EXT =
  /\.(?:json|ya?ml|txt|bin|pt|pth|ckpt|safetensors|gguf|ggml|onnx|h5|keras|pkl|pickle|npz|npy|py|sh|csv|tsv|parquet|arrow|jsonl|zip|tar|gz|tgz|md|model|tflite|msgpack)$/i;

export interface HubId {
  /** The id as written (minus an `hf.co/` / `https://huggingface.co/` prefix). */
  id: string;
  namespace: string | null;
  name: string;
}

/**
 * Returns the Hub id a string names, or null when it is a local path, a URL elsewhere, a
 * template, or not a valid id. `bare` allows one-segment ids (`gpt2`); only callers that know the
 * string is passed to a Hub loader should allow them, because a bare word is otherwise ambiguous.
 */
export function parseHubId(raw: string, opts: { bare?: boolean } = {}): HubId | null {
  let s = raw.trim();
  if (!s || s.length > 200) return null;
  const url =
    /^(?:https?:\/\/)?(?:www\.)?(?:huggingface\.co|hf\.co)\/(?:(models|datasets)\/)?([^?#]+)/i.exec(
      s,
    );
  if (url) {
    const rest = (url[2] as string).replace(/\/+$/, '');
    // Only the repo part: drop /tree/main, /resolve/... and similar suffixes.
    s = rest.split('/').slice(0, 2).join('/');
    if (!s.includes('/')) return null;
  } else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(s)) {
    return null; // s3://, gs://, file://, http to other hosts
  }
  if (/[\\${}<>%*\s]/.test(s)) return null; // Windows paths, templates, globs
  if (/^[.~/]/.test(s) || s.endsWith('/')) return null; // ./ckpt, ~/x, /models/x, outputs/
  if (FILE_EXT.test(s)) return null;
  const parts = s.split('/');
  if (parts.length > 2) return null;
  if (parts.some((p) => !NAME.test(p) || p.includes('--') || p.includes('..'))) return null;
  if (parts.length === 1) {
    if (!opts.bare) return null;
    const name = parts[0] as string;
    if (LOCAL_DIRS.has(name.toLowerCase()) || /^\d+$/.test(name) || TRAINING_OUTPUT.test(name))
      return null;
    return { id: name, namespace: null, name };
  }
  const [namespace, name] = parts as [string, string];
  if (RESERVED_NAMESPACES.has(namespace.toLowerCase())) return null;
  if (LOCAL_DIRS.has(namespace.toLowerCase())) return null;
  return { id: `${namespace}/${name}`, namespace, name };
}

/** An immutable Hub revision: a commit sha, full (40) or abbreviated (>= 7 hex). */
export function isCommitSha(revision: string | null | undefined): boolean {
  return !!revision && /^[0-9a-f]{7,40}$/i.test(revision);
}
