import { runCli, type CliIo } from '../../src/cli-main.js';
import { LocalFileSource } from '../../src/files/local.js';
import { createEnricher, type OnlineOptions } from '../../src/registries/index.js';
import { renderJson } from '../../src/reporters/json.js';
import { renderMarkdown } from '../../src/reporters/markdown.js';
import { renderSarif } from '../../src/reporters/sarif.js';
import { renderText } from '../../src/reporters/text.js';
import { scan, type ScanResult } from '../../src/scan.js';
import { tempRepo } from '../helpers.js';
import { startHub, type Intercept, type StandInHub } from '../registries/huggingface/stand-in.js';
import { createWorld, sha1, type World } from '../registries/huggingface/world.js';
import {
  pypiProject,
  startStub,
  type Stub,
  type StubRequest,
  type StubResponse,
} from '../registries/package-stubs.js';

/**
 * Upstreams that fail: rate-limit storms, server errors, connections dropped mid-body, answers
 * that never finish, broken and wrong-shaped JSON, redirects to other hosts. Against the loopback
 * stand-ins, with tiny timeouts and a recorded (never slept) backoff. Every run finishes, says
 * what it could not verify, and leaks no token; hostile upstream text stays text.
 */

const BERT_PIN = 'dd4bc8b21efa05ec961e3efc4ee5e3832a3679c7';
const TOKEN = 'hf_faultsTestTokenNeverPrinted';
const HOSTILE = '<img src=x onerror=alert(1)> @octocat [x](javascript:y) --> \n::error::pwned';

const FILES = {
  'train.py': [
    'from datasets import load_dataset',
    'from transformers import AutoModel',
    '',
    'gpt2 = AutoModel.from_pretrained("openai-community/gpt2")',
    `bert = AutoModel.from_pretrained("google-bert/bert-base-uncased", revision="${BERT_PIN}")`,
    'squad = load_dataset("rajpurkar/squad")',
    '',
  ].join('\n'),
  'requirements.txt': 'torch==2.5.1\nrequests>=2.0\n',
};

interface Upstreams {
  hub: StandInHub;
  pypi: Stub;
  npm: Stub;
  osv: Stub;
  /** Another host: redirects point here; it must never be asked, least of all with a token. */
  elsewhere: Stub;
}

let repo: ReturnType<typeof tempRepo>;
beforeAll(() => {
  repo = tempRepo(FILES);
});
afterAll(() => repo.cleanup());

function pypiHandler(req: StubRequest): StubResponse {
  const name = /^\/pypi\/([^/]+)\/json$/.exec(req.path)?.[1] ?? '';
  const releases = {
    torch: [{ version: '2.5.1', date: '2024-10-29' }],
    requests: [{ version: '2.32.3', date: '2024-05-29' }],
  }[name];
  return releases
    ? { status: 200, json: pypiProject(name, releases) }
    : { status: 404, text: 'Not Found' };
}

function osvHandler(req: StubRequest): StubResponse {
  const { queries } = JSON.parse(req.body) as { queries: unknown[] };
  return { status: 200, json: { results: queries.map(() => ({})) } };
}

async function start(
  faults: {
    hub?: Intercept;
    pypi?: (req: StubRequest) => StubResponse | null;
    osv?: (req: StubRequest) => StubResponse | null;
    world?: World;
  } = {},
): Promise<Upstreams> {
  const [hub, pypi, npm, osv, elsewhere] = await Promise.all([
    startHub({ intercept: faults.hub, world: faults.world }),
    startStub((req) => faults.pypi?.(req) ?? pypiHandler(req)),
    startStub(() => ({ status: 404, json: { error: 'Not found' } })),
    startStub((req) => faults.osv?.(req) ?? osvHandler(req)),
    startStub(() => ({ status: 200, json: {} })),
  ]);
  return { hub, pypi, npm, osv, elsewhere };
}

async function stop(u: Upstreams): Promise<void> {
  await Promise.all([
    u.hub.close(),
    u.pypi.close(),
    u.npm.close(),
    u.osv.close(),
    u.elsewhere.close(),
  ]);
}

/** Online options with tiny timeouts; retries wait through `sleep`, which only records. */
function options(u: Upstreams, extra: Partial<OnlineOptions> = {}) {
  const waits: number[] = [];
  const opts: OnlineOptions = {
    hfEndpoint: u.hub.url,
    pypiEndpoint: u.pypi.url,
    npmEndpoint: u.npm.url,
    osvEndpoint: u.osv.url,
    timeoutMs: 2000,
    retries: 2,
    backoffMs: 1,
    sleep: async (ms) => {
      waits.push(ms);
    },
    ...extra,
  };
  return { opts, waits };
}

async function run(u: Upstreams, extra: Partial<OnlineOptions> = {}) {
  const { opts, waits } = options(u, extra);
  const warnings: string[] = [];
  const result = await scan(new LocalFileSource(repo.root), {
    enrich: createEnricher(opts, { warn: (m) => warnings.push(m) }),
  });
  return { result, waits, warnings };
}

/** `ecosystem:id reason` of every upstream-unverified finding, sorted. */
function unverified(result: ScanResult): string[] {
  return result.findings
    .filter((f) => f.rule === 'upstream-unverified')
    .map((f) => `${f.ecosystem}:${f.id} ${String(f.details?.reason)}`)
    .sort();
}

describe('fault injection: the Hub', () => {
  it('honours Retry-After through a 429 storm (recorded, not slept) and then verifies', async () => {
    const u = await start({
      hub: (req) =>
        req.count <= 2
          ? {
              status: 429,
              headers: { 'retry-after': '7', 'x-error-message': 'Too many requests' },
              json: { error: 'Too many requests' },
            }
          : undefined,
    });
    try {
      const { result, waits } = await run(u);
      expect(unverified(result)).toEqual([]);
      expect(result.upstreams.huggingface?.unverified).toEqual([]);
      // Three lookups (gpt2, bert at main then at the pin…), each answered on its third attempt.
      expect(waits.length).toBeGreaterThan(0);
      expect(new Set(waits)).toEqual(new Set([7000]));
      const perUrl = new Map<string, number>();
      for (const r of u.hub.requests) perUrl.set(r.url, (perUrl.get(r.url) ?? 0) + 1);
      expect([...perUrl.values()].every((n) => n === 3)).toBe(true);
    } finally {
      await stop(u);
    }
  });

  it('gives up after its retries when the storm does not end, and says so per upstream', async () => {
    const u = await start({
      hub: () => ({ status: 429, headers: { 'retry-after': '1' }, json: { error: 'slow down' } }),
    });
    try {
      const { result, warnings } = await run(u);
      expect(unverified(result)).toEqual([
        'huggingface:google-bert/bert-base-uncased rate limited (429): slow down',
        'huggingface:openai-community/gpt2 rate limited (429): slow down',
        'huggingface:rajpurkar/squad rate limited (429): slow down',
      ]);
      // 1 + 2 retries per lookup; the pinned one never gets past its first lookup.
      expect(u.hub.requests).toHaveLength(3 * 3);
      expect(warnings[0]).toMatch(
        /^Hugging Face Hub \(http:\/\/127\.0\.0\.1:\d+\): 3 upstreams not verified/,
      );
    } finally {
      await stop(u);
    }
  });

  it('does not wait out a Retry-After longer than it allows', async () => {
    const u = await start({
      hub: () => ({ status: 429, headers: { 'retry-after': '3600' }, json: { error: 'later' } }),
    });
    try {
      const { result, waits } = await run(u, { maxRetryWaitMs: 60_000 });
      expect(waits).toEqual([]);
      expect(u.hub.requests).toHaveLength(3);
      expect(unverified(result)).toHaveLength(3);
    } finally {
      await stop(u);
    }
  });

  it('retries 500, 502 and 503, and reports the ones that stay broken', async () => {
    const statuses = [503, 502];
    const u = await start({
      hub: (req) => {
        if (req.path.includes('openai-community/gpt2'))
          return { status: 500, json: { error: 'Internal Error' } };
        const status = statuses[req.count - 1];
        return status ? { status, text: 'Bad Gateway' } : undefined;
      },
    });
    try {
      const { result, waits } = await run(u);
      expect(unverified(result)).toEqual([
        'huggingface:openai-community/gpt2 unexpected HTTP 500: Internal Error',
      ]);
      expect(waits.length).toBeGreaterThanOrEqual(4);
      const gpt2 = u.hub.requests.filter((r) => r.path.includes('openai-community/gpt2'));
      expect(gpt2).toHaveLength(3);
    } finally {
      await stop(u);
    }
  });

  it('retries a connection dropped mid-body, and reports one that always drops', async () => {
    const u = await start({
      hub: (req) => (req.path.includes('rajpurkar/squad') || req.count === 1 ? 'reset' : undefined),
    });
    try {
      const { result } = await run(u);
      const found = unverified(result);
      // undici's words for a body cut short: the connection was closed under it.
      expect(found).toEqual(['huggingface:rajpurkar/squad terminated (other side closed)']);
      expect(result.upstreams.huggingface?.upstreams['model:openai-community/gpt2@']?.state).toBe(
        'ok',
      );
    } finally {
      await stop(u);
    }
  });

  it('times out an answer that never comes and one that stalls after its headers', async () => {
    const u = await start({
      hub: (req) =>
        req.path.includes('openai-community/gpt2')
          ? 'hang'
          : req.path.includes('rajpurkar/squad')
            ? 'stall'
            : undefined,
    });
    try {
      const { result } = await run(u, { timeoutMs: 300, retries: 0 });
      expect(unverified(result)).toEqual([
        'huggingface:openai-community/gpt2 timed out after 300 ms',
        'huggingface:rajpurkar/squad timed out after 300 ms',
      ]);
      expect(
        result.upstreams.huggingface?.upstreams[`model:google-bert/bert-base-uncased@${BERT_PIN}`]
          ?.state,
      ).toBe('ok');
    } finally {
      await stop(u);
    }
  });

  it('turns truncated and wrong-shaped JSON into unverified upstreams', async () => {
    const u = await start({
      hub: (req) => {
        if (req.path.includes('openai-community/gpt2'))
          return { status: 200, text: '{"_id":"621ffdc036468d709f17434d","id":"openai-comm' };
        if (req.path.includes('rajpurkar/squad'))
          return { status: 200, json: { id: 42, sha: ['x'], siblings: 'none' } };
        return undefined;
      },
    });
    try {
      const { result } = await run(u);
      const found = unverified(result);
      expect(found).toHaveLength(2);
      expect(found[0]).toBe(
        'huggingface:openai-community/gpt2 huggingface sent a response that is not JSON (status 200)',
      );
      expect(found[1]).toMatch(/^huggingface:rajpurkar\/squad unexpected info answer: /);
    } finally {
      await stop(u);
    }
  });

  it('does not follow a redirect to another host, so that host never sees the token', async () => {
    let elsewhere = '';
    const world = createWorld();
    world.tokens.set(TOKEN, new Set());
    const u = await start({
      world,
      hub: (req) =>
        req.path.includes('openai-community/gpt2')
          ? { status: 307, headers: { location: `${elsewhere}${req.url}` } }
          : undefined,
    });
    elsewhere = u.elsewhere.url;
    try {
      const { result } = await run(u, { hfToken: TOKEN });
      expect(u.elsewhere.requests).toEqual([]);
      expect(unverified(result)).toEqual([
        'huggingface:openai-community/gpt2 307 redirect to another host',
      ]);
      // The Hub itself did get the token on every request.
      expect(u.hub.requests.every((r) => r.authorization === `Bearer ${TOKEN}`)).toBe(true);
    } finally {
      await stop(u);
    }
  });
});

describe('fault injection: PyPI and OSV', () => {
  it('reports packages whose registry answers broken, wrong-shaped or redirected JSON', async () => {
    let elsewhere = '';
    const u = await start({
      pypi: (req) => {
        if (req.path.includes('/torch/')) return { status: 200, text: '{"info": {"name": "tor' };
        if (req.path.includes('/requests/'))
          return { status: 301, headers: { location: `${elsewhere}${req.path}` } };
        return null;
      },
      osv: () => ({ status: 200, json: { results: 'none' } }),
    });
    elsewhere = u.elsewhere.url;
    try {
      const { result } = await run(u);
      expect(u.elsewhere.requests).toEqual([]);
      const found = unverified(result).filter((f) => f.startsWith('pypi:'));
      expect(found).toEqual([
        'pypi:requests PyPI answered HTTP 301.',
        // One finding per upstream, every reason in it.
        'pypi:torch PyPI sent an unexpected response: pypi sent a response that is not JSON (status 200); vulnerabilities of torch 2.5.1 not checked: OSV sent an unexpected response: results is not an array',
      ]);
    } finally {
      await stop(u);
    }
  });

  it('survives an OSV that fails every batch with 503 and one that drops the connection', async () => {
    for (const fault of [
      { status: 503, json: { code: 14, message: 'unavailable' } },
      { status: 200, fault: 'reset' as const },
    ]) {
      const u = await start({ osv: () => fault });
      try {
        const { result } = await run(u);
        const found = unverified(result).filter((f) => f.includes('vulnerabilities'));
        expect(found).toEqual(
          ['requests 2.32.3', 'torch 2.5.1'].map((p) =>
            fault.status === 503
              ? `pypi:${p.split(' ')[0]} vulnerabilities of ${p} not checked: OSV answered HTTP 503 (unavailable)`
              : expect.stringMatching(
                  new RegExp(
                    `^pypi:${p.split(' ')[0]} vulnerabilities of ${p} not checked: OSV could not be reached: POST http://127\\.0\\.0\\.1:\\d+/v1/querybatch failed: `,
                  ),
                ),
          ),
        );
        expect(u.osv.requests.length).toBe(3); // 1 + 2 retries, then given up
      } finally {
        await stop(u);
      }
    }
  });
});

describe('fault injection: what reaches reports and logs', () => {
  /** A Hub with a hostile model card and commit titles, that also echoes the token back. */
  function hostileWorld(): World {
    const world = createWorld();
    world.tokens.set(TOKEN, new Set());
    const id = 'acme-labs/hostile-card';
    const commits = Array.from({ length: 4 }, (_, i) => ({
      id: sha1(`hostile:${i}`),
      title: `${HOSTILE} (${4 - i})`,
      message: HOSTILE,
      authors: [{ user: 'acme-labs' }],
      date: new Date(Date.UTC(2025, 5, 1) - i * 86_400_000 * 30).toISOString(),
    }));
    world.repos.set(`models/${id}`, {
      kind: 'model',
      fields: {
        _id: sha1(id).slice(0, 24),
        id,
        author: 'acme-labs',
        private: false,
        gated: false,
        disabled: false,
        createdAt: commits[3]?.date,
        tags: [],
      },
      commits,
      snapshots: {
        [commits[3]?.id as string]: {
          files: [
            { path: 'pytorch_model.bin', size: 10, blobId: sha1('b'), sha256: 'a'.repeat(64) },
          ],
          cardData: { license: 'other', license_name: HOSTILE, license_link: HOSTILE },
        },
        [commits[0]?.id as string]: {
          files: [
            { path: 'pytorch_model.bin', size: 10, blobId: sha1('b'), sha256: 'a'.repeat(64) },
          ],
          cardData: { license: 'apache-2.0' },
        },
      },
    });
    return world;
  }

  it('escapes upstream text and never prints the token, in every format and on stderr', async () => {
    const hostile = tempRepo({
      'train.py': [
        'from transformers import AutoModel',
        `a = AutoModel.from_pretrained("acme-labs/hostile-card", revision="${sha1('hostile:3')}")`,
        'b = AutoModel.from_pretrained("openai-community/gpt2")',
        'c = AutoModel.from_pretrained("acme-labs/echo")',
        '',
      ].join('\n'),
      'requirements.txt': 'torch==2.5.1\n',
    });
    const u = await start({
      world: hostileWorld(),
      // A hostile mirror: echoes the credentials it got in its error message and body.
      hub: (req) =>
        req.path.includes('acme-labs/echo')
          ? {
              status: 400,
              // A header cannot hold a newline; the body can.
              headers: {
                'x-error-message': `bad request from ${req.authorization ?? ''} ${HOSTILE.replace('\n', ' ')}`,
              },
              json: { error: `${req.authorization ?? ''}\n::add-mask::x` },
            }
          : undefined,
      osv: () => ({ status: 400, json: { code: 3, message: `Invalid ${HOSTILE}` } }),
    });
    try {
      const outputs: string[] = [];
      for (const format of ['text', 'json', 'sarif', 'markdown']) {
        let out = '';
        let err = '';
        const io: CliIo = {
          stdout: (t) => (out += t),
          stderr: (t) => (err += t),
          isTTY: false,
          env: { HF_TOKEN: TOKEN },
          cwd: process.cwd(),
        };
        const args = ['scan', hostile.root, '--format', format, '--fail-on', 'none'];
        args.push('--hf-endpoint', u.hub.url, '--pypi-endpoint', u.pypi.url);
        args.push('--npm-endpoint', u.npm.url, '--osv-endpoint', u.osv.url);
        expect(await runCli(args, io)).toBe(0);
        outputs.push(out, err);
        // No line a runner would read as a workflow command, on stdout or stderr.
        for (const line of `${out}\n${err}`.split(/\r?\n/))
          expect(line.trimStart()).not.toMatch(/^::/);
        if (format === 'markdown') {
          expect(out).not.toMatch(/<img|<script|@octocat|-->|\]\(javascript/);
          expect(out).toContain('&lt;img src=x onerror=alert(1)&gt;');
        }
        if (format === 'sarif') {
          const sarif = JSON.parse(out) as {
            runs: { results: { message: { text: string; markdown?: string } }[] }[];
          };
          for (const r of sarif.runs[0]?.results ?? []) expect(r.message.markdown).toBeUndefined();
        }
      }
      const all = outputs.join('\n');
      expect(all).not.toContain(TOKEN);
      expect(all).toContain('bad request from Bearer [redacted]');
      // The hostile text did reach the reports (as text): the drift finding names the titles.
      expect(all).toContain('onerror=alert(1)');
      expect(u.hub.requests.some((r) => r.authorization === `Bearer ${TOKEN}`)).toBe(true);
    } finally {
      hostile.cleanup();
      await stop(u);
    }
  });

  it('keeps the reporters safe when handed the results directly', async () => {
    const u = await start({ world: hostileWorld() });
    const hostile = tempRepo({
      'train.py': `a = AutoModel.from_pretrained("acme-labs/hostile-card", revision="${sha1('hostile:3')}")\n`,
    });
    try {
      const { opts } = options(u);
      const result = await scan(new LocalFileSource(hostile.root), {
        enrich: createEnricher(opts, { warn: () => undefined }),
      });
      const drift = result.findings.find((f) => f.rule === 'revision-drift');
      expect(drift?.message).toContain('<img src=x onerror=alert(1)>');
      expect(drift?.message).not.toContain('\n');
      expect(renderMarkdown(result)).not.toMatch(/<img|@octocat|-->/);
      for (const line of renderText(result).split('\n'))
        expect(line.trimStart()).not.toMatch(/^::/);
      expect(() => JSON.parse(renderJson(result))).not.toThrow();
      expect(() => JSON.parse(renderSarif(result))).not.toThrow();
    } finally {
      hostile.cleanup();
      await stop(u);
    }
  });
});
