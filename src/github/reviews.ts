import {
  anchorLine,
  markedFingerprints,
  renderReviewComment,
  suggestedLine,
} from '../reporters/review-comment.js';
import type { Finding } from '../types.js';
import { apiFailure, type GitHubClient } from './client.js';
import type { RepoRef } from './event.js';
import { isAuthor, type Identity } from './identity.js';
import type { PullRequestDiff } from './pull-request.js';

/** More than this many new comments in one run is noise; the summary comment lists the rest. */
export const MAX_REVIEW_COMMENTS = 30;

export interface PlannedReviewComment {
  /** Repository-relative path at the head. */
  path: string;
  line: number;
  body: string;
  fingerprint: string;
}

/**
 * One review comment per finding on a changed line; the rest are in the summary comment, and
 * findings a policy exception suppresses get none. `fingerprints` is aligned with `findings` (the
 * whole list, so they equal the SARIF fingerprints). Pure.
 */
export function planReviewComments(
  findings: readonly Finding[],
  fingerprints: readonly string[],
  diff: PullRequestDiff,
  options: { repoPath: (file: string) => string; suggestions: boolean },
): PlannedReviewComment[] {
  const out: PlannedReviewComment[] = [];
  findings.forEach((f, i) => {
    if (f.suppressed) return;
    const path = options.repoPath(f.file);
    const line = anchorLine(f);
    const text = diff.changedLineText(path, line);
    if (text === null) return;
    const fingerprint = fingerprints[i] as string;
    const suggestion = options.suggestions ? suggestedLine(f, line, text) : null;
    out.push({
      path,
      line,
      fingerprint,
      body: renderReviewComment(f, { fingerprint, suggestion }),
    });
  });
  return out;
}

/** Fingerprints of the findings this account already commented on in this pull request. */
export async function existingReviewFingerprints(
  client: GitHubClient,
  repo: RepoRef,
  pullNumber: number,
  identity: Identity,
): Promise<Set<string>> {
  const comments = await client.paginate(client.rest.pulls.listReviewComments, {
    ...repo,
    pull_number: pullNumber,
    per_page: 100,
  });
  const marked = comments.filter((c) => markedFingerprints(c.body).length > 0);
  if (marked.length === 0) return new Set();
  const login = await identity.get();
  return new Set(
    marked.filter((c) => isAuthor(c.user, login)).flatMap((c) => markedFingerprints(c.body)),
  );
}

export interface ReviewOutcome {
  posted: number;
  /** Already commented on in an earlier run. */
  existing: number;
  /** Over MAX_REVIEW_COMMENTS. */
  capped: number;
  /** GitHub refused the line (422: not part of the diff). */
  rejected: number;
  dryRun: boolean;
}

/**
 * Posts the comments not yet made, as one review (one notification instead of one per line).
 * GitHub rejects a whole review when one line is outside the diff, so on 422 each comment is
 * posted alone and only the refused ones are dropped.
 */
export async function postReviewComments(
  client: GitHubClient,
  repo: RepoRef,
  pull: { number: number; headSha: string },
  planned: PlannedReviewComment[],
  options: { identity: Identity; dryRun: boolean; log: (message: string) => void },
): Promise<ReviewOutcome> {
  const outcome: ReviewOutcome = {
    posted: 0,
    existing: 0,
    capped: 0,
    rejected: 0,
    dryRun: options.dryRun,
  };
  if (planned.length === 0) return outcome;
  const seen = await existingReviewFingerprints(client, repo, pull.number, options.identity);
  const fresh = planned.filter((p) => !seen.has(p.fingerprint));
  outcome.existing = planned.length - fresh.length;
  const batch = fresh.slice(0, MAX_REVIEW_COMMENTS);
  outcome.capped = fresh.length - batch.length;
  if (batch.length === 0) {
    options.log(`All ${planned.length} findings on changed lines already have a review comment.`);
    return outcome;
  }
  if (options.dryRun) {
    for (const c of batch) options.log(`[dry-run] would have commented on ${c.path}:${c.line}`);
    return { ...outcome, posted: batch.length };
  }
  try {
    await client.rest.pulls.createReview({
      ...repo,
      pull_number: pull.number,
      commit_id: pull.headSha,
      event: 'COMMENT',
      body: `LLM supply chain guard: ${batch.length} ${batch.length === 1 ? 'finding' : 'findings'} on lines this pull request changes.`,
      comments: batch.map((c) => ({ path: c.path, line: c.line, side: 'RIGHT', body: c.body })),
    });
    options.log(`Posted a review with ${batch.length} comments.`);
    return { ...outcome, posted: batch.length };
  } catch (error) {
    if (apiFailure(error)?.status !== 422) throw error;
    options.log(
      `GitHub refused the review (422); posting its ${batch.length} comments one by one.`,
    );
  }
  for (const c of batch) {
    try {
      await client.rest.pulls.createReviewComment({
        ...repo,
        pull_number: pull.number,
        commit_id: pull.headSha,
        path: c.path,
        line: c.line,
        side: 'RIGHT',
        body: c.body,
      });
      outcome.posted++;
    } catch (error) {
      if (apiFailure(error)?.status !== 422) throw error;
      outcome.rejected++;
      options.log(`GitHub refused a comment on ${c.path}:${c.line}: ${apiFailure(error)?.message}`);
    }
  }
  return outcome;
}
