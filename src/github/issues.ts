import {
  composeDashboardBody,
  DASHBOARD_MARKER,
  DEFAULT_NOTES,
  generatedBudget,
  notesOf,
  renderDashboard,
  type DashboardOptions,
} from '../reporters/dashboard.js';
import type { ScanResult } from '../scan.js';
import type { GitHubClient } from './client.js';
import type { RepoRef } from './event.js';
import { isAuthor, type Author, type Identity } from './identity.js';

/** A dashboard issue this account wrote, as the REST API lists it. */
export interface DashboardIssue {
  number: number;
  state: 'open' | 'closed';
  title: string;
  body: string;
  url: string;
  labels: string[];
}

export interface WantedDashboard {
  title: string;
  /** The whole body (generated part, end marker, the people's notes). */
  body: string;
  /** Nothing to report: an open dashboard closes, none is created. */
  empty: boolean;
  /** A label the issue must carry; null: none. */
  label: string | null;
}

export type DashboardPlan =
  | { kind: 'none' }
  | { kind: 'keep'; number: number; url: string }
  | { kind: 'create'; title: string; body: string; labels: string[] }
  | { kind: 'update'; number: number; url: string; title: string; body: string }
  | { kind: 'reopen'; number: number; url: string; title: string; body: string }
  | { kind: 'close'; number: number; url: string; body: string };

/**
 * The issue the Action keeps: the oldest open one, else the newest closed one (reopened rather
 * than replaced, so its history and subscribers stay). The other open ones are duplicates a race
 * between two runs made. `found` must hold only this account's marked issues.
 */
export function pickDashboard(found: readonly DashboardIssue[]): {
  primary: DashboardIssue | null;
  duplicates: DashboardIssue[];
} {
  const byNumber = [...found].sort((a, b) => a.number - b.number);
  const open = byNumber.filter((i) => i.state === 'open');
  if (open.length > 0) return { primary: open[0] as DashboardIssue, duplicates: open.slice(1) };
  return { primary: byNumber.at(-1) ?? null, duplicates: [] };
}

/** What to do with the dashboard issue; pure. */
export function planDashboard(
  primary: DashboardIssue | null,
  wanted: WantedDashboard,
): DashboardPlan {
  if (wanted.empty) {
    if (!primary || primary.state === 'closed')
      return primary
        ? { kind: 'keep', number: primary.number, url: primary.url }
        : { kind: 'none' };
    return { kind: 'close', number: primary.number, url: primary.url, body: wanted.body };
  }
  if (!primary)
    return {
      kind: 'create',
      title: wanted.title,
      body: wanted.body,
      labels: wanted.label ? [wanted.label] : [],
    };
  const target = {
    number: primary.number,
    url: primary.url,
    title: wanted.title,
    body: wanted.body,
  };
  if (primary.state === 'closed') return { kind: 'reopen', ...target };
  if (normalize(primary.body) === normalize(wanted.body) && primary.title === wanted.title)
    return { kind: 'keep', number: primary.number, url: primary.url };
  return { kind: 'update', ...target };
}

/** GitHub stores what it is sent, but line endings and a trailing newline may differ. */
function normalize(body: string): string {
  return body.replace(/\r\n/g, '\n').trimEnd();
}

/**
 * Every issue (open or closed) this account opened that carries the dashboard marker. Listed by
 * creator, then checked for the marker AND the author: a marker pasted into someone else's issue
 * never makes it the dashboard, and the title alone means nothing.
 */
export async function findDashboardIssues(
  client: GitHubClient,
  repo: RepoRef,
  identity: Identity,
): Promise<DashboardIssue[]> {
  const login = await identity.get();
  const issues = await client.paginate(client.rest.issues.listForRepo, {
    ...repo,
    state: 'all',
    creator: login,
    sort: 'created',
    direction: 'asc',
    per_page: 100,
  });
  return issues
    .filter((i) => !i.pull_request && (i.body ?? '').includes(DASHBOARD_MARKER))
    .filter((i) => isAuthor(i.user as Author | null, login))
    .map((i) => ({
      number: i.number,
      state: i.state === 'closed' ? 'closed' : 'open',
      title: i.title,
      body: i.body ?? '',
      url: i.html_url,
      labels: i.labels.map((l) => (typeof l === 'string' ? l : (l.name ?? ''))),
    }));
}

export interface DashboardIssueOptions {
  title: string;
  /** Empty or null: no label. */
  label: string | null;
  /** How the generated part is rendered (links, update pull requests, notes). */
  render: Omit<DashboardOptions, 'maxLength'>;
  identity: Identity;
  dryRun: boolean;
  log: (message: string) => void;
}

export interface DashboardOutcome {
  action: DashboardPlan['kind'];
  number: number | null;
  url: string | null;
  /** Rows that did not fit in the issue, for the job summary. */
  overflow: string | null;
  duplicatesClosed: number[];
  dryRun: boolean;
}

/**
 * Keeps the one dashboard issue in step with a scan: create once, edit only when the text
 * changed, close when nothing is left, reopen when findings return, close duplicates. The
 * people's notes below the end marker are carried over verbatim. No write in a dry run.
 */
export async function syncDashboard(
  client: GitHubClient,
  repo: RepoRef,
  result: ScanResult,
  options: DashboardIssueOptions,
): Promise<DashboardOutcome> {
  const found = await findDashboardIssues(client, repo, options.identity);
  const { primary, duplicates } = pickDashboard(found);
  const notes = (primary && notesOf(primary.body)) ?? DEFAULT_NOTES;
  const content = renderDashboard(result, {
    ...options.render,
    maxLength: generatedBudget(notes),
  });
  const label = options.label || null;
  const plan = planDashboard(primary, {
    title: options.title,
    body: composeDashboardBody(content.body, notes),
    empty: content.empty,
    label,
  });
  const outcome = await applyDashboardPlan(client, repo, plan, options);
  if (label && primary && !primary.labels.includes(label) && plan.kind !== 'none' && !content.empty)
    await write(options, `add the label "${label}" to #${primary.number}`, () =>
      client.rest.issues.addLabels({ ...repo, issue_number: primary.number, labels: [label] }),
    );
  const closed: number[] = [];
  const keeper = outcome.number;
  for (const dup of duplicates) {
    await write(options, `close duplicate dashboard #${dup.number}`, async () => {
      await client.rest.issues.createComment({
        ...repo,
        issue_number: dup.number,
        body: `Closing: ${keeper ? `#${keeper}` : 'another issue'} is the dashboard this Action keeps (two runs created one each).`,
      });
      await client.rest.issues.update({
        ...repo,
        issue_number: dup.number,
        state: 'closed',
        state_reason: 'duplicate',
      });
    });
    closed.push(dup.number);
  }
  return { ...outcome, overflow: content.overflow, duplicatesClosed: closed };
}

async function write(
  options: Pick<DashboardIssueOptions, 'dryRun' | 'log'>,
  what: string,
  act: () => Promise<unknown>,
): Promise<void> {
  if (options.dryRun) return options.log(`[dry-run] would have: ${what}`);
  await act();
  options.log(`Done: ${what}`);
}

async function applyDashboardPlan(
  client: GitHubClient,
  repo: RepoRef,
  plan: DashboardPlan,
  options: Pick<DashboardIssueOptions, 'dryRun' | 'log'>,
): Promise<Omit<DashboardOutcome, 'overflow' | 'duplicatesClosed'>> {
  const dryRun = options.dryRun;
  switch (plan.kind) {
    case 'none':
      options.log('No dashboard issue: nothing to report and none to update.');
      return { action: 'none', number: null, url: null, dryRun };
    case 'keep':
      options.log(`The dashboard issue is up to date: ${plan.url}`);
      return { action: 'keep', number: plan.number, url: plan.url, dryRun };
    case 'create': {
      if (dryRun) {
        options.log(
          `[dry-run] would have created the dashboard issue "${plan.title}" (${plan.body.length} characters).`,
        );
        return { action: 'create', number: null, url: null, dryRun };
      }
      const { data } = await client.rest.issues.create({
        ...repo,
        title: plan.title,
        body: plan.body,
        ...(plan.labels.length > 0 ? { labels: plan.labels } : {}),
      });
      options.log(`Created the dashboard issue ${data.html_url}`);
      return { action: 'create', number: data.number, url: data.html_url, dryRun };
    }
    case 'update':
    case 'reopen':
    case 'close': {
      const verb = { update: 'updated', reopen: 'reopened', close: 'closed' }[plan.kind];
      if (dryRun) {
        options.log(`[dry-run] would have ${verb} the dashboard issue ${plan.url}`);
        return { action: plan.kind, number: plan.number, url: plan.url, dryRun };
      }
      await client.rest.issues.update({
        ...repo,
        issue_number: plan.number,
        body: plan.body,
        ...(plan.kind === 'close'
          ? { state: 'closed' as const, state_reason: 'completed' as const }
          : { title: plan.title }),
        ...(plan.kind === 'reopen' ? { state: 'open' as const } : {}),
      });
      options.log(`The dashboard issue was ${verb}: ${plan.url}`);
      return { action: plan.kind, number: plan.number, url: plan.url, dryRun };
    }
  }
}
