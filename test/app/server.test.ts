/**
 * The App end to end in process: signed deliveries (real @octokit/webhooks-examples payloads,
 * retargeted) sent to the server on loopback; the server gets installation tokens from the GitHub
 * stand-in with its JWT, reads each pull request's head through git trees and blobs, and comments.
 * The in-process queue; the Redis queue has its own test (redis.test.ts).
 */
import { jest } from '@jest/globals';
import { startApp, type RunningApp } from '../../src/app/serve.js';
import { SUMMARY_MARKER } from '../../src/reporters/pr-comment.js';
import { DASHBOARD_MARKER } from '../../src/reporters/dashboard.js';
import { addedFilePatch } from '../github/stand-in.js';
import {
  APP_ID,
  appKeys,
  collectLogs,
  deliver,
  examplePayload,
  pullRequestPayload,
  SLUG,
  testConfig,
  until,
  type LogRecord,
} from './helpers.js';
import { AppStandIn, gitSha, type StandInRepo } from './stand-in.js';

jest.setTimeout(60_000);

const ADAPTER = `{
  "base_model_name_or_path": "meta-llama/Llama-3.1-8B-Instruct",
  "peft_type": "LORA",
  "task_type": "CAUSAL_LM"
}
`;
const BASE = 'a'.repeat(40);
const HEAD = 'b'.repeat(40);

/** A repository whose pull requests each add the same unpinned adapter. */
function repo(
  owner: string,
  name: string,
  id: number,
  installationId: number,
  pulls: number[],
): StandInRepo {
  const baseFiles = { 'README.md': '# Demo\n', 'notes/todo.txt': 'nothing here\n' };
  return {
    owner,
    name,
    id,
    installationId,
    head: BASE,
    commits: {
      [BASE]: baseFiles,
      [HEAD]: {
        ...baseFiles,
        'adapter/adapter_config.json': ADAPTER,
        // Over the LFS pointer size: listed (a committed weights file), never fetched.
        'adapter/adapter_model.safetensors': 'x'.repeat(4096),
        'node_modules/pkg/config.json': '{"auto_map": {"AutoConfig": "x--y.Z"}}',
      },
    },
    pulls: Object.fromEntries(
      pulls.map((n) => [
        n,
        {
          head: HEAD,
          base: BASE,
          files: [
            {
              filename: 'adapter/adapter_config.json',
              status: 'added' as const,
              patch: addedFilePatch(ADAPTER),
            },
          ],
        },
      ]),
    ),
    collaborators: { maintainer: 'write', visitor: 'read' },
  };
}

let gh: AppStandIn;
let running: RunningApp | null = null;
let records: LogRecord[];

async function start(env: Record<string, string> = {}): Promise<RunningApp> {
  const logs = collectLogs();
  records = logs.records;
  running = await startApp(testConfig(gh.url, env), { log: logs.log, throttle: false });
  return running;
}

async function standIn(repos: StandInRepo[], extra: { suspended?: number[] } = {}) {
  const installations = [...new Set(repos.map((r) => r.installationId))].map((id) => ({
    id,
    account: repos.find((r) => r.installationId === id)!.owner,
    suspended: extra.suspended?.includes(id) ?? false,
  }));
  gh = await AppStandIn.start({
    appId: APP_ID,
    publicKey: appKeys().publicKey,
    slug: SLUG,
    installations,
    repos,
  });
}

afterEach(async () => {
  await running?.shutdown();
  running = null;
  await gh?.close();
});

const summaryComments = (full: string, n: number) =>
  gh.commentsOn(full, n).filter((c) => String(c.body).includes(SUMMARY_MARKER));
const jobsFinished = () => records.filter((r) => r.msg === 'job finished').length;

describe('webhook deliveries', () => {
  it('refuses a bad or missing signature with 401 and does nothing', async () => {
    await standIn([repo('acme', 'models', 1, 11, [7])]);
    const app = await start();
    const payload = pullRequestPayload('opened', {
      installation: 11,
      owner: 'acme',
      repo: 'models',
      number: 7,
    });
    const forged = await deliver(app.url, {
      event: 'pull_request',
      payload,
      signature: `sha256=${'0'.repeat(64)}`,
    });
    const unsigned = await deliver(app.url, { event: 'pull_request', payload, signature: null });
    const otherSecret = await deliver(app.url, {
      event: 'pull_request',
      payload,
      signature: (await import('./helpers.js')).sign(JSON.stringify(payload), 'not the secret'),
    });
    expect([forged.status, unsigned.status, otherSecret.status]).toEqual([401, 401, 401]);
    expect(forged.body).toEqual({ error: 'signature does not match' });
    // Nothing queued, nothing asked of GitHub.
    await running!.shutdown();
    expect(gh.requests).toEqual([]);
    expect(records.filter((r) => r.msg.startsWith('job'))).toEqual([]);
    expect(
      records.filter((r) => r.msg === 'delivery refused: bad or missing X-Hub-Signature-256'),
    ).toHaveLength(3);
  });

  it('handles a delivery once: a redelivery (same X-GitHub-Delivery) is answered and ignored', async () => {
    await standIn([repo('acme', 'models', 1, 11, [7])]);
    const app = await start();
    const payload = pullRequestPayload('opened', {
      installation: 11,
      owner: 'acme',
      repo: 'models',
      number: 7,
    });
    const first = await deliver(app.url, { event: 'pull_request', payload });
    expect(first).toMatchObject({ status: 202, body: { status: 'queued', jobs: 1 } });
    await until(() => jobsFinished() === 1, 'the first job');
    const again = await deliver(app.url, { event: 'pull_request', payload, id: first.id });
    expect(again).toMatchObject({ status: 200, body: { status: 'duplicate' } });
    await running!.shutdown();
    expect(jobsFinished()).toBe(1);
    expect(summaryComments('acme/models', 7)).toHaveLength(1);
    expect(gh.violations).toEqual([]);
    // Every record of the job names the delivery.
    const jobRecords = records.filter((r) => r.job === `pr-${first.id}`);
    expect(jobRecords.length).toBeGreaterThan(2);
    expect(jobRecords.every((r) => r.delivery === first.id)).toBe(true);
  });

  it('reads the head through trees and blobs, only files an extractor reads, and comments', async () => {
    await standIn([repo('acme', 'models', 1, 11, [7])]);
    const app = await start({ LSCG_SCOPE: 'all' });
    const d = await deliver(app.url, {
      event: 'pull_request',
      payload: pullRequestPayload('synchronize', {
        installation: 11,
        owner: 'acme',
        repo: 'models',
        number: 7,
      }),
    });
    expect(d.status).toBe(202);
    await until(() => jobsFinished() === 1, 'the job');
    await running!.shutdown();
    const reads = gh.requests
      .filter((r) => r.method === 'GET' && /\/git\/(trees|blobs)\/|\/contents\//.test(r.path))
      .map((r) => r.path.replace(/^\/api\/v3\/repos\/acme\/models/, ''));
    const blobs = reads.filter((p) => p.startsWith('/git/blobs/'));
    // README.md (model card) and the adapter config; never notes/, the weights or node_modules/.
    expect(blobs.sort()).toEqual(
      [ADAPTER, '# Demo\n'].map((t) => `/git/blobs/${gitSha('blob', Buffer.from(t))}`).sort(),
    );
    expect(reads.filter((p) => p.startsWith('/git/trees/'))).toEqual([`/git/trees/${HEAD}`]);
    // The policy is read from the base commit (a pull request cannot switch off its own checks).
    expect(reads.filter((p) => p.startsWith('/contents/'))).toEqual([
      '/contents/.github%2Fllm-supply-chain.yml',
      '/contents/.github%2Fllm-supply-chain.yaml',
    ]);
    expect(
      gh.requests.filter((r) => r.path.includes('/contents/')).map((r) => r.query.ref),
    ).toEqual([BASE, BASE]);
    const [comment] = summaryComments('acme/models', 7);
    expect(String(comment!.body)).toContain('unpinned-revision');
    expect(String(comment!.body)).toContain(
      `https://github.com/acme/models/blob/${HEAD}/adapter/adapter_config.json#L2`,
    );
    // The finding on the added line also gets a review comment.
    expect(gh.reviewComments.get('acme/models#7')?.map((c) => [c.path, c.line])).toEqual([
      ['adapter/adapter_config.json', 2],
    ]);
    // One installation token for the whole job, asked for with the App's JWT.
    const tokens = gh.requests.filter((r) => r.path.endsWith('/access_tokens'));
    expect(tokens.map((r) => [r.path, r.auth])).toEqual([
      ['/api/v3/app/installations/11/access_tokens', 'app'],
    ]);
    expect(gh.violations).toEqual([]);
  });

  it('checks 20 pull requests at once within the limits, commenting on each once', async () => {
    const first = Array.from({ length: 12 }, (_, i) => i + 1);
    const second = Array.from({ length: 8 }, (_, i) => i + 101);
    await standIn([repo('acme', 'models', 1, 11, first), repo('umbrella', 'llm', 2, 22, second)]);
    const app = await start({ LSCG_CONCURRENCY: '3', LSCG_INSTALLATION_CONCURRENCY: '2' });
    // Hold every pull request read until three are in flight: the limits are reached, not luck.
    const gate = gh.hold((r) => /\/pulls\/\d+$/.test(r.path));
    const targets = [
      ...first.map((n) => ({ installation: 11, owner: 'acme', repo: 'models', number: n })),
      ...second.map((n) => ({ installation: 22, owner: 'umbrella', repo: 'llm', number: n })),
    ];
    const answers = await Promise.all(
      targets.map((t) =>
        deliver(app.url, { event: 'pull_request', payload: pullRequestPayload('opened', t) }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(targets.map(() => 202));
    await gh.held(gate, 3);
    expect(gate.waiting).toHaveLength(3);
    gh.release(gate);
    await until(() => jobsFinished() === 20, 'all 20 jobs', 45_000);
    await running!.shutdown();
    const started = records.filter((r) => r.msg === 'job started');
    expect(Math.max(...started.map((r) => Number(r.running)))).toBe(3);
    expect(Math.max(...started.map((r) => Number(r.installationRunning)))).toBe(2);
    for (const t of targets)
      expect(summaryComments(`${t.owner}/${t.repo}`, t.number)).toHaveLength(1);
    // Tokens are cached per installation: one each, not one per job.
    expect(
      gh.requests
        .filter((r) => r.path.endsWith('/access_tokens'))
        .map((r) => r.path)
        .sort(),
    ).toEqual([
      '/api/v3/app/installations/11/access_tokens',
      '/api/v3/app/installations/22/access_tokens',
    ]);
    expect(gh.violations).toEqual([]);
  });

  it('coalesces pushes to one pull request that wait behind each other', async () => {
    await standIn([repo('acme', 'models', 1, 11, [7])]);
    const app = await start({ LSCG_CONCURRENCY: '1' });
    const gate = gh.hold((r) => r.path.endsWith('/pulls/7'));
    const target = { installation: 11, owner: 'acme', repo: 'models', number: 7 };
    await deliver(app.url, {
      event: 'pull_request',
      payload: pullRequestPayload('opened', target),
    });
    await gh.held(gate, 1);
    for (let i = 0; i < 3; i++)
      await deliver(app.url, {
        event: 'pull_request',
        payload: pullRequestPayload('synchronize', target),
      });
    gh.release(gate);
    await until(() => jobsFinished() === 2, 'the running job and one coalesced');
    await running!.shutdown();
    expect(records.filter((r) => r.msg === 'job coalesced with a waiting one')).toHaveLength(2);
    expect(summaryComments('acme/models', 7)).toHaveLength(1);
  });

  it('skips drafts and events that need no check, answering 200', async () => {
    await standIn([repo('acme', 'models', 1, 11, [7])]);
    const app = await start();
    const target = { installation: 11, owner: 'acme', repo: 'models', number: 7 };
    const draft = pullRequestPayload('opened', target);
    (draft.pull_request as Record<string, unknown>).draft = true;
    const labeled = pullRequestPayload('labeled', target);
    const ping = examplePayload('ping');
    const answers = await Promise.all([
      deliver(app.url, { event: 'pull_request', payload: draft }),
      deliver(app.url, { event: 'pull_request', payload: labeled }),
      deliver(app.url, { event: 'ping', payload: ping }),
      deliver(app.url, { event: 'star', payload: { action: 'created' } }),
    ]);
    expect(answers.map((a) => [a.status, a.body.note])).toEqual([
      [200, 'draft pull request: checked once it is ready for review'],
      [200, 'pull_request.labeled needs no check'],
      [200, 'pong'],
      [200, 'event star is not one the App acts on'],
    ]);
    await running!.shutdown();
    expect(gh.requests).toEqual([]);
  });

  it('waits out a secondary rate limit instead of failing the job', async () => {
    await standIn([repo('acme', 'models', 1, 11, [7])]);
    // GitHub's answer to too many writes at once: 403, the message, and Retry-After.
    gh.inject((r) => r.method === 'POST' && r.path.endsWith('/issues/7/comments'), {
      status: 403,
      body: {
        message:
          'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
        documentation_url:
          'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
        status: '403',
      },
      headers: { 'retry-after': '1' },
    });
    const logs = collectLogs();
    records = logs.records;
    running = await startApp(testConfig(gh.url, { LSCG_REVIEW_COMMENTS: 'false' }), {
      log: logs.log,
      throttle: true,
    });
    await deliver(running.url, {
      event: 'pull_request',
      payload: pullRequestPayload('opened', {
        installation: 11,
        owner: 'acme',
        repo: 'models',
        number: 7,
      }),
    });
    await until(() => jobsFinished() === 1, 'the job');
    await running.shutdown();
    expect(records.filter((r) => r.msg === 'GitHub secondary rate limit hit')).toMatchObject([
      { installation: 11, retryAfter: 1, n: 0 },
    ]);
    expect(records.filter((r) => r.msg.startsWith('job failed'))).toEqual([]);
    expect(summaryComments('acme/models', 7)).toHaveLength(1);
  });

  it('says so in the comment when the base branch\u2019s policy does not load; a 404 is not retried', async () => {
    const r = repo('acme', 'models', 1, 11, [7]);
    r.commits[BASE] = {
      ...r.commits[BASE],
      '.github/llm-supply-chain.yml': 'version: 1\nrequire-pined: true\n',
    };
    await standIn([r]);
    const app = await start();
    const target = { installation: 11, owner: 'acme', repo: 'models', number: 7 };
    await deliver(app.url, {
      event: 'pull_request',
      payload: pullRequestPayload('opened', target),
    });
    // A pull request the installation cannot see (deleted, or access withdrawn): 404.
    await deliver(app.url, {
      event: 'pull_request',
      payload: pullRequestPayload('opened', { ...target, number: 8 }),
    });
    await until(() => jobsFinished() === 2, 'both jobs');
    await running!.shutdown();
    const [comment] = summaryComments('acme/models', 7);
    expect(String(comment!.body)).toContain('policy file does not load');
    expect(String(comment!.body)).toContain(
      '`.github/llm-supply-chain.yml:2:1` require-pined&#58; unknown key &quot;require-pined&quot;; did you mean &quot;require-pinned&quot;?',
    );
    expect(gh.requests.some((q) => q.path.includes('/git/trees/'))).toBe(false);
    expect(
      records
        .filter((x) => x.msg === 'GitHub refused a request; the job is not retried')
        .map((x) => [x.number, x.status]),
    ).toEqual([[8, 404]]);
    expect(records.filter((x) => x.msg.startsWith('job failed'))).toEqual([]);
  });

  it('answers /healthz and /readyz, and drains a running job on shutdown', async () => {
    await standIn([repo('acme', 'models', 1, 11, [7])]);
    const app = await start();
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${app.url}/readyz`)).json()).toEqual({ status: 'ready' });
    const gate = gh.hold((r) => r.path.endsWith('/pulls/7/files'));
    await deliver(app.url, {
      event: 'pull_request',
      payload: pullRequestPayload('opened', {
        installation: 11,
        owner: 'acme',
        repo: 'models',
        number: 7,
      }),
    });
    await gh.held(gate, 1);
    const stopping = running!.shutdown();
    running = null;
    await until(
      () => records.some((r) => r.msg === 'shutting down: draining running jobs'),
      'drain',
    );
    gh.release(gate);
    expect(await stopping).toEqual({ unfinished: 0 });
    expect(jobsFinished()).toBe(1);
    expect(summaryComments('acme/models', 7)).toHaveLength(1);
  });
});

describe('commands, installations and the drift sweep', () => {
  const comment = (login: string, body: string, type = 'User') => {
    const p = examplePayload('issue_comment', 'created');
    p.installation = { id: 11, node_id: 'x' };
    const repository = p.repository as Record<string, unknown>;
    repository.name = 'models';
    repository.full_name = 'acme/models';
    (repository.owner as Record<string, unknown>).login = 'acme';
    const issue = p.issue as Record<string, unknown>;
    issue.number = 7;
    issue.pull_request = { url: 'https://api.github.com/repos/acme/models/pulls/7' };
    const c = p.comment as Record<string, unknown>;
    c.body = body;
    c.id = 990;
    c.user = { ...(c.user as object), login, type };
    return p;
  };

  it('rechecks a pull request on a maintainer\u2019s command; ignores visitors and bots', async () => {
    await standIn([repo('acme', 'models', 1, 11, [7])]);
    const app = await start();
    const answers = [
      await deliver(app.url, {
        event: 'issue_comment',
        payload: comment('maintainer', '/llm-supply-chain recheck'),
      }),
      await deliver(app.url, {
        event: 'issue_comment',
        payload: comment('dependabot[bot]', '/llm-supply-chain recheck', 'Bot'),
      }),
      await deliver(app.url, { event: 'issue_comment', payload: comment('visitor', 'LGTM') }),
    ];
    expect(answers.map((a) => [a.status, a.body.status])).toEqual([
      [202, 'queued'],
      [200, 'ignored'],
      [200, 'ignored'],
    ]);
    await until(() => jobsFinished() === 2, 'the command and the recheck');
    await running!.shutdown();
    expect(gh.reactions).toEqual([{ comment: 990, content: 'eyes' }]);
    expect(summaryComments('acme/models', 7)).toHaveLength(1);
    expect(records.find((r) => r.msg === 'job started' && r.kind === 'pull-request')?.job).toBe(
      `recheck-${answers[0]!.id}-7`,
    );
    expect(gh.violations).toEqual([]);
  });

  it('checks the repositories of a new installation for drift, honouring app.drift: false', async () => {
    const opted = repo('acme', 'quiet', 2, 957387, []);
    opted.commits[BASE] = {
      ...opted.commits[BASE],
      '.github/llm-supply-chain.yml': 'version: 1\napp:\n  drift: false\n',
    };
    const watched = repo('acme', 'models', 1, 957387, []);
    watched.commits[BASE] = { ...watched.commits[BASE], 'adapter/adapter_config.json': ADAPTER };
    await standIn([watched, opted]);
    const app = await start();
    const payload = examplePayload('installation', 'created');
    payload.repositories = [
      { id: 1, node_id: 'x', name: 'models', full_name: 'acme/models', private: false },
      { id: 2, node_id: 'y', name: 'quiet', full_name: 'acme/quiet', private: false },
    ];
    const d = await deliver(app.url, { event: 'installation', payload });
    expect(d).toMatchObject({ status: 202, body: { jobs: 2 } });
    await until(() => jobsFinished() === 2, 'two drift jobs');
    await running!.shutdown();
    const dashboards = gh.issues.get('acme/models') ?? [];
    expect(dashboards.map((i) => [i.title, String(i.body).includes(DASHBOARD_MARKER)])).toEqual([
      ['LLM supply chain dashboard', true],
    ]);
    expect(gh.issues.get('acme/quiet')).toBeUndefined();
    expect(
      records.some(
        (r) =>
          r.repo === 'acme/quiet' &&
          r.msg === 'drift checks are off in the policy file (app.drift: false)',
      ),
    ).toBe(true);
    expect(gh.violations).toEqual([]);
  });

  it('sweeps every repository of every active installation once per scheduled minute', async () => {
    const a = repo('acme', 'models', 1, 11, []);
    const b = repo('umbrella', 'llm', 2, 22, []);
    const c = repo('frozen', 'old', 3, 33, []);
    await standIn([a, b, c], { suspended: [33] });
    const app = await start();
    const at = new Date(Date.UTC(2026, 5, 1, 6, 0));
    expect(await app.sweep(at)).toBe(true);
    // A second server ticking at the same minute queues nothing more.
    expect(await app.sweep(at)).toBe(false);
    await until(() => jobsFinished() === 3, 'the sweep and two drift jobs');
    await running!.shutdown();
    expect(
      records
        .filter((r) => r.msg === 'job started')
        .map((r) => r.job)
        .sort(),
    ).toEqual([
      'drift-11-acme/models-20260601T060000Z',
      'drift-22-umbrella/llm-20260601T060000Z',
      'drift-sweep-20260601T060000Z',
    ]);
    expect(gh.requests.some((r) => r.path.includes('/installations/33/'))).toBe(false);
    expect(gh.violations).toEqual([]);
  });
});
