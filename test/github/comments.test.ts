import { createGitHubClient, type GitHubClient } from '../../src/github/client.js';
import {
  applySummaryComment,
  findSummaryComment,
  planSummaryComment,
  type ExistingComment,
} from '../../src/github/comments.js';
import { Identity } from '../../src/github/identity.js';
import { SUMMARY_MARKER } from '../../src/reporters/pr-comment.js';
import { ACTIONS_BOT, GitHubStandIn, type Account } from './stand-in.js';

const REPO = { owner: 'Codertocat', repo: 'Hello-World' };
const FINDINGS_BODY = `${SUMMARY_MARKER}\n### 🛡️ LLM supply chain guard: 🟧 1 high\n`;
const ALL_CLEAR = `${SUMMARY_MARKER}\n### 🛡️ LLM supply chain guard: ✅ all clear\n`;

describe('planSummaryComment', () => {
  const existing: ExistingComment = {
    id: 7,
    body: FINDINGS_BODY,
    url: 'https://github.com/o/r/pull/2#issuecomment-7',
    user: { login: 'github-actions[bot]', type: 'Bot' },
  };

  it('creates once when there is something to say', () => {
    expect(planSummaryComment(null, FINDINGS_BODY, ALL_CLEAR)).toEqual({
      kind: 'create',
      body: FINDINGS_BODY,
    });
  });

  it('stays quiet when there is nothing to say and no comment yet', () => {
    expect(planSummaryComment(null, null, ALL_CLEAR)).toEqual({ kind: 'none' });
  });

  it('leaves an unchanged comment alone, whatever the line endings', () => {
    const crlf = { ...existing, body: FINDINGS_BODY.replace(/\n/g, '\r\n') };
    expect(planSummaryComment(crlf, FINDINGS_BODY, ALL_CLEAR)).toEqual({
      kind: 'keep',
      url: existing.url,
    });
  });

  it('updates in place when the findings changed', () => {
    const changed = `${FINDINGS_BODY}more\n`;
    expect(planSummaryComment(existing, changed, ALL_CLEAR)).toEqual({
      kind: 'update',
      id: 7,
      body: changed,
      url: existing.url,
    });
  });

  it('turns an existing comment into "all clear" once the findings are gone', () => {
    expect(planSummaryComment(existing, null, ALL_CLEAR)).toEqual({
      kind: 'update',
      id: 7,
      body: ALL_CLEAR,
      url: existing.url,
    });
    expect(planSummaryComment({ ...existing, body: ALL_CLEAR }, null, ALL_CLEAR).kind).toBe('keep');
  });
});

describe('summary comment upsert against the GitHub stand-in', () => {
  let gh: GitHubStandIn;
  let client: GitHubClient;
  const logs: string[] = [];

  async function start(account: Account) {
    gh = await GitHubStandIn.start({
      ...REPO,
      pull: 2,
      files: [],
      tokens: { tok: account },
    });
    client = createGitHubClient({ token: 'tok', baseUrl: gh.url, warn: () => {}, throttle: false });
  }
  afterEach(async () => {
    expect(gh.violations).toEqual([]);
    await gh.close();
    logs.length = 0;
  });

  async function upsert(wanted: string | null, dryRun = false) {
    const identity = new Identity(client);
    const existing = await findSummaryComment(client, REPO, 2, identity);
    const plan = planSummaryComment(existing, wanted, ALL_CLEAR);
    return applySummaryComment(client, REPO, 2, plan, { dryRun, log: (m) => logs.push(m) });
  }

  it('creates, keeps, updates and clears one comment', async () => {
    await start({ ...ACTIONS_BOT, canWrite: true });
    const first = await upsert(FINDINGS_BODY);
    expect(first.action).toBe('create');
    expect(first.url).toMatch(
      /^https:\/\/github\.com\/Codertocat\/Hello-World\/pull\/2#issuecomment-\d+$/,
    );
    expect((await upsert(FINDINGS_BODY)).action).toBe('keep');
    expect((await upsert(`${FINDINGS_BODY}x\n`)).action).toBe('update');
    const cleared = await upsert(null);
    expect(cleared).toEqual({ action: 'update', url: first.url, dryRun: false });
    expect(gh.issueComments.map((c) => c.body)).toEqual([ALL_CLEAR]);
    expect(gh.writes().map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /api/v3/repos/Codertocat/Hello-World/issues/2/comments',
      `PATCH /api/v3/repos/Codertocat/Hello-World/issues/comments/${gh.issueComments[0]!.id}`,
      `PATCH /api/v3/repos/Codertocat/Hello-World/issues/comments/${gh.issueComments[0]!.id}`,
    ]);
    // The login is asked once per run, and only when a marked comment exists.
    expect(gh.requests.filter((r) => r.path === '/api/graphql')).toHaveLength(3);
  });

  it('never adopts a comment that only copies the marker', async () => {
    await start({ ...ACTIONS_BOT, canWrite: true });
    const spoof = gh.seedIssueComment(`${SUMMARY_MARKER}\nAll clear, merge away!`, {
      login: 'mallory',
      id: 666,
      type: 'User',
    });
    const out = await upsert(FINDINGS_BODY);
    expect(out.action).toBe('create');
    expect(gh.issueComments.map((c) => c.body)).toEqual([spoof.body, FINDINGS_BODY]);
  });

  it('recognises its own comment under a personal access token too (GraphQL viewer)', async () => {
    await start({ login: 'release-bot-user', id: 42, type: 'User', canWrite: true });
    await upsert(FINDINGS_BODY);
    expect((await upsert(FINDINGS_BODY)).action).toBe('keep');
    expect(gh.issueComments).toHaveLength(1);
  });

  it('writes nothing in a dry run and says what it would have done', async () => {
    await start({ ...ACTIONS_BOT, canWrite: true });
    const out = await upsert(FINDINGS_BODY, true);
    expect(out).toEqual({ action: 'create', url: null, dryRun: true });
    expect(gh.writes()).toEqual([]);
    expect(logs).toEqual([
      `[dry-run] would have created a summary comment (${FINDINGS_BODY.length} characters).`,
    ]);
  });

  it('surfaces 403 from a read-only token with the permission GitHub names', async () => {
    await start({ ...ACTIONS_BOT, canWrite: false });
    const error = await upsert(FINDINGS_BODY).catch((e: unknown) => e);
    const { missingPermission, isPermissionFailure } = await import('../../src/github/client.js');
    expect(isPermissionFailure(error)).toBe(true);
    expect(missingPermission(error, 'pull-requests: write')).toBe(
      'issues: write or pull-requests: write',
    );
  });
});
