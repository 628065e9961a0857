import { readdirSync, readFileSync, realpathSync, statSync, type Dirent } from 'node:fs';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import type { SkippedFile } from '../types.js';
import type { FileEntry, FileSource } from './source.js';

/**
 * Folders that never hold a project's own declarations, only installed or generated copies.
 * Shared with the GitHub file source (src/files/github.ts), so both read the same files.
 */
export const SKIP_DIRS: ReadonlySet<string> = new Set([
  '.git',
  'node_modules',
  '.venv',
  'venv',
  '.tox',
  '.nox',
  '__pycache__',
  '.mypy_cache',
  '.pytest_cache',
  '.ruff_cache',
  'site-packages',
  '.ipynb_checkpoints',
  '.cache',
  '.hg',
  '.svn',
  '.dvc',
  'wandb',
  'mlruns',
  '.idea',
  '.vscode',
]);

interface Frame {
  dir: string; // repo-relative, '' for the root
  rules: { base: string; ig: Ignore }[];
}

/**
 * A local folder. Honours .gitignore files (nested, as git does), skips installed dependency
 * folders and virtualenvs, and never follows a symlink out of the root: directories reached by a
 * symlink are not walked at all, and a file symlink is read only when its target is inside.
 *
 * File system calls are synchronous on purpose: each async call is a hand-off to libuv's thread
 * pool and back, which on one core cost 3-5 times the call itself (npm run bench: 1.0 s against
 * 0.2 s to read 10,000 files). Extraction is synchronous anyway and nothing else runs while the
 * walk does; the interface stays async for sources that do wait (the GitHub API).
 */
export class LocalFileSource implements FileSource {
  readonly label: string;
  private readonly root: string;
  private realRoot: string | null = null;
  /**
   * Regular files the walk reached through real directories only: inside the root by
   * construction, so reading them needs no realpath (one system call per file saved).
   */
  private readonly walked = new Set<string>();

  constructor(root: string) {
    this.root = path.resolve(root);
    this.label = root;
  }

  async *list(): AsyncIterable<FileEntry | SkippedFile> {
    this.realRoot ??= realpathSync(this.root);
    yield* this.walk({ dir: '', rules: [] }, 0);
  }

  async read(rel: string): Promise<Uint8Array> {
    if (this.walked.has(rel)) return readFileSync(path.join(this.root, rel));
    const target = this.resolveInside(rel);
    if (!target) throw new Error(`refusing to read outside the repository root: ${rel}`);
    return readFileSync(target);
  }

  /** Real path of a repo-relative file, or null when it (or a link on its way) leaves the root. */
  private resolveInside(rel: string): string | null {
    this.realRoot ??= realpathSync(this.root);
    const abs = path.resolve(this.root, rel);
    if (!isInside(this.root, abs)) return null;
    const real = realpathSync(abs);
    return isInside(this.realRoot, real) ? real : null;
  }

  private *walk(frame: Frame, depth: number): Generator<FileEntry | SkippedFile> {
    if (depth > 64) return;
    const absDir = path.join(this.root, frame.dir);
    let entries: Dirent[];
    try {
      entries = readdirSync(absDir, { withFileTypes: true });
    } catch {
      return;
    }
    const rules = this.withGitignore(frame, entries);
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const rel = frame.dir ? `${frame.dir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (SKIP_DIRS.has(entry.name) || isIgnored(rules, rel, true)) continue;
        if (isVirtualenv(path.join(this.root, rel))) continue;
        yield* this.walk({ dir: rel, rules }, depth + 1);
      } else if (entry.isFile()) {
        if (isIgnored(rules, rel, false)) continue;
        const size = fileSize(path.join(this.root, rel));
        if (size === null) continue;
        this.walked.add(rel);
        yield { path: rel, size };
      } else if (entry.isSymbolicLink()) {
        if (isIgnored(rules, rel, false)) continue;
        yield* this.symlink(rel);
      }
    }
  }

  private *symlink(rel: string): Generator<FileEntry | SkippedFile> {
    let target: string | null;
    try {
      target = this.resolveInside(rel);
    } catch {
      return; // dangling link
    }
    if (!target) {
      yield { file: rel, reason: 'outside-root' };
      return;
    }
    const stat = statSync(target, { throwIfNoEntry: false });
    // Linked folders inside the root are walked under their real name already; linked files are
    // read like any other (they may be the only copy under a name an extractor matches).
    if (stat?.isFile()) yield { path: rel, size: stat.size };
  }

  private withGitignore(frame: Frame, entries: Dirent[]): Frame['rules'] {
    if (!entries.some((e) => e.name === '.gitignore' && e.isFile())) return frame.rules;
    try {
      const text = readFileSync(path.join(this.root, frame.dir, '.gitignore'), 'utf8');
      return [...frame.rules, { base: frame.dir, ig: ignore().add(text) }];
    } catch {
      return frame.rules;
    }
  }
}

function isIgnored(rules: Frame['rules'], rel: string, isDir: boolean): boolean {
  for (const { base, ig } of rules) {
    const sub = base ? rel.slice(base.length + 1) : rel;
    if (ig.ignores(isDir ? `${sub}/` : sub)) return true;
  }
  return false;
}

function isInside(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function isVirtualenv(dir: string): boolean {
  return statSync(path.join(dir, 'pyvenv.cfg'), { throwIfNoEntry: false }) !== undefined;
}

function fileSize(abs: string): number | null {
  try {
    return statSync(abs).size;
  } catch {
    return null;
  }
}
