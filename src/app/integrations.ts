import type { GitHubClient } from '../github/client.js';
import type { RepoRef } from '../github/event.js';
import type { ScanResult } from '../scan.js';
import type { CommandJob } from './jobs.js';

/**
 * What the App does after a drift scan or on a bot command: the same functions the Action's
 * drift mode and `issue_comment` handling use (src/github/issues.ts, update-prs.ts,
 * commands.ts), called with an installation client. Kept behind this seam so the job handlers
 * do not depend on how those are put together, and tests can watch the calls.
 */
export interface DriftContext {
  client: GitHubClient;
  repo: RepoRef;
  result: ScanResult;
  /** The default branch's head commit that was scanned. */
  sha: string;
  defaultBranch: string;
  /** `https://github.com/owner/repo` (or the GHES equivalent). */
  repoUrl: string;
  dryRun: boolean;
  log: (message: string) => void;
  warn: (message: string) => void;
}

export interface CommandContext {
  client: GitHubClient;
  repo: RepoRef;
  command: CommandJob;
  dryRun: boolean;
  log: (message: string) => void;
  warn: (message: string) => void;
  /** Queues the App's pull request check of this pull request again (`recheck`). */
  recheck: (pullNumber: number) => Promise<void>;
}

export interface Integrations {
  drift(ctx: DriftContext): Promise<void>;
  command(ctx: CommandContext): Promise<void>;
}
