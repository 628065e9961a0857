import { createEnricher } from '../../../src/registries/index.js';
import { osv, OSV_BATCH_SIZE } from '../../../src/registries/osv/index.js';
import { evaluationKey } from '../../../src/registries/osv/types.js';
import { pypi } from '../../../src/registries/pypi/index.js';
import type { Extracted } from '../../../src/scan.js';
import type { Reference } from '../../../src/types.js';
import {
  fixture,
  npmPackument,
  onlineOptions,
  pkg,
  pypiProject,
  startStub,
  type Stub,
  type StubRequest,
  type StubResponse,
} from '../package-stubs.js';

function extracted(references: Reference[]): Extracted {
  return { references, weights: [], facts: [], problems: [], skipped: [], paths: new Set() };
}

const ctx = (options: ReturnType<typeof onlineOptions>) => ({ options, warn: () => undefined });

interface Query {
  package: { ecosystem: string; name: string };
  version: string;
  page_token?: string;
}

type Results = Record<string, string[]>;

/** An OSV stand-in: `results` maps `Ecosystem/name@version` to advisory ids; `{}` when none. */
function osvHandler(results: Results, records: Record<string, unknown> = {}) {
  return (req: StubRequest): StubResponse => {
    if (req.method === 'POST' && req.path === '/v1/querybatch') {
      const { queries } = JSON.parse(req.body) as { queries: Query[] };
      return {
        status: 200,
        json: {
          results: queries.map((q) => {
            const ids = results[`${q.package.ecosystem}/${q.package.name}@${q.version}`] ?? [];
            return ids.length
              ? { vulns: ids.map((id) => ({ id, modified: '2025-04-22T00:00:00Z' })) }
              : {};
          }),
        },
      };
    }
    const id = decodeURIComponent(req.path.replace('/v1/vulns/', ''));
    const record = records[id];
    if (req.method === 'GET' && record) return { status: 200, json: record };
    return { status: 404, json: { code: 5, message: 'Bug not found.' } };
  };
}

const torchGhsa = () => fixture('osv/vuln-GHSA-53q9-r3pm-6pq6-torch-RECONSTRUCTED.json').body;
const torchPysec = () => fixture('osv/vuln-PYSEC-2025-41-torch-SYNTHETIC.json').body;
const ajvGhsa = () => fixture('osv/vuln-GHSA-2g4f-4pwh-qvx6-npm-ajv.json').body;

describe('osv registry', () => {
  const stubs: Stub[] = [];
  const start = async (...args: Parameters<typeof startStub>) => {
    const s = await startStub(...args);
    stubs.push(s);
    return s;
  };
  afterEach(async () => {
    await Promise.all(stubs.splice(0).map((s) => s.close()));
  });

  it('asks exact pins and locked versions as written, with case-sensitive ecosystem names', async () => {
    const server = await start(osvHandler({}));
    const options = onlineOptions({ osvEndpoint: server.url });
    const refs = [
      pkg({ ecosystem: 'pypi', id: 'torch', revision: '==2.1.0+cu118', version: '2.1.0+cu118' }),
      pkg({
        ecosystem: 'pypi',
        id: 'numpy',
        revision: '2.3.1',
        version: '2.3.1',
        locked: true,
        file: 'uv.lock',
      }),
      pkg({
        ecosystem: 'npm',
        id: '@huggingface/transformers',
        revision: '3.0.2',
        version: '3.0.2',
      }),
    ];
    const out = await osv.enrich(extracted(refs), ctx(options));
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(server.requests[0]?.body ?? '')).toEqual({
      queries: [
        { package: { ecosystem: 'PyPI', name: 'torch' }, version: '2.1.0' },
        { package: { ecosystem: 'PyPI', name: 'numpy' }, version: '2.3.1' },
        { package: { ecosystem: 'npm', name: '@huggingface/transformers' }, version: '3.0.2' },
      ],
    });
    expect(out.osv?.evaluations[evaluationKey(refs[1] as Reference)]).toEqual({
      ecosystem: 'pypi',
      name: 'numpy',
      spec: '2.3.1',
      locked: true,
      version: '2.3.1',
      how: 'locked',
      advisories: [],
    });
    expect(out.osv?.unverified).toEqual([]);
  });

  it('answers the recorded osv-scanner batch: `{}` results, duplicates asked once, one GET per advisory', async () => {
    const recorded = fixture<{
      interactions: {
        request: { body: { queries: Query[] } };
        body: { results: { vulns?: { id: string }[] }[] };
      }[];
    }>('osv/querybatch-recorded-osv-scanner.json').interactions[1];
    const results: Results = {};
    recorded?.request.body.queries.forEach((q, i) => {
      results[`${q.package.ecosystem}/${q.package.name}@${q.version}`] = (
        recorded.body.results[i]?.vulns ?? []
      ).map((v) => v.id);
    });
    const server = await start(osvHandler(results));
    const options = onlineOptions({ osvEndpoint: server.url });
    const refs = [
      pkg({ ecosystem: 'pypi', id: 'pandas', revision: '==0.23.4', version: '0.23.4' }),
      pkg({ ecosystem: 'pypi', id: 'numpy', revision: '==2.3.1', version: '2.3.1' }),
      pkg({
        ecosystem: 'pypi',
        id: 'numpy',
        revision: '==2.3.1',
        version: '2.3.1',
        file: 'other/requirements.txt',
      }),
      pkg({ ecosystem: 'pypi', id: 'flask', revision: '2.3.1', version: '1.0.0', locked: true }),
    ];
    const out = await osv.enrich(extracted(refs), ctx(options));
    const posts = server.requests.filter((r) => r.method === 'POST');
    expect(posts).toHaveLength(1);
    expect((JSON.parse(posts[0]?.body ?? '') as { queries: Query[] }).queries).toHaveLength(3);
    expect(options.counts).toEqual({ osv: 1 + 1 + 4 }); // batch, PYSEC-2020-73, flask's 4 ids
    const numpy = out.osv?.evaluations[evaluationKey(refs[1] as Reference)];
    expect(numpy?.advisories).toEqual([]);
    const pandas = out.osv?.evaluations[evaluationKey(refs[0] as Reference)];
    expect(pandas?.advisories).toEqual(['PYSEC-2020-73']);
    // 404 "Bug not found." for the details: the id is kept, marked incomplete.
    expect(out.osv?.advisories['PYSEC-2020-73']).toMatchObject({
      id: 'PYSEC-2020-73',
      complete: false,
      summary: null,
    });
    const flask = out.osv?.evaluations[evaluationKey(refs[3] as Reference)];
    expect(flask?.advisories).toEqual([
      'GHSA-68rp-wp8r-4726',
      'GHSA-m2qf-hxjv-5gpq',
      'PYSEC-2023-62',
      'PYSEC-2026-2151',
    ]);
  });

  it('deduplicates GHSA and PYSEC records of one vulnerability through their aliases', async () => {
    const server = await start(
      osvHandler(
        { 'PyPI/torch@2.5.1': ['GHSA-53q9-r3pm-6pq6', 'PYSEC-2025-41'] },
        { 'GHSA-53q9-r3pm-6pq6': torchGhsa(), 'PYSEC-2025-41': torchPysec() },
      ),
    );
    const options = onlineOptions({ osvEndpoint: server.url });
    const ref = pkg({ ecosystem: 'pypi', id: 'torch', revision: '==2.5.1', version: '2.5.1' });
    const out = await osv.enrich(extracted([ref]), ctx(options));
    expect(out.osv?.evaluations[evaluationKey(ref)]?.advisories).toEqual(['GHSA-53q9-r3pm-6pq6']);
    const advisory = out.osv?.advisories['GHSA-53q9-r3pm-6pq6'];
    expect(advisory?.aliases).toEqual([
      'BIT-pytorch-2025-32434',
      'CVE-2025-32434',
      'PYSEC-2025-41',
    ]);
    expect(advisory?.summary).toBe(
      'PyTorch: `torch.load` with `weights_only=True` leads to remote code execution',
    );
    expect(advisory?.databaseSeverity).toBe('CRITICAL');
    expect(advisory?.cvss).toEqual([
      { type: 'CVSS_V4', score: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N' },
    ]);
    expect(advisory?.affected[0]?.ranges[0]?.events).toEqual([
      { introduced: '0' },
      { fixed: '2.6.0' },
    ]);
    expect(Object.keys(out.osv?.advisories ?? {})).toEqual(['GHSA-53q9-r3pm-6pq6']);
  });

  it('evaluates a range at the newest release it admits, from the PyPI and npm release lists', async () => {
    const registry = await start((req) => {
      if (req.path === '/pypi/torch/json')
        return {
          status: 200,
          json: pypiProject('torch', [
            { version: '2.4.1', date: '2024-09-04' },
            { version: '2.5.1', date: '2024-10-29' },
            { version: '2.5.2', date: '2024-11-01', yanked: 'broken wheel' },
            { version: '2.6.0', date: '2025-01-29' },
            { version: '2.7.0rc1', date: '2025-03-20' },
          ]),
        };
      if (req.path === '/ajv')
        return {
          status: 200,
          json: npmPackument('ajv', [
            { version: '8.12.0', date: '2023-01-29' },
            { version: '8.17.1', date: '2024-07-12' },
            { version: '8.18.0', date: '2026-02-12' },
          ]),
        };
      return { status: 404, json: { error: 'Not found' } };
    });
    const server = await start(
      osvHandler(
        { 'PyPI/torch@2.5.1': ['PYSEC-2025-41'], 'npm/ajv@8.17.1': ['GHSA-2g4f-4pwh-qvx6'] },
        { 'PYSEC-2025-41': torchPysec(), 'GHSA-2g4f-4pwh-qvx6': ajvGhsa() },
      ),
    );
    const options = onlineOptions({
      osvEndpoint: server.url,
      pypiEndpoint: registry.url,
      npmEndpoint: registry.url,
    });
    const torch = pkg({ ecosystem: 'pypi', id: 'torch', revision: '>=2.0,<2.6' });
    const ajv = pkg({ ecosystem: 'npm', id: 'ajv', revision: '~8.17.0' });
    const nothing = pkg({ ecosystem: 'pypi', id: 'torch', revision: '>=3', line: 7 });
    const out = await osv.enrich(extracted([torch, ajv, nothing]), ctx(options));
    expect(out.osv?.evaluations[evaluationKey(torch)]).toMatchObject({
      version: '2.5.1',
      how: 'newest-admitted',
      advisories: ['PYSEC-2025-41'],
    });
    expect(out.osv?.evaluations[evaluationKey(ajv)]).toMatchObject({
      version: '8.17.1',
      how: 'newest-admitted',
      advisories: ['GHSA-2g4f-4pwh-qvx6'],
    });
    expect(out.osv?.unverified).toEqual([
      {
        ecosystem: 'pypi',
        id: 'torch',
        revision: '>=3',
        reason: 'no release of torch satisfies ">=3", so its vulnerabilities were not checked.',
      },
    ]);
    // The release list was asked once for both torch references.
    expect(options.counts).toEqual({ pypi: 1, npm: 1, osv: 3 });
  });

  it('follows next_page_token for the queries that have one', async () => {
    const bodies: Query[][] = [];
    const server = await start((req) => {
      if (req.method === 'GET')
        return { status: 404, json: { code: 5, message: 'Bug not found.' } };
      const { queries } = JSON.parse(req.body) as { queries: Query[] };
      bodies.push(queries);
      if (bodies.length === 1)
        return {
          status: 200,
          json: {
            results: [
              { vulns: [{ id: 'GHSA-1', modified: 'x' }], next_page_token: 'opaque==' },
              {},
            ],
          },
        };
      return { status: 200, json: { results: [{ vulns: [{ id: 'GHSA-2', modified: 'x' }] }] } };
    });
    const options = onlineOptions({ osvEndpoint: server.url });
    const a = pkg({ ecosystem: 'pypi', id: 'a', revision: '==1.0', version: '1.0' });
    const b = pkg({ ecosystem: 'pypi', id: 'b', revision: '==1.0', version: '1.0' });
    const out = await osv.enrich(extracted([a, b]), ctx(options));
    expect(bodies[1]).toEqual([
      { package: { ecosystem: 'PyPI', name: 'a' }, version: '1.0', page_token: 'opaque==' },
    ]);
    expect(out.osv?.evaluations[evaluationKey(a)]?.advisories).toEqual(['GHSA-1', 'GHSA-2']);
    expect(out.osv?.evaluations[evaluationKey(b)]?.advisories).toEqual([]);
  });

  it('marks every query of a failed batch unverified (400 invalid ecosystem, unreachable)', async () => {
    const errors = fixture<{ cases: StubResponse & { body: unknown }[] }>('osv/errors.json').cases;
    const invalid = errors[1] as { status: number; body: unknown };
    const server = await start(() => ({ status: invalid.status, json: invalid.body }));
    const ref = pkg({ ecosystem: 'pypi', id: 'torch', revision: '==2.5.1', version: '2.5.1' });
    const out = await osv.enrich(extracted([ref]), ctx(onlineOptions({ osvEndpoint: server.url })));
    expect(out.osv?.evaluations).toEqual({});
    expect(out.osv?.unverified).toEqual([
      {
        ecosystem: 'pypi',
        id: 'torch',
        revision: '==2.5.1',
        reason:
          'vulnerabilities of torch 2.5.1 not checked: OSV answered HTTP 400 (Invalid ecosystem.)',
      },
    ]);
    const down = await osv.enrich(
      extracted([ref]),
      ctx(onlineOptions({ osvEndpoint: 'http://127.0.0.1:9' })),
    );
    expect(down.osv?.unverified[0]?.reason).toMatch(
      /^vulnerabilities of torch 2\.5\.1 not checked: OSV could not be reached: POST http:\/\/127\.0\.0\.1:9\/v1\/querybatch failed/,
    );
  });

  it('splits more than 1000 distinct queries into batches', async () => {
    const server = await start(osvHandler({}));
    const refs = Array.from({ length: OSV_BATCH_SIZE + 1 }, (_, i) =>
      pkg({ ecosystem: 'npm', id: `pkg-${i}`, revision: '1.0.0', version: '1.0.0', locked: true }),
    );
    await osv.enrich(extracted(refs), ctx(onlineOptions({ osvEndpoint: server.url })));
    expect(
      server.requests.map((r) => (JSON.parse(r.body) as { queries: unknown[] }).queries.length),
    ).toEqual([1000, 1]);
  });

  it('a 500-package lockfile costs one OSV batch; metadata requests stay within the concurrency limit', async () => {
    const names = Array.from({ length: 500 }, (_, i) => `lib-${String(i).padStart(3, '0')}`);
    const registry = await start(
      (req) => {
        const name = /^\/pypi\/([^/]+)\/json$/.exec(req.path)?.[1] ?? 'x';
        return {
          status: 200,
          json: pypiProject(name, [
            { version: '1.0.0', date: '2024-01-01' },
            { version: '1.1.0', date: '2024-06-01' },
          ]),
        };
      },
      { holdMs: 2 },
    );
    const server = await start(
      osvHandler({ 'PyPI/lib-007@1.0.0': ['PYSEC-2025-41'] }, { 'PYSEC-2025-41': torchPysec() }),
    );
    const options = onlineOptions(
      { pypiEndpoint: registry.url, osvEndpoint: server.url },
      { concurrency: 4 },
    );
    const refs = names.map((id, i) =>
      pkg({
        ecosystem: 'pypi',
        id,
        revision: '1.0.0',
        version: '1.0.0',
        locked: true,
        file: 'uv.lock',
        line: 10 + i * 7,
      }),
    );
    const enrich = createEnricher(options, { warn: () => undefined }, [pypi, osv]);
    const upstreams = await enrich(extracted(refs));
    expect(options.counts).toEqual({ pypi: 500, osv: 2 });
    expect(options.log.filter((l) => l.startsWith('osv POST'))).toEqual([
      'osv POST /v1/querybatch',
    ]);
    expect(registry.maxInFlight).toBeLessThanOrEqual(4);
    expect(registry.maxInFlight).toBeGreaterThan(1);
    expect(Object.keys(upstreams.pypi?.packages ?? {})).toHaveLength(500);
    expect(Object.keys(upstreams.osv?.evaluations ?? {})).toHaveLength(500);
  });
});
