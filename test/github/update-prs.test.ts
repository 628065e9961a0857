import { writeFileSync } from 'node:fs';
import {
  createGitHubClient,
  isPermissionFailure,
  type GitHubClient,
} from '../../src/github/client.js';
import { Identity } from '../../src/github/identity.js';
import {
  branchName,
  syncUpdatePullRequests,
  type UpdatePrOptions,
} from '../../src/github/update-prs.js';
import type { ScanResult } from '../../src/scan.js';
import { tempRepo } from '../helpers.js';
import { startHub, type StandInHub } from '../registries/huggingface/stand-in.js';
import { DATASET, driftWorld, MODEL, scanOnline, type DriftWorld } from './drift-world.js';
import { ACTIONS_BOT, GitHubStandIn, type Account } from './stand-in.js';

const REPO = { owner: 'Codertocat', repo: 'Hello-World' };
const API = '/api/v3/repos/Codertocat/Hello-World';
const MODEL_BRANCH = 'llm-supply-chain/huggingface/acme-labs/support-bot';
const DATASET_BRANCH = 'llm-supply-chain/huggingface/datasets/acme-labs/support-tickets';

const files = (
  w: DriftWorld,
  model = w.pins.model,
  dataset = w.pins.dataset,
): Record<string, string> => ({
  // CRLF, a BOM-less JSON file and a file without a final newline: all must survive the edit.
  'train.py': `from transformers import AutoModelForCausalLM\r\nm = AutoModelForCausalLM.from_pretrained(\r\n    "${MODEL}", revision="${model}"\r\n)\r\n`,
  'adapter/adapter_config.json': `{\n  "base_model_name_or_path": "${MODEL}",\n  "revision": "${model}",\n  "peft_type": "LORA"\n}\n`,
  'data.py': `from datasets import load_dataset\nds = load_dataset("${DATASET}", revision="${dataset}")`,
  'README.md': '# Support bot\n',
});

describe('branchName', () => {
  it('is stable, keeps datasets apart from models, and is a valid git branch name', () => {
    expect(branchName({ ecosystem: 'huggingface', kind: 'model', id: 'org/name' })).toBe(
      'llm-supply-chain/huggingface/org/name',
    );
    expect(branchName({ ecosystem: 'huggingface', kind: 'dataset', id: 'org/name' })).toBe(
      'llm-supply-chain/huggingface/datasets/org/name',
    );
    expect(branchName({ ecosystem: 'npm', kind: 'package', id: '@scope/pkg' })).toBe(
      'llm-supply-chain/npm/scope/pkg',
    );
    expect(branchName({ ecosystem: 'pypi', kind: 'package', id: '..evil~^:name.lock' })).toBe(
      'llm-supply-chain/pypi/evil---name',
    );
  });
});

describe('update pull requests against the GitHub and Hub stand-ins', () => {
  let gh: GitHubStandIn;
  let hub: StandInHub;
  let w: DriftWorld;
  let client: GitHubClient;
  let repo: ReturnType<typeof tempRepo>;
  const logs: string[] = [];

  async function start(account: Account = { ...ACTIONS_BOT, canWrite: true }) {
    w = driftWorld();
    hub = await startHub({ world: w.world });
    gh = await GitHubStandIn.start({ ...REPO, pull: 2, files: [], tokens: { tok: account } });
    client = createGitHubClient({ token: 'tok', baseUrl: gh.url, warn: () => {}, throttle: false });
    repo = tempRepo(files(w));
    gh.model.commitFiles('main', files(w), 'Initial commit');
  }
  afterEach(async () => {
    await gh.close();
    await hub.close();
    repo.cleanup();
    logs.length = 0;
    expect(gh.violations).toEqual([]);
  });

  /** The default branch and the checkout both move to these files (a merge, a hand edit). */
  function pushMain(next: Record<string, string>) {
    gh.model.commitFiles('main', next, 'Edit on main');
    for (const [p, t] of Object.entries(next)) writeFileSync(`${repo.root}/${p}`, t);
  }

  async function sync(extra: Partial<UpdatePrOptions> = {}, result?: ScanResult) {
    const scanned = result ?? (await scanOnline(repo.root, hub.url));
    return syncUpdatePullRequests(client, REPO, scanned, {
      repoPath: (f) => f,
      packages: false,
      max: 5,
      identity: new Identity(client),
      dryRun: false,
      log: (m) => logs.push(m),
      repoUrl: 'https://github.com/Codertocat/Hello-World',
      ...extra,
    });
  }
  const writes = () =>
    gh
      .writes()
      .map((r) => `${r.method} ${decodeURIComponent(r.path.replace(API, ''))} ${r.status}`);

  it('opens one pull request per upstream, rewriting only the pins, through the Git Data API', async () => {
    await start();
    const out = await sync();
    expect(out.map((o) => [o.action, o.branch, o.number])).toEqual([
      ['opened', MODEL_BRANCH, 10],
      ['opened', DATASET_BRANCH, 11],
    ]);
    expect(writes()).toEqual([
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
    ]);
    const head = w.head(MODEL);
    const before = files(w);
    for (const p of ['train.py', 'adapter/adapter_config.json'])
      expect(gh.model.file(MODEL_BRANCH, p)!.toString()).toBe(
        before[p]!.replace(w.pins.model, head),
      );
    expect(gh.model.file(MODEL_BRANCH, 'data.py')!.toString()).toBe(before['data.py']);
    expect(gh.model.file(DATASET_BRANCH, 'data.py')!.toString()).toBe(
      before['data.py']!.replace(w.pins.dataset, w.head(DATASET)),
    );
    const pr = gh.model.pulls[0]!;
    expect(pr.title).toBe(`Update model ${MODEL} to ${head.slice(0, 7)}`);
    expect((pr.base as { ref: string }).ref).toBe('main');
    expect(String(pr.body)).toContain('#### Upstream commits since the pin');
    expect(String(pr.body)).toContain('Stand-in commit 4 of acme-labs/support-bot');
    expect(String(pr.body)).toContain(`${hub.url}/acme-labs/support-bot/commit/${head}`);
    expect(String(pr.body)).toContain('Unchanged: `apache-2.0`.');
  });

  it('writes nothing on the next run when nothing moved', async () => {
    await start();
    await sync();
    const before = gh.writes().length;
    const again = await sync();
    expect(again.map((o) => o.action)).toEqual(['kept', 'kept']);
    expect(gh.writes()).toHaveLength(before);
  });

  it('force-updates the branch and refreshes the body when the upstream moves, and nothing else', async () => {
    await start();
    await sync();
    const first = gh.writes().length;
    const moved = w.advance(MODEL, 'Relicense for research only', 'other');
    const out = await sync();
    expect(out.map((o) => [o.action, o.number])).toEqual([
      ['updated', 10],
      ['kept', 11],
    ]);
    expect(writes().slice(first)).toEqual([
      'POST /git/blobs 201',
      'POST /git/blobs 201',
      'POST /git/trees 201',
      'POST /git/commits 201',
      `PATCH /git/refs/heads/${MODEL_BRANCH} 200`,
      'PATCH /pulls/10 200',
    ]);
    expect(gh.model.file(MODEL_BRANCH, 'train.py')!.toString()).toContain(`revision="${moved}"`);
    const pr = gh.model.pulls[0]!;
    expect(pr.title).toBe(`Update model ${MODEL} to ${moved.slice(0, 7)}`);
    expect(String(pr.body)).toContain(
      '> The licence changes: `apache-2.0` at the pin, `other` at the new head.',
    );
    expect(gh.model.pulls).toHaveLength(2);
  });

  it('closes the pull request once the pin is current, and leaves merged ones alone', async () => {
    await start();
    await sync();
    // The model's pull request is merged; the dataset's pin is moved by hand on main.
    gh.model.merge(10);
    pushMain({
      ...files(w, w.head(MODEL), w.head(DATASET)),
    });
    const before = gh.writes().length;
    const out = await sync();
    expect(out.map((o) => [o.action, o.number, o.note])).toEqual([['closed', 11, 'current']]);
    expect(writes().slice(before)).toEqual([
      'POST /issues/11/comments 201',
      'PATCH /pulls/11 200',
      `DELETE /git/refs/heads/${DATASET_BRANCH} 204`,
    ]);
    expect(gh.model.refs.has(`heads/${DATASET_BRANCH}`)).toBe(false);
    expect(gh.issueComments.at(-1)!.body).toBe(
      'The pin is at the upstream head now, so this update is no longer needed; closing.',
    );
    // Nothing open, nothing behind: the next run has nothing to do.
    const quiet = gh.writes().length;
    expect(await sync()).toEqual([]);
    expect(gh.writes()).toHaveLength(quiet);
  });

  it('opens at most max-update-pull-requests, most severe first; the rest wait', async () => {
    await start();
    const out = await sync({ max: 1 });
    expect(out.map((o) => [o.action, o.branch])).toEqual([
      ['opened', MODEL_BRANCH],
      ['limited', DATASET_BRANCH],
    ]);
    expect(gh.model.pulls).toHaveLength(1);
  });

  it('does not offer a target again after a person closed its pull request unmerged', async () => {
    await start();
    await sync({ max: 1 });
    Object.assign(gh.model.pulls[0]!, { state: 'closed' });
    const out = await sync({ max: 1 });
    expect(out.map((o) => [o.action, o.note])).toEqual([
      ['declined', '#10 was closed without merging'],
      ['opened', undefined],
    ]);
    // A newer head is a new offer.
    w.advance(MODEL, 'Newer weights');
    const later = await sync({ max: 5 });
    expect(later.find((o) => o.branch === MODEL_BRANCH)!.action).toBe('opened');
  });

  it('never overwrites commits someone else pushed to the update branch', async () => {
    await start();
    await sync();
    gh.model.commitFiles(MODEL_BRANCH, { 'NOTES.md': 'checked the eval\n' }, 'Add eval notes');
    const theirs = gh.model.refs.get(`heads/${MODEL_BRANCH}`);
    const body = gh.model.pulls[0]!.body;
    w.advance(MODEL, 'Newer weights');
    const before = gh.writes().length;
    const out = await sync();
    expect(out[0]).toMatchObject({
      action: 'kept',
      number: 10,
      note: 'someone else pushed to the branch',
    });
    expect(gh.model.refs.get(`heads/${MODEL_BRANCH}`)).toBe(theirs);
    expect(gh.model.pulls[0]!.body).toBe(body);
    expect(gh.writes()).toHaveLength(before);
    expect(logs).toContain(
      `${MODEL_BRANCH} has commits by someone else; leaving the branch as it is.`,
    );
  });

  it('leaves a pin alone when the default branch no longer has it where the scan saw it', async () => {
    await start();
    const result = await scanOnline(repo.root, hub.url);
    gh.model.commitFiles('main', { 'data.py': `# moved\n${files(w)['data.py']}` }, 'Move things');
    const out = await sync({}, result);
    expect(out.map((o) => [o.action, o.branch, o.note])).toEqual([
      ['opened', MODEL_BRANCH, undefined],
      ['skipped', DATASET_BRANCH, `line 2 no longer has "${w.pins.dataset}" at column 58 on main`],
    ]);
  });

  it('writes nothing in a dry run', async () => {
    await start();
    const out = await sync({ dryRun: true });
    expect(out.map((o) => o.action)).toEqual(['opened', 'opened']);
    expect(gh.writes()).toEqual([]);
    expect(logs).toContain(`[dry-run] would have created ${MODEL_BRANCH} (2 files)`);
  });

  it('lets a permission failure through for the caller to name', async () => {
    await start({ ...ACTIONS_BOT, canWrite: false });
    const error = await sync().catch((e: unknown) => e);
    expect(isPermissionFailure(error)).toBe(true);
  });
});
