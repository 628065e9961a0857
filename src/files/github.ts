import { EXTRACTORS } from '../extractors/index.js';
import type { GitHubClient } from '../github/client.js';
import type { RepoRef } from '../github/event.js';
import type { PolicySource } from '../policy/load.js';
import {
  expectArray,
  expectObject,
  expectString,
  isObject,
  ShapeError,
} from '../registries/json-shape.js';
import { DEFAULT_MAX_FILE_BYTES } from '../scan.js';
import type { Extractor, SkippedFile } from '../types.js';
import { basename, dirname } from '../util/paths.js';
import { SKIP_DIRS } from './local.js';
import type { FileEntry, FileSource } from './source.js';

/** What the bot reads of one commit at most, in blob bytes: a guard for the server's memory. */
export const DEFAULT_MAX_TOTAL_BYTES = 64 * 1024 * 1024;
/** Tree requests one listing may make when GitHub truncates the recursive tree. */
const MAX_TREE_REQUESTS = 500;
/** Symlinks pointing at symlinks are followed this far, like a kernel's ELOOP limit. */
const MAX_LINK_HOPS = 8;

export interface GitHubFileSourceOptions {
  /** Files over this are listed but never fetched (scan reports them as `too-large`). */
  maxFileBytes?: number;
  /** Blob bytes one source fetches in total; past it reads fail (scan reports them unreadable). */
  maxTotalBytes?: number;
  /** The only files worth fetching; by default, those some extractor reads. */
  extractors?: readonly Extractor[];
  /** Degraded listings (a truncated tree walked in parts, a cap reached). */
  warn?: (message: string) => void;
}

/** A blob as the tree lists it. `target` is set for symlinks that resolve inside the tree. */
interface TreeBlob {
  sha: string;
  size: number;
  mode: string;
}

/** One entry of `GET /repos/{owner}/{repo}/git/trees/{sha}`, validated. */
interface TreeEntry {
  path: string;
  mode: string;
  type: 'blob' | 'tree' | 'commit';
  sha: string;
  size: number | null;
}

interface Tree {
  entries: TreeEntry[];
  truncated: boolean;
}

/**
 * One commit of a GitHub repository, read through the Git Data API without a checkout: the tree
 * once (recursive; walked in parts when GitHub truncates it), then the blobs of the files some
 * extractor reads, and nothing else. Paths are the tree's own, so nothing can point outside it:
 * symlinks are resolved inside the tree (one leaving it is reported `outside-root`), submodules
 * (other repositories) are not entered.
 */
export class GitHubFileSource implements FileSource {
  readonly label: string;
  private readonly maxFileBytes: number;
  private readonly maxTotalBytes: number;
  private readonly extractors: readonly Extractor[];
  private listing: Promise<Map<string, TreeBlob>> | null = null;
  /** Paths listed under a symlink's name: the blob they read. */
  private readonly links = new Map<string, TreeBlob>();
  private readonly skipped: SkippedFile[] = [];
  private fetched = 0;

  constructor(
    private readonly client: GitHubClient,
    private readonly repo: RepoRef,
    private readonly sha: string,
    private readonly options: GitHubFileSourceOptions = {},
  ) {
    this.label = `${repo.owner}/${repo.repo}@${sha}`;
    this.maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    this.maxTotalBytes = options.maxTotalBytes ?? DEFAULT_MAX_TOTAL_BYTES;
    this.extractors = options.extractors ?? EXTRACTORS;
  }

  /** Bytes of blobs fetched so far. */
  get bytesFetched(): number {
    return this.fetched;
  }

  async *list(): AsyncIterable<FileEntry | SkippedFile> {
    const blobs = await this.blobs();
    for (const [path, blob] of blobs) yield { path, size: blob.size };
    for (const [path, blob] of this.links) yield { path, size: blob.size };
    yield* this.skipped;
  }

  async read(path: string): Promise<Uint8Array> {
    const blob = (await this.blobs()).get(path) ?? this.links.get(path);
    if (!blob)
      throw Object.assign(new Error(`not in the tree at ${this.sha}: ${path}`), { status: 404 });
    if (!this.wanted(path, blob.size))
      throw new Error(`refusing to fetch ${path}: no extractor reads it`);
    if (blob.size > this.maxFileBytes)
      throw new Error(`refusing to fetch ${path}: ${blob.size} bytes is over the file size cap`);
    if (this.fetched + blob.size > this.maxTotalBytes)
      throw new Error(`refusing to fetch ${path}: the ${this.maxTotalBytes}-byte budget is spent`);
    this.fetched += blob.size;
    return this.blob(blob);
  }

  /** A file some extractor reads at this size: the only blobs ever fetched. */
  private wanted(path: string, size: number): boolean {
    return this.extractors.some((e) => e.match(path) && (e.maxBytes ?? Infinity) >= size);
  }

  private blobs(): Promise<Map<string, TreeBlob>> {
    this.listing ??= this.load();
    return this.listing;
  }

  private async load(): Promise<Map<string, TreeBlob>> {
    const entries = await this.walk();
    const skippedDirs = skippedFolders(entries);
    const blobs = new Map<string, TreeBlob>();
    const links: TreeEntry[] = [];
    for (const e of entries) {
      if (e.type !== 'blob' || isUnder(e.path, skippedDirs)) continue;
      if (e.mode === '120000') links.push(e);
      else blobs.set(e.path, { sha: e.sha, size: e.size ?? 0, mode: e.mode });
    }
    const byPath = new Map(entries.map((e) => [e.path, e]));
    for (const link of links) {
      // Resolving costs a blob request: only for links under a name some extractor reads.
      if (this.extractors.some((e) => e.match(link.path)))
        await this.resolveLink(link, blobs, byPath);
    }
    return blobs;
  }

  /** A symlink is listed under its own name when it points at a file inside the tree. */
  private async resolveLink(
    link: TreeEntry,
    blobs: Map<string, TreeBlob>,
    byPath: Map<string, TreeEntry>,
  ): Promise<void> {
    let current = link;
    for (let hop = 0; hop < MAX_LINK_HOPS; hop++) {
      const text = new TextDecoder().decode(
        await this.blob({ sha: current.sha, size: current.size ?? 0, mode: current.mode }),
      );
      const target = resolveInside(dirname(current.path), text);
      if (target === null) {
        this.skipped.push({ file: link.path, reason: 'outside-root' });
        return;
      }
      const blob = blobs.get(target);
      if (blob) {
        this.links.set(link.path, blob);
        return;
      }
      const next = byPath.get(target);
      // A link to a folder is not walked (the folder is listed under its real name already).
      if (!next || next.type !== 'blob' || next.mode !== '120000') return;
      current = next;
    }
  }

  /** Every entry of the commit's tree, walking subtrees one by one where GitHub truncated it. */
  private async walk(): Promise<TreeEntry[]> {
    const whole = await this.tree(this.sha, true);
    if (!whole.truncated) return whole.entries;
    this.options.warn?.(
      `The tree of ${this.label} is too large for one request; reading it folder by folder.`,
    );
    const out: TreeEntry[] = [];
    const budget = { requests: 1 };
    await this.walkParts(this.sha, '', out, budget);
    return out;
  }

  private async walkParts(
    sha: string,
    prefix: string,
    out: TreeEntry[],
    budget: { requests: number },
  ): Promise<void> {
    const shallow = await this.countedTree(sha, false, budget);
    if (shallow === null) return;
    for (const e of shallow.entries) {
      const path = prefix ? `${prefix}/${e.path}` : e.path;
      out.push({ ...e, path });
      if (e.type !== 'tree' || SKIP_DIRS.has(e.path)) continue;
      const deep = await this.countedTree(e.sha, true, budget);
      if (deep === null) return;
      if (!deep.truncated) {
        for (const d of deep.entries) out.push({ ...d, path: `${path}/${d.path}` });
      } else {
        await this.walkParts(e.sha, path, out, budget);
      }
    }
  }

  private async countedTree(
    sha: string,
    recursive: boolean,
    budget: { requests: number },
  ): Promise<Tree | null> {
    if (budget.requests >= MAX_TREE_REQUESTS) {
      if (budget.requests === MAX_TREE_REQUESTS)
        this.options.warn?.(
          `Stopped listing ${this.label} after ${MAX_TREE_REQUESTS} tree requests; files past that point are not scanned.`,
        );
      budget.requests++;
      return null;
    }
    budget.requests++;
    return this.tree(sha, recursive);
  }

  private async tree(sha: string, recursive: boolean): Promise<Tree> {
    const { data } = await this.client.rest.git.getTree({
      ...this.repo,
      tree_sha: sha,
      ...(recursive ? { recursive: '1' } : {}),
    });
    return parseTree(data);
  }

  private async blob(blob: TreeBlob): Promise<Uint8Array> {
    const { data } = await this.client.rest.git.getBlob({ ...this.repo, file_sha: blob.sha });
    return parseBlob(data, blob.sha);
  }
}

/** Folders the local source skips too: installed dependencies, caches, virtualenvs. */
function skippedFolders(entries: readonly TreeEntry[]): string[] {
  const out: string[] = [];
  for (const e of entries) {
    if (e.type === 'tree' && SKIP_DIRS.has(basename(e.path))) out.push(e.path);
    else if (e.type === 'blob' && basename(e.path) === 'pyvenv.cfg') {
      const dir = dirname(e.path);
      if (dir !== '') out.push(dir);
    }
  }
  return out;
}

function isUnder(path: string, dirs: readonly string[]): boolean {
  return dirs.some((d) => path.startsWith(`${d}/`));
}

/** A link's target as a tree path, or null when it is absolute or climbs out of the root. */
export function resolveInside(dir: string, target: string): string | null {
  if (target.startsWith('/') || target.includes('\0') || target.trim() === '') return null;
  const parts = dir === '' ? [] : dir.split('/');
  for (const part of target.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) return null;
      parts.pop();
    } else {
      parts.push(part);
    }
  }
  return parts.length > 0 ? parts.join('/') : null;
}

const TREE_TYPES = new Set(['blob', 'tree', 'commit']);

/** `GET /repos/{owner}/{repo}/git/trees/{tree_sha}`: `{sha, url, tree[], truncated}`. */
export function parseTree(data: unknown): Tree {
  const body = expectObject(data, 'tree response');
  const entries = expectArray(body.tree, 'tree').map((raw, i) => {
    const e = expectObject(raw, `tree[${i}]`);
    const type = expectString(e.type, `tree[${i}].type`);
    if (!TREE_TYPES.has(type)) throw new ShapeError(`tree[${i}].type is "${type}"`);
    const path = expectString(e.path, `tree[${i}].path`);
    // A path GitHub would never send: refuse it rather than read around the tree.
    if (path === '' || path.startsWith('/') || path.split('/').some((p) => p === '..' || p === ''))
      throw new ShapeError(`tree[${i}].path is not a tree path`);
    const size = e.size === undefined || e.size === null ? null : e.size;
    if (size !== null && (typeof size !== 'number' || !Number.isInteger(size) || size < 0))
      throw new ShapeError(`tree[${i}].size is not a size`);
    return {
      path,
      mode: expectString(e.mode, `tree[${i}].mode`),
      type: type as TreeEntry['type'],
      sha: expectString(e.sha, `tree[${i}].sha`),
      size,
    };
  });
  if (typeof body.truncated !== 'boolean') throw new ShapeError('truncated is not a boolean');
  return { entries, truncated: body.truncated };
}

/** `GET /repos/{owner}/{repo}/git/blobs/{file_sha}`: base64 `content` of `size` bytes. */
export function parseBlob(data: unknown, sha: string): Uint8Array {
  const body = expectObject(data, 'blob response');
  if (body.sha !== sha) throw new ShapeError(`blob sha is not ${sha}`);
  const content = expectString(body.content, 'content');
  const encoding = expectString(body.encoding, 'encoding');
  const bytes =
    encoding === 'base64'
      ? Buffer.from(content.replace(/\s+/g, ''), 'base64')
      : encoding === 'utf-8'
        ? Buffer.from(content, 'utf8')
        : null;
  if (!bytes) throw new ShapeError(`blob encoding is "${encoding}"`);
  if (typeof body.size === 'number' && body.size !== bytes.length)
    throw new ShapeError(`blob is ${bytes.length} bytes, GitHub said ${body.size}`);
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

/**
 * The policy file at one commit, through the contents API: one request, no tree listing. Only a
 * regular file is read (a symlink or a folder under the policy's name is refused, not followed);
 * a missing file is a 404, which the policy loader takes for "no policy".
 */
export class GitHubPolicySource implements PolicySource {
  constructor(
    private readonly client: GitHubClient,
    private readonly repo: RepoRef,
    private readonly ref: string,
  ) {}

  async read(path: string): Promise<Uint8Array> {
    const { data } = await this.client.rest.repos.getContent({ ...this.repo, path, ref: this.ref });
    if (!isObject(data) || data.type !== 'file')
      throw new Error(`${path} at ${this.ref} is not a regular file`);
    if (data.encoding !== 'base64' || typeof data.content !== 'string')
      throw new Error(`${path} at ${this.ref} is too large to read through the contents API`);
    return new Uint8Array(Buffer.from(data.content.replace(/\s+/g, ''), 'base64'));
  }
}
