import * as core from '@actions/core';
import { existsSync, promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigurationError } from './errors.js';
import { LocalFileSource } from './files/local.js';
import {
  applySummaryComment,
  findSummaryComment,
  planSummaryComment,
  type CommentOutcome,
} from './github/comments.js';
import {
  apiFailure,
  createGitHubClient,
  isPermissionFailure,
  missingPermission,
  type GitHubClient,
} from './github/client.js';
import { handleComment } from './github/commands.js';
import { readEvent, type PullRequestEvent, type RepoRef, type RunEvent } from './github/event.js';
import { Identity } from './github/identity.js';
import { syncDashboard, type DashboardOutcome } from './github/issues.js';
import { FILES_API_LIMIT, listChangedFiles, PullRequestDiff } from './github/pull-request.js';
import { planReviewComments, postReviewComments } from './github/reviews.js';
import { syncUpdatePullRequests, type UpdatePrOutcome } from './github/update-prs.js';
import { readInputs, secretsOf, type Inputs } from './inputs.js';
import { loadPolicyFromDisk } from './policy/load.js';
import { DEFAULT_POLICY_PATH } from './policy/types.js';
import { createEnricher } from './registries/index.js';
import type { LinkedPullRequest } from './reporters/dashboard.js';
import { logSafe, urlPart } from './reporters/escape.js';
import { fingerprints } from './reporters/fingerprint.js';
import { renderJson } from './reporters/json.js';
import { renderMarkdown } from './reporters/markdown.js';
import { renderAllClear, renderPrComment } from './reporters/pr-comment.js';
import { renderSarif } from './reporters/sarif.js';
import { activeFindings, highestSeverity } from './reporters/summary.js';
import { atLeast } from './rules.js';
import { scan, type ScanResult } from './scan.js';
import type { Finding } from './types.js';

/** GitHub refuses step summaries over 1 MiB; characters are not bytes, so keep well below. */
const SUMMARY_LIMIT = 800_000;

/** The Action: the only place that calls core.setFailed. */
export async function run(): Promise<void> {
  try {
    const inputs = readInputs(process.env);
    for (const secret of secretsOf(inputs)) core.setSecret(secret);
    const failure = await runAction(inputs, readEvent(process.env));
    if (failure) core.setFailed(failure);
  } catch (error) {
    if (error instanceof ConfigurationError) core.setFailed(error.message);
    else
      core.setFailed(
        `internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
  }
}

/** Everything a pull request run knows about the pull request. */
interface PullRequestRun {
  repo: RepoRef;
  pr: PullRequestEvent;
  client: GitHubClient | null;
  /** Null when the files API could not be read: then nothing counts as changed. */
  diff: PullRequestDiff | null;
  notes: string[];
}

/**
 * Scans, reports everywhere, then returns the fail-on message (or null): the exit status is set
 * only after the summary, annotations, report files, outputs and comments are all done.
 */
export async function runAction(inputs: Inputs, event: RunEvent): Promise<string | null> {
  if (event.name === 'issue_comment') return runCommand(inputs, event);
  const mode = resolveMode(inputs, event);
  const pull =
    mode === 'pr' ? await core.group('Pull request', () => preparePr(inputs, event)) : null;
  const repoPath = (file: string) => (inputs.repoPrefix ? `${inputs.repoPrefix}/${file}` : file);
  const diff = pull?.diff ?? null;
  const include =
    diff && inputs.scope === 'changed' && !diff.truncated
      ? (file: string) => diff.hasFile(repoPath(file))
      : undefined;
  const result = await core.group('Scan', () => runScan(inputs, include));
  const isChanged = (f: Finding) => diff?.isChanged(repoPath(f.file), f.line) ?? false;

  // Findings a policy exception suppresses are in the reports (folded), never in annotations,
  // review comments, counts or fail-on.
  const active = activeFindings(result.findings);
  annotate(active, repoPath, isChanged);
  await writeReports(inputs, result);
  await writeSummary(inputs, event, pull, result, diff ? isChanged : undefined);
  const highest = highestSeverity(result.findings);
  core.setOutput('findings-count', String(active.length));
  core.setOutput('highest-severity', highest ?? 'none');
  core.setOutput('report-file', inputs.reportFile);
  core.setOutput('sarif-file', inputs.sarifFile);

  let comment: CommentOutcome | null = null;
  if (pull?.client) {
    comment = await core.group('Pull request comments', () =>
      commentOnPr(inputs, pull, pull.client as GitHubClient, result, isChanged, repoPath),
    );
  }
  core.setOutput('comment-url', comment?.url ?? '');
  if (mode === 'drift') await maintainDrift(inputs, event, result);

  if (inputs.failOn === 'none' || !highest || !atLeast(highest, inputs.failOn)) return null;
  const n = active.length;
  return `${n} ${n === 1 ? 'finding' : 'findings'}; the most severe is ${highest} (fail-on: ${inputs.failOn}).`;
}

function resolveMode(inputs: Inputs, event: RunEvent): 'pr' | 'drift' {
  if (inputs.mode === 'drift') return 'drift';
  if (event.pullRequest) return 'pr';
  if (inputs.mode === 'pr') {
    throw new ConfigurationError(
      `Input "mode" is pr, but the ${event.name || 'current'} event carries no pull request; use mode: auto or drift.`,
    );
  }
  return 'drift';
}

async function preparePr(inputs: Inputs, event: RunEvent): Promise<PullRequestRun | null> {
  const pr = event.pullRequest as PullRequestEvent;
  if (!event.repo) {
    core.warning('GITHUB_REPOSITORY is not set; scanning without pull request context.');
    return null;
  }
  const run: PullRequestRun = { repo: event.repo, pr, client: null, diff: null, notes: [] };
  if (!inputs.githubToken) {
    core.warning(
      'Input "github-token" is empty: no pull request comments, and every file is scanned. Pass github-token: ${{ github.token }}.',
    );
    return run;
  }
  run.client = createGitHubClient({
    token: inputs.githubToken,
    baseUrl: inputs.apiUrl,
    warn: (m) => core.warning(logSafe(m)),
    debug: (m) => core.debug(logSafe(m)),
  });
  try {
    const changed = await listChangedFiles(run.client, run.repo, pr.number, pr.changedFiles);
    run.diff = new PullRequestDiff(changed);
    core.info(`Pull request #${pr.number} changes ${changed.files.length} files.`);
    if (changed.truncated) {
      const note = `GitHub lists at most ${FILES_API_LIMIT} changed files of a pull request${pr.changedFiles ? ` and this one changes ${pr.changedFiles}` : ''}, so the whole workspace was scanned; findings in files beyond the first ${FILES_API_LIMIT} are not told apart as changed.`;
      run.notes.push(note);
      core.warning(note);
    }
  } catch (error) {
    if (!isPermissionFailure(error)) throw error;
    core.warning(
      `Could not list the pull request's files: the token lacks ${missingPermission(error, 'pull-requests: read')}. Every file is scanned and no line counts as changed.`,
    );
  }
  return run;
}

async function runScan(inputs: Inputs, include: ((file: string) => boolean) | undefined) {
  const enrich = inputs.offline
    ? undefined
    : createEnricher(inputs.online, { warn: (m) => core.warning(logSafe(m)) });
  // The workflow's `config` path, or the default location inside the scanned root.
  const policy = await loadPolicyFromDisk({
    root: inputs.path,
    config: inputs.config,
    cwd: inputs.path,
  });
  const result = await scan(new LocalFileSource(inputs.path), { enrich, include, policy });
  core.info(
    `${result.references.length} references in ${result.stats.filesRead} files, ${result.findings.length} findings (${result.stats.totalMs} ms)${include ? ', changed files only' : ''}.`,
  );
  return result;
}

/**
 * One annotation per finding, changed lines first: GitHub shows only the first few annotations
 * of each kind per step inline, and those should be the ones the pull request introduces.
 */
function annotate(
  findings: readonly Finding[],
  repoPath: (file: string) => string,
  isChanged: (f: Finding) => boolean,
): void {
  const ordered = [...findings.filter(isChanged), ...findings.filter((f) => !isChanged(f))];
  for (const f of ordered) {
    const props = {
      file: repoPath(f.file),
      startLine: f.line,
      startColumn: f.column,
      title: f.rule,
    };
    const message = logSafe(f.remediation ? `${f.message} ${f.remediation}` : f.message);
    if (f.severity === 'critical' || f.severity === 'high') core.error(message, props);
    else if (f.severity === 'medium' || f.severity === 'low') core.warning(message, props);
    else core.notice(message, props);
  }
}

async function writeReports(inputs: Inputs, result: ScanResult): Promise<void> {
  await writeFile(inputs.reportFile, renderJson(result));
  await writeFile(inputs.sarifFile, renderSarif(result, { pathPrefix: inputs.repoPrefix }));
  core.info(`Wrote ${inputs.reportFile} and ${inputs.sarifFile}.`);
}

async function writeFile(file: string, text: string): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, text);
}

async function writeSummary(
  inputs: Inputs,
  event: RunEvent,
  pull: PullRequestRun | null,
  result: ScanResult,
  highlight: ((f: Finding) => boolean) | undefined,
): Promise<void> {
  const sha = pull?.pr.headSha ?? event.sha;
  const blobUrl = event.repo && sha ? blobBase(inputs, event.repo, sha) : undefined;
  let text = renderMarkdown(result, {
    maxLength: SUMMARY_LIMIT,
    ...(blobUrl ? { blobUrl } : {}),
    ...(highlight ? { highlight } : {}),
  });
  for (const note of pull?.notes ?? []) text += `\n> [!NOTE]\n> ${note}\n`;
  // Outside a runner (a local try of the bundle) there is no summary file to write to.
  if (!process.env.GITHUB_STEP_SUMMARY)
    return core.info('No GITHUB_STEP_SUMMARY: job summary skipped.');
  await core.summary.addRaw(text, true).write();
}

function blobBase(inputs: Inputs, repo: RepoRef, sha: string): string {
  const prefix = inputs.repoPrefix ? `/${urlPart(inputs.repoPrefix)}` : '';
  return `${inputs.serverUrl}/${urlPart(repo.owner)}/${urlPart(repo.repo)}/blob/${sha}${prefix}`;
}

async function commentOnPr(
  inputs: Inputs,
  pull: PullRequestRun,
  client: GitHubClient,
  result: ScanResult,
  isChanged: (f: Finding) => boolean,
  repoPath: (file: string) => string,
): Promise<CommentOutcome | null> {
  const identity = new Identity(client, (m) => core.debug(m));
  const scope = inputs.scope === 'changed' && pull.diff && !pull.diff.truncated ? 'changed' : 'all';
  const log = (m: string) => core.info(logSafe(m));
  let comment: CommentOutcome | null = null;
  try {
    if (inputs.comment !== 'never') {
      const options = {
        isChanged,
        headSha: pull.pr.headSha,
        scope,
        notes: pull.notes,
        blobUrl: blobBase(inputs, pull.repo, pull.pr.headSha),
      } as const;
      const allClear = renderAllClear(result, options);
      const wanted =
        activeFindings(result.findings).length > 0
          ? renderPrComment(result, options)
          : inputs.comment === 'always'
            ? allClear
            : null;
      const existing = await findSummaryComment(client, pull.repo, pull.pr.number, identity);
      const plan = planSummaryComment(existing, wanted, allClear);
      comment = await applySummaryComment(client, pull.repo, pull.pr.number, plan, {
        dryRun: inputs.dryRun,
        log,
      });
    }
    if (inputs.reviewComments && pull.diff) {
      const planned = planReviewComments(
        result.findings,
        fingerprints(result.findings),
        pull.diff,
        {
          repoPath,
          suggestions: inputs.suggestions,
        },
      );
      const review = await postReviewComments(client, pull.repo, pull.pr, planned, {
        identity,
        dryRun: inputs.dryRun,
        log,
      });
      if (review.capped > 0)
        core.info(
          `${review.capped} more findings on changed lines are listed in the summary comment only.`,
        );
    }
  } catch (error) {
    // The report is complete by now: a comment GitHub refuses degrades the run, it does not fail it.
    const failure = apiFailure(error);
    if (!failure) throw error;
    if (isPermissionFailure(error)) {
      core.warning(
        `Could not comment on pull request #${pull.pr.number}: the token lacks ${missingPermission(error, 'pull-requests: write')} (pull requests from forks get a read-only GITHUB_TOKEN). Add "permissions: pull-requests: write" to the job, or see the README for the pull_request_target pattern. The job summary, annotations, report files and outputs are complete.`,
      );
    } else {
      core.warning(
        logSafe(
          `Could not comment on pull request #${pull.pr.number}: GitHub answered ${failure.status} ${failure.message}. The job summary, annotations, report files and outputs are complete.`,
        ),
      );
    }
  }
  return comment;
}

/** Events on which drift mode keeps the dashboard and the update pull requests. */
const DRIFT_EVENTS = new Set(['schedule', 'workflow_dispatch']);

/**
 * Drift mode on a schedule (or started by hand): the dashboard issue and the update pull
 * requests. Only from the default branch, which is what both describe; a push-triggered run in
 * `auto` mode only reports, as before, unless the workflow asks for `mode: drift`.
 */
async function maintainDrift(inputs: Inputs, event: RunEvent, result: ScanResult): Promise<void> {
  core.setOutput('dashboard-url', '');
  core.setOutput('update-pull-request-urls', '[]');
  if (!inputs.dashboard && !inputs.updatePullRequests) return;
  if (!DRIFT_EVENTS.has(event.name) && inputs.mode !== 'drift') return;
  if (!event.repo)
    return core.warning(
      'GITHUB_REPOSITORY is not set: no dashboard issue and no update pull requests.',
    );
  if (!inputs.githubToken)
    return core.warning(
      'Input "github-token" is empty: no dashboard issue and no update pull requests. Pass github-token: ${{ github.token }}.',
    );
  if (
    event.name !== 'schedule' &&
    event.defaultBranch &&
    event.ref &&
    event.ref !== `refs/heads/${event.defaultBranch}`
  ) {
    core.info(
      logSafe(
        `${event.ref} is not the default branch (${event.defaultBranch}): the dashboard and update pull requests describe the default branch only, so they are left alone.`,
      ),
    );
    return;
  }
  const repo = event.repo;
  const client = createGitHubClient({
    token: inputs.githubToken,
    baseUrl: inputs.apiUrl,
    warn: (m) => core.warning(logSafe(m)),
    debug: (m) => core.debug(logSafe(m)),
  });
  const identity = new Identity(client, (m) => core.debug(m));
  const log = (m: string) => core.info(logSafe(m));
  const repoPath = (file: string) => (inputs.repoPrefix ? `${inputs.repoPrefix}/${file}` : file);
  const repoUrl = `${inputs.serverUrl}/${urlPart(repo.owner)}/${urlPart(repo.repo)}`;
  const notes: string[] = [];
  let updates: UpdatePrOutcome[] = [];
  if (inputs.updatePullRequests) {
    updates = await core.group('Update pull requests', () =>
      degrade(
        () =>
          syncUpdatePullRequests(client, repo, result, {
            repoPath,
            packages: inputs.updatePackages,
            max: inputs.maxUpdatePullRequests,
            identity,
            dryRun: inputs.dryRun,
            log,
            repoUrl,
          }),
        'open update pull requests',
        'contents: write and pull-requests: write',
        [],
      ),
    );
    const limited = updates.filter((u) => u.action === 'limited').length;
    if (limited > 0)
      notes.push(
        `${limited} more update ${limited === 1 ? 'pull request waits' : 'pull requests wait'}: max-update-pull-requests is ${inputs.maxUpdatePullRequests}.`,
      );
  }
  const open = updates.filter((u) => u.number !== null && u.url !== null && u.action !== 'closed');
  core.setOutput('update-pull-request-urls', JSON.stringify(open.map((u) => u.url)));
  if (!inputs.dashboard) return;
  const sha = event.sha;
  const outcome = await core.group('Dashboard issue', () =>
    degrade<DashboardOutcome | null>(
      () =>
        syncDashboard(client, repo, result, {
          title: inputs.dashboardTitle,
          label: inputs.dashboardLabel || null,
          identity,
          dryRun: inputs.dryRun,
          log,
          render: {
            sha,
            ...(sha
              ? { blobUrl: blobBase(inputs, repo, sha), commitUrl: `${repoUrl}/commit/${sha}` }
              : {}),
            ...(inputs.updatePullRequests
              ? {
                  pullRequests: new Map<string, LinkedPullRequest>(
                    open.map((u) => [u.key, { number: u.number as number, url: u.url as string }]),
                  ),
                }
              : {}),
            notes,
          },
        }),
      'update the dashboard issue',
      'issues: write',
      null,
    ),
  );
  core.setOutput('dashboard-url', outcome?.url ?? '');
  if (outcome?.overflow && process.env.GITHUB_STEP_SUMMARY)
    await core.summary.addRaw(`\n${outcome.overflow}`, true).write();
}

/**
 * Runs a GitHub write phase; a refusal degrades to a warning naming the permission, as the pull
 * request comments do: the scan, summary, annotations and reports are complete by now.
 */
async function degrade<T>(
  act: () => Promise<T>,
  what: string,
  permission: string,
  fallback: T,
): Promise<T> {
  try {
    return await act();
  } catch (error) {
    const failure = apiFailure(error);
    if (!failure) throw error;
    if (/not permitted to create or approve pull requests/i.test(failure.message)) {
      core.warning(
        `Could not ${what}: this repository does not let GitHub Actions create pull requests. Enable "Allow GitHub Actions to create and approve pull requests" (Settings → Actions → General), or pass a GitHub App token as github-token.`,
      );
    } else if (isPermissionFailure(error)) {
      core.warning(
        `Could not ${what}: the token lacks ${missingPermission(error, permission)}. Add it to the job's "permissions:" block. The job summary, annotations, report files and outputs are complete.`,
      );
    } else {
      core.warning(
        logSafe(`Could not ${what}: GitHub answered ${failure.status} ${failure.message}.`),
      );
    }
    return fallback;
  }
}

/**
 * `issue_comment`: a `/llm-supply-chain` command. `recheck` runs the pull request flow for the
 * commented pull request, provided the workspace holds that pull request (the README's workflow
 * checks out `refs/pull/<n>/merge`); scanning some other checkout and commenting would mislead.
 */
async function runCommand(inputs: Inputs, event: RunEvent): Promise<string | null> {
  const comment = event.comment;
  if (!comment || !event.repo) {
    core.info('No comment in the issue_comment payload: nothing to do.');
    return null;
  }
  if (!inputs.githubToken) {
    core.warning('Input "github-token" is empty: commands cannot be answered.');
    return null;
  }
  const repo = event.repo;
  const client = createGitHubClient({
    token: inputs.githubToken,
    baseUrl: inputs.apiUrl,
    warn: (m) => core.warning(logSafe(m)),
    debug: (m) => core.debug(logSafe(m)),
  });
  const outcome = await core.group('Command', () =>
    degrade(
      () =>
        handleComment(client, repo, comment, {
          today: new Date().toISOString().slice(0, 10),
          policyPath: policyPathFor(inputs),
          dryRun: inputs.dryRun,
          log: (m) => core.info(logSafe(m)),
        }),
      'answer the command',
      'issues: write or pull-requests: write',
      { kind: 'none' as const },
    ),
  );
  if (outcome.kind !== 'recheck') {
    if (outcome.kind === 'none') core.info('The comment holds no /llm-supply-chain command.');
    return null;
  }
  const { data } = await client.rest.pulls.get({ ...repo, pull_number: outcome.pullNumber });
  const checkout = checkoutHead(inputs.path);
  if (checkout !== data.head.sha && checkout !== data.merge_commit_sha) {
    core.warning(
      `Not rechecking pull request #${data.number}: the workspace holds ${checkout ? checkout.slice(0, 7) : 'an unknown commit'}, not the pull request. Check out refs/pull/${data.number}/merge in the job that handles issue_comment (see the README).`,
    );
    return null;
  }
  const pullRequest: PullRequestEvent = {
    number: data.number,
    headSha: data.head.sha,
    baseSha: data.base.sha,
    headRepo: data.head.repo?.full_name ?? null,
    changedFiles: data.changed_files,
    htmlUrl: data.html_url,
  };
  core.info(`Rechecking pull request #${data.number} at ${data.head.sha.slice(0, 7)}.`);
  // The pull request flow, whatever `mode` says: a command never touches the dashboard.
  return runAction(
    { ...inputs, mode: 'pr' },
    { ...event, name: 'pull_request', pullRequest, comment: null },
  );
}

/** Where the repository's policy file is, as the answer to `ignore` names it. */
function policyPathFor(inputs: Inputs): string {
  if (!inputs.config)
    return inputs.repoPrefix ? `${inputs.repoPrefix}/${DEFAULT_POLICY_PATH}` : DEFAULT_POLICY_PATH;
  const up = inputs.repoPrefix ? inputs.repoPrefix.split('/').map(() => '..') : [];
  const checkout = path.resolve(inputs.path, ...up);
  return path.relative(checkout, inputs.config).split(path.sep).join('/');
}

/**
 * The commit the checkout holds: `.git/HEAD` of the nearest checkout at or above the scanned
 * folder, detached (a sha, as actions/checkout leaves a pull request ref) or a branch resolved
 * through its ref file. Null when it cannot be told.
 */
function checkoutHead(root: string): string | null {
  for (let dir = root; ; dir = path.dirname(dir)) {
    const git = path.join(dir, '.git');
    if (existsSync(git)) {
      try {
        const head = readFileSync(path.join(git, 'HEAD'), 'utf8').trim();
        if (/^[0-9a-f]{40}$/.test(head)) return head;
        const ref = /^ref: (refs\/\S+)$/.exec(head)?.[1];
        if (!ref) return null;
        const loose = path.join(git, ref);
        if (existsSync(loose)) return readFileSync(loose, 'utf8').trim();
        const packed = readFileSync(path.join(git, 'packed-refs'), 'utf8');
        return (
          new RegExp(`^([0-9a-f]{40}) ${ref.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm').exec(
            packed,
          )?.[1] ?? null
        );
      } catch {
        return null;
      }
    }
    if (path.dirname(dir) === dir) return null;
  }
}
