/**
 * The Action end to end in drift mode and on bot commands, as the runner runs it
 * (test/e2e/harness.ts): online against the loopback Hub stand-in (started in this process and
 * passed as `hf-endpoint`), writing to the loopback GitHub stand-in. Payloads: `workflow_dispatch`
 * and `issue_comment` from @octokit/webhooks-examples; `schedule` is `{"schedule": "<cron>"}`,
 * what GitHub puts in the event file for scheduled runs (its docs: the payload carries the cron
 * string; there is no webhook for it, so no example).
 */
import { jest } from '@jest/globals';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { DASHBOARD_END_MARKER, DASHBOARD_MARKER } from '../../src/reporters/dashboard.js';
import { SUMMARY_MARKER } from '../../src/reporters/pr-comment.js';
import { startHub, type StandInHub } from '../registries/huggingface/stand-in.js';
import { DATASET, driftWorld, MODEL, type DriftWorld } from '../github/drift-world.js';
import { ACTIONS_BOT, GitHubStandIn, addedFilePatch } from '../github/stand-in.js';
import { OWNER, REPO, TOKEN, useBundledAction, type RunResult } from './harness.js';

jest.setTimeout(60_000);

const require = createRequire(import.meta.url);
const examples = (name: string) =>
  (
    require('@octokit/webhooks-examples') as { name: string; examples: Record<string, unknown>[] }[]
  ).find((e) => e.name === name)!.examples;
const DISPATCH = examples('workflow_dispatch')[0]!;
const COMMENT = examples('issue_comment')[0]!;
const SCHEDULE = { schedule: '17 6 * * 1' };

const API = `/api/v3/repos/${OWNER}/${REPO}`;
const MODEL_BRANCH = 'llm-supply-chain/huggingface/acme-labs/support-bot';
const DATASET_BRANCH = 'llm-supply-chain/huggingface/datasets/acme-labs/support-tickets';

const action = useBundledAction();

function repoFiles(w: DriftWorld, model: string, dataset: string): Record<string, string> {
  return {
    'train.py': `from transformers import AutoModelForCausalLM\r\nm = AutoModelForCausalLM.from_pretrained(\r\n    "${MODEL}", revision="${model}"\r\n)\r\n`,
    'adapter/adapter_config.json': `{\n  "base_model_name_or_path": "${MODEL}",\n  "revision": "${model}",\n  "peft_type": "LORA"\n}\n`,
    'data.py': `from datasets import load_dataset\nds = load_dataset("${DATASET}", revision="${dataset}")\n`,
    'README.md': '# Support bot\n',
  };
}

const writes = (gh: GitHubStandIn) =>
  gh.writes().map((r) => `${r.method} ${decodeURIComponent(r.path.replace(API, ''))} ${r.status}`);

describe('the Action on a schedule: dashboard issue and update pull requests', () => {
  let hub: StandInHub;
  let gh: GitHubStandIn;
  let w: DriftWorld;
  let ws: string;
  let first: RunResult;

  const run = (
    event: unknown = SCHEDULE,
    eventName = 'schedule',
    env: Record<string, string> = {},
  ) =>
    action.run({
      workspace: ws,
      apiUrl: gh.url,
      event,
      eventName,
      env,
      inputs: {
        offline: 'false',
        'hf-endpoint': hub.url,
        'pypi-endpoint': 'http://127.0.0.1:9',
        'npm-endpoint': 'http://127.0.0.1:9',
        'osv-endpoint': 'http://127.0.0.1:9',
        'update-pull-requests': 'true',
        'dashboard-label': 'supply-chain',
        'fail-on': 'none',
      },
    });
  /** Someone changes the default branch; the next scheduled run checks it out. */
  function pushMain(files: Record<string, string>) {
    gh.model.commitFiles('main', files, 'Edit on main');
    for (const [p, t] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(ws, p)), { recursive: true });
      writeFileSync(path.join(ws, p), t);
    }
  }
  const dashboard = () =>
    gh.model.issues.find((i) => String(i.body ?? '').startsWith(DASHBOARD_MARKER))!;

  beforeAll(async () => {
    w = driftWorld();
    hub = await startHub({ world: w.world });
    gh = await GitHubStandIn.start({
      owner: OWNER,
      repo: REPO,
      pull: 2,
      files: [],
      tokens: { [TOKEN]: { ...ACTIONS_BOT, canWrite: true } },
    });
    const files = repoFiles(w, w.pins.model, w.pins.dataset);
    gh.model.commitFiles('main', files, 'Initial commit');
    ws = action.workspace('drift', files);
    first = await run();
  });
  afterAll(async () => {
    await gh.close();
    await hub.close();
  });

  it('first run: opens one update pull request per upstream, then creates the dashboard', () => {
    expect(first.code).toBe(0);
    expect(writes(gh)).toEqual([
      'POST /git/blobs 201',
      'POST /git/blobs 201',
      'POST /git/trees 201',
      'POST /git/commits 201',
      `POST /git/refs 201`,
      'POST /pulls 201',
      'POST /git/blobs 201',
      'POST /git/trees 201',
      'POST /git/commits 201',
      'POST /git/refs 201',
      'POST /pulls 201',
      'POST /issues 201',
    ]);
    expect(gh.model.pulls.map((p) => [p.number, p.title, (p.head as { ref: string }).ref])).toEqual(
      [
        [10, `Update model ${MODEL} to ${w.head(MODEL).slice(0, 7)}`, MODEL_BRANCH],
        [11, `Update dataset ${DATASET} to ${w.head(DATASET).slice(0, 7)}`, DATASET_BRANCH],
      ],
    );
    const issue = dashboard();
    expect(issue).toMatchObject({ number: 12, title: 'LLM supply chain dashboard', state: 'open' });
    expect((issue.labels as { name: string }[]).map((l) => l.name)).toEqual(['supply-chain']);
    const body = String(issue.body);
    expect(body).toContain('2 upstreams need attention: 1 model, 1 dataset.');
    expect(body).toContain(
      `[train.py&#58;3](https://github.com/${OWNER}/${REPO}/blob/f95f852bd8fca8fcc58a9a2d6c842781e32a215e/train.py#L3)`,
    );
    expect(body).toContain(
      `| \`${w.pins.model.slice(0, 7)}\` → \`${w.head(MODEL).slice(0, 7)}\` | 3 commits · 30 days |`,
    );
    expect(body).toContain(`[#10](https://github.com/${OWNER}/${REPO}/pull/10) |`);
    expect(body).toContain(`${DASHBOARD_END_MARKER}\n---\n`);
    expect(first.outputs['dashboard-url']).toBe(`https://github.com/${OWNER}/${REPO}/issues/12`);
    expect(JSON.parse(first.outputs['update-pull-request-urls']!)).toEqual([
      `https://github.com/${OWNER}/${REPO}/pull/10`,
      `https://github.com/${OWNER}/${REPO}/pull/11`,
    ]);
    expect(first.stdout).toContain('::group::Update pull requests');
    expect(first.stdout).toContain('::group::Dashboard issue');
    expect(gh.violations).toEqual([]);
  });

  it('second run, nothing moved: not a single write', async () => {
    const before = gh.writes().length;
    const again = await run();
    expect(again.code).toBe(0);
    expect(gh.writes()).toHaveLength(before);
    expect(again.stdout).toContain('The dashboard issue is up to date:');
    expect(again.stdout).toContain('Update pull request #10 is up to date.');
    expect(again.outputs['dashboard-url']).toBe(first.outputs['dashboard-url']);
  });

  it('upstream moves: the dashboard is edited (notes kept) and the update pull request refreshed', async () => {
    const issue = dashboard();
    const notes = '\n---\nOwner: @ml-platform. Licence review: LEG-88.\n';
    const body = String(issue.body);
    issue.body = `${body.slice(0, body.indexOf(DASHBOARD_END_MARKER))}${DASHBOARD_END_MARKER}${notes}`;
    const moved = w.advance(MODEL, 'Relicense for research use', 'other');
    const before = gh.writes().length;
    const run3 = await run();
    expect(run3.code).toBe(0);
    expect(writes(gh).slice(before)).toEqual([
      'POST /git/blobs 201',
      'POST /git/blobs 201',
      'POST /git/trees 201',
      'POST /git/commits 201',
      `PATCH /git/refs/heads/${MODEL_BRANCH} 200`,
      'PATCH /pulls/10 200',
      'PATCH /issues/12 200',
    ]);
    expect(gh.model.file(MODEL_BRANCH, 'train.py')!.toString()).toBe(
      repoFiles(w, moved, w.pins.dataset)['train.py'],
    );
    expect(String(gh.model.pulls[0]!.body)).toContain(
      '> The licence changes: `apache-2.0` at the pin, `other` at the new head.',
    );
    const updated = String(dashboard().body);
    expect(updated).toContain(
      `→ \`${moved.slice(0, 7)}\` | 4 commits · 35 days | ⚠️ apache-2.0 → other |`,
    );
    expect(updated.endsWith(`${DASHBOARD_END_MARKER}${notes}`)).toBe(true);
    expect(gh.violations).toEqual([]);
  });

  it('all fixed: the update pull requests are merged, the dashboard closes with a note', async () => {
    gh.model.merge(10);
    gh.model.merge(11);
    pushMain(repoFiles(w, w.head(MODEL), w.head(DATASET)));
    const before = gh.writes().length;
    const run4 = await run();
    expect(run4.code).toBe(0);
    expect(writes(gh).slice(before)).toEqual(['PATCH /issues/12 200']);
    const issue = dashboard();
    expect(issue).toMatchObject({ state: 'closed', state_reason: 'completed' });
    expect(String(issue.body)).toContain(
      '**✅ Nothing left to report.** This issue reopens when findings return.',
    );
    expect(String(issue.body).endsWith('Licence review: LEG-88.\n')).toBe(true);
    expect(run4.outputs['update-pull-request-urls']).toBe('[]');
  });

  it('findings return: the same dashboard reopens and a new update pull request opens', async () => {
    const moved = w.advance(DATASET, 'Add March tickets');
    const before = gh.writes().length;
    const run5 = await run();
    expect(run5.code).toBe(0);
    expect(writes(gh).slice(before)).toEqual([
      'POST /git/blobs 201',
      'POST /git/trees 201',
      'POST /git/commits 201',
      // The merged pull request's branch is still there: it is moved, not created.
      `PATCH /git/refs/heads/${DATASET_BRANCH} 200`,
      'POST /pulls 201',
      'PATCH /issues/12 200',
    ]);
    expect(dashboard()).toMatchObject({ number: 12, state: 'open' });
    expect(
      gh.model.issues.filter((i) => String(i.body ?? '').includes(DASHBOARD_MARKER)),
    ).toHaveLength(1);
    expect(gh.model.pulls.at(-1)).toMatchObject({
      number: 13,
      title: `Update dataset ${DATASET} to ${moved.slice(0, 7)}`,
    });
    expect(gh.violations).toEqual([]);
  });

  it('workflow_dispatch on the default branch runs the same way; elsewhere it writes nothing', async () => {
    const before = gh.writes().length;
    const dispatched = await run(DISPATCH, 'workflow_dispatch', { GITHUB_REF: 'refs/heads/main' });
    expect(dispatched.stdout).toContain('The dashboard issue is up to date:');
    const other = await run(DISPATCH, 'workflow_dispatch', { GITHUB_REF: 'refs/heads/experiment' });
    expect(other.stdout).toContain(
      'refs/heads/experiment is not the default branch (main): the dashboard and update pull requests describe the default branch only, so they are left alone.',
    );
    expect(gh.writes()).toHaveLength(before);
  });
});

describe('the Action on a schedule with a read-only token', () => {
  it('warns naming the missing permissions and still reports everything else', async () => {
    const w = driftWorld();
    const hub = await startHub({ world: w.world });
    const gh = await GitHubStandIn.start({
      owner: OWNER,
      repo: REPO,
      pull: 2,
      files: [],
      tokens: { [TOKEN]: { ...ACTIONS_BOT, canWrite: false } },
    });
    try {
      const files = repoFiles(w, w.pins.model, w.pins.dataset);
      gh.model.commitFiles('main', files);
      const ws = action.workspace('drift-read-only', files);
      const run = await action.run({
        workspace: ws,
        apiUrl: gh.url,
        event: SCHEDULE,
        eventName: 'schedule',
        inputs: {
          offline: 'false',
          'hf-endpoint': hub.url,
          'update-pull-requests': 'true',
          'fail-on': 'none',
        },
      });
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(
        '::warning::Could not open update pull requests: the token lacks contents: write. Add it to the job\'s "permissions:" block.',
      );
      expect(run.stdout).toContain(
        '::warning::Could not update the dashboard issue: the token lacks issues: write. Add it to the job\'s "permissions:" block.',
      );
      expect(run.outputs['findings-count']).toBe('3');
      expect(run.summary).toContain('## LLM supply chain report');
      expect(gh.violations).toEqual([]);
    } finally {
      await gh.close();
      await hub.close();
    }
  });
});

describe('the Action on issue_comment: bot commands', () => {
  const PR_HEAD = '9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c';
  const ADAPTER =
    '{\n  "base_model_name_or_path": "meta-llama/Llama-3.1-8B-Instruct",\n  "peft_type": "LORA"\n}\n';

  async function setup(headInCheckout: string) {
    const gh = await GitHubStandIn.start({
      owner: OWNER,
      repo: REPO,
      pull: 2,
      files: [
        {
          filename: 'adapter/adapter_config.json',
          status: 'added',
          patch: addedFilePatch(ADAPTER),
        },
      ],
      tokens: { [TOKEN]: { ...ACTIONS_BOT, canWrite: true } },
    });
    gh.model.permissions.set('Codertocat', 'admin');
    gh.model.seedPull(gh.tools(), { ...ACTIONS_BOT, canWrite: true }, 2, {
      title: 'Fine-tune on Llama 3.1',
      head: 'fine-tune',
      headSha: PR_HEAD,
      base: 'main',
    });
    // actions/checkout of refs/pull/2/head leaves a detached HEAD at the pull request's head.
    const ws = action.workspace(`comment-${headInCheckout.slice(0, 4)}`, {
      'adapter/adapter_config.json': ADAPTER,
      '.git/HEAD': `${headInCheckout}\n`,
    });
    return { gh, ws };
  }
  const commentEvent = (body: string, onPullRequest: boolean) => {
    const event = structuredClone(COMMENT) as {
      comment: { body: string };
      issue: { number: number; pull_request?: unknown };
    };
    event.comment.body = body;
    event.issue.number = 2;
    // GitHub sets issue.pull_request on comments made on pull requests.
    if (onPullRequest)
      event.issue.pull_request = {
        url: `https://api.github.com/repos/${OWNER}/${REPO}/pulls/2`,
        html_url: `https://github.com/${OWNER}/${REPO}/pull/2`,
        diff_url: `https://github.com/${OWNER}/${REPO}/pull/2.diff`,
        patch_url: `https://github.com/${OWNER}/${REPO}/pull/2.patch`,
        merged_at: null,
      };
    return event;
  };

  it('recheck re-runs the pull request check and comments on the pull request', async () => {
    const { gh, ws } = await setup(PR_HEAD);
    try {
      const run = await action.run({
        workspace: ws,
        apiUrl: gh.url,
        event: commentEvent('/llm-supply-chain recheck', true),
        eventName: 'issue_comment',
        inputs: { 'fail-on': 'none' },
      });
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(`Rechecking pull request #2 at ${PR_HEAD.slice(0, 7)}.`);
      expect(writes(gh)).toEqual([
        'POST /issues/comments/492700400/reactions 201',
        'POST /issues/2/comments 201',
        'POST /pulls/2/reviews 200',
      ]);
      expect(String(gh.issueComments[0]!.body).startsWith(SUMMARY_MARKER)).toBe(true);
      expect(gh.reviewComments.map((c) => [c.path, c.line, c.commit_id])).toEqual([
        ['adapter/adapter_config.json', 2, PR_HEAD],
      ]);
      expect(run.outputs['findings-count']).toBe('1');
      expect(gh.violations).toEqual([]);
    } finally {
      await gh.close();
    }
  });

  it('recheck refuses a workspace that does not hold the pull request', async () => {
    const { gh, ws } = await setup('f95f852bd8fca8fcc58a9a2d6c842781e32a215e');
    try {
      const run = await action.run({
        workspace: ws,
        apiUrl: gh.url,
        event: commentEvent('/llm-supply-chain recheck', true),
        eventName: 'issue_comment',
      });
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(
        '::warning::Not rechecking pull request #2: the workspace holds f95f852, not the pull request. Check out refs/pull/2/merge in the job that handles issue_comment (see the README).',
      );
      expect(writes(gh)).toEqual(['POST /issues/comments/492700400/reactions 201']);
    } finally {
      await gh.close();
    }
  });

  it('ignore is answered with the policy lines; a plain comment is left alone', async () => {
    const { gh, ws } = await setup(PR_HEAD);
    try {
      const answered = await action.run({
        workspace: ws,
        apiUrl: gh.url,
        event: commentEvent(
          '/llm-supply-chain ignore unpinned-revision meta-llama/* pinned by the serving image',
          true,
        ),
        eventName: 'issue_comment',
      });
      expect(answered.code).toBe(0);
      const reply = String(gh.issueComments[0]!.body);
      expect(reply).toContain('add these lines to `.github/llm-supply-chain.yml`');
      expect(reply).toMatch(
        /```yaml\nignore:\n {2}- rule: unpinned-revision\n {4}id: meta-llama\/\*\n {4}reason: "pinned by the serving image"\n {4}expires: \d{4}-\d{2}-\d{2}\n```/,
      );
      const before = gh.requests.length;
      const plain = await action.run({
        workspace: ws,
        apiUrl: gh.url,
        event: COMMENT,
        eventName: 'issue_comment',
      });
      expect(plain.code).toBe(0);
      expect(plain.stdout).toContain('The comment holds no /llm-supply-chain command.');
      expect(gh.requests).toHaveLength(before);
      expect(gh.violations).toEqual([]);
    } finally {
      await gh.close();
    }
  });
});
