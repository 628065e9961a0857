import { createGitHubClient, type GitHubClient } from '../../src/github/client.js';
import { Identity } from '../../src/github/identity.js';
import { PullRequestDiff } from '../../src/github/pull-request.js';
import {
  MAX_REVIEW_COMMENTS,
  planReviewComments,
  postReviewComments,
  type PlannedReviewComment,
} from '../../src/github/reviews.js';
import { fingerprints } from '../../src/reporters/fingerprint.js';
import { markedFingerprints } from '../../src/reporters/review-comment.js';
import type { Finding } from '../../src/types.js';
import {
  OLD_FINDING,
  PIN_FIX_FINDING,
  PIN_LINE,
  REMOTE_CODE_FINDING,
  SHA,
} from '../reporters/pr-fixtures.js';
import { ACTIONS_BOT, GitHubStandIn, modifiedFilePatch, type PrFile } from './stand-in.js';

const REPO = { owner: 'Codertocat', repo: 'Hello-World' };
const HEAD = Array.from({ length: 40 }, (_, i) => `line ${i + 1}`);
HEAD[11] = PIN_LINE;
HEAD[29] =
  '    phi = AutoModel.from_pretrained("microsoft/Phi-3-mini-4k-instruct", trust_remote_code=True)';
const TRAIN = HEAD.join('\n') + '\n';
// The pull request changed lines 11–13 of src/train.py; line 30 is old.
const FILES: PrFile[] = [
  {
    filename: 'ml/src/train.py',
    status: 'modified',
    patch: modifiedFilePatch(TRAIN, 11, 13, ['line 11', 'old 12', 'line 13']),
  },
];
const diff = new PullRequestDiff({
  files: FILES.map((f) => ({
    path: f.filename,
    status: f.status,
    previousPath: null,
    patch: f.patch ?? null,
  })),
  truncated: false,
});
const repoPath = (file: string) => `ml/${file}`;

describe('planReviewComments', () => {
  const findings: Finding[] = [REMOTE_CODE_FINDING, PIN_FIX_FINDING, OLD_FINDING];

  it('plans one comment per finding on a changed line, with the suggestion', () => {
    const planned = planReviewComments(findings, fingerprints(findings), diff, {
      repoPath,
      suggestions: true,
    });
    expect(planned.map((p) => [p.path, p.line, p.fingerprint])).toEqual([
      ['ml/src/train.py', 12, fingerprints(findings)[1]],
    ]);
    expect(planned[0]!.body).toContain(
      `\`\`\`suggestion\n    model = AutoModelForCausalLM.from_pretrained("meta-llama/Llama-3.1-8B-Instruct", revision="${SHA}")\n\`\`\``,
    );
  });

  it('plans nothing for a finding a policy exception covers', () => {
    const excepted = [{ ...PIN_FIX_FINDING, suppressed: { reason: 'accepted' } }];
    expect(
      planReviewComments(excepted, fingerprints(excepted), diff, { repoPath, suggestions: true }),
    ).toEqual([]);
  });

  it('leaves the suggestion out when suggestions are off', () => {
    const planned = planReviewComments(findings, fingerprints(findings), diff, {
      repoPath,
      suggestions: false,
    });
    expect(planned[0]!.body).not.toContain('```suggestion');
  });
});

describe('postReviewComments against the GitHub stand-in', () => {
  let gh: GitHubStandIn;
  let client: GitHubClient;
  const logs: string[] = [];
  const pull = { number: 2, headSha: 'ec26c3e57ca3a959ca5aad62de7213c562f8c821' };

  beforeEach(async () => {
    gh = await GitHubStandIn.start({
      ...REPO,
      pull: 2,
      files: FILES,
      tokens: { tok: { ...ACTIONS_BOT, canWrite: true } },
    });
    client = createGitHubClient({ token: 'tok', baseUrl: gh.url, warn: () => {}, throttle: false });
  });
  afterEach(async () => {
    expect(gh.violations).toEqual([]);
    await gh.close();
    logs.length = 0;
  });

  const post = (planned: PlannedReviewComment[], dryRun = false) =>
    postReviewComments(client, REPO, pull, planned, {
      identity: new Identity(client),
      dryRun,
      log: (m) => logs.push(m),
    });
  const plan = (lines: number[]) =>
    lines.map((line, i) => ({
      path: 'ml/src/train.py',
      line,
      body: `<!-- llm-supply-chain-guard:finding ${String(i).padStart(32, '0')} -->\nfinding ${i}`,
      fingerprint: String(i).padStart(32, '0'),
    }));

  it('posts one review, and nothing again on a re-run', async () => {
    expect(await post(plan([11, 12]))).toEqual({
      posted: 2,
      existing: 0,
      capped: 0,
      rejected: 0,
      dryRun: false,
    });
    expect(gh.reviews).toHaveLength(1);
    expect(gh.reviewComments.map((c) => [c.path, c.line, c.side, c.commit_id])).toEqual([
      ['ml/src/train.py', 11, 'RIGHT', pull.headSha],
      ['ml/src/train.py', 12, 'RIGHT', pull.headSha],
    ]);
    const again = await post(plan([11, 12]));
    expect(again).toMatchObject({ posted: 0, existing: 2 });
    expect(gh.writes()).toHaveLength(1);
  });

  it('does not count comments by others that copy a marker', async () => {
    gh.seedReviewComment(plan([11])[0]!.body, 'ml/src/train.py', 11, {
      login: 'mallory',
      id: 666,
      type: 'User',
    });
    // Only this account's comments count: the copied marker does not suppress the real one.
    expect(await post(plan([11]))).toMatchObject({ posted: 1, existing: 0 });
    expect(gh.reviews).toHaveLength(1);
  });

  it('falls back to single comments when GitHub refuses the review (422), dropping only the refused line', async () => {
    const out = await post(plan([12, 30]));
    expect(out).toMatchObject({ posted: 1, rejected: 1 });
    const statuses = gh.requests.filter((r) => r.method === 'POST').map((r) => [r.path, r.status]);
    expect(statuses).toEqual([
      ['/api/v3/repos/Codertocat/Hello-World/pulls/2/reviews', 422],
      ['/api/v3/repos/Codertocat/Hello-World/pulls/2/comments', 201],
      ['/api/v3/repos/Codertocat/Hello-World/pulls/2/comments', 422],
    ]);
    expect(logs.at(-1)).toBe('GitHub refused a comment on ml/src/train.py:30: Validation Failed');
    expect(markedFingerprints(String(gh.reviewComments[0]!.body))).toEqual(['0'.repeat(32)]);
  });

  it(`caps one run at ${MAX_REVIEW_COMMENTS} new comments`, async () => {
    const many = Array.from({ length: MAX_REVIEW_COMMENTS + 5 }, () => 12);
    const out = await post(
      plan(many).map((p, i) => ({ ...p, fingerprint: i.toString(16).padStart(32, '0') })),
    );
    expect(out).toMatchObject({ posted: MAX_REVIEW_COMMENTS, capped: 5 });
  });

  it('writes nothing in a dry run', async () => {
    expect(await post(plan([11]), true)).toMatchObject({ posted: 1, dryRun: true });
    expect(gh.writes()).toEqual([]);
    expect(logs).toEqual(['[dry-run] would have commented on ml/src/train.py:11']);
  });
});
