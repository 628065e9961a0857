import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ConfigurationError } from '../errors.js';
import { LocalFileSource } from '../files/local.js';
import { decodeText } from '../util/text.js';
import { parsePolicy } from './schema.js';
import { DEFAULT_POLICY_PATH, defaultPolicy, type Policy } from './types.js';

/** What a policy is read through: a FileSource (local folder, GitHub API) or the disk. */
export interface PolicySource {
  read(path: string): Promise<Uint8Array>;
}

/** `.yaml` is accepted for the default location as well, since both spellings are common. */
const DEFAULT_CANDIDATES = [DEFAULT_POLICY_PATH, DEFAULT_POLICY_PATH.replace(/\.yml$/, '.yaml')];

/**
 * Reads and validates the policy. With `file`, that file must exist; without, the default
 * location is tried and its absence means the default policy. Throws PolicyError (invalid) or
 * ConfigurationError (missing) — both stop the run: a policy that does not load must not be
 * silently replaced by no policy.
 */
export async function loadPolicy(source: PolicySource, file?: string | null): Promise<Policy> {
  for (const candidate of file ? [file] : DEFAULT_CANDIDATES) {
    const bytes = await readIfPresent(source, candidate);
    if (bytes) return parsePolicy(decodeText(bytes), candidate);
  }
  if (file) throw new ConfigurationError(`Policy file not found: ${file}`);
  return defaultPolicy();
}

/** Null when the file does not exist; any other failure (a refused symlink…) is an error. */
async function readIfPresent(source: PolicySource, file: string): Promise<Uint8Array | null> {
  try {
    return await source.read(file);
  } catch (error) {
    const e = error as { code?: string; status?: number; message?: string };
    if (e.code === 'ENOENT' || e.code === 'ENOTDIR' || e.status === 404) return null;
    throw new ConfigurationError(`Cannot read policy file ${file}: ${e.message ?? String(error)}`);
  }
}

/**
 * The CLI's and the Action's case: `config` is a path as the user typed it (relative to `cwd`),
 * the scan covers `root`. A policy inside `root` is named by its repository-relative path, so an
 * `exception-expired` finding lands on the right file; one outside keeps the path as given.
 */
export async function loadPolicyFromDisk(options: {
  root: string;
  config?: string | null;
  cwd: string;
}): Promise<Policy> {
  const root = path.resolve(options.root);
  // Inside the repository, read as the scan reads: a symlink out of the root is refused, so a
  // pull request cannot point the policy at some other file on the runner.
  const repo = new LocalFileSource(root);
  if (!options.config) return loadPolicy(repo);
  const absolute = path.resolve(options.cwd, options.config);
  const relative = path.relative(root, absolute);
  const inside = relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
  if (inside) return loadPolicy(repo, relative.split(path.sep).join('/'));
  // Outside the repository the path comes from the workflow or the command line, not the PR.
  return loadPolicy({ read: (p) => fs.readFile(path.resolve(options.cwd, p)) }, options.config);
}
