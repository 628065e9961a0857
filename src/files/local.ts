import { promises as fs } from 'node:fs';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import type { SkippedFile } from '../types.js';
import type { FileEntry, FileSource } from './source.js';

/** Folders that never hold a project's own declarations, only installed or generated copies. */
const SKIP_DIRS = new Set([
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
 */
export class LocalFileSource implements FileSource {
  readonly label: string;
  private readonly root: string;
  private realRoot: string | null = null;

  constructor(root: string) {
    this.root = path.resolve(root);
    this.label = root;
  }

  async *list(): AsyncIterable<FileEntry | SkippedFile> {
    this.realRoot ??= await fs.realpath(this.root);
    yield* this.walk({ dir: '', rules: [] }, 0);
  }

  async read(rel: string): Promise<Uint8Array> {
    const target = await this.resolveInside(rel);
    if (!target) throw new Error(`refusing to read outside the repository root: ${rel}`);
    return fs.readFile(target);
  }

  /** Real path of a repo-relative file, or null when it (or a link on its way) leaves the root. */
  private async resolveInside(rel: string): Promise<string | null> {
    this.realRoot ??= await fs.realpath(this.root);
    const abs = path.resolve(this.root, rel);
    if (!isInside(this.root, abs)) return null;
    const real = await fs.realpath(abs);
    return isInside(this.realRoot, real) ? real : null;
  }

  private async *walk(frame: Frame, depth: number): AsyncGenerator<FileEntry | SkippedFile> {
    if (depth > 64) return;
    const absDir = path.join(this.root, frame.dir);
    let entries: import('node:fs').Dirent[];
    try {
      entries = await fs.readdir(absDir, { withFileTypes: true });
    } catch {
      return;
    }
    const rules = await this.withGitignore(frame, entries);
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const rel = frame.dir ? `${frame.dir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (SKIP_DIRS.has(entry.name) || isIgnored(rules, rel, true)) continue;
        if (await isVirtualenv(path.join(this.root, rel))) continue;
        yield* this.walk({ dir: rel, rules }, depth + 1);
      } else if (entry.isFile()) {
        if (isIgnored(rules, rel, false)) continue;
        const size = await fileSize(path.join(this.root, rel));
        if (size !== null) yield { path: rel, size };
      } else if (entry.isSymbolicLink()) {
        if (isIgnored(rules, rel, false)) continue;
        yield* this.symlink(rel);
      }
    }
  }

  private async *symlink(rel: string): AsyncGenerator<FileEntry | SkippedFile> {
    let target: string | null;
    try {
      target = await this.resolveInside(rel);
    } catch {
      return; // dangling link
    }
    if (!target) {
      yield { file: rel, reason: 'outside-root' };
      return;
    }
    const stat = await fs.stat(target).catch(() => null);
    // Linked folders inside the root are walked under their real name already; linked files are
    // read like any other (they may be the only copy under a name an extractor matches).
    if (stat?.isFile()) yield { path: rel, size: stat.size };
  }

  private async withGitignore(
    frame: Frame,
    entries: import('node:fs').Dirent[],
  ): Promise<Frame['rules']> {
    if (!entries.some((e) => e.name === '.gitignore' && e.isFile())) return frame.rules;
    try {
      const text = await fs.readFile(path.join(this.root, frame.dir, '.gitignore'), 'utf8');
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

async function isVirtualenv(dir: string): Promise<boolean> {
  return fs.access(path.join(dir, 'pyvenv.cfg')).then(
    () => true,
    () => false,
  );
}

async function fileSize(abs: string): Promise<number | null> {
  return fs.stat(abs).then(
    (s) => s.size,
    () => null,
  );
}
