import { pypi } from '../../../src/registries/pypi/index.js';
import { parsePypiProject } from '../../../src/registries/pypi/schema.js';
import type { Extracted } from '../../../src/scan.js';
import type { Reference } from '../../../src/types.js';
import {
  fixture,
  onlineOptions,
  pkg,
  pypiProject,
  startStub,
  type Stub,
} from '../package-stubs.js';

function extracted(references: Reference[]): Extracted {
  return { references, weights: [], facts: [], problems: [], skipped: [], paths: new Set() };
}

const warnings: string[] = [];
const ctx = (options: ReturnType<typeof onlineOptions>) => ({
  options,
  warn: (m: string) => warnings.push(m),
});

describe('parsePypiProject (warehouse docs sample)', () => {
  it('reads latest, release dates, empty releases and requires_python', () => {
    const meta = parsePypiProject(fixture('pypi/project-sampleproject.json').body);
    expect(meta.name).toBe('sampleproject');
    expect(meta.latest).toBe('4.0.0');
    expect(meta.requiresPython).toBe('>=3.9');
    expect(meta.releases.map((r) => [r.version, r.empty, r.yanked])).toEqual([
      ['1.0', true, false],
      ['1.2.0', false, false],
      ['4.0.0', false, false],
    ]);
    expect(meta.releases[2]?.published).toBe('2024-11-06T22:37:09.220617Z');
  });

  it('marks a release yanked when its files are, with the reason (black 21.11b0)', () => {
    const release = fixture('pypi/release-black-21.11b0-yanked.json').body as {
      info: Record<string, unknown>;
      urls: unknown[];
    };
    const meta = parsePypiProject({ info: release.info, releases: { '21.11b0': release.urls } });
    expect(meta.releases[0]).toEqual({
      version: '21.11b0',
      published: '2021-11-17T02:32:14.551680Z',
      yanked: true,
      yankedReason: 'Broken regex dependency. Use 21.11b1 instead.',
      deprecated: null,
      empty: false,
    });
  });

  it('falls back to the latest release when `releases` is gone (the docs deprecate it)', () => {
    const release = fixture('pypi/release-black-21.11b0-yanked.json').body as Record<
      string,
      unknown
    >;
    const meta = parsePypiProject(release);
    expect(meta.releases.map((r) => r.version)).toEqual(['21.11b0']);
    expect(meta.releases[0]?.yanked).toBe(true);
  });

  it('names the surprising field', () => {
    expect(() => parsePypiProject({ info: { name: 'x', version: 1 } })).toThrow(
      'info.version is not a string',
    );
    expect(() => parsePypiProject({ info: { name: 'x', version: '1' }, releases: [] })).toThrow(
      'releases is not an object',
    );
  });
});

describe('pypi registry', () => {
  let stub: Stub;
  afterEach(async () => {
    warnings.length = 0;
    await stub?.close();
  });

  it('asks each package once by its normalized name and skips VCS references', async () => {
    stub = await startStub((req) => {
      if (req.path === '/pypi/sampleproject/json')
        return { status: 200, json: fixture('pypi/project-sampleproject.json').body };
      if (req.path === '/pypi/torch/json')
        return {
          status: 200,
          json: pypiProject('torch', [{ version: '2.5.1', date: '2024-10-29' }]),
        };
      return { status: 404, text: '404 Not Found', headers: { 'content-type': 'text/plain' } };
    });
    const options = onlineOptions({ pypiEndpoint: stub.url });
    const refs = [
      pkg({ ecosystem: 'pypi', id: 'sampleproject', revision: '==1.2.0', version: '1.2.0' }),
      pkg({ ecosystem: 'pypi', id: 'sampleproject', revision: '>=1', line: 2 }),
      pkg({ ecosystem: 'pypi', id: 'torch', revision: null, line: 3 }),
      pkg({ ecosystem: 'pypi', id: 'vllm', revision: 'abc123', line: 4 }), // a git ref, not a range
    ];
    const out = await pypi.enrich(extracted(refs), ctx(options));
    expect(stub.requests.map((r) => r.path).sort()).toEqual([
      '/pypi/sampleproject/json',
      '/pypi/torch/json',
    ]);
    expect(options.counts).toEqual({ pypi: 2 });
    expect(Object.keys(out.pypi?.packages ?? {}).sort()).toEqual(['sampleproject', 'torch']);
    expect(out.pypi?.unverified).toEqual([]);
  });

  it('follows the 301 to the canonical name', async () => {
    stub = await startStub((req) => {
      if (req.path === '/pypi/django/json')
        return { status: 301, headers: { location: '/pypi/Django/json' } };
      if (req.path === '/pypi/Django/json')
        return {
          status: 200,
          json: pypiProject('Django', [{ version: '5.1', date: '2024-08-07' }]),
        };
      return { status: 404 };
    });
    const options = onlineOptions({ pypiEndpoint: stub.url });
    const out = await pypi.enrich(
      extracted([pkg({ ecosystem: 'pypi', id: 'django' })]),
      ctx(options),
    );
    expect(out.pypi?.packages.django?.latest).toBe('5.1');
    expect(options.log).toEqual(['pypi GET /pypi/django/json', 'pypi GET /pypi/Django/json']);
  });

  it('turns 404, 5xx and surprising bodies into unverified entries, not errors', async () => {
    stub = await startStub((req) => {
      if (req.path === '/pypi/internal-tools/json')
        return { status: 404, text: '404 Not Found', headers: { 'content-type': 'text/plain' } };
      if (req.path === '/pypi/flaky/json') return { status: 503, text: 'upstream connect error' };
      return { status: 200, json: { info: { name: 'odd' } } };
    });
    const options = onlineOptions({ pypiEndpoint: stub.url });
    const refs = ['internal-tools', 'flaky', 'odd'].map((id) => pkg({ ecosystem: 'pypi', id }));
    const out = await pypi.enrich(extracted(refs), ctx(options));
    expect(out.pypi?.packages).toEqual({});
    expect(out.pypi?.unverified).toEqual([
      {
        ecosystem: 'pypi',
        id: 'flaky',
        reason: 'PyPI answered HTTP 503.',
      },
      {
        ecosystem: 'pypi',
        id: 'internal-tools',
        reason: `PyPI (${stub.url}) has no project named internal-tools: if it comes from a private index, anyone who registers the name on PyPI could take its place.`,
      },
      {
        ecosystem: 'pypi',
        id: 'odd',
        reason: 'PyPI sent an unexpected response: info.version is not a string',
      },
    ]);
    expect(warnings).toEqual(['PyPI: flaky not verified (and 2 more): PyPI answered HTTP 503.']);
  });

  it('reports an unreachable PyPI as unverified', async () => {
    const options = onlineOptions({ pypiEndpoint: 'http://127.0.0.1:9' });
    const out = await pypi.enrich(
      extracted([pkg({ ecosystem: 'pypi', id: 'torch' })]),
      ctx(options),
    );
    expect(out.pypi?.packages).toEqual({});
    expect(out.pypi?.unverified).toHaveLength(1);
    expect(out.pypi?.unverified[0]?.reason).toMatch(
      /^PyPI could not be reached: GET http:\/\/127\.0\.0\.1:9\/pypi\/torch\/json failed/,
    );
  });
});
