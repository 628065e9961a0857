import { SUMMARY_MARKER } from '../reporters/pr-comment.js';
import type { GitHubClient } from './client.js';
import type { RepoRef } from './event.js';
import { isAuthor, type Author, type Identity } from './identity.js';

export interface ExistingComment {
  id: number;
  body: string;
  url: string;
  user: Author | null;
}

export type CommentPlan =
  | { kind: 'create'; body: string }
  | { kind: 'update'; id: number; body: string; url: string }
  | { kind: 'keep'; url: string }
  | { kind: 'none' };

/**
 * What to do with the summary comment. `wanted` is the body to show, or null when the policy says
 * to stay quiet (no findings with `comment: on-findings`): then an existing comment still becomes
 * `allClear`, so a fixed pull request does not keep showing old findings.
 */
export function planSummaryComment(
  existing: ExistingComment | null,
  wanted: string | null,
  allClear: string,
): CommentPlan {
  if (!existing) return wanted === null ? { kind: 'none' } : { kind: 'create', body: wanted };
  const body = wanted ?? allClear;
  if (normalize(existing.body) === normalize(body)) return { kind: 'keep', url: existing.url };
  return { kind: 'update', id: existing.id, body, url: existing.url };
}

/** GitHub stores what it is sent, but line endings and a trailing newline may differ. */
function normalize(body: string): string {
  return body.replace(/\r\n/g, '\n').trimEnd();
}

/**
 * The Action's summary comment on this pull request: the oldest comment that carries the marker
 * AND is written by the token's own account. The marker alone is not enough: anyone can paste it
 * into a comment, and the Action must never edit, or vouch for, someone else's text.
 */
export async function findSummaryComment(
  client: GitHubClient,
  repo: RepoRef,
  issueNumber: number,
  identity: Identity,
): Promise<ExistingComment | null> {
  const comments = await client.paginate(client.rest.issues.listComments, {
    ...repo,
    issue_number: issueNumber,
    per_page: 100,
  });
  const marked = comments.filter((c) => (c.body ?? '').includes(SUMMARY_MARKER));
  if (marked.length === 0) return null;
  const login = await identity.get();
  const own = marked.find((c) => isAuthor(c.user, login));
  return own ? { id: own.id, body: own.body ?? '', url: own.html_url, user: own.user } : null;
}

export interface CommentOutcome {
  action: CommentPlan['kind'];
  /** The comment's page, when there is (or, in a dry run, would be) one. */
  url: string | null;
  dryRun: boolean;
}

/** Creates, updates or leaves alone the one summary comment; writes nothing in a dry run. */
export async function applySummaryComment(
  client: GitHubClient,
  repo: RepoRef,
  issueNumber: number,
  plan: CommentPlan,
  options: { dryRun: boolean; log: (message: string) => void },
): Promise<CommentOutcome> {
  switch (plan.kind) {
    case 'none':
      options.log('No summary comment: nothing to report and none to update.');
      return { action: 'none', url: null, dryRun: options.dryRun };
    case 'keep':
      options.log(`The summary comment is up to date: ${plan.url}`);
      return { action: 'keep', url: plan.url, dryRun: options.dryRun };
    case 'update':
      if (options.dryRun) {
        options.log(`[dry-run] would have updated the summary comment ${plan.url}`);
      } else {
        await client.rest.issues.updateComment({ ...repo, comment_id: plan.id, body: plan.body });
        options.log(`Updated the summary comment ${plan.url}`);
      }
      return { action: 'update', url: plan.url, dryRun: options.dryRun };
    case 'create': {
      if (options.dryRun) {
        options.log(
          `[dry-run] would have created a summary comment (${plan.body.length} characters).`,
        );
        return { action: 'create', url: null, dryRun: true };
      }
      const { data } = await client.rest.issues.createComment({
        ...repo,
        issue_number: issueNumber,
        body: plan.body,
      });
      options.log(`Created the summary comment ${data.html_url}`);
      const url = await collapseDuplicates(client, repo, issueNumber, data, plan.body, options.log);
      return { action: 'create', url, dryRun: false };
    }
  }
}

/**
 * Two runs on one pull request (two pushes in quick succession) can both find no comment and
 * both create one. So after creating, look again: the oldest of our marked comments is the one
 * to keep; if ours is not it, the oldest gets this run's body; every other copy is deleted. Both
 * runs converge on the same single comment, whichever finishes first.
 */
async function collapseDuplicates(
  client: GitHubClient,
  repo: RepoRef,
  issueNumber: number,
  created: { id: number; html_url: string; user: Author | null },
  body: string,
  log: (message: string) => void,
): Promise<string> {
  if (!created.user) return created.html_url;
  const comments = await client.paginate(client.rest.issues.listComments, {
    ...repo,
    issue_number: issueNumber,
    per_page: 100,
  });
  const ours = comments
    .filter((c) => (c.body ?? '').includes(SUMMARY_MARKER) && isAuthor(c.user, created.user!.login))
    .sort((a, b) => a.id - b.id);
  const keep = ours[0];
  if (!keep || ours.length === 1) return created.html_url;
  if (keep.id !== created.id) {
    await client.rest.issues.updateComment({ ...repo, comment_id: keep.id, body });
  }
  for (const dup of ours.slice(1)) {
    try {
      await client.rest.issues.deleteComment({ ...repo, comment_id: dup.id });
    } catch (error) {
      // The other run may have deleted it first.
      if ((error as { status?: number }).status !== 404) throw error;
    }
  }
  log(`Another run created a summary comment at the same time; kept ${keep.html_url}.`);
  return keep.html_url;
}
