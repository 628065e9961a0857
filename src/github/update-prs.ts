import { licenseText } from '../checks/hub.js';
import { hubUpstreamOf } from '../registries/huggingface/key.js';
import type { HubLicense } from '../registries/huggingface/types.js';
import { metadataFor } from '../registries/package-metadata.js';
import { upstreamKey } from '../reporters/dashboard.js';
import { activeFindings } from '../reporters/summary.js';
import {
  filesOfCommitMessage,
  markClosedByAction,
  parseUpdateMarker,
  renderUpdatePr,
  updateCommitMessage,
  updateTitle,
  type UpdateEdit,
  type UpdatePlan,
} from '../reporters/update-pr.js';
import { compareSeverity } from '../rules.js';
import type { ScanResult } from '../scan.js';
import type { Finding, Reference, Severity } from '../types.js';
import { bumpSpecText, compareVersions, isPackageEcosystem } from '../util/package-versions.js';
import { apiFailure, isPermissionFailure, type GitHubClient } from './client.js';
import type { RepoRef } from './event.js';
import {
  branchHead,
  createCommit,
  deleteBranch,
  GitTrees,
  readCommit,
  setBranch,
  type FileChange,
} from './git-data.js';
import { isAuthor, type Author, type Identity } from './identity.js';
import { applyPinEdits, gitBlobSha, type PinEdit } from './pin-edits.js';

/** Every update branch starts with this, so the Action's branches are easy to tell apart. */
export const BRANCH_PREFIX = 'llm-supply-chain/';

export interface PlanOptions {
  /** Scan-relative path → repository path (the scan root may sit below the checkout). */
  repoPath: (file: string) => string;
  /** Packages pinned by version too, not only Hub models and datasets pinned by commit. */
  packages: boolean;
}

/**
 * `llm-supply-chain/<ecosystem>/<id>`, stable across runs so the next run finds the branch again.
 * Datasets get a `datasets/` segment: on the Hub a model and a dataset may share an id, but no
 * model namespace can be called `datasets` (the Hub routes it). Characters git refuses in a
 * branch name become `-`.
 */
export function branchName(u: Pick<UpdatePlan, 'ecosystem' | 'kind' | 'id'>): string {
  const id = u.id
    .split('/')
    .map((part) =>
      part
        .replace(/[^A-Za-z0-9._-]/g, '-')
        .replace(/\.{2,}/g, '.')
        .replace(/^[.-]+/, '')
        .replace(/(\.lock|\.)+$/i, '')
        .replace(/^$/, '-'),
    )
    .join('/');
  return `${BRANCH_PREFIX}${u.ecosystem}/${u.kind === 'dataset' ? 'datasets/' : ''}${id}`;
}

interface Candidate {
  finding: Finding;
  edit: UpdateEdit;
  /** What this edit moves to: a commit sha, or a version. */
  target: string;
}

/**
 * One plan per upstream whose pin fell behind: Hub models and datasets pinned by commit (the
 * `revision-drift` fixes), and with `packages`, packages pinned by an exact version in a manifest
 * (the `dependency-vulnerable` fixes, or the latest release for `dependency-drift`). Lockfiles
 * are never edited: they are regenerated. Findings a policy exception covers propose nothing.
 * Most severe first. Pure.
 */
export function planUpdates(result: ScanResult, options: PlanOptions): UpdatePlan[] {
  const active = activeFindings(result.findings);
  const byKey = new Map<string, Candidate[]>();
  for (const f of active) {
    const c = candidate(f, result, options);
    if (!c) continue;
    const key = upstreamKey(f);
    byKey.set(key, [...(byKey.get(key) ?? []), c]);
  }
  const plans: UpdatePlan[] = [];
  for (const [key, candidates] of byKey) {
    const first = candidates[0] as Candidate;
    const f = first.finding;
    const ecosystem = f.ecosystem as UpdatePlan['ecosystem'];
    const kind = f.kind as UpdatePlan['kind'];
    const id = f.id as string;
    const target = highestTarget(ecosystem, candidates);
    const edits = spanEdits(ecosystem, candidates);
    const related = active.filter((x) => upstreamKey(x) === key);
    const drift = related
      .filter((x) => x.rule === 'revision-drift')
      .reduce<Finding | null>((a, b) => (!a || behindOf(b) > behindOf(a) ? b : a), null);
    plans.push({
      key,
      ecosystem,
      kind,
      id,
      branch: branchName({ ecosystem, kind, id }),
      target,
      severity: related.reduce<Severity>(
        (s, x) => (compareSeverity(x.severity, s) < 0 ? x.severity : s),
        'info',
      ),
      edits,
      drift,
      licence: licenceChange(related),
      currentLicence: currentLicence(result, key),
      advisories: related
        .filter((x) => x.rule === 'dependency-vulnerable')
        .map((x) => ({
          id: typeof x.details?.advisory === 'string' ? x.details.advisory : x.rule,
          url: x.links?.[0]?.url ?? null,
        })),
      related: related.filter(
        (x) =>
          ![
            'revision-drift',
            'license-changed',
            'dependency-drift',
            'dependency-vulnerable',
          ].includes(x.rule),
      ),
    });
  }
  return plans.sort(
    (a, b) =>
      compareSeverity(a.severity, b.severity) ||
      a.id.localeCompare(b.id) ||
      a.key.localeCompare(b.key),
  );
}

function behindOf(f: Finding): number {
  return typeof f.details?.behind === 'number' ? f.details.behind : -1;
}

function candidate(f: Finding, result: ScanResult, options: PlanOptions): Candidate | null {
  if (!f.id || !f.kind || !f.ecosystem) return null;
  const toEdit = (span: NonNullable<Finding['fix']>['span'], to: string): UpdateEdit => ({
    file: options.repoPath(span.file),
    line: span.line,
    column: span.column,
    endColumn: span.endColumn,
    from: span.text,
    to,
  });
  if (f.rule === 'revision-drift' && f.ecosystem === 'huggingface') {
    const head = f.details?.headSha;
    if (!f.fix || typeof head !== 'string') return null;
    return { finding: f, edit: toEdit(f.fix.span, f.fix.replacement), target: head };
  }
  if (!options.packages || f.kind !== 'package' || !isPackageEcosystem(f.ecosystem)) return null;
  if (f.rule === 'dependency-vulnerable') {
    const to = f.details?.upgradeTo;
    if (!f.fix || typeof to !== 'string') return null;
    return { finding: f, edit: toEdit(f.fix.span, f.fix.replacement), target: to };
  }
  if (f.rule === 'dependency-drift') {
    const used = f.details?.used;
    const latest = f.details?.latest;
    if (f.details?.how !== 'pinned' || typeof used !== 'string' || typeof latest !== 'string')
      return null;
    const ref = referenceAt(result, f);
    if (!ref?.revisionSpan || ref.locked) return null;
    const replacement = bumpSpecText(f.ecosystem, ref.revisionSpan.text, used, latest);
    if (!replacement) return null;
    return { finding: f, edit: toEdit(ref.revisionSpan, replacement), target: latest };
  }
  return null;
}

function referenceAt(result: ScanResult, f: Finding): Reference | undefined {
  return result.references.find(
    (r) =>
      r.file === f.file &&
      r.line === f.line &&
      r.column === f.column &&
      r.id === f.id &&
      r.ecosystem === f.ecosystem,
  );
}

/** Packages: the highest version any candidate asks for; Hub: the head every drift names. */
function highestTarget(ecosystem: UpdatePlan['ecosystem'], candidates: Candidate[]): string {
  if (!isPackageEcosystem(ecosystem)) return (candidates[0] as Candidate).target;
  return candidates
    .map((c) => c.target)
    .reduce((a, b) => (compareVersions(ecosystem, b, a) > 0 ? b : a));
}

/** One edit per span: where two findings propose different versions, the higher one wins. */
function spanEdits(ecosystem: UpdatePlan['ecosystem'], candidates: Candidate[]): UpdateEdit[] {
  const bySpan = new Map<string, Candidate>();
  for (const c of candidates) {
    const k = `${c.edit.file}\0${c.edit.line}\0${c.edit.column}`;
    const had = bySpan.get(k);
    if (
      !had ||
      (isPackageEcosystem(ecosystem) && compareVersions(ecosystem, c.target, had.target) > 0)
    )
      bySpan.set(k, c);
  }
  return [...bySpan.values()]
    .map((c) => c.edit)
    .sort((a, b) =>
      a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column,
    );
}

function licenceChange(related: Finding[]): UpdatePlan['licence'] {
  const f = related.find((x) => x.rule === 'license-changed');
  if (!f) return null;
  return {
    from: licenseText((f.details?.pinned ?? null) as HubLicense | null),
    to: licenseText((f.details?.head ?? null) as HubLicense | null),
  };
}

function currentLicence(result: ScanResult, key: string): string | null {
  for (const r of result.references) {
    if (upstreamKey(r) !== key || r.ecosystem !== 'huggingface') continue;
    const up = hubUpstreamOf(result.upstreams, r);
    if (up?.at) return licenseText(up.at.license);
  }
  return null;
}

/**
 * Whether an upstream with an open update pull request no longer needs one: its pins are all at
 * the head (`current`), nothing references it any more (`gone`), a policy exception covers its
 * drift (`ignored`), or the scan cannot tell (`unknown`: the registry did not answer), in which
 * case the pull request stays as it is.
 */
export function settledState(
  result: ScanResult,
  key: string,
): 'current' | 'gone' | 'ignored' | 'unknown' {
  const refs = result.references.filter((r) => upstreamKey(r) === key);
  if (refs.length === 0) return 'gone';
  if (
    result.findings.some(
      (f) =>
        f.suppressed &&
        upstreamKey(f) === key &&
        ['revision-drift', 'dependency-drift', 'dependency-vulnerable'].includes(f.rule),
    )
  )
    return 'ignored';
  const first = refs[0] as Reference;
  if (first.ecosystem === 'huggingface') {
    const pinned = refs.filter((r) => r.pinned);
    if (pinned.length === 0) return 'gone';
    for (const r of pinned) {
      const up = hubUpstreamOf(result.upstreams, r);
      if (!up || up.state !== 'ok' || !up.at || !up.drift) return 'unknown';
      if (up.drift.behind !== 0 && up.drift.headSha !== up.at.sha) return 'unknown';
    }
    return 'current';
  }
  if (isPackageEcosystem(first.ecosystem))
    return metadataFor(result.upstreams[first.ecosystem]?.packages, first.id)
      ? 'current'
      : 'unknown';
  return 'unknown';
}

export interface UpdatePrOptions extends PlanOptions {
  /** At most this many update pull requests open at once (existing ones count). */
  max: number;
  identity: Identity;
  dryRun: boolean;
  log: (message: string) => void;
  /** `https://github.com/o/r` for file links in bodies; none when absent. */
  repoUrl?: string;
}

export type UpdateAction =
  'opened' | 'updated' | 'kept' | 'closed' | 'limited' | 'declined' | 'skipped' | 'failed';

export interface UpdatePrOutcome {
  key: string;
  id: string;
  branch: string;
  target: string;
  action: UpdateAction;
  number: number | null;
  url: string | null;
  /** Why, for skipped, declined, limited, failed and closed. */
  note?: string;
}

interface OpenUpdatePr {
  number: number;
  url: string;
  title: string;
  body: string;
  branch: string;
  key: string;
  target: string;
}

/** GitHub's message when the repository does not let the GITHUB_TOKEN open pull requests. */
const ACTIONS_MAY_NOT_CREATE = /not permitted to create or approve pull requests/i;

/**
 * Opens, refreshes and closes update pull requests so that each upstream whose pin fell behind
 * has exactly one, on its stable branch, built through the Git Data API from the default
 * branch's current files. A branch is rewritten only when its edits no longer match what the
 * default branch needs (new target, the file changed, a pin added or removed), and never when
 * someone else pushed to it. Permission failures propagate (the caller names the permission);
 * other failures are reported per pull request. No write in a dry run.
 */
export async function syncUpdatePullRequests(
  client: GitHubClient,
  repo: RepoRef,
  result: ScanResult,
  options: UpdatePrOptions,
): Promise<UpdatePrOutcome[]> {
  const plans = planUpdates(result, options);
  const login = await options.identity.get();
  const { data: info } = await client.rest.repos.get({ ...repo });
  const base = info.default_branch;
  const open = await listOpenUpdatePrs(client, repo, login);
  if (plans.length === 0 && open.size === 0) {
    options.log('No pin fell behind and no update pull request is open.');
    return [];
  }
  const baseSha = await branchHead(client, repo, base);
  if (!baseSha) {
    options.log(`The default branch ${base} has no commit yet: no update pull requests.`);
    return [];
  }
  const baseCommit = await readCommit(client, repo, baseSha);
  const trees = new GitTrees(client, repo);
  const ctx: SyncContext = { client, repo, base, baseCommit, trees, options, login };
  const outcomes: UpdatePrOutcome[] = [];
  const planned = new Set(plans.map((p) => p.key));
  for (const pr of open.values()) {
    if (planned.has(pr.key)) continue;
    const state = settledState(result, pr.key);
    if (state === 'unknown') {
      options.log(`Keeping #${pr.number}: the scan could not tell whether ${pr.key} is current.`);
      outcomes.push(outcome(pr, 'kept', pr.number, pr.url, 'state unknown'));
      continue;
    }
    outcomes.push(await closePr(ctx, pr, state));
  }
  // Kept ones (state unknown) still count against the limit; closed ones no longer do.
  let openCount = open.size - outcomes.filter((o) => o.action === 'closed').length;
  for (const plan of plans) {
    const existing = open.get(plan.key) ?? null;
    if (!existing && openCount >= options.max) {
      options.log(
        `Not opening ${plan.branch} yet: ${openCount} update pull requests are open (max-update-pull-requests: ${options.max}).`,
      );
      outcomes.push(
        outcomeOf(plan, 'limited', null, null, `max-update-pull-requests (${options.max}) reached`),
      );
      continue;
    }
    try {
      const out = await syncOne(ctx, plan, existing);
      if (out.action === 'opened') openCount++;
      outcomes.push(out);
    } catch (error) {
      if (
        isPermissionFailure(error) ||
        ACTIONS_MAY_NOT_CREATE.test(apiFailure(error)?.message ?? '')
      )
        throw error;
      const failure = apiFailure(error);
      if (!failure) throw error;
      const note = `GitHub answered ${failure.status} ${failure.message}`;
      options.log(`Could not update ${plan.branch}: ${note}`);
      outcomes.push(
        outcomeOf(plan, 'failed', existing?.number ?? null, existing?.url ?? null, note),
      );
    }
  }
  return outcomes;
}

interface SyncContext {
  client: GitHubClient;
  repo: RepoRef;
  base: string;
  baseCommit: { sha: string; tree: string };
  trees: GitTrees;
  options: UpdatePrOptions;
  login: string;
}

function outcome(
  pr: OpenUpdatePr,
  action: UpdateAction,
  number: number | null,
  url: string | null,
  note?: string,
): UpdatePrOutcome {
  return {
    key: pr.key,
    id: pr.key.split(':').slice(2).join(':'),
    branch: pr.branch,
    target: pr.target,
    action,
    number,
    url,
    ...(note ? { note } : {}),
  };
}

function outcomeOf(
  plan: UpdatePlan,
  action: UpdateAction,
  number: number | null,
  url: string | null,
  note?: string,
): UpdatePrOutcome {
  return {
    key: plan.key,
    id: plan.id,
    branch: plan.branch,
    target: plan.target,
    action,
    number,
    url,
    ...(note ? { note } : {}),
  };
}

/** This account's open pull requests from `llm-supply-chain/…` branches of this repository. */
async function listOpenUpdatePrs(
  client: GitHubClient,
  repo: RepoRef,
  login: string,
): Promise<Map<string, OpenUpdatePr>> {
  const pulls = await client.paginate(client.rest.pulls.list, {
    ...repo,
    state: 'open',
    per_page: 100,
  });
  const out = new Map<string, OpenUpdatePr>();
  const full = `${repo.owner}/${repo.repo}`.toLowerCase();
  for (const p of pulls) {
    if (!p.head.ref.startsWith(BRANCH_PREFIX)) continue;
    if (p.head.repo?.full_name.toLowerCase() !== full) continue;
    if (!isAuthor(p.user as Author | null, login)) continue;
    const marker = parseUpdateMarker(p.body);
    if (!marker || out.has(marker.key)) continue;
    out.set(marker.key, {
      number: p.number,
      url: p.html_url,
      title: p.title,
      body: p.body ?? '',
      branch: p.head.ref,
      key: marker.key,
      target: marker.target,
    });
  }
  return out;
}

/** A pull request for this branch and target that a person closed without merging. */
async function declinedBefore(ctx: SyncContext, plan: UpdatePlan): Promise<number | null> {
  const closed = await ctx.client.rest.pulls.list({
    ...ctx.repo,
    state: 'closed',
    head: `${ctx.repo.owner}:${plan.branch}`,
    per_page: 100,
  });
  for (const p of closed.data) {
    const marker = parseUpdateMarker(p.body);
    if (!isAuthor(p.user as Author | null, ctx.login) || !marker || p.merged_at) continue;
    if (marker.key === plan.key && marker.target === plan.target && !marker.closedByAction)
      return p.number;
  }
  return null;
}

async function syncOne(
  ctx: SyncContext,
  plan: UpdatePlan,
  existing: OpenUpdatePr | null,
): Promise<UpdatePrOutcome> {
  const { client, repo, options } = ctx;
  if (!existing) {
    const declined = await declinedBefore(ctx, plan);
    if (declined !== null) {
      options.log(
        `Not reopening ${plan.branch}: #${declined} offered ${plan.target} and was closed unmerged.`,
      );
      return outcomeOf(plan, 'declined', null, null, `#${declined} was closed without merging`);
    }
  }
  const files = await editFiles(ctx, plan);
  if (files.changes.length === 0) {
    const note = files.skipped[0]?.reason ?? 'nothing to change';
    options.log(`Skipping ${plan.branch}: ${note}.`);
    return outcomeOf(plan, 'skipped', existing?.number ?? null, existing?.url ?? null, note);
  }
  const title = updateTitle(plan);
  const body = renderUpdatePr(plan, {
    applied: files.applied,
    skipped: files.skipped,
    baseBranch: ctx.base,
    ...(options.repoUrl
      ? { blobUrl: `${options.repoUrl}/blob/${encodeURIComponent(ctx.base)}` }
      : {}),
  });
  const branch = await pushBranch(ctx, plan, files);
  if (branch === 'foreign') {
    // Someone else's commits: their work is not overwritten, and a body describing our edit
    // would no longer describe the branch. People take it from here.
    const note = 'someone else pushed to the branch';
    return outcomeOf(
      plan,
      existing ? 'kept' : 'skipped',
      existing?.number ?? null,
      existing?.url ?? null,
      note,
    );
  }
  if (existing) {
    const same = existing.title === title && normalize(existing.body) === normalize(body);
    if (same && branch === 'same') {
      options.log(`Update pull request #${existing.number} is up to date.`);
      return outcomeOf(plan, 'kept', existing.number, existing.url);
    }
    if (!same) {
      if (options.dryRun) options.log(`[dry-run] would have refreshed #${existing.number}`);
      else await client.rest.pulls.update({ ...repo, pull_number: existing.number, title, body });
    }
    options.log(`Updated pull request #${existing.number}: ${title}`);
    return outcomeOf(plan, 'updated', existing.number, existing.url);
  }
  if (options.dryRun) {
    options.log(`[dry-run] would have opened a pull request from ${plan.branch}: ${title}`);
    return outcomeOf(plan, 'opened', null, null);
  }
  const { data } = await client.rest.pulls.create({
    ...repo,
    title,
    body,
    head: plan.branch,
    base: ctx.base,
  });
  options.log(`Opened pull request #${data.number}: ${title}`);
  return outcomeOf(plan, 'opened', data.number, data.html_url);
}

function normalize(body: string): string {
  return body.replace(/\r\n/g, '\n').trimEnd();
}

interface EditedFiles {
  changes: (FileChange & { sha: string })[];
  applied: UpdateEdit[];
  skipped: { edit: UpdateEdit; reason: string }[];
}

/** Each file as it is on the default branch now, with its pins rewritten; what could not be, and why. */
async function editFiles(ctx: SyncContext, plan: UpdatePlan): Promise<EditedFiles> {
  const out: EditedFiles = { changes: [], applied: [], skipped: [] };
  const byFile = new Map<string, UpdateEdit[]>();
  for (const e of plan.edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
  for (const [file, edits] of byFile) {
    const skip = (reason: string) => out.skipped.push(...edits.map((edit) => ({ edit, reason })));
    // The GITHUB_TOKEN may never change workflow files (that needs the `workflows` permission).
    if (file.startsWith('.github/workflows/')) {
      skip('workflow files cannot be changed with the workflow token');
      continue;
    }
    const entry = await ctx.trees.entry(ctx.baseCommit.tree, file);
    if (!entry || entry.type !== 'blob' || (entry.mode !== '100644' && entry.mode !== '100755')) {
      skip(`not a regular file on ${ctx.base} any more`);
      continue;
    }
    const bytes = await ctx.trees.blob(entry.sha);
    const pinEdits: PinEdit[] = edits.map((e) => ({
      line: e.line,
      column: e.column,
      endColumn: e.endColumn,
      expected: e.from,
      replacement: e.to,
    }));
    const edited = applyPinEdits(bytes, pinEdits);
    if (!edited.ok) {
      skip(`${edited.reason} on ${ctx.base}`);
      continue;
    }
    if (!edited.changed) continue;
    out.changes.push({
      path: file,
      mode: entry.mode,
      bytes: edited.bytes,
      sha: gitBlobSha(edited.bytes),
    });
    out.applied.push(...edits);
  }
  return out;
}

/**
 * Makes the branch hold the edited files on top of the default branch: `moved`, or `same` when an
 * existing branch's edited files already have these exact contents (even if the default branch
 * moved on elsewhere: GitHub merges that, and CI need not re-run for nothing), or `foreign` when
 * its head commit is not the Action's (never overwritten).
 */
async function pushBranch(
  ctx: SyncContext,
  plan: UpdatePlan,
  files: EditedFiles,
): Promise<'moved' | 'same' | 'foreign'> {
  const { client, repo, options, trees } = ctx;
  const head = await branchHead(client, repo, plan.branch);
  if (head) {
    const commit = await readCommit(client, repo, head);
    const ours = filesOfCommitMessage(commit.message);
    if (!ours) {
      options.log(`${plan.branch} has commits by someone else; leaving the branch as it is.`);
      return 'foreign';
    }
    const wanted = files.changes.map((c) => c.path).sort();
    if (ours.join('\n') === wanted.join('\n')) {
      const shas = await Promise.all(wanted.map((p) => trees.entry(commit.tree, p)));
      if (shas.every((e, i) => e?.sha === files.changes.find((c) => c.path === wanted[i])?.sha))
        return 'same';
    }
  }
  const message = updateCommitMessage(plan, files.applied);
  if (options.dryRun) {
    options.log(
      `[dry-run] would have ${head ? 'force-updated' : 'created'} ${plan.branch} (${files.changes.length} files)`,
    );
    return 'moved';
  }
  const sha = await createCommit(client, repo, {
    baseTree: ctx.baseCommit.tree,
    parent: ctx.baseCommit.sha,
    message,
    files: files.changes.map(({ path, mode, bytes }) => ({ path, mode, bytes })),
  });
  await setBranch(client, repo, plan.branch, sha, head !== null);
  options.log(`${head ? 'Force-updated' : 'Created'} ${plan.branch} at ${sha.slice(0, 7)}.`);
  return 'moved';
}

const CLOSE_NOTES: Record<'current' | 'gone' | 'ignored', string> = {
  current: 'The pin is at the upstream head now, so this update is no longer needed; closing.',
  gone: 'Nothing in the repository pins this upstream any more; closing.',
  ignored:
    'A policy exception now covers this drift; closing. It reopens once the exception expires.',
};

async function closePr(
  ctx: SyncContext,
  pr: OpenUpdatePr,
  state: 'current' | 'gone' | 'ignored',
): Promise<UpdatePrOutcome> {
  const { client, repo, options } = ctx;
  const note = CLOSE_NOTES[state];
  if (options.dryRun) {
    options.log(`[dry-run] would have closed #${pr.number}: ${note}`);
    return outcome(pr, 'closed', pr.number, pr.url, state);
  }
  await client.rest.issues.createComment({ ...repo, issue_number: pr.number, body: note });
  await client.rest.pulls.update({
    ...repo,
    pull_number: pr.number,
    state: 'closed',
    body: markClosedByAction(pr.body, pr.key, pr.target),
  });
  await deleteBranch(client, repo, pr.branch);
  options.log(`Closed #${pr.number} and deleted ${pr.branch}: ${note}`);
  return outcome(pr, 'closed', pr.number, pr.url, state);
}
