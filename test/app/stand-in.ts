/**
 * A loopback GitHub for the App: JWT-authenticated App endpoints (installation tokens, the
 * installation list), installation-token endpoints for several repositories (git trees and blobs,
 * contents, pull requests and their files, comments, reviews, issues, permissions, reactions),
 * and GraphQL `viewer`. Every request and response is checked against GitHub's OpenAPI
 * description with the same checker as test/github/stand-in.ts (`openApi()` and
 * test/github/json-schema.ts); mismatches land in `violations`, which tests assert empty.
 *
 * Git objects are real enough: blob shas are git's (`blob <size>\0<bytes>`), trees nest, symlinks
 * are mode 120000 blobs holding their target, and a repository can be told to answer recursive
 * tree requests `truncated`, as GitHub does past 100,000 entries.
 */
import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve, validate, type Schema } from '../github/json-schema.js';
import { openApi, type PrFile } from '../github/stand-in.js';
import { matchOperation, requestViolations } from '../github/openapi-routes.js';

type Json = Record<string, unknown>;

export type FileContent = string | { link: string };

export interface StandInPull {
  head: string;
  base: string;
  files: PrFile[];
  draft?: boolean;
  state?: 'open' | 'closed';
}

export interface StandInRepo {
  owner: string;
  name: string;
  id: number;
  installationId: number;
  defaultBranch?: string;
  archived?: boolean;
  /** Commit sha → the files at that commit. */
  commits: Record<string, Record<string, FileContent>>;
  /** The default branch's head commit. */
  head: string;
  pulls?: Record<number, StandInPull>;
  /** Recursive tree requests for whole commits come back `truncated: true` (with half the entries). */
  truncateTrees?: boolean;
  /** login → permission (`admin`, `write`, `read`); others are 404 (not a collaborator). */
  collaborators?: Record<string, string>;
}

export interface AppStandInOptions {
  appId: number;
  /** PEM of the App's public key: the stand-in checks each JWT's RS256 signature with it. */
  publicKey: string;
  slug: string;
  installations: { id: number; account: string; suspended?: boolean }[];
  repos: StandInRepo[];
  /** Installation tokens expire this long after they are made (default one hour, as GitHub's). */
  tokenLifetimeMs?: number;
}

export interface Recorded {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  status: number;
  /** `app` (a JWT), the installation id of the token, or null. */
  auth: 'app' | number | null;
}

interface Blob {
  type: 'blob';
  bytes: Buffer;
  mode: string;
}
interface TreeNode {
  type: 'tree';
  entries: { name: string; mode: string; type: 'blob' | 'tree'; sha: string }[];
}

interface Injected {
  match: (r: Recorded) => boolean;
  reply: { status: number; body: unknown; headers?: Record<string, string> };
  times: number;
}

interface Hold {
  match: (r: Recorded) => boolean;
  waiting: (() => void)[];
  released: boolean;
}

function example(name: string): Json {
  const ex = (openApi().components as Schema).examples as Record<string, { value: unknown }>;
  return structuredClone(ex[name]!.value) as Json;
}

export function gitSha(type: string, bytes: Buffer): string {
  return createHash('sha1')
    .update(Buffer.concat([Buffer.from(`${type} ${bytes.length}\0`), bytes]))
    .digest('hex');
}

export class AppStandIn {
  readonly requests: Recorded[] = [];
  readonly violations: string[] = [];
  /** Issue and pull request comments, by `owner/repo#number`. */
  readonly comments = new Map<string, Json[]>();
  readonly reviewComments = new Map<string, Json[]>();
  readonly reviews = new Map<string, Json[]>();
  readonly issues = new Map<string, Json[]>();
  readonly reactions: { comment: number; content: string }[] = [];
  /** Tokens handed out: token → installation id. */
  readonly tokens = new Map<string, { installation: number; expires: number }>();
  private readonly objects = new Map<string, Blob | TreeNode>();
  private readonly roots = new Map<string, string>();
  private readonly holds: Hold[] = [];
  private readonly injected: Injected[] = [];
  private readonly publicKey: KeyObject;
  private nextId = 5000;
  private server: Server | null = null;
  private origin = '';

  constructor(readonly options: AppStandInOptions) {
    this.publicKey = createPublicKey(options.publicKey);
    for (const repo of options.repos)
      for (const [sha, files] of Object.entries(repo.commits))
        this.roots.set(`${repo.owner}/${repo.name}@${sha}`, this.store(files));
  }

  get url(): string {
    return `${this.origin}/api/v3`;
  }

  static async start(options: AppStandInOptions): Promise<AppStandIn> {
    const s = new AppStandIn(options);
    s.server = createServer((req, res) => {
      void s.handle(req, res).catch((error: unknown) => {
        s.violations.push(`stand-in crashed: ${String(error)}`);
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
    await new Promise<void>((ok) => s.server!.listen(0, '127.0.0.1', ok));
    s.origin = `http://127.0.0.1:${(s.server.address() as AddressInfo).port}`;
    return s;
  }

  async close(): Promise<void> {
    for (const h of this.holds) this.release(h);
    this.server?.closeAllConnections();
    await new Promise<void>((ok) => this.server?.close(() => ok()) ?? ok());
  }

  /** Answers the next `times` matching requests with `reply` instead (rate limits, outages). */
  inject(match: (r: Recorded) => boolean, reply: Injected['reply'], times = 1): void {
    this.injected.push({ match, reply, times });
  }

  /** Holds every matching request until `release` (a request in flight, for concurrency tests). */
  hold(match: (r: Recorded) => boolean): Hold {
    const h: Hold = { match, waiting: [], released: false };
    this.holds.push(h);
    return h;
  }

  release(h: Hold): void {
    h.released = true;
    for (const go of h.waiting.splice(0)) go();
  }

  /** Resolves once `n` requests are held by `h`. */
  async held(h: Hold, n: number): Promise<void> {
    while (h.waiting.length < n) await new Promise((ok) => setTimeout(ok, 20));
  }

  /** Issue comments on one issue or pull request. */
  commentsOn(repo: string, number: number): Json[] {
    return this.comments.get(`${repo}#${number}`) ?? [];
  }

  /** Writes (everything but GET and GraphQL). */
  writes(): Recorded[] {
    return this.requests.filter((r) => r.method !== 'GET' && !r.path.endsWith('/graphql'));
  }

  // ---- git objects ----

  private store(files: Record<string, FileContent>): string {
    const root = new Map<string, unknown>();
    for (const [path, content] of Object.entries(files)) {
      const parts = path.split('/');
      let dir = root;
      for (const p of parts.slice(0, -1)) {
        if (!dir.has(p)) dir.set(p, new Map<string, unknown>());
        dir = dir.get(p) as Map<string, unknown>;
      }
      dir.set(parts.at(-1)!, content);
    }
    return this.storeDir(root);
  }

  private storeDir(dir: Map<string, unknown>): string {
    const entries: TreeNode['entries'] = [];
    for (const [name, value] of [...dir].sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (value instanceof Map) {
        entries.push({ name, mode: '040000', type: 'tree', sha: this.storeDir(value) });
        continue;
      }
      const link = typeof value === 'object' && value !== null && 'link' in value;
      const bytes = Buffer.from(link ? (value as { link: string }).link : (value as string));
      const sha = gitSha('blob', bytes);
      const mode = link ? '120000' : '100644';
      this.objects.set(sha, { type: 'blob', bytes, mode });
      entries.push({ name, mode, type: 'blob', sha });
    }
    const text = Buffer.from(entries.map((e) => `${e.mode} ${e.name}\0${e.sha}`).join(''));
    const sha = gitSha('tree', text);
    this.objects.set(sha, { type: 'tree', entries });
    return sha;
  }

  private treeEntries(sha: string, recursive: boolean, prefix = ''): Json[] {
    const node = this.objects.get(sha) as TreeNode;
    const out: Json[] = [];
    for (const e of node.entries) {
      const path = prefix ? `${prefix}/${e.name}` : e.name;
      const blob = e.type === 'blob' ? (this.objects.get(e.sha) as Blob) : null;
      out.push({
        path,
        mode: e.mode,
        type: e.type,
        sha: e.sha,
        ...(blob ? { size: blob.bytes.length } : {}),
        url: `${this.url}/repos/o/r/git/${e.type === 'blob' ? 'blobs' : 'trees'}/${e.sha}`,
      });
      if (recursive && e.type === 'tree') out.push(...this.treeEntries(e.sha, true, path));
    }
    return out;
  }

  // ---- HTTP ----

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.origin);
    const raw = await readBody(req);
    const body = raw === '' ? undefined : (JSON.parse(raw) as unknown);
    const record: Recorded = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body,
      status: 0,
      auth: this.authOf(req.headers.authorization ?? ''),
    };
    this.requests.push(record);
    for (const h of this.holds)
      if (!h.released && h.match(record)) await new Promise<void>((go) => h.waiting.push(go));
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      if (res.destroyed) return;
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(JSON.stringify(payload));
    };
    if (record.auth === null)
      return send(401, {
        message: 'Bad credentials',
        documentation_url: 'https://docs.github.com/rest',
        status: '401',
      });
    const injected = this.injected.find((i) => i.times > 0 && i.match(record));
    if (injected) {
      injected.times--;
      return send(injected.reply.status, injected.reply.body, injected.reply.headers);
    }
    if (url.pathname === '/api/graphql') return this.graphql(body, record, send);
    const apiPath = url.pathname.slice('/api/v3'.length);
    const match = matchOperation(record.method, apiPath);
    if (!url.pathname.startsWith('/api/v3/') || !match) {
      this.violations.push(
        `${record.method} ${url.pathname}: no such operation in GitHub's OpenAPI`,
      );
      return send(404, { message: 'Not Found' });
    }
    const label = `${record.method} ${match.template}`;
    this.violations.push(...requestViolations(match.operation, record, label));
    const reply = this.answer(label, record, match.params);
    this.checkResponse(match.operation, reply.status, reply.body, label);
    send(reply.status, reply.body, reply.headers);
  }

  /** `app` for a valid App JWT, the installation for a live token, null otherwise. */
  private authOf(header: string): Recorded['auth'] {
    const m = /^(?:token|bearer) (.+)$/i.exec(header);
    if (!m) return null;
    const credential = m[1]!;
    const parts = credential.split('.');
    if (parts.length === 3) return this.jwtValid(parts as [string, string, string]) ? 'app' : null;
    const t = this.tokens.get(credential);
    return t && t.expires > Date.now() ? t.installation : null;
  }

  private jwtValid([head, payload, signature]: [string, string, string]): boolean {
    const header = JSON.parse(Buffer.from(head, 'base64url').toString()) as { alg?: string };
    if (header.alg !== 'RS256') return false;
    const ok = verify(
      'RSA-SHA256',
      Buffer.from(`${head}.${payload}`),
      this.publicKey,
      Buffer.from(signature, 'base64url'),
    );
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as {
      iss?: unknown;
      exp?: number;
      iat?: number;
    };
    const now = Date.now() / 1000;
    // GitHub: `iss` is the App id (or client id), `exp` at most 10 minutes after `iat`.
    return (
      ok &&
      String(claims.iss) === String(this.options.appId) &&
      typeof claims.exp === 'number' &&
      typeof claims.iat === 'number' &&
      claims.exp > now &&
      claims.exp - claims.iat <= 600
    );
  }

  private checkResponse(operation: Schema, status: number, body: unknown, label: string): void {
    if (status >= 300) return;
    const response = (operation.responses as Schema)[String(status)] as Schema | undefined;
    if (!response) return void this.violations.push(`${label}: no ${status} response`);
    const resolved =
      typeof response.$ref === 'string' ? resolve(openApi(), response.$ref) : response;
    const schema = (
      (resolved.content as Schema | undefined)?.['application/json'] as Schema | undefined
    )?.schema as Schema | undefined;
    if (!schema) return;
    for (const e of validate(body, schema, openApi(), 'response'))
      this.violations.push(`stand-in ${label}: ${e}`);
  }

  private graphql(body: unknown, record: Recorded, send: (s: number, p: unknown) => void): void {
    const query = (body as { query?: unknown } | undefined)?.query;
    if (
      typeof query !== 'string' ||
      query.replace(/\s+/g, ' ').trim() !== 'query { viewer { login } }'
    ) {
      this.violations.push(`POST /graphql: unexpected query ${JSON.stringify(query)}`);
      return send(200, { errors: [{ message: 'unexpected query' }] });
    }
    if (record.auth === 'app') return send(200, { errors: [{ message: 'installation only' }] });
    send(200, { data: { viewer: { login: `${this.options.slug}[bot]` } } });
  }

  // ---- answers ----

  private answer(
    op: string,
    record: Recorded,
    params: Record<string, string>,
  ): { status: number; body: unknown; headers?: Record<string, string> } {
    const notFound = { status: 404, body: { message: 'Not Found', status: '404' } };
    if (op.startsWith('POST /app/') || op.startsWith('GET /app/')) {
      if (record.auth !== 'app')
        return { status: 401, body: { message: 'A JSON web token could not be decoded' } };
      if (op === 'POST /app/installations/{installation_id}/access_tokens')
        return this.accessToken(Number(params.installation_id));
      if (op === 'GET /app/installations')
        return this.page(
          record,
          this.options.installations.map((i) => this.installation(i)),
        );
      return this.unsupported(op);
    }
    if (record.auth === 'app')
      return {
        status: 401,
        body: { message: 'Apps act on repositories with installation tokens' },
      };
    const installation = record.auth as number;
    if (op === 'GET /installation/repositories') {
      const repos = this.options.repos.filter((r) => r.installationId === installation);
      const paged = this.page(
        record,
        repos.map((r) => this.repository(r, 'minimal')),
      );
      return { ...paged, body: { total_count: repos.length, repositories: paged.body } };
    }
    const repo = this.options.repos.find(
      (r) =>
        r.owner === params.owner && r.name === params.repo && r.installationId === installation,
    );
    if (!repo) return notFound;
    const full = `${repo.owner}/${repo.name}`;
    const num = Number(params.pull_number ?? params.issue_number);
    const pull = repo.pulls?.[num];
    const body = (record.body ?? {}) as Json;
    switch (op) {
      case 'GET /repos/{owner}/{repo}':
        return { status: 200, body: this.repository(repo, 'full') };
      case 'GET /repos/{owner}/{repo}/git/ref/{ref}': {
        if (params.ref !== `heads/${repo.defaultBranch ?? 'main'}`) return notFound;
        const ref = example('git-ref');
        Object.assign(ref, { ref: `refs/${params.ref}` });
        (ref.object as Json).sha = repo.head;
        return { status: 200, body: ref };
      }
      case 'GET /repos/{owner}/{repo}/git/trees/{tree_sha}':
        return this.tree(repo, params.tree_sha!, record.query.recursive !== undefined);
      case 'GET /repos/{owner}/{repo}/git/blobs/{file_sha}': {
        const blob = this.objects.get(params.file_sha!);
        if (blob?.type !== 'blob') return notFound;
        return {
          status: 200,
          body: {
            ...example('blob'),
            sha: params.file_sha,
            size: blob.bytes.length,
            content: blob.bytes.toString('base64').replace(/(.{60})/g, '$1\n'),
            encoding: 'base64',
            url: `${this.url}/repos/${full}/git/blobs/${params.file_sha}`,
          },
        };
      }
      case 'GET /repos/{owner}/{repo}/contents/{path}':
        return this.contents(repo, params.path!, record.query.ref ?? repo.head);
      case 'GET /repos/{owner}/{repo}/pulls/{pull_number}':
        return pull ? { status: 200, body: this.pullRequest(repo, num, pull) } : notFound;
      case 'GET /repos/{owner}/{repo}/pulls/{pull_number}/files':
        return pull
          ? this.page(
              record,
              pull.files.map((f) => this.diffEntry(repo, f)),
            )
          : notFound;
      case 'GET /repos/{owner}/{repo}/issues/{issue_number}/comments':
        return this.page(record, this.comments.get(`${full}#${num}`) ?? []);
      case 'POST /repos/{owner}/{repo}/issues/{issue_number}/comments': {
        const c = this.issueComment(repo, num, String(body.body));
        this.push(this.comments, `${full}#${num}`, c);
        return { status: 201, body: c };
      }
      case 'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}': {
        const c = [...this.comments.values()]
          .flat()
          .find((x) => String(x.id) === params.comment_id);
        if (!c) return notFound;
        c.body = String(body.body);
        return { status: 200, body: c };
      }
      case 'GET /repos/{owner}/{repo}/pulls/{pull_number}/comments':
        return this.page(record, this.reviewComments.get(`${full}#${num}`) ?? []);
      case 'POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews':
        return this.createReview(repo, num, body);
      case 'GET /repos/{owner}/{repo}/issues':
        return this.page(
          record,
          (this.issues.get(full) ?? []).filter(
            (i) => !record.query.creator || (i.user as Json).login === record.query.creator,
          ),
        );
      case 'POST /repos/{owner}/{repo}/issues': {
        const issue = this.issue(repo, body);
        this.push(this.issues, full, issue);
        return { status: 201, body: issue };
      }
      case 'GET /repos/{owner}/{repo}/collaborators/{username}/permission': {
        const permission = repo.collaborators?.[params.username!];
        if (!permission) return notFound;
        return {
          status: 200,
          body: {
            permission,
            role_name: permission,
            user: { ...this.user(params.username!, 'User'), role_name: permission },
          },
        };
      }
      case 'POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions': {
        this.reactions.push({ comment: Number(params.comment_id), content: String(body.content) });
        return {
          status: 201,
          body: { ...example('reaction'), content: body.content, user: this.bot() },
        };
      }
      default:
        return this.unsupported(op);
    }
  }

  private unsupported(op: string) {
    this.violations.push(`${op}: the stand-in does not implement it`);
    return { status: 501, body: { message: 'Not implemented by the stand-in' } };
  }

  private push(map: Map<string, Json[]>, key: string, value: Json): void {
    map.set(key, [...(map.get(key) ?? []), value]);
  }

  private accessToken(installation: number) {
    const known = this.options.installations.find((i) => i.id === installation);
    if (!known) return { status: 404, body: { message: 'Not Found', status: '404' } };
    const token = `ghs_${installation}x${this.nextId++}`;
    const expires = Date.now() + (this.options.tokenLifetimeMs ?? 3600_000);
    this.tokens.set(token, { installation, expires });
    const body = example('installation-token');
    delete body.repositories;
    Object.assign(body, {
      token,
      expires_at: new Date(expires).toISOString().replace(/\.\d+Z$/, 'Z'),
      permissions: { contents: 'read', issues: 'write', metadata: 'read', pull_requests: 'write' },
      repository_selection: 'all',
    });
    return { status: 201, body };
  }

  private installation(i: { id: number; account: string; suspended?: boolean }): Json {
    const base = (example('base-installation-items') as unknown as Json[])[0]!;
    return {
      ...base,
      id: i.id,
      // The description types this account as simple-user AND enterprise (allOf).
      account: {
        ...this.user(i.account, 'Organization'),
        name: i.account,
        slug: i.account,
        created_at: '2020-01-01T00:00:00Z',
        updated_at: '2020-01-01T00:00:00Z',
      },
      app_id: this.options.appId,
      app_slug: this.options.slug,
      access_tokens_url: `${this.url}/app/installations/${i.id}/access_tokens`,
      suspended_at: i.suspended ? '2026-01-01T00:00:00Z' : null,
      suspended_by: i.suspended ? this.user('octocat', 'User') : null,
    };
  }

  private repository(repo: StandInRepo, kind: 'full' | 'minimal'): Json {
    const base =
      kind === 'full'
        ? example('full-repository')
        : ((example('repository-paginated').repositories as Json[])[0] as Json);
    return {
      ...base,
      id: repo.id,
      name: repo.name,
      full_name: `${repo.owner}/${repo.name}`,
      owner: this.user(repo.owner, 'Organization'),
      html_url: `https://github.com/${repo.owner}/${repo.name}`,
      default_branch: repo.defaultBranch ?? 'main',
      archived: repo.archived ?? false,
      // Required by the description, absent from its example.
      ...(kind === 'full' ? { has_discussions: false } : {}),
    };
  }

  private tree(repo: StandInRepo, sha: string, recursive: boolean) {
    const commit = `${repo.owner}/${repo.name}@${sha}`;
    const root = this.roots.get(commit) ?? sha;
    if (this.objects.get(root)?.type !== 'tree')
      return { status: 404, body: { message: 'Not Found', status: '404' } };
    let entries = this.treeEntries(root, recursive);
    const truncated = recursive && !!repo.truncateTrees && this.roots.has(commit);
    if (truncated) entries = entries.slice(0, Math.ceil(entries.length / 2));
    return {
      status: 200,
      body: {
        sha: root,
        url: `${this.url}/repos/${repo.owner}/${repo.name}/git/trees/${root}`,
        tree: entries,
        truncated,
      },
    };
  }

  private contents(repo: StandInRepo, path: string, ref: string) {
    const content = repo.commits[ref]?.[path];
    if (content === undefined)
      return {
        status: 404,
        body: {
          message: 'Not Found',
          documentation_url: 'https://docs.github.com/rest/repos/contents#get-repository-content',
          status: '404',
        },
      };
    if (typeof content !== 'string') {
      // GitHub describes a symlink instead of following it.
      return {
        status: 200,
        body: {
          ...example('content-file'),
          type: 'symlink',
          target: content.link,
          content: undefined,
        },
      };
    }
    const bytes = Buffer.from(content);
    return {
      status: 200,
      body: {
        ...example('content-file'),
        name: path.split('/').at(-1),
        path,
        size: bytes.length,
        sha: gitSha('blob', bytes),
        content: bytes.toString('base64'),
      },
    };
  }

  private pullRequest(repo: StandInRepo, number: number, pull: StandInPull): Json {
    const pr = example('pull-request');
    const full = `${repo.owner}/${repo.name}`;
    Object.assign(pr, {
      number,
      state: pull.state ?? 'open',
      draft: pull.draft ?? false,
      html_url: `https://github.com/${full}/pull/${number}`,
      changed_files: pull.files.length,
      // GitHub's own example lacks the team `type` its schema requires.
      requested_teams: [],
    });
    Object.assign(pr.head as Json, { sha: pull.head, ref: `feature-${number}` });
    Object.assign(pr.base as Json, { sha: pull.base, ref: repo.defaultBranch ?? 'main' });
    return pr;
  }

  private diffEntry(repo: StandInRepo, f: PrFile): Json {
    const entry = { ...(example('diff-entry-items') as unknown as Json[])[0]! };
    const lines = f.patch?.split('\n') ?? [];
    const additions = lines.filter((l) => l.startsWith('+')).length;
    const deletions = lines.filter((l) => l.startsWith('-')).length;
    Object.assign(entry, {
      filename: f.filename,
      status: f.status,
      additions,
      deletions,
      changes: additions + deletions,
      blob_url: `https://github.com/${repo.owner}/${repo.name}/blob/x/${f.filename}`,
      raw_url: `https://github.com/${repo.owner}/${repo.name}/raw/x/${f.filename}`,
      contents_url: `${this.url}/repos/${repo.owner}/${repo.name}/contents/${f.filename}`,
    });
    if (f.patch === undefined) delete entry.patch;
    else entry.patch = f.patch;
    return entry;
  }

  private createReview(repo: StandInRepo, number: number, body: Json) {
    const full = `${repo.owner}/${repo.name}`;
    const review = example('pull-request-review');
    const id = this.nextId++;
    Object.assign(review, {
      id,
      node_id: `PRR_${id}`,
      user: this.bot(),
      body: String(body.body ?? ''),
      state: 'COMMENTED',
      commit_id: String(body.commit_id),
      html_url: `https://github.com/${full}/pull/${number}#pullrequestreview-${id}`,
    });
    this.push(this.reviews, `${full}#${number}`, review);
    for (const c of (body.comments as Json[] | undefined) ?? []) {
      const rc = example('pull-request-review-comment');
      const cid = this.nextId++;
      delete rc.in_reply_to_id;
      Object.assign(rc, {
        id: cid,
        node_id: `PRRC_${cid}`,
        pull_request_review_id: id,
        path: String(c.path),
        line: Number(c.line),
        original_line: Number(c.line),
        side: 'RIGHT',
        commit_id: String(body.commit_id),
        original_commit_id: String(body.commit_id),
        body: String(c.body),
        user: this.bot(),
      });
      this.push(this.reviewComments, `${full}#${number}`, rc);
    }
    return { status: 200, body: review };
  }

  private issueComment(repo: StandInRepo, number: number, text: string): Json {
    const c = example('issue-comment');
    const id = this.nextId++;
    const full = `${repo.owner}/${repo.name}`;
    return Object.assign(c, {
      id,
      node_id: `IC_${id}`,
      url: `${this.url}/repos/${full}/issues/comments/${id}`,
      html_url: `https://github.com/${full}/pull/${number}#issuecomment-${id}`,
      issue_url: `${this.url}/repos/${full}/issues/${number}`,
      body: text,
      user: this.bot(),
      author_association: 'NONE',
    });
  }

  private issue(repo: StandInRepo, body: Json): Json {
    const issue = example('issue');
    const number = this.nextId++;
    const full = `${repo.owner}/${repo.name}`;
    delete issue.pull_request;
    return Object.assign(issue, {
      id: number,
      number,
      title: String(body.title),
      body: String(body.body ?? ''),
      state: 'open',
      labels: [],
      user: this.bot(),
      html_url: `https://github.com/${full}/issues/${number}`,
    });
  }

  private bot(): Json {
    return this.user(`${this.options.slug}[bot]`, 'Bot');
  }

  private user(login: string, type: 'Bot' | 'User' | 'Organization'): Json {
    const u = example('issue-comment').user as Json;
    return { ...u, login, type, html_url: `https://github.com/${login}` };
  }

  private page(record: Recorded, items: unknown[]) {
    const perPage = Math.min(Number(record.query.per_page ?? 30), 100);
    const page = Number(record.query.page ?? 1);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const u = new URL(record.path, this.origin);
    for (const [k, v] of Object.entries(record.query)) u.searchParams.set(k, v);
    u.searchParams.set('per_page', String(perPage));
    u.searchParams.set('page', String(page + 1));
    return {
      status: 200,
      body: items.slice((page - 1) * perPage, page * perPage),
      headers: page < last ? { link: `<${u.href}>; rel="next"` } : ({} as Record<string, string>),
    };
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => ok(Buffer.concat(chunks).toString('utf8')));
    req.on('error', fail);
  });
}
