import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createWorld,
  fixture,
  sha1,
  type RepoFile,
  type StandInRepo,
  type World,
} from './world.js';

/**
 * A loopback Hugging Face Hub. It answers as the real one does (test/fixtures/huggingface):
 * default info bodies with `blobs`/`securityStatus`, `/revision/{rev}`, commits with
 * `x-total-count` and an absolute `Link` (0-based `p`), the tree with an opaque cursor,
 * paths-info, 307 renames with a relative Location, errors with `x-error-code`, the anonymous
 * 401 for missing and private repos, 403 for a disabled dataset, GatedRepo on history, and
 * `RateLimit` headers on every response.
 */

export interface HubRequest {
  method: string;
  /** Path and query as sent. */
  url: string;
  path: string;
  query: URLSearchParams;
  authorization: string | null;
  body: string;
  /** How many times this method + url has been seen, this one included. */
  count: number;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  json?: unknown;
  text?: string;
}

/**
 * What a connection can do instead of answering: never answer (`hang`), send the headers and
 * part of the body then stall (`stall`), or send part of the body then drop the connection
 * (`reset`).
 */
export type Fault = 'hang' | 'stall' | 'reset';

/** Runs before routing: a reply, a fault, or undefined (serve normally). */
export type Intercept = (req: HubRequest) => Reply | Fault | undefined;

export interface StandInHub {
  url: string;
  world: World;
  requests: HubRequest[];
  /** `METHOD path?query` of every request, in order. */
  log(): string[];
  close(): Promise<void>;
}

const ERRORS = fixture<{
  cases: Record<string, { headers: Record<string, string>; body: unknown }>;
}>('errors.json').cases;
const SAFE_FILE_STATUS = fixture<{ samples: Record<string, unknown> }>(
  'security-file-status-samples.json',
).samples['wzshiming/gpt2 config.json (non-model file)'];
const OPS = new Set(['revision', 'commits', 'tree', 'paths-info']);

export async function startHub(
  options: {
    world?: World;
    intercept?: Intercept;
    /** Held before every answer: the round trip of a real network (the benchmark's 40 ms). */
    latencyMs?: number;
  } = {},
): Promise<StandInHub> {
  const world = options.world ?? createWorld();
  const requests: HubRequest[] = [];
  const seen = new Map<string, number>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://stand-in');
      const key = `${req.method} ${req.url}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
      const request: HubRequest = {
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        path: url.pathname,
        query: url.searchParams,
        authorization: req.headers.authorization ?? null,
        body: Buffer.concat(chunks).toString('utf8'),
        count: seen.get(key) as number,
      };
      requests.push(request);
      const intercepted = options.intercept?.(request);
      if (intercepted === 'hang') return;
      if (intercepted === 'stall' || intercepted === 'reset') {
        fault(res, intercepted);
        return;
      }
      const origin = `http://${req.headers.host}`;
      const reply = intercepted ?? route(world, request, origin);
      const n = requests.length;
      if (options.latencyMs) setTimeout(() => send(res, reply, n), options.latencyMs);
      else send(res, reply, n);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    world,
    requests,
    log: () => requests.map((r) => `${r.method} ${r.url}`),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function send(res: ServerResponse, reply: Reply, n: number): void {
  const headers: Record<string, string> = {
    // The Hub sends both on every response, redirects and errors included.
    ratelimit: `"api";r=${Math.max(0, 500 - n)};t=133`,
    'ratelimit-policy': '"fixed window";"api";q=500;w=300',
    ...reply.headers,
  };
  let body = '';
  if (reply.json !== undefined) {
    headers['content-type'] ??= 'application/json; charset=utf-8';
    body = JSON.stringify(reply.json);
  } else if (reply.text !== undefined) {
    headers['content-type'] ??= 'text/plain; charset=utf-8';
    body = reply.text;
  }
  res.writeHead(reply.status, headers);
  res.end(body);
}

/** Half an info body under a 200, then nothing more (`stall`) or a dropped connection. */
export function fault(res: ServerResponse, kind: 'stall' | 'reset'): void {
  res.writeHead(200, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': '4096',
  });
  res.write('{"_id":"621ffdc036468d709f17434d","id":"openai-community/gpt2","sha":"607a30d7');
  if (kind === 'reset') setImmediate(() => res.socket?.destroy());
}

function error(status: number, code: string | null, message: string): Reply {
  return {
    status,
    headers: { ...(code ? { 'x-error-code': code } : {}), 'x-error-message': message },
    json: { error: message },
  };
}

function route(world: World, req: HubRequest, origin: string): Reply {
  const m = /^\/api\/(models|datasets)\/(.+)$/.exec(req.path);
  if (!m) return { status: 404, text: 'Not Found' };
  const plural = m[1] as 'models' | 'datasets';
  const raw = (m[2] as string).split('/');
  const segs = raw.map(decodeURIComponent);
  const idLen = OPS.has(segs[1] ?? '') ? 1 : 2;
  const id = segs.slice(0, idLen).join('/');
  const op = segs[idLen] ?? 'revision';
  const args = segs.slice(idLen + 1);
  const key = `${plural}/${id}`;

  const renamed = world.redirects.get(key) ?? caseMismatch(world, key);
  if (renamed) {
    const rest = raw.slice(idLen).join('/');
    const search = req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : '';
    return {
      status: 307,
      headers: { location: `/api/${plural}/${renamed}${rest ? `/${rest}` : ''}${search}` },
    };
  }

  const token = /^Bearer (.+)$/.exec(req.authorization ?? '')?.[1] ?? null;
  if (token && !world.tokens.has(token))
    return error(401, null, 'Invalid credentials in Authorization header');
  const access = token ? (world.tokens.get(token) as Set<string>).has(key) : false;
  const repo = world.repos.get(key);
  if (!repo || (repo.private && !access)) {
    if (token) return { status: 404, headers: { 'x-error-code': 'RepoNotFound' } };
    const anon = ERRORS.repo_not_found_anonymous_401 as {
      headers: Record<string, string>;
      body: unknown;
    };
    return {
      status: 401,
      headers: {
        'www-authenticate': anon.headers['www-authenticate'] as string,
        'x-error-message': anon.headers['x-error-message'] as string,
      },
      json: anon.body,
    };
  }
  if (repo.disabledDataset)
    return { status: 403, headers: { 'x-error-message': 'Access to this resource is disabled.' } };

  const rev = op === 'revision' ? (args[0] ?? 'main') : (args[0] ?? 'main');
  const index = resolve(repo, rev);
  if (index < 0 && op !== 'paths-info')
    return error(404, 'RevisionNotFound', `Invalid rev id: ${rev}`);
  switch (op) {
    case 'revision':
      return { status: 200, json: info(repo, index, req.query) };
    case 'commits':
      return commits(repo, index, req, origin, token, access);
    case 'tree':
      return tree(world, repo, index, rev, args.slice(1).join('/'), req, origin);
    case 'paths-info':
      return pathsInfo(repo, resolve(repo, rev), req.body);
    default:
      return { status: 404, text: 'Not Found' };
  }
}

function caseMismatch(world: World, key: string): string | undefined {
  if (world.repos.has(key)) return undefined;
  for (const k of world.repos.keys()) {
    if (k.toLowerCase() === key.toLowerCase()) return k.slice(k.indexOf('/') + 1);
  }
  return undefined;
}

function resolve(repo: StandInRepo, rev: string): number {
  if (rev === 'main' || rev === 'HEAD') return 0;
  if (!/^[0-9a-f]{7,40}$/.test(rev)) return -1;
  return repo.commits.findIndex((c) => c.id.startsWith(rev));
}

function snapshotAt(repo: StandInRepo, index: number) {
  for (let k = index; k < repo.commits.length; k++) {
    const snap = repo.snapshots[(repo.commits[k] as { id: string }).id];
    if (snap) return snap;
  }
  return { files: [] as RepoFile[], cardData: null };
}

function info(repo: StandInRepo, index: number, query: URLSearchParams): Record<string, unknown> {
  const c = repo.commits[index] as { id: string; date: string };
  const snap = snapshotAt(repo, index);
  const f = repo.fields;
  const blobs = query.get('blobs') === 'true';
  const siblings = snap.files.map((file) =>
    blobs
      ? {
          rfilename: file.path,
          blobId: file.blobId,
          size: file.size,
          ...(file.sha256
            ? { lfs: { sha256: file.sha256, size: file.size, pointerSize: 134 } }
            : {}),
        }
      : { rfilename: file.path },
  );
  const body: Record<string, unknown> =
    repo.kind === 'model'
      ? {
          _id: f._id,
          id: f.id,
          private: f.private ?? false,
          pipeline_tag: f.pipeline_tag,
          library_name: f.library_name,
          tags: f.tags ?? [],
          downloads: f.downloads ?? 0,
          likes: f.likes ?? 0,
          modelId: f.id,
          author: f.author,
          sha: c.id,
          lastModified: c.date,
          gated: f.gated ?? false,
          disabled: f.disabled ?? false,
          ...(snap.cardData ? { cardData: snap.cardData } : {}),
          siblings,
          spaces: [],
          createdAt: f.createdAt,
          usedStorage: snap.files.reduce((n, x) => n + x.size, 0),
        }
      : {
          _id: f._id,
          id: f.id,
          author: f.author,
          sha: c.id,
          lastModified: c.date,
          private: f.private ?? false,
          gated: f.gated ?? false,
          disabled: f.disabled ?? false,
          tags: f.tags ?? [],
          citation: null,
          description: '',
          downloads: f.downloads ?? 0,
          likes: f.likes ?? 0,
          ...(snap.cardData ? { cardData: snap.cardData } : {}),
          siblings,
          createdAt: f.createdAt,
        };
  if (repo.kind === 'model' && query.get('securityStatus') === 'true')
    body.securityRepoStatus = repo.security ?? { scansDone: true, filesWithIssues: [] };
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
}

function commits(
  repo: StandInRepo,
  index: number,
  req: HubRequest,
  origin: string,
  token: string | null,
  access: boolean,
): Reply {
  const f = repo.fields;
  if ((f.gated || f.disabled) && !access) {
    const what = `model ${f.id as string}`;
    return token
      ? error(
          403,
          'GatedRepo',
          `Access to ${what} is restricted and you are not in the authorized list. Visit https://huggingface.co/${f.id as string} to ask for access.`,
        )
      : error(
          401,
          'GatedRepo',
          `Access to ${what} is restricted. You must have access to it and be authenticated to access it. Please log in.`,
        );
  }
  const list = repo.commits.slice(index);
  const limit = Math.min(1000, Number(req.query.get('limit') ?? 50));
  const p = Number(req.query.get('p') ?? 0);
  const page = list.slice(p * limit, (p + 1) * limit);
  const headers: Record<string, string> = { 'x-total-count': String(list.length) };
  if ((p + 1) * limit < list.length)
    headers.link = `<${origin}${req.path}?p=${p + 1}&limit=${limit}>; rel="next"`;
  return { status: 200, headers, json: page };
}

function tree(
  world: World,
  repo: StandInRepo,
  index: number,
  rev: string,
  folder: string,
  req: HubRequest,
  origin: string,
): Reply {
  const files = snapshotAt(repo, index).files;
  const recursive = req.query.get('recursive') === 'true';
  const prefix = folder ? `${folder}/` : '';
  const under = files.filter((f) => f.path.startsWith(prefix));
  if (folder && under.length === 0)
    return error(404, 'EntryNotFound', `${folder} does not exist on "${rev}"`);
  const entries: Record<string, unknown>[] = [];
  const dirs = new Set<string>();
  for (const f of under) {
    const rest = f.path.slice(prefix.length);
    if (!recursive && rest.includes('/')) {
      const dir = prefix + (rest.split('/')[0] as string);
      if (!dirs.has(dir))
        entries.push({ type: 'directory', oid: sha1(`tree:${dir}`), size: 0, path: dir });
      dirs.add(dir);
      continue;
    }
    entries.push({
      type: 'file',
      oid: f.blobId,
      size: f.size,
      path: f.path,
      ...(f.sha256 ? { lfs: { oid: f.sha256, size: f.size, pointerSize: 134 } } : {}),
    });
  }
  const offset = Number(Buffer.from(req.query.get('cursor') ?? '', 'base64').toString() || 0);
  const size = world.treePageSize;
  const headers: Record<string, string> = {};
  if (offset + size < entries.length) {
    const next = new URLSearchParams(req.query);
    next.set('cursor', Buffer.from(String(offset + size)).toString('base64'));
    headers.link = `<${origin}${req.path}?${next}>; rel="next"`;
  }
  return { status: 200, headers, json: entries.slice(offset, offset + size) };
}

function pathsInfo(repo: StandInRepo, index: number, body: string): Reply {
  if (index < 0) return error(404, 'RevisionNotFound', 'Invalid rev id');
  const { paths, expand } = JSON.parse(body) as { paths: string[]; expand?: boolean };
  const commit = repo.commits[index] as { id: string; title: string; date: string };
  const files = snapshotAt(repo, index).files.filter((f) => paths.includes(f.path));
  return {
    status: 200,
    json: files.map((f) => ({
      type: 'file',
      oid: f.blobId,
      size: f.size,
      path: f.path,
      ...(expand
        ? {
            lastCommit: { id: commit.id, title: commit.title, date: commit.date },
            securityFileStatus: repo.fileStatus?.[f.path] ?? SAFE_FILE_STATUS,
          }
        : {}),
    })),
  };
}
