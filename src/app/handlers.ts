import { ConfigurationError } from '../errors.js';
import { GitHubFileSource, GitHubPolicySource } from '../files/github.js';
import { apiFailure, type GitHubClient } from '../github/client.js';
import { applySummaryComment, findSummaryComment, planSummaryComment } from '../github/comments.js';
import type { RepoRef } from '../github/event.js';
import { Identity } from '../github/identity.js';
import { FILES_API_LIMIT, listChangedFiles, PullRequestDiff } from '../github/pull-request.js';
import { planReviewComments, postReviewComments } from '../github/reviews.js';
import { loadPolicy } from '../policy/load.js';
import { PolicyError } from '../policy/schema.js';
import type { Policy } from '../policy/types.js';
import { createEnricher } from '../registries/index.js';
import { code, md, urlPart } from '../reporters/escape.js';
import { fingerprints } from '../reporters/fingerprint.js';
import { renderAllClear, renderPrComment, SUMMARY_MARKER } from '../reporters/pr-comment.js';
import { activeFindings } from '../reporters/summary.js';
import { scan, type ScanResult } from '../scan.js';
import { TOOL_NAME } from '../version.js';
import type { AppConfig } from './config.js';
import type { GitHubApp } from './github-app.js';
import type { Integrations } from './integrations.js';
import {
  driftJob,
  pullRequestJob,
  stamp,
  type CommandJob,
  type DriftJob,
  type PullRequestJob,
  type QueuedJob,
  type SweepJob,
} from './jobs.js';
import { errorFields, type Logger } from './log.js';
import type { JobContext, JobHandler, JobQueue } from './queue.js';

export interface HandlerDeps {
  app: GitHubApp;
  config: AppConfig;
  queue: JobQueue;
  integrations: Integrations;
}

/**
 * Runs one job. GitHub refusing something for good (a 4xx other than a rate limit: the App lost
 * access, the pull request is gone) is logged and ends the job; anything else is thrown, and the
 * queue tries again later.
 */
export function createJobHandler(deps: HandlerDeps): JobHandler {
  return async (q: QueuedJob, ctx: JobContext) => {
    try {
      await dispatch(deps, q, ctx);
    } catch (error) {
      const failure = apiFailure(error);
      if (failure && failure.status >= 400 && failure.status < 500 && !isRateLimit(failure))
        return ctx.log.warn('GitHub refused a request; the job is not retried', {
          ...errorFields(error),
          status: failure.status,
          github: failure.message,
          acceptedPermissions: failure.acceptedPermissions,
        });
      throw error;
    }
  };
}

function isRateLimit(failure: { status: number; message: string }): boolean {
  return failure.status === 429 || /rate limit/i.test(failure.message);
}

async function dispatch(deps: HandlerDeps, q: QueuedJob, ctx: JobContext): Promise<void> {
  const job = q.job;
  switch (job.kind) {
    case 'pull-request':
      return checkPullRequest(deps, job, ctx.log);
    case 'drift':
      return checkDrift(deps, job, ctx.log);
    case 'drift-sweep':
      return sweep(deps, job, ctx.log);
    case 'command':
      return runCommand(deps, job, ctx.log);
  }
}

function repoOf(job: { owner: string; repo: string }): RepoRef {
  return { owner: job.owner, repo: job.repo };
}

async function runScan(
  deps: HandlerDeps,
  client: GitHubClient,
  repo: RepoRef,
  sha: string,
  policy: Policy,
  log: Logger,
  include?: (path: string) => boolean,
): Promise<ScanResult> {
  const warn = (m: string) => log.warn(m);
  const source = new GitHubFileSource(client, repo, sha, {
    maxFileBytes: deps.config.maxFileBytes,
    maxTotalBytes: deps.config.maxRepoBytes,
    warn,
  });
  const result = await scan(source, {
    maxFileBytes: deps.config.maxFileBytes,
    policy,
    ...(include ? { include } : {}),
    ...(deps.config.offline ? {} : { enrich: createEnricher(deps.config.online, { warn }) }),
  });
  log.info('scanned', {
    sha,
    references: result.references.length,
    findings: result.findings.length,
    filesListed: result.stats.filesListed,
    filesRead: result.stats.filesRead,
    bytesRead: result.stats.bytesRead,
    ms: result.stats.totalMs,
  });
  return result;
}

// ---- pull requests ----

async function checkPullRequest(deps: HandlerDeps, job: PullRequestJob, log: Logger) {
  const client = await deps.app.installationClient(job.installationId);
  const repo = repoOf(job);
  // The pull request as it is now, not as the event described it: a coalesced or retried job
  // checks the latest head.
  const { data: pr } = await client.rest.pulls.get({ ...repo, pull_number: job.number });
  if (pr.state !== 'open') return log.info('pull request is closed; nothing to check');
  if (pr.draft) return log.info('draft pull request; checked once it is ready for review');
  const headSha = pr.head.sha;
  const repoUrl = `${new URL(pr.html_url).origin}/${urlPart(job.owner)}/${urlPart(job.repo)}`;
  const notes: string[] = [];
  const changed = await listChangedFiles(client, repo, job.number, pr.changed_files ?? null);
  const diff = new PullRequestDiff(changed);
  if (changed.truncated)
    notes.push(
      `GitHub lists at most ${FILES_API_LIMIT} changed files of a pull request and this one changes ${pr.changed_files}, so the whole repository was scanned; findings in files beyond the first ${FILES_API_LIMIT} are not told apart as changed.`,
    );
  const identity = new Identity(client, (m) => log.debug(m));
  const say = (m: string) => log.info(m);
  const options = { dryRun: deps.config.dryRun, log: say };

  // The policy of the base branch judges the pull request: a pull request cannot switch off the
  // rules that would flag it.
  let policy: Policy;
  try {
    policy = await loadPolicy(new GitHubPolicySource(client, repo, pr.base.sha));
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    log.warn('the policy file does not load; the pull request is not checked', errorFields(error));
    if (deps.config.comment === 'never') return;
    const existing = await findSummaryComment(client, repo, job.number, identity);
    const body = policyErrorComment(error, pr.base.ref);
    await applySummaryComment(
      client,
      repo,
      job.number,
      planSummaryComment(existing, body, body),
      options,
    );
    return;
  }

  const scope = deps.config.scope === 'changed' && !diff.truncated ? 'changed' : 'all';
  const result = await runScan(
    deps,
    client,
    repo,
    headSha,
    policy,
    log,
    scope === 'changed' ? (file) => diff.hasFile(file) : undefined,
  );
  const isChanged = (f: { file: string; line: number }) => diff.isChanged(f.file, f.line);

  if (deps.config.comment !== 'never') {
    const render = {
      isChanged,
      headSha,
      scope,
      notes,
      blobUrl: `${repoUrl}/blob/${headSha}`,
    } as const;
    const allClear = renderAllClear(result, render);
    const wanted =
      activeFindings(result.findings).length > 0
        ? renderPrComment(result, render)
        : deps.config.comment === 'always'
          ? allClear
          : null;
    const existing = await findSummaryComment(client, repo, job.number, identity);
    const outcome = await applySummaryComment(
      client,
      repo,
      job.number,
      planSummaryComment(existing, wanted, allClear),
      options,
    );
    log.info('summary comment', { action: outcome.action, url: outcome.url });
  }
  if (deps.config.reviewComments) {
    const planned = planReviewComments(result.findings, fingerprints(result.findings), diff, {
      repoPath: (file) => file,
      suggestions: deps.config.suggestions,
    });
    const review = await postReviewComments(
      client,
      repo,
      { number: job.number, headSha },
      planned,
      { identity, ...options },
    );
    log.info('review comments', {
      posted: review.posted,
      existing: review.existing,
      capped: review.capped,
      rejected: review.rejected,
    });
  }
}

/** The summary comment when the base branch's policy file is broken: say so, and where. */
function policyErrorComment(error: ConfigurationError, baseRef: string): string {
  const problems =
    error instanceof PolicyError
      ? error.problems.map(
          (p) =>
            `- ${code(`${p.file}:${p.line}:${p.column}`)} ${md(p.key ? `${p.key}: ${p.message}` : p.message)}`,
        )
      : [`- ${md(error.message)}`];
  return [
    SUMMARY_MARKER,
    `### 🛡️ LLM supply chain guard: ⚠️ policy file does not load`,
    '',
    `The policy file on ${code(baseRef)} is invalid, so this pull request was not checked. Fix it on ${code(baseRef)} and push again (or comment a recheck).`,
    '',
    ...problems,
    '',
    `<sub>${TOOL_NAME}</sub>`,
  ].join('\n');
}

// ---- drift ----

async function checkDrift(deps: HandlerDeps, job: DriftJob, log: Logger) {
  const client = await deps.app.installationClient(job.installationId);
  const repo = repoOf(job);
  const { data: info } = await client.rest.repos.get({ ...repo });
  if (info.archived) return log.info('archived repository; no drift check');
  const branch = info.default_branch;
  let sha: string;
  try {
    const { data: ref } = await client.rest.git.getRef({ ...repo, ref: `heads/${branch}` });
    sha = ref.object.sha;
  } catch (error) {
    // An empty repository has no branch yet (409 on its git endpoints, 404 on the ref).
    const status = apiFailure(error)?.status;
    if (status === 404 || status === 409) return log.info('empty repository; no drift check');
    throw error;
  }
  let policy: Policy;
  try {
    policy = await loadPolicy(new GitHubPolicySource(client, repo, sha));
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    return log.warn('the policy file does not load; no drift check', errorFields(error));
  }
  if (policy.app?.drift === false)
    return log.info('drift checks are off in the policy file (app.drift: false)');
  const result = await runScan(deps, client, repo, sha, policy, log);
  await deps.integrations.drift({
    client,
    repo,
    result,
    sha,
    defaultBranch: branch,
    repoUrl: info.html_url,
    dryRun: deps.config.dryRun,
    log: (m) => log.info(m),
    warn: (m) => log.warn(m),
  });
}

/** The scheduled tick: one drift job per repository of every installation. */
async function sweep(deps: HandlerDeps, job: SweepJob, log: Logger) {
  const at = stamp(new Date(job.at));
  let installations = 0;
  let queued = 0;
  for await (const inst of deps.app.installations()) {
    if (inst.suspended) {
      log.info('installation suspended; skipped', { installation: inst.id, account: inst.account });
      continue;
    }
    installations++;
    for await (const r of deps.app.repositories(inst.id)) {
      if (r.archived) continue;
      const added = await deps.queue.add(
        driftJob(
          {
            kind: 'drift',
            installationId: inst.id,
            owner: r.owner,
            repo: r.repo,
            reason: 'schedule',
            delivery: null,
          },
          `drift-${inst.id}-${r.owner}/${r.repo}-${at}`,
        ),
      );
      if (added) queued++;
    }
  }
  log.info('drift sweep queued', { installations, repositories: queued });
}

// ---- commands ----

async function runCommand(deps: HandlerDeps, job: CommandJob, log: Logger) {
  const client = await deps.app.installationClient(job.installationId);
  await deps.integrations.command({
    client,
    repo: repoOf(job),
    command: job,
    dryRun: deps.config.dryRun,
    log: (m) => log.info(m),
    warn: (m) => log.warn(m),
    recheck: async (number) => {
      await deps.queue.add(
        pullRequestJob(
          {
            ...repoOf(job),
            kind: 'pull-request',
            installationId: job.installationId,
            number,
            reason: 'recheck',
            delivery: job.delivery,
          },
          `recheck-${job.delivery ?? job.commentId}-${number}`,
        ),
      );
    },
  });
}
