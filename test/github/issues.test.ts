import {
  createGitHubClient,
  isPermissionFailure,
  missingPermission,
  type GitHubClient,
} from '../../src/github/client.js';
import { Identity } from '../../src/github/identity.js';
import {
  pickDashboard,
  planDashboard,
  syncDashboard,
  type DashboardIssue,
  type DashboardIssueOptions,
} from '../../src/github/issues.js';
import {
  DASHBOARD_END_MARKER,
  DASHBOARD_MARKER,
  DEFAULT_NOTES,
} from '../../src/reporters/dashboard.js';
import type { ScanResult } from '../../src/scan.js';
import { DRIFT_FINDINGS, driftResult, SCANNED } from '../reporters/drift-fixtures.js';
import { ACTIONS_BOT, GitHubStandIn, type Account } from './stand-in.js';

const REPO = { owner: 'Codertocat', repo: 'Hello-World' };
const API = '/api/v3/repos/Codertocat/Hello-World';
const TITLE = 'LLM supply chain dashboard';
const issue = (
  number: number,
  state: 'open' | 'closed',
  body = `${DASHBOARD_MARKER}\nx`,
): DashboardIssue => ({
  number,
  state,
  title: TITLE,
  body,
  url: `https://github.com/o/r/issues/${number}`,
  labels: [],
});
const wanted = (body: string, empty = false) => ({ title: TITLE, body, empty, label: null });

describe('planDashboard', () => {
  it('creates once, keeps an unchanged issue, updates a changed one', () => {
    expect(planDashboard(null, wanted('a'))).toEqual({
      kind: 'create',
      title: TITLE,
      body: 'a',
      labels: [],
    });
    expect(planDashboard(issue(3, 'open', 'a\r\n'), wanted('a')).kind).toBe('keep');
    expect(planDashboard(issue(3, 'open', 'a'), wanted('b'))).toMatchObject({
      kind: 'update',
      number: 3,
      body: 'b',
    });
    expect(
      planDashboard(issue(3, 'open', 'a'), { ...wanted('a'), title: 'Renamed' }),
    ).toMatchObject({
      kind: 'update',
      title: 'Renamed',
    });
  });

  it('closes when nothing is left, reopens when findings return, and stays quiet otherwise', () => {
    expect(planDashboard(issue(3, 'open'), wanted('clear', true))).toMatchObject({
      kind: 'close',
      number: 3,
    });
    expect(planDashboard(issue(3, 'closed'), wanted('clear', true)).kind).toBe('keep');
    expect(planDashboard(null, wanted('clear', true)).kind).toBe('none');
    expect(planDashboard(issue(3, 'closed'), wanted('b'))).toMatchObject({
      kind: 'reopen',
      number: 3,
    });
  });

  it('keeps the oldest open issue and calls the other open ones duplicates', () => {
    expect(pickDashboard([issue(9, 'open'), issue(4, 'closed'), issue(7, 'open')])).toEqual({
      primary: issue(7, 'open'),
      duplicates: [issue(9, 'open')],
    });
    expect(pickDashboard([issue(4, 'closed'), issue(8, 'closed')]).primary?.number).toBe(8);
    expect(pickDashboard([])).toEqual({ primary: null, duplicates: [] });
  });
});

describe('the dashboard issue against the GitHub stand-in', () => {
  let gh: GitHubStandIn;
  let client: GitHubClient;
  const logs: string[] = [];

  async function start(account: Account = { ...ACTIONS_BOT, canWrite: true }) {
    gh = await GitHubStandIn.start({ ...REPO, pull: 2, files: [], tokens: { tok: account } });
    client = createGitHubClient({ token: 'tok', baseUrl: gh.url, warn: () => {}, throttle: false });
  }
  afterEach(async () => {
    await gh.close();
    logs.length = 0;
    expect(gh.violations).toEqual([]);
  });

  const sync = (result: ScanResult = driftResult(), extra: Partial<DashboardIssueOptions> = {}) =>
    syncDashboard(client, REPO, result, {
      title: TITLE,
      label: null,
      identity: new Identity(client),
      dryRun: false,
      log: (m) => logs.push(m),
      render: { sha: SCANNED },
      ...extra,
    });
  const writes = () => gh.writes().map((r) => `${r.method} ${r.path.replace(API, '')} ${r.status}`);
  const clean = driftResult(DRIFT_FINDINGS.filter((f) => f.suppressed));

  it('creates, keeps, closes, reopens: one issue throughout', async () => {
    await start();
    const created = await sync();
    expect(created).toMatchObject({
      action: 'create',
      number: 10,
      url: 'https://github.com/Codertocat/Hello-World/issues/10',
    });
    expect((await sync()).action).toBe('keep');
    expect((await sync(clean)).action).toBe('close');
    expect((await sync(clean)).action).toBe('keep');
    expect((await sync()).action).toBe('reopen');
    expect(writes()).toEqual(['POST /issues 201', 'PATCH /issues/10 200', 'PATCH /issues/10 200']);
    expect(gh.writes()[1]!.body).toMatchObject({ state: 'closed', state_reason: 'completed' });
    expect(gh.writes()[2]!.body).toMatchObject({ state: 'open', title: TITLE });
    expect(gh.model.issues).toHaveLength(1);
    expect(gh.model.issues[0]!.state).toBe('open');
    // The listing is by creator: the Action's account, as GraphQL names it.
    expect(gh.requests.find((r) => r.path === `${API}/issues`)!.query).toMatchObject({
      creator: 'github-actions[bot]',
      state: 'all',
    });
  });

  it('keeps what people wrote below the marked section', async () => {
    await start();
    await sync();
    const notes = '\n---\nOwner: ml-platform. Alpaca licence review is with legal (LEG-88).\r\n';
    const stored = gh.model.issues[0]!;
    stored.body = `${String(stored.body).slice(0, String(stored.body).indexOf(DASHBOARD_END_MARKER))}${DASHBOARD_END_MARKER}${notes}`;
    expect((await sync()).action).toBe('keep');
    const fewer = driftResult(DRIFT_FINDINGS.filter((f) => f.kind !== 'package'));
    expect((await sync(fewer)).action).toBe('update');
    expect(String(stored.body).endsWith(`${DASHBOARD_END_MARKER}${notes}`)).toBe(true);
    expect(String(stored.body)).not.toContain('transformers');
    await sync(clean);
    expect(String(stored.body).endsWith(notes)).toBe(true);
  });

  it('starts new dashboards with a notes section', async () => {
    await start();
    await sync();
    expect(
      String(gh.model.issues[0]!.body).endsWith(`${DASHBOARD_END_MARKER}${DEFAULT_NOTES}`),
    ).toBe(true);
  });

  it('never adopts an issue that only copies the marker or the title', async () => {
    await start();
    const mallory = { login: 'mallory', id: 666, type: 'User' as const };
    gh.model.seedIssue(gh.tools(), mallory, {
      title: TITLE,
      body: `${DASHBOARD_MARKER}\nAll clear!`,
    });
    gh.model.seedIssue(gh.tools(), ACTIONS_BOT, {
      title: TITLE,
      body: 'A bot issue without the marker',
    });
    const out = await sync();
    expect(out).toMatchObject({ action: 'create', number: 12 });
    expect(
      gh.model.issues.map((i) => [i.number, (i.user as { login: string }).login, i.state]),
    ).toEqual([
      [10, 'mallory', 'open'],
      [11, 'github-actions[bot]', 'open'],
      [12, 'github-actions[bot]', 'open'],
    ]);
  });

  it('closes duplicates a race between two runs left behind', async () => {
    await start();
    gh.model.seedIssue(gh.tools(), ACTIONS_BOT, {
      title: TITLE,
      body: `${DASHBOARD_MARKER}\nfirst`,
    });
    gh.model.seedIssue(gh.tools(), ACTIONS_BOT, {
      title: TITLE,
      body: `${DASHBOARD_MARKER}\nsecond`,
    });
    const out = await sync();
    expect(out).toMatchObject({ action: 'update', number: 10, duplicatesClosed: [11] });
    expect(writes()).toEqual([
      'PATCH /issues/10 200',
      'POST /issues/11/comments 201',
      'PATCH /issues/11 200',
    ]);
    expect(gh.model.issues[1]).toMatchObject({ state: 'closed', state_reason: 'duplicate' });
    expect(gh.issueComments[0]!.body).toBe(
      'Closing: #10 is the dashboard this Action keeps (two runs created one each).',
    );
  });

  it('labels the issue when asked, once', async () => {
    await start();
    await sync(driftResult(), { label: 'supply-chain' });
    expect((gh.model.issues[0]!.labels as { name: string }[]).map((l) => l.name)).toEqual([
      'supply-chain',
    ]);
    expect((await sync(driftResult(), { label: 'supply-chain' })).action).toBe('keep');
    expect(writes()).toEqual(['POST /issues 201']);
  });

  it('writes nothing in a dry run', async () => {
    await start();
    const out = await sync(driftResult(), { dryRun: true });
    expect(out).toMatchObject({ action: 'create', number: null, dryRun: true });
    expect(gh.writes()).toEqual([]);
    expect(logs[0]).toMatch(
      /^\[dry-run\] would have created the dashboard issue "LLM supply chain dashboard" \(\d+ characters\)\.$/,
    );
  });

  it('surfaces 403 from a token without issues: write, naming the permission', async () => {
    await start({ ...ACTIONS_BOT, canWrite: false });
    const error = await sync().catch((e: unknown) => e);
    expect(isPermissionFailure(error)).toBe(true);
    expect(missingPermission(error, 'issues: write')).toBe('issues: write');
  });
});
