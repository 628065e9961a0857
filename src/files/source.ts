import type { SkippedFile } from '../types.js';

export interface FileEntry {
  /** Repository-relative, `/` separators. */
  path: string;
  size: number;
}

/**
 * Where the engine reads files from: a local folder for the CLI and the Action, the GitHub API
 * for the bot. Nothing below the entry points knows which one it has.
 */
export interface FileSource {
  /** Shown in reports: a folder path or `owner/repo@sha`. */
  readonly label: string;
  /** Every candidate file, plus the ones refused on the way (symlinks out of the root…). */
  list(): AsyncIterable<FileEntry | SkippedFile>;
  /** Bytes of one listed file; refuses paths outside the root. */
  read(path: string): Promise<Uint8Array>;
}

export function isSkipped(entry: FileEntry | SkippedFile): entry is SkippedFile {
  return 'reason' in entry;
}
