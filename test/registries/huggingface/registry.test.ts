import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WeightsFile } from '../../../src/types.js';
import { enrich, extracted, hubRef, INFO } from './helpers.js';
import { startHub, type StandInHub } from './stand-in.js';
import { createWorld, sha1 } from './world.js';

const GPT2_HEAD = '607a30d783dfa663caf39e06633721c8d4cfcd7e';
const BERT_HEAD = '86b5e0934494bd15c9632b12f734a8a67f723594';
const BERT_PIN = 'dd4bc8b21efa05ec961e3efc4ee5e3832a3679c7';
/** The 23rd newest gpt2 commit (a stand-in: the samples record the 6 newest of 26). */
const GPT2_OLD = sha1('openai-community/gpt2:16');
const LLAMA = 'meta-llama/Llama-3.1-8B';

let hub: StandInHub;
beforeEach(async () => {
  hub = await startHub();
});
afterEach(async () => {
  await hub.close();
});

describe('Hub registry: requests per upstream', () => {
  it('resolves an unpinned model with one info request', async () => {
    const r = await enrich(hub.url, extracted([hubRef('openai-community/gpt2')]));
    expect(r.sent).toEqual([`GET /api/models/openai-community/gpt2/revision/main${INFO}`]);
    const up = r.up('model', 'openai-community/gpt2');
    expect(up.state).toBe('ok');
    expect(up.repo).toEqual({
      kind: 'model',
      requestedId: 'openai-community/gpt2',
      id: 'openai-community/gpt2',
      objectId: '621ffdc036468d709f17434d',
      author: 'openai-community',
      createdAt: '2022-03-02T23:29:04.000Z',
      private: false,
      gated: false,
      disabled: false,
      redirects: [],
    });
    expect(up.at).toMatchObject({
      requested: 'main',
      sha: GPT2_HEAD,
      date: '2024-02-19T10:57:45.000Z',
      license: { ids: ['mit'] },
      baseModels: [],
    });
    expect(up.head).toBe(up.at);
    expect(up.at?.files?.find((f) => f.path === 'model.safetensors')).toEqual({
      path: 'model.safetensors',
      size: 548105171,
      blobId: '44b36d6e32d13c8fb28b0feab0ac8bfefa7efeda',
      sha256: '248dfc3911869ec493c76e65bf2fcf7f615828b0254c12b473182f0f81d3a707',
    });
    expect(up.security).toEqual({ scansDone: true, filesWithIssues: [] });
    expect(r.hub?.requests).toBe(1);
    expect(r.hub?.unverified).toEqual([]);
  });

  it('needs nothing more for a pin at the head of main, however short', async () => {
    const r = await enrich(hub.url, extracted([hubRef('openai-community/gpt2', '607a30d7')]));
    expect(r.sent).toEqual([`GET /api/models/openai-community/gpt2/revision/main${INFO}`]);
    expect(r.up('model', 'openai-community/gpt2', '607a30d7').drift).toMatchObject({
      behind: 0,
      headSha: GPT2_HEAD,
      newest: [],
    });
  });

  it('measures a pin inside the newest page of history with three requests', async () => {
    const r = await enrich(hub.url, extracted([hubRef('google-bert/bert-base-uncased', BERT_PIN)]));
    expect(r.sent).toEqual([
      `GET /api/models/google-bert/bert-base-uncased/revision/main${INFO}`,
      `GET /api/models/google-bert/bert-base-uncased/revision/${BERT_PIN}${INFO}`,
      'GET /api/models/google-bert/bert-base-uncased/commits/main?limit=20',
    ]);
    const up = r.up('model', 'google-bert/bert-base-uncased', BERT_PIN);
    expect(up.drift).toEqual({
      behind: 1,
      daysBehind: 1609,
      headSha: BERT_HEAD,
      headDate: '2024-02-19T11:06:12.000Z',
      pinDate: '2019-09-23T19:48:44.000Z',
      newest: [
        {
          sha: BERT_HEAD,
          title: 'Stand-in title for the head of main',
          date: '2024-02-19T11:06:12.000Z',
          authors: ['lysandre'],
        },
      ],
      historyUrl: `${hub.url}/google-bert/bert-base-uncased/commits/main`,
      compareUrl: `${hub.url}/api/models/google-bert/bert-base-uncased/compare/${BERT_PIN}..${BERT_HEAD}`,
    });
    // The tree sample's hashes at dd4bc8b: `lfs.oid` there, `lfs.sha256` in siblings.
    expect(up.at?.files?.find((f) => f.path === 'pytorch_model.bin')).toEqual({
      path: 'pytorch_model.bin',
      size: 440473133,
      blobId: 'ba5d19791be1dd7992e33bd61f20207b0f7f50a5',
      sha256: '097417381d6c7230bd9e3557456d726de6e83245ec8b24f529f60198a67b203a',
    });
    expect(up.head?.sha).toBe(BERT_HEAD);
    expect(up.head?.license).toEqual({ ids: ['apache-2.0'] });
  });

  it('counts a pin older than that page by the difference of the two x-total-counts', async () => {
    const r = await enrich(hub.url, extracted([hubRef('openai-community/gpt2', GPT2_OLD)]));
    expect(r.sent).toEqual([
      `GET /api/models/openai-community/gpt2/revision/main${INFO}`,
      `GET /api/models/openai-community/gpt2/revision/${GPT2_OLD}${INFO}`,
      'GET /api/models/openai-community/gpt2/commits/main?limit=20',
      `GET /api/models/openai-community/gpt2/commits/${GPT2_OLD}?limit=1`,
    ]);
    // 26 on main (x-total-count, as recorded) minus 4 reachable from the pin; the Link to the
    // next page is not followed: one count answers what paging would.
    const up = r.up('model', 'openai-community/gpt2', GPT2_OLD);
    expect(up.drift).toMatchObject({
      behind: 22,
      daysBehind: 618,
      pinDate: '2022-06-11T00:00:00.000Z',
    });
    expect(up.drift?.newest.map((c) => c.title)).toEqual([
      'Adds the tokenizer configuration file (#80)',
      'Adding ONNX file of this model (#60)',
      'Update generation_config.json',
      'Add note that this is the smallest version of the model (#18)',
      'Our very first generation_config.json (#17)',
    ]);
    expect(up.at?.files?.map((f) => f.path)).toEqual([
      '.gitattributes',
      'README.md',
      'pytorch_model.bin',
      'config.json',
    ]);
  });

  it('asks each upstream once for 50 references to 5 upstreams', async () => {
    const ids: [string, string | null, 'model' | 'dataset'][] = [
      ['openai-community/gpt2', null, 'model'],
      ['google-bert/bert-base-uncased', BERT_PIN, 'model'],
      [LLAMA, null, 'model'],
      ['rajpurkar/squad', null, 'dataset'],
      ['openai/whisper-tiny', 'main', 'model'],
    ];
    const refs = Array.from({ length: 50 }, (_, i) => {
      const [id, revision, kind] = ids[i % 5] as (typeof ids)[number];
      return hubRef(id, revision, { kind, file: `src/job_${i}.py`, line: i + 1 });
    });
    const counts = new Map<string, number>();
    const r = await enrich(hub.url, extracted(refs), {
      onRequest: (_registry, method, url) =>
        counts.set(`${method} ${url}`, (counts.get(`${method} ${url}`) ?? 0) + 1),
    });
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect([...r.sent].sort()).toEqual([
      `GET /api/datasets/rajpurkar/squad/revision/main`,
      `GET /api/models/google-bert/bert-base-uncased/commits/main?limit=20`,
      `GET /api/models/google-bert/bert-base-uncased/revision/${BERT_PIN}${INFO}`,
      `GET /api/models/google-bert/bert-base-uncased/revision/main${INFO}`,
      `GET /api/models/meta-llama/Llama-3.1-8B/revision/main${INFO}`,
      `GET /api/models/openai-community/gpt2/revision/main${INFO}`,
      `GET /api/models/openai/whisper-tiny/revision/main${INFO}`,
    ]);
    expect(hub.log()).toHaveLength(7);
    expect(Object.keys(r.hub?.upstreams ?? {})).toHaveLength(5);
  });
});

describe('Hub registry: answers', () => {
  it('follows a rename (307, relative Location) and keeps the hop and the new identity', async () => {
    const old = sha1('runwayml/stable-diffusion-v1-5:2');
    const r = await enrich(hub.url, extracted([hubRef('runwayml/stable-diffusion-v1-5', old)]));
    const target = 'stable-diffusion-v1-5/stable-diffusion-v1-5';
    expect(r.sent).toEqual([
      `GET /api/models/runwayml/stable-diffusion-v1-5/revision/main${INFO}`,
      `GET /api/models/${target}/revision/main${INFO}`,
      `GET /api/models/${target}/revision/${old}${INFO}`,
      `GET /api/models/${target}/commits/main?limit=20`,
    ]);
    const up = r.up('model', 'runwayml/stable-diffusion-v1-5', old);
    expect(up.repo).toMatchObject({
      requestedId: 'runwayml/stable-diffusion-v1-5',
      id: target,
      objectId: '66d19580e2632490a6bc5829',
      author: 'stable-diffusion-v1-5',
      createdAt: '2024-08-30T09:48:48.000Z',
      redirects: [`${hub.url}/api/models/${target}/revision/main${INFO}`],
    });
    expect(up.drift).toMatchObject({ behind: 3, pinDate: '2022-08-20T00:00:00.000Z' });
  });

  it('reads an anonymous 401 as "missing or private" and a 404 with a token as missing', async () => {
    const anonymous = await enrich(hub.url, extracted([hubRef('openai-community/no-such-model')]));
    expect(anonymous.up('model', 'openai-community/no-such-model')).toMatchObject({
      state: 'not-found',
      definitive: false,
      reason: '401 to an anonymous request: Invalid username or password.',
    });
    const signed = await enrich(hub.url, extracted([hubRef('openai-community/no-such-model')]), {
      hfToken: 'hf_nogrant',
    });
    expect(signed.up('model', 'openai-community/no-such-model')).toMatchObject({
      state: 'not-found',
      definitive: true,
      reason: '404 RepoNotFound',
    });
    expect(signed.hub?.authenticated).toBe(true);
    expect(hub.requests.map((q) => q.authorization)).toEqual([null, 'Bearer hf_nogrant']);
  });

  it('sees a private repository with a token that can read it', async () => {
    const id = 'acme-labs/private-model';
    const anonymous = await enrich(hub.url, extracted([hubRef(id)]));
    expect(anonymous.up('model', id).state).toBe('not-found');
    const signed = await enrich(hub.url, extracted([hubRef(id)]), { hfToken: 'hf_granted' });
    expect(signed.up('model', id)).toMatchObject({ state: 'ok', repo: { private: true } });
  });

  it('reports a rejected token as unverified without ever repeating the token', async () => {
    const r = await enrich(hub.url, extracted([hubRef('openai-community/gpt2')]), {
      hfToken: 'hf_revoked_secret',
    });
    expect(r.hub?.unverified).toEqual([
      {
        ecosystem: 'huggingface',
        kind: 'model',
        id: 'openai-community/gpt2',
        revision: null,
        reason: 'the Hub rejected the token (401: Invalid credentials in Authorization header)',
      },
    ]);
    expect(r.warnings).toEqual([
      `Hugging Face Hub (${hub.url}): 1 upstream not verified, e.g. openai-community/gpt2: the Hub rejected the token (401: Invalid credentials in Authorization header)`,
    ]);
    expect(JSON.stringify(r.hub)).not.toContain('hf_revoked_secret');
  });

  it('maps RevisionNotFound for a vanished commit and for a missing tag', async () => {
    const gone = 'c0ffee0000000000000000000000000000000000';
    const r = await enrich(
      hub.url,
      extracted([hubRef('openai-community/gpt2', gone), hubRef('openai-community/gpt2', 'v9')]),
    );
    expect(r.up('model', 'openai-community/gpt2', gone)).toMatchObject({
      state: 'revision-not-found',
      reason: `404 RevisionNotFound: Invalid rev id: ${gone}`,
      head: { sha: GPT2_HEAD },
    });
    expect(r.up('model', 'openai-community/gpt2', 'v9')).toMatchObject({
      state: 'revision-not-found',
      reason: '404 RevisionNotFound: Invalid rev id: v9',
    });
  });

  it('knows both kinds of disabled: a model says so in a 200, a dataset in a 403', async () => {
    const r = await enrich(
      hub.url,
      extracted([
        hubRef('ykilcher/gpt-4chan'),
        hubRef('laion/laion-art', null, { kind: 'dataset', via: 'load_dataset' }),
      ]),
    );
    expect(r.up('model', 'ykilcher/gpt-4chan')).toMatchObject({
      state: 'disabled',
      reason: 'the Hub marks it disabled',
    });
    expect(r.up('dataset', 'laion/laion-art')).toMatchObject({
      state: 'disabled',
      reason: 'Access to this resource is disabled.',
    });
    expect(r.sent).toEqual([
      `GET /api/models/ykilcher/gpt-4chan/revision/main${INFO}`,
      'GET /api/datasets/laion/laion-art/revision/main',
    ]);
  });

  it('reads gated info anonymously but needs a granted token for history', async () => {
    const pin = sha1(`${LLAMA}:1`);
    const refs = extracted([hubRef(LLAMA, pin)]);
    const anonymous = await enrich(hub.url, refs);
    expect(anonymous.up('model', LLAMA, pin)).toMatchObject({
      state: 'ok',
      access: 'denied',
      drift: null,
      driftUnknown:
        'commit history unavailable (401 GatedRepo: Access to model meta-llama/Llama-3.1-8B is restricted. You must have access to it and be authenticated to access it. Please log in.)',
      repo: { gated: 'manual' },
      at: { license: { ids: ['llama3.1'] } },
    });
    const denied = await enrich(hub.url, refs, { hfToken: 'hf_nogrant' });
    expect(denied.up('model', LLAMA, pin)).toMatchObject({ access: 'denied', drift: null });
    expect(denied.up('model', LLAMA, pin).driftUnknown).toMatch(
      /^commit history unavailable \(403 GatedRepo/,
    );
    const granted = await enrich(hub.url, refs, { hfToken: 'hf_granted' });
    expect(granted.up('model', LLAMA, pin)).toMatchObject({
      access: 'granted',
      drift: { behind: 2 },
    });
  });

  it('asks for per-file scan details only when the repo status flags files', async () => {
    const r = await enrich(
      hub.url,
      extracted([hubRef('mcpotato/42-eicar-street'), hubRef('openai/whisper-tiny')]),
    );
    const eicar = r.up('model', 'mcpotato/42-eicar-street');
    const posts = hub.requests.filter((q) => q.method === 'POST');
    expect(posts.map((q) => [q.path, JSON.parse(q.body)])).toEqual([
      [
        `/api/models/mcpotato/42-eicar-street/paths-info/${eicar.at?.sha}`,
        {
          paths: ['model_broken_X.pkl', 'danger.dat', 'build_pickles.py', 'eicar_test_file'],
          expand: true,
        },
      ],
    ]);
    expect(eicar.security).toEqual({
      scansDone: true,
      filesWithIssues: [
        {
          path: 'model_broken_X.pkl',
          level: 'unsafe',
          pickleImports: ['builtins.exec'],
          messages: ['This file is vulnerable to arbitrary code execution.'],
        },
        { path: 'danger.dat', level: 'unsafe' },
        { path: 'build_pickles.py', level: 'caution' },
        { path: 'eicar_test_file', level: 'unsafe' },
      ],
    });
    expect(r.up('model', 'openai/whisper-tiny').security).toEqual({
      scansDone: false,
      filesWithIssues: [],
    });
  });

  it('follows base_model through upstream cards, marking a cycle and stopping at the depth limit', async () => {
    const r = await enrich(hub.url, extracted([hubRef('acme-labs/chat-ft')]));
    expect(r.up('model', 'acme-labs/chat-ft').lineage).toEqual([
      {
        id: 'acme-labs/base-merge',
        parent: 'acme-labs/chat-ft',
        depth: 1,
        relation: 'finetune',
        license: { ids: ['mit'] },
        state: 'ok',
      },
      {
        id: 'openai-community/gpt2',
        parent: 'acme-labs/base-merge',
        depth: 2,
        relation: 'merge',
        license: { ids: ['mit'] },
        state: 'ok',
      },
      {
        id: 'acme-labs/chat-ft',
        parent: 'acme-labs/base-merge',
        depth: 2,
        relation: 'merge',
        license: null,
        state: 'cycle',
      },
    ]);
    await hub.close();

    const world = createWorld();
    for (let i = 0; i < 7; i++) {
      const id = `acme-labs/chain-${i}`;
      const c = {
        id: sha1(id),
        title: 'Stand-in',
        message: '',
        authors: [],
        date: '2025-01-01T00:00:00.000Z',
      };
      world.repos.set(`models/${id}`, {
        kind: 'model',
        fields: { _id: sha1(id).slice(0, 24), id, author: 'acme-labs', createdAt: c.date },
        commits: [c],
        snapshots: {
          [c.id]: {
            files: [],
            cardData: { license: 'mit', base_model: `acme-labs/chain-${i + 1}` },
          },
        },
      });
    }
    hub = await startHub({ world });
    const chain = await enrich(hub.url, extracted([hubRef('acme-labs/chain-0')]));
    expect(
      chain.up('model', 'acme-labs/chain-0').lineage.map((l) => [l.id, l.depth, l.state]),
    ).toEqual([
      ['acme-labs/chain-1', 1, 'ok'],
      ['acme-labs/chain-2', 2, 'ok'],
      ['acme-labs/chain-3', 3, 'ok'],
      ['acme-labs/chain-4', 4, 'ok'],
      ['acme-labs/chain-5', 5, 'depth-limit'],
    ]);
    expect(chain.sent).toHaveLength(5);
  });

  it('asks datasets without blobs, and lists a linked folder page by page', async () => {
    hub.world.treePageSize = 2;
    const dvc = 'models/dvc.lock';
    const weights: WeightsFile = {
      file: dvc,
      line: 9,
      column: 11,
      name: 'models/epoch-2.pt',
      format: 'pickle',
      origin: 'dvc',
      md5: 'f'.repeat(32),
      size: 2_000_002,
      upstream: { id: 'acme-labs/checkpoints', revision: null, kind: 'dataset' },
    };
    const ref = hubRef('acme-labs/checkpoints', null, {
      kind: 'dataset',
      file: dvc,
      extractor: 'dvc',
      via: 'repo.url',
      filename: 'ckpt/epoch-2.pt',
    });
    const r = await enrich(
      hub.url,
      extracted([ref, hubRef('squad', null, { kind: 'dataset' })], [weights]),
    );
    const sha = r.up('dataset', 'acme-labs/checkpoints').at?.sha as string;
    expect(r.sent.filter((s) => s.includes('checkpoints'))).toEqual([
      'GET /api/datasets/acme-labs/checkpoints/revision/main',
      `GET /api/datasets/acme-labs/checkpoints/tree/${sha}/ckpt?recursive=false&expand=false`,
      `GET /api/datasets/acme-labs/checkpoints/tree/${sha}/ckpt?recursive=false&expand=false&cursor=Mg%3D%3D`,
    ]);
    expect(
      r
        .up('dataset', 'acme-labs/checkpoints')
        .at?.files?.find((f) => f.path === 'ckpt/final.safetensors'),
    ).toMatchObject({
      size: 1_999_000,
    });
    expect(r.up('dataset', 'squad')).toMatchObject({
      state: 'ok',
      repo: {
        id: 'rajpurkar/squad',
        redirects: [`${hub.url}/api/datasets/rajpurkar/squad/revision/main`],
      },
      at: { sha: '7b6d24c440a36b6815f21b70d25016731768db1f', license: { ids: ['cc-by-sa-4.0'] } },
    });
  });

  it('turns a surprising body into an unverified upstream', async () => {
    await hub.close();
    hub = await startHub({
      intercept: (q) =>
        q.path.includes('gpt2')
          ? { status: 200, json: { id: 'openai-community/gpt2' } }
          : undefined,
    });
    const r = await enrich(hub.url, extracted([hubRef('openai-community/gpt2')]));
    expect(r.up('model', 'openai-community/gpt2')).toMatchObject({
      state: 'unverified',
      reason: 'unexpected info answer: info.sha is not a string',
    });
  });
});

describe('Hub registry: failures', () => {
  it('retries a 429 after its Retry-After', async () => {
    await hub.close();
    const limited = {
      status: 429,
      headers: {
        'retry-after': '0',
        'x-error-message': 'We had to rate limit your IP (203.0.113.7).',
      },
      json: { error: 'We had to rate limit your IP (203.0.113.7).' },
    };
    hub = await startHub({ intercept: (q) => (q.count === 1 ? limited : undefined) });
    const r = await enrich(hub.url, extracted([hubRef('openai-community/gpt2')]));
    expect(r.sent).toEqual([
      `GET /api/models/openai-community/gpt2/revision/main${INFO}`,
      `GET /api/models/openai-community/gpt2/revision/main${INFO}`,
    ]);
    expect(r.up('model', 'openai-community/gpt2').state).toBe('ok');
  });

  it('gives up on a 429 that persists, as unverified', async () => {
    await hub.close();
    hub = await startHub({
      intercept: () => ({
        status: 429,
        headers: { 'retry-after': '0' },
        json: { error: 'rate limited' },
      }),
    });
    const r = await enrich(hub.url, extracted([hubRef('openai-community/gpt2')]), { retries: 2 });
    expect(r.sent).toHaveLength(3);
    expect(r.up('model', 'openai-community/gpt2')).toMatchObject({
      state: 'unverified',
      reason: 'rate limited (429): rate limited',
    });
  });

  it('times a request out and still verifies the others', async () => {
    await hub.close();
    hub = await startHub({ intercept: (q) => (q.path.includes('/gpt2/') ? 'hang' : undefined) });
    const r = await enrich(
      hub.url,
      extracted([hubRef('openai-community/gpt2'), hubRef('google-bert/bert-base-uncased')]),
      { timeoutMs: 100, retries: 0 },
    );
    expect(r.up('model', 'openai-community/gpt2').state).toBe('unverified');
    expect(r.up('model', 'openai-community/gpt2').reason).toBe('timed out after 100 ms');
    expect(r.up('model', 'google-bert/bert-base-uncased').state).toBe('ok');
  });

  it('stops at the first refused connection: every upstream unverified, one request sent', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const endpoint = `http://127.0.0.1:${port}`;
    const refs = [
      'openai-community/gpt2',
      'google-bert/bert-base-uncased',
      LLAMA,
      'acme-labs/chat-ft',
    ];
    const r = await enrich(endpoint, extracted(refs.map((id) => hubRef(id))), {
      concurrency: 1,
      retries: 3,
    });
    expect(r.sent).toHaveLength(1);
    const reason = `${endpoint} is unreachable (fetch failed (connect ECONNREFUSED 127.0.0.1:${port}))`;
    expect(r.hub?.unverified.map((u) => [u.id, u.reason])).toEqual(
      [...refs].sort().map((id) => [id, reason]),
    );
    expect(r.warnings).toHaveLength(1);
  });
});
