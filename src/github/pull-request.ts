import type { GitHubClient } from './client.js';
import type { RepoRef } from './event.js';

/** GitHub's files API lists at most this many files of a pull request. */
export const FILES_API_LIMIT = 3000;

export interface ChangedFile {
  /** Repository-relative path at the head. */
  path: string;
  status: string;
  previousPath: string | null;
  /** The unified diff of this file; GitHub omits it for binary and very large diffs. */
  patch: string | null;
}

export interface ChangedFiles {
  files: ChangedFile[];
  /** GitHub stopped listing: the pull request changes more files than the API returns. */
  truncated: boolean;
}

/** Every changed file with its patch, 100 per page, as far as GitHub lists them. */
export async function listChangedFiles(
  client: GitHubClient,
  repo: RepoRef,
  pullNumber: number,
  expected: number | null,
): Promise<ChangedFiles> {
  const raw = await client.paginate(client.rest.pulls.listFiles, {
    ...repo,
    pull_number: pullNumber,
    per_page: 100,
  });
  const files = raw.map((f) => ({
    path: f.filename,
    status: f.status,
    previousPath: f.previous_filename ?? null,
    patch: typeof f.patch === 'string' ? f.patch : null,
  }));
  const truncated =
    files.length >= FILES_API_LIMIT || (expected !== null && expected > files.length);
  return { files, truncated };
}

/** Lines on the head side of one file's diff. */
export interface FileDiff {
  /** Lines the pull request adds or changes (`+` lines), with their text at the head. */
  added: Map<number, string>;
  /** Every head-side line shown in a hunk (added or context): where GitHub accepts a comment. */
  inDiff: Set<number>;
}

const HUNK = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/;

/**
 * Reads a unified diff's hunks for head-side line numbers. Lines of a hunk are counted, not
 * guessed from prefixes alone, so a removed line that starts with `--` or an added one that
 * starts with `@@` cannot derail the count.
 */
export function parsePatch(patch: string): FileDiff {
  const added = new Map<number, string>();
  const inDiff = new Set<number>();
  const lines = patch.split('\n');
  let i = 0;
  while (i < lines.length) {
    const m = HUNK.exec(lines[i] as string);
    i++;
    if (!m) continue;
    let line = Number(m[1]);
    let remaining = m[2] === undefined ? 1 : Number(m[2]);
    while (i < lines.length && (remaining > 0 || lines[i]?.startsWith('\\'))) {
      const text = (lines[i] as string).replace(/\r$/, '');
      i++;
      const marker = text[0];
      if (marker === '+') {
        added.set(line, text.slice(1));
        inDiff.add(line++);
        remaining--;
      } else if (marker === ' ' || text === '') {
        inDiff.add(line++);
        remaining--;
      }
      // '-' lines exist only at the base; '\' is "No newline at end of file".
    }
  }
  return { added, inDiff };
}

/** Which lines of which files a pull request touches, by repository-relative path. */
export class PullRequestDiff {
  /** null: GitHub sent no patch (binary or too large); 'added': a new file without a patch. */
  private readonly diffs = new Map<string, FileDiff | 'added' | null>();
  readonly truncated: boolean;

  constructor(changed: ChangedFiles) {
    this.truncated = changed.truncated;
    for (const f of changed.files) {
      if (f.status === 'removed') continue;
      if (f.patch !== null) this.diffs.set(f.path, parsePatch(f.patch));
      else this.diffs.set(f.path, f.status === 'added' ? 'added' : null);
    }
  }

  /** Paths present at the head that the pull request adds, modifies or renames. */
  get paths(): string[] {
    return [...this.diffs.keys()];
  }

  hasFile(path: string): boolean {
    return this.diffs.has(path);
  }

  /** The pull request adds or changes this line. */
  isChanged(path: string, line: number): boolean {
    const diff = this.diffs.get(path);
    return diff === 'added' || (!!diff && diff.added.has(line));
  }

  /**
   * The head-side text of a changed line shown in the diff, or null when the line is not one:
   * GitHub accepts review comments only on lines of the diff (422 elsewhere). The text comes from
   * the patch, so it is the head commit's even when the checkout is a merge commit.
   */
  changedLineText(path: string, line: number): string | null {
    const diff = this.diffs.get(path);
    return diff && diff !== 'added' ? (diff.added.get(line) ?? null) : null;
  }
}
