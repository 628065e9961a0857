import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { OnlineOptions } from '../../src/registries/types.js';
import type { Reference } from '../../src/types.js';

/**
 * Loopback stand-ins for PyPI, npm and OSV. Bodies are the real shapes from
 * test/fixtures/registries (see its README); builders below only vary names, versions and dates
 * inside those shapes.
 */

const FIXTURES = path.join(process.cwd(), 'test/fixtures/registries');

const texts = new Map<string, string>();

/** A fresh parse of a fixture file (callers may change what they get). */
export function fixture<T = Record<string, unknown>>(relative: string): T {
  let text = texts.get(relative);
  if (text === undefined)
    texts.set(relative, (text = readFileSync(path.join(FIXTURES, relative), 'utf8')));
  return JSON.parse(text) as T;
}

export interface StubRequest {
  method: string;
  path: string;
  body: string;
  headers: IncomingMessage['headers'];
}

export interface StubResponse {
  status: number;
  headers?: Record<string, string>;
  /** JSON body (a bare string is sent as a JSON string, as npm does). */
  json?: unknown;
  /** Raw body text (plain-text errors). */
  text?: string;
  /** Instead of answering: never answer, stall after part of the body, or drop the connection. */
  fault?: 'hang' | 'stall' | 'reset';
}

export interface Stub {
  url: string;
  requests: StubRequest[];
  /** Most requests the server was handling at once. */
  maxInFlight: number;
  close(): Promise<void>;
}

export async function startStub(
  handle: (req: StubRequest) => StubResponse | Promise<StubResponse>,
  options: { holdMs?: number } = {},
): Promise<Stub> {
  let inFlight = 0;
  const stub: Stub = {
    url: '',
    requests: [],
    maxInFlight: 0,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  const server = createServer((req, res) => {
    inFlight++;
    stub.maxInFlight = Math.max(stub.maxInFlight, inFlight);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const request: StubRequest = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        body: Buffer.concat(chunks).toString('utf8'),
        headers: req.headers,
      };
      stub.requests.push(request);
      // Holding each answer a moment lets concurrent requests overlap, so a concurrency limit
      // shows up in maxInFlight; nothing asserts on time.
      if (options.holdMs) await new Promise((r) => setTimeout(r, options.holdMs));
      // A handler bug answers 500 instead of leaving the client to time out.
      const answer = await Promise.resolve()
        .then(() => handle(request))
        .catch((error: unknown) => ({ status: 500, text: String(error) }) as StubResponse);
      if (answer.fault) {
        inFlight--;
        if (answer.fault === 'hang') return;
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '4096' });
        res.write('{"info":{"name":"');
        if (answer.fault === 'reset') setImmediate(() => res.socket?.destroy());
        return;
      }
      const body =
        answer.text !== undefined
          ? answer.text
          : answer.json === undefined
            ? ''
            : JSON.stringify(answer.json);
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      inFlight--;
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  stub.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return stub;
}

/** Online options pointing every registry at loopback stubs, counting requests per registry. */
export function onlineOptions(
  endpoints: Partial<Pick<OnlineOptions, 'pypiEndpoint' | 'npmEndpoint' | 'osvEndpoint'>>,
  extra: Partial<OnlineOptions> = {},
): OnlineOptions & { counts: Record<string, number>; log: string[] } {
  const counts: Record<string, number> = {};
  const log: string[] = [];
  return {
    hfEndpoint: 'http://127.0.0.1:9',
    pypiEndpoint: 'http://127.0.0.1:9',
    npmEndpoint: 'http://127.0.0.1:9',
    osvEndpoint: 'http://127.0.0.1:9',
    retries: 0,
    ...endpoints,
    ...extra,
    counts,
    log,
    onRequest: (registry, method, url) => {
      counts[registry] = (counts[registry] ?? 0) + 1;
      log.push(`${registry} ${method} ${new URL(url).pathname}`);
    },
  };
}

interface PypiFile {
  upload_time: string;
  upload_time_iso_8601: string;
  yanked: boolean;
  yanked_reason: string | null;
  filename: string;
  [key: string]: unknown;
}

export interface ReleaseSpec {
  version: string;
  /** ISO date (`2024-11-06`); the time of day is fixed. */
  date: string;
  yanked?: string | true;
  files?: number;
  deprecated?: string;
}

/** A `GET /pypi/{name}/json` body in the sampleproject shape, with other releases. */
export function pypiProject(name: string, releases: ReleaseSpec[], latest?: string): unknown {
  const sample = fixture<{
    body: { info: Record<string, unknown>; releases: Record<string, PypiFile[]> };
  }>('pypi/project-sampleproject.json').body;
  const template = sample.releases['4.0.0']?.[0] as PypiFile;
  const files = (r: ReleaseSpec): PypiFile[] =>
    Array.from({ length: r.files ?? 1 }, (_, i) => ({
      ...template,
      filename: `${name}-${r.version}-${i}.whl`,
      upload_time: `${r.date}T10:00:0${i}`,
      upload_time_iso_8601: `${r.date}T10:00:0${i}.000000Z`,
      yanked: r.yanked !== undefined,
      yanked_reason: typeof r.yanked === 'string' ? r.yanked : null,
    }));
  const newest = latest ?? releases[releases.length - 1]?.version;
  return {
    ...sample,
    info: { ...sample.info, name, version: newest, yanked: false, yanked_reason: null },
    releases: Object.fromEntries(releases.map((r) => [r.version, files(r)])),
    urls: [],
    vulnerabilities: [],
  };
}

/** A full packument in the tiny-tarball shape (the npm registry docs' example). */
export function npmPackument(name: string, releases: ReleaseSpec[], latest?: string): unknown {
  const sample = fixture<{
    body: { versions: Record<string, Record<string, unknown>> } & Record<string, unknown>;
  }>('npm/packument-tiny-tarball-full.json').body;
  const template = sample.versions['1.0.0'] as Record<string, unknown>;
  const newest = latest ?? releases[releases.length - 1]?.version ?? '0.0.0';
  return {
    ...sample,
    _id: name,
    name,
    'dist-tags': { latest: newest },
    time: {
      created: `${releases[0]?.date ?? '2015-01-01'}T00:00:00.000Z`,
      modified: `${releases[releases.length - 1]?.date ?? '2015-01-01'}T00:00:00.000Z`,
      ...Object.fromEntries(releases.map((r) => [r.version, `${r.date}T12:00:00.000Z`])),
    },
    versions: Object.fromEntries(
      releases.map((r) => [
        r.version,
        {
          ...template,
          name,
          version: r.version,
          _id: `${name}@${r.version}`,
          ...(r.deprecated ? { deprecated: r.deprecated } : {}),
        },
      ]),
    ),
  };
}

/** A package reference as the dependency extractors produce them. */
export function pkg(
  partial: Partial<Reference> & Pick<Reference, 'id'> & { ecosystem: 'pypi' | 'npm' },
): Reference {
  const revision = partial.revision ?? null;
  return {
    kind: 'package',
    revision,
    pinned: !!partial.version,
    file: partial.ecosystem === 'pypi' ? 'requirements.txt' : 'package.json',
    line: 1,
    column: 1,
    extractor: partial.ecosystem === 'pypi' ? 'pip-requirements' : 'npm',
    via: 'requirement',
    ...partial,
  };
}
