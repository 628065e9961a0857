import { npm, packumentPath } from '../../../src/registries/npm/index.js';
import { parsePackument } from '../../../src/registries/npm/schema.js';
import type { Extracted } from '../../../src/scan.js';
import type { Reference } from '../../../src/types.js';
import {
  fixture,
  npmPackument,
  onlineOptions,
  pkg,
  startStub,
  type Stub,
} from '../package-stubs.js';

function extracted(references: Reference[]): Extracted {
  return { references, weights: [], facts: [], problems: [], skipped: [], paths: new Set() };
}

const ctx = (options: ReturnType<typeof onlineOptions>) => ({ options, warn: () => undefined });

interface Case {
  request: string;
  status: number;
  body: unknown;
}

describe('parsePackument', () => {
  it('reads dist-tags and publish times (npm registry docs example)', () => {
    const meta = parsePackument(fixture('npm/packument-tiny-tarball-full.json').body);
    expect(meta).toEqual({
      ecosystem: 'npm',
      name: 'tiny-tarball',
      latest: '1.0.0',
      tags: { latest: '1.0.0' },
      releases: [
        {
          version: '1.0.0',
          published: '2015-03-24T00:12:24.039Z',
          yanked: false,
          yankedReason: null,
          deprecated: null,
          empty: false,
        },
      ],
      requiresPython: null,
    });
  });

  it('keeps the per-version deprecation message (left-pad, request)', () => {
    const cases = fixture<{ cases: Case[] }>('npm/packument-deprecated-ASSEMBLED.json').cases;
    const [leftPad, request] = cases.map((c) => parsePackument(c.body));
    expect(leftPad?.releases[0]?.deprecated).toBe('use String.prototype.padStart()');
    expect(request?.releases[0]?.deprecated).toBe(
      'request has been deprecated, see https://github.com/request/request/issues/3142',
    );
    expect(request?.releases[0]?.published).toBe('2020-02-11T21:48:40.285Z');
  });

  it('treats an empty deprecation as lifted and names surprising fields', () => {
    const body = npmPackument('x', [{ version: '1.0.0', date: '2020-01-01', deprecated: '' }]);
    expect(parsePackument(body).releases[0]?.deprecated).toBeNull();
    expect(() => parsePackument({ name: 'x', 'dist-tags': { latest: 1 } })).toThrow(
      'dist-tags.latest is not a string',
    );
  });
});

describe('npm registry', () => {
  let stub: Stub;
  afterEach(() => stub?.close());

  it('encodes scoped names as the npm CLI does', () => {
    expect(packumentPath('@huggingface/transformers')).toBe('/@huggingface%2Ftransformers');
    expect(packumentPath('left-pad')).toBe('/left-pad');
  });

  it('asks once per package and reports the 404 body shape as not found', async () => {
    const errors = fixture<{ cases: Case[] }>('npm/errors.json').cases;
    const notFound = errors[0] as Case;
    stub = await startStub((req) => {
      if (req.path === '/@huggingface%2Ftransformers')
        return {
          status: 200,
          json: npmPackument('@huggingface/transformers', [
            { version: '3.0.0', date: '2024-10-23' },
          ]),
        };
      if (req.path === '/left-pad')
        return {
          status: 200,
          json: fixture<{ cases: Case[] }>('npm/packument-deprecated-ASSEMBLED.json').cases[0]
            ?.body,
        };
      return { status: notFound.status, json: notFound.body };
    });
    const options = onlineOptions({ npmEndpoint: stub.url });
    const refs = [
      pkg({ ecosystem: 'npm', id: '@huggingface/transformers', revision: '^3.0.0' }),
      pkg({ ecosystem: 'npm', id: 'left-pad', revision: '1.3.0', version: '1.3.0' }),
      pkg({
        ecosystem: 'npm',
        id: 'left-pad',
        revision: '1.3.0',
        version: '1.3.0',
        locked: true,
        line: 9,
      }),
      pkg({ ecosystem: 'npm', id: 'private-thing', revision: '^1.0.0' }),
      pkg({ ecosystem: 'npm', id: 'local', revision: 'file:../local' }),
    ];
    const out = await npm.enrich(extracted(refs), ctx(options));
    expect(options.counts).toEqual({ npm: 3 });
    expect(stub.requests.map((r) => r.headers.accept)).toEqual([
      'application/json',
      'application/json',
      'application/json',
    ]);
    expect(Object.keys(out.npm?.packages ?? {}).sort()).toEqual([
      '@huggingface/transformers',
      'left-pad',
    ]);
    expect(out.npm?.unverified).toEqual([
      {
        ecosystem: 'npm',
        id: 'private-thing',
        reason: `the npm registry (${stub.url}) has no package named private-thing: if it comes from a private registry, anyone who publishes the name publicly could take its place.`,
      },
    ]);
  });

  it('reports an unreachable registry as unverified', async () => {
    const options = onlineOptions({ npmEndpoint: 'http://127.0.0.1:9' });
    const out = await npm.enrich(
      extracted([pkg({ ecosystem: 'npm', id: 'openai', revision: '^4' })]),
      ctx(options),
    );
    expect(out.npm?.unverified[0]?.reason).toMatch(
      /^the npm registry could not be reached: GET http:\/\/127\.0\.0\.1:9\/openai failed/,
    );
  });
});
