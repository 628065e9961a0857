import { createRequire } from 'node:module';
import { createGitHubClient, type GitHubClient } from '../../src/github/client.js';
import {
  addDays,
  handleComment,
  ignoreAnswer,
  parseCommand,
  type CommandOptions,
} from '../../src/github/commands.js';
import { readEvent, type IssueCommentEvent } from '../../src/github/event.js';
import { parsePolicy } from '../../src/policy/schema.js';
import { tempRepo } from '../helpers.js';
import { ACTIONS_BOT, GitHubStandIn } from './stand-in.js';

const require = createRequire(import.meta.url);
const REPO = { owner: 'Codertocat', repo: 'Hello-World' };
const API = '/api/v3/repos/Codertocat/Hello-World';

describe('parseCommand', () => {
  it('finds the command line, ignoring quotes and other text', () => {
    expect(parseCommand('Thanks!\n\n/llm-supply-chain recheck\n')).toEqual({ kind: 'recheck' });
    expect(parseCommand('> /llm-supply-chain recheck\nquoting someone')).toBeNull();
    expect(parseCommand('please run /llm-supply-chain recheck')).toBeNull();
    expect(parseCommand('/llm-supply-chainrecheck')).toBeNull();
    expect(parseCommand('/llm-supply-chain')).toEqual({ kind: 'help' });
    expect(parseCommand('/llm-supply-chain help')).toEqual({ kind: 'help' });
  });

  it('reads ignore <rule> <id> <reason>, the reason to the end of the line', () => {
    expect(
      parseCommand(
        '/llm-supply-chain ignore revision-drift acme-labs/support-bot "Vendor freeze until Q3"',
      ),
    ).toEqual({
      kind: 'ignore',
      rule: 'revision-drift',
      id: 'acme-labs/support-bot',
      reason: 'Vendor freeze until Q3',
    });
    expect(
      parseCommand('/llm-supply-chain ignore license-policy tatsu-lab/* eval only\r\n'),
    ).toEqual({
      kind: 'ignore',
      rule: 'license-policy',
      id: 'tatsu-lab/*',
      reason: 'eval only',
    });
  });

  it('explains what it could not understand', () => {
    expect(parseCommand('/llm-supply-chain ignore revison-drift a/b why')).toEqual({
      kind: 'invalid',
      message: '`revison-drift` is not a rule id; did you mean `revision-drift`?',
    });
    expect(parseCommand('/llm-supply-chain ignore revision-drift a/b')).toMatchObject({
      kind: 'invalid',
    });
    expect(parseCommand('/llm-supply-chain ignore revision-drift a/b ""')).toEqual({
      kind: 'invalid',
      message: '`ignore` needs a reason.',
    });
    expect(parseCommand('/llm-supply-chain merge')).toEqual({
      kind: 'invalid',
      message: 'Unknown command `merge`.',
    });
    expect(parseCommand('/llm-supply-chain recheck now')).toMatchObject({ kind: 'invalid' });
  });
});

describe('ignoreAnswer', () => {
  it('gives policy lines that the policy loader accepts as they are', () => {
    const answer = ignoreAnswer(
      {
        kind: 'ignore',
        rule: 'revision-drift',
        id: 'acme-labs/support-bot',
        reason: 'Vendor says: "wait" ``` #1',
      },
      'octocat',
      { today: '2026-01-15', policyPath: '.github/llm-supply-chain.yml' },
    );
    expect(answer).toMatchSnapshot();
    const yaml = /````yaml\n([\s\S]*?)\n````/.exec(answer)![1]!;
    const policy = parsePolicy(yaml, '.github/llm-supply-chain.yml');
    expect(policy.ignore).toEqual([
      expect.objectContaining({
        rule: 'revision-drift',
        id: 'acme-labs/support-bot',
        reason: 'Vendor says: "wait" ``` #1',
        expires: '2026-04-15',
      }),
    ]);
  });

  it('counts 90 days in UTC across months and leap years', () => {
    expect(addDays('2028-01-15', 90)).toBe('2028-04-14');
    expect(addDays('2026-12-01', 90)).toBe('2027-03-01');
  });
});

describe('readEvent for issue_comment', () => {
  it('reads the real payload, and tells pull request comments apart', () => {
    const payload = (
      require('@octokit/webhooks-examples') as {
        name: string;
        examples: Record<string, unknown>[];
      }[]
    ).find((e) => e.name === 'issue_comment')!.examples[0]!;
    const repo = tempRepo({ 'event.json': JSON.stringify(payload) });
    try {
      const event = readEvent({
        GITHUB_EVENT_NAME: 'issue_comment',
        GITHUB_EVENT_PATH: `${repo.root}/event.json`,
      });
      expect(event.comment).toEqual({
        action: 'created',
        commentId: 492700400,
        body: "You are totally right! I'll get this fixed right away.",
        login: 'Codertocat',
        userType: 'User',
        issueNumber: 1,
        onPullRequest: false,
      });
      expect(event.defaultBranch).toBe('master');
    } finally {
      repo.cleanup();
    }
  });
});

describe('handleComment against the GitHub stand-in', () => {
  let gh: GitHubStandIn;
  let client: GitHubClient;
  const logs: string[] = [];
  beforeEach(async () => {
    gh = await GitHubStandIn.start({
      ...REPO,
      pull: 2,
      files: [],
      tokens: { tok: { ...ACTIONS_BOT, canWrite: true } },
    });
    gh.model.permissions.set('maintainer', 'write');
    gh.model.permissions.set('reader', 'read');
    client = createGitHubClient({ token: 'tok', baseUrl: gh.url, warn: () => {}, throttle: false });
  });
  afterEach(async () => {
    await gh.close();
    logs.length = 0;
    expect(gh.violations).toEqual([]);
  });

  const comment = (
    body: string,
    login = 'maintainer',
    extra: Partial<IssueCommentEvent> = {},
  ): IssueCommentEvent => ({
    action: 'created',
    commentId: 4242,
    body,
    login,
    userType: 'User',
    issueNumber: 2,
    onPullRequest: true,
    ...extra,
  });
  const options: CommandOptions = {
    today: '2026-01-15',
    policyPath: '.github/llm-supply-chain.yml',
    dryRun: false,
    log: (m) => logs.push(m),
  };
  const writes = () => gh.writes().map((r) => `${r.method} ${r.path.replace(API, '')} ${r.status}`);

  it('hands recheck on a pull request back to the caller, with an eyes reaction', async () => {
    expect(
      await handleComment(client, REPO, comment('/llm-supply-chain recheck'), options),
    ).toEqual({
      kind: 'recheck',
      pullNumber: 2,
    });
    expect(gh.requests[0]!.path).toBe(`${API}/collaborators/maintainer/permission`);
    expect(writes()).toEqual(['POST /issues/comments/4242/reactions 201']);
    expect(gh.model.reactions).toEqual([
      { commentId: 4242, content: 'eyes', login: 'github-actions[bot]' },
    ]);
  });

  it('answers ignore with the policy lines', async () => {
    const out = await handleComment(
      client,
      REPO,
      comment('/llm-supply-chain ignore revision-drift acme-labs/support-bot vendor freeze'),
      options,
    );
    expect(out).toEqual({ kind: 'answered', command: 'ignore' });
    expect(writes()).toEqual([
      'POST /issues/comments/4242/reactions 201',
      'POST /issues/2/comments 201',
    ]);
    expect(String(gh.issueComments[0]!.body)).toContain('    expires: 2026-04-15');
  });

  it('politely refuses people without write access, and does nothing else', async () => {
    const out = await handleComment(
      client,
      REPO,
      comment('/llm-supply-chain recheck', 'reader'),
      options,
    );
    expect(out).toEqual({ kind: 'denied', permission: 'read' });
    expect(gh.model.reactions.map((r) => r.content)).toEqual(['confused']);
    expect(gh.issueComments[0]!.body).toBe(
      'Sorry @reader, only people with write access to this repository can give `/llm-supply-chain` commands. A maintainer can run it for you.',
    );
    const stranger = await handleComment(
      client,
      REPO,
      comment('/llm-supply-chain recheck', 'stranger'),
      options,
    );
    expect(stranger).toEqual({ kind: 'denied', permission: 'none' });
  });

  it('ignores bots, edits and comments without a command, without a request', async () => {
    expect(
      await handleComment(
        client,
        REPO,
        comment('/llm-supply-chain recheck', 'github-actions[bot]', { userType: 'Bot' }),
        options,
      ),
    ).toEqual({ kind: 'bot' });
    expect(
      await handleComment(
        client,
        REPO,
        comment('/llm-supply-chain recheck', 'maintainer', { action: 'edited' }),
        options,
      ),
    ).toEqual({ kind: 'none' });
    expect(await handleComment(client, REPO, comment('LGTM'), options)).toEqual({ kind: 'none' });
    expect(gh.requests).toEqual([]);
  });

  it('says recheck works on pull requests only', async () => {
    gh.model.seedIssue(
      gh.tools(),
      { login: 'maintainer', id: 7, type: 'User' },
      { title: 'Question' },
    );
    const out = await handleComment(
      client,
      REPO,
      comment('/llm-supply-chain recheck', 'maintainer', { issueNumber: 10, onPullRequest: false }),
      options,
    );
    expect(out).toEqual({ kind: 'answered', command: 'recheck' });
    expect(gh.issueComments[0]!.body).toBe('`recheck` works on pull requests; #10 is an issue.');
  });

  it('answers a command it cannot read with the usage', async () => {
    await handleComment(
      client,
      REPO,
      comment('/llm-supply-chain ignore revison-drift a/b why'),
      options,
    );
    expect(gh.issueComments[0]!.body).toMatchSnapshot();
  });

  it('writes nothing in a dry run', async () => {
    await handleComment(client, REPO, comment('/llm-supply-chain ignore revision-drift a/b why'), {
      ...options,
      dryRun: true,
    });
    expect(gh.writes()).toEqual([]);
    expect(logs).toEqual([
      '[dry-run] would have reacted +1 to comment 4242',
      '[dry-run] would have answered on #2: @maintainer, to accept this risk add these lines to `.github/llm-supply-chain.yml` (if the file already has an `ignore:` list, add only the entry):',
    ]);
  });
});
