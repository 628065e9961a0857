import { apiFailure, type GitHubClient } from './client.js';
import type { RepoRef } from './event.js';

/**
 * Reading and writing a repository through GitHub's Git Data API (refs, commits, trees, blobs):
 * no checkout and no git credentials, only the token. Requests are few: a file is found by
 * walking its folders' trees (one request per folder, shared by every file below it), not by
 * listing the whole repository.
 */

export interface TreeEntry {
  path: string;
  mode: string;
  type: string;
  sha: string;
}

export class GitTrees {
  private readonly trees = new Map<string, Promise<TreeEntry[]>>();

  constructor(
    private readonly client: GitHubClient,
    private readonly repo: RepoRef,
  ) {}

  /** The entry at `path` (a blob, usually) under the root tree `treeSha`; null when absent. */
  async entry(treeSha: string, path: string): Promise<TreeEntry | null> {
    const parts = path.split('/');
    let tree = treeSha;
    for (let i = 0; i < parts.length; i++) {
      const entries = await this.list(tree);
      const hit = entries.find((e) => e.path === parts[i]);
      if (!hit) return null;
      if (i === parts.length - 1) return hit;
      if (hit.type !== 'tree') return null;
      tree = hit.sha;
    }
    return null;
  }

  /** A blob's bytes (any size the API serves; base64 on the wire). */
  async blob(sha: string): Promise<Uint8Array> {
    const { data } = await this.client.rest.git.getBlob({ ...this.repo, file_sha: sha });
    if (data.encoding !== 'base64') return new TextEncoder().encode(data.content);
    return new Uint8Array(Buffer.from(data.content, 'base64'));
  }

  private list(sha: string): Promise<TreeEntry[]> {
    let hit = this.trees.get(sha);
    if (!hit) {
      hit = this.client.rest.git.getTree({ ...this.repo, tree_sha: sha }).then(({ data }) =>
        data.tree.map((e) => ({
          path: e.path ?? '',
          mode: e.mode ?? '100644',
          type: e.type ?? 'blob',
          sha: e.sha ?? '',
        })),
      );
      this.trees.set(sha, hit);
    }
    return hit;
  }
}

/** The commit a branch points at, or null when there is no such branch. */
export async function branchHead(
  client: GitHubClient,
  repo: RepoRef,
  branch: string,
): Promise<string | null> {
  try {
    const { data } = await client.rest.git.getRef({ ...repo, ref: `heads/${branch}` });
    return data.object.sha;
  } catch (error) {
    if (apiFailure(error)?.status === 404) return null;
    throw error;
  }
}

export interface CommitInfo {
  sha: string;
  tree: string;
  parents: string[];
  message: string;
}

export async function readCommit(
  client: GitHubClient,
  repo: RepoRef,
  sha: string,
): Promise<CommitInfo> {
  const { data } = await client.rest.git.getCommit({ ...repo, commit_sha: sha });
  return {
    sha: data.sha,
    tree: data.tree.sha,
    parents: data.parents.map((p) => p.sha),
    message: data.message,
  };
}

export interface FileChange {
  path: string;
  /** The file's mode in the base tree: an executable stays executable. */
  mode: '100644' | '100755';
  bytes: Uint8Array;
}

/** Blobs, a tree on top of `baseTree`, and a commit with one parent. Returns the commit's sha. */
export async function createCommit(
  client: GitHubClient,
  repo: RepoRef,
  change: { baseTree: string; parent: string; message: string; files: FileChange[] },
): Promise<string> {
  const entries = [];
  for (const f of change.files) {
    // base64 keeps every byte as it is; `content` would be re-encoded as UTF-8 text.
    const { data } = await client.rest.git.createBlob({
      ...repo,
      content: Buffer.from(f.bytes).toString('base64'),
      encoding: 'base64',
    });
    entries.push({ path: f.path, mode: f.mode, type: 'blob' as const, sha: data.sha });
  }
  const tree = await client.rest.git.createTree({
    ...repo,
    base_tree: change.baseTree,
    tree: entries,
  });
  const commit = await client.rest.git.createCommit({
    ...repo,
    message: change.message,
    tree: tree.data.sha,
    parents: [change.parent],
  });
  return commit.data.sha;
}

/** Points the branch at `sha`: creates it, or moves it even when that drops commits (force). */
export async function setBranch(
  client: GitHubClient,
  repo: RepoRef,
  branch: string,
  sha: string,
  exists: boolean,
): Promise<void> {
  if (exists)
    await client.rest.git.updateRef({ ...repo, ref: `heads/${branch}`, sha, force: true });
  else await client.rest.git.createRef({ ...repo, ref: `refs/heads/${branch}`, sha });
}

export async function deleteBranch(
  client: GitHubClient,
  repo: RepoRef,
  branch: string,
): Promise<void> {
  try {
    await client.rest.git.deleteRef({ ...repo, ref: `heads/${branch}` });
  } catch (error) {
    // Already gone (deleted on merge, or by someone): nothing to do. GitHub answers 422 for that.
    const status = apiFailure(error)?.status;
    if (status !== 404 && status !== 422) throw error;
  }
}
