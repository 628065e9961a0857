/**
 * A loopback stand-in for the GitHub REST API (served under `/api/v3`, as GitHub Enterprise Server
 * does, with GraphQL at `/api/graphql`). Every request is checked against GitHub's OpenAPI
 * description from `@octokit/openapi` (method, path, query names, JSON body), and every response
 * it sends is checked against the same description, so its shapes are GitHub's. Mismatches are
 * collected in `violations`; a test asserts there are none.
 *
 * Behaviour mirrors GitHub where the Action depends on it: `Link` pagination (per_page ≤ 100),
 * 403 "Resource not accessible by integration" with `x-accepted-github-permissions` for tokens
 * without write access, 422 for review comments on lines outside the diff (the two envelopes in
 * /work/shared/api-samples/github/review-comment-422-line-not-in-diff.json, copied to
 * test/fixtures/github/), 422 for bodies over 65,536 characters, and `GET /user` refused to
 * installation tokens.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolve, validate, type Schema } from './json-schema.js';
import { RepoModel, type ReplyTools } from './repo-model.js';
import { matchOperation, requestViolations } from './openapi-routes.js';

const require = createRequire(import.meta.url);
const HERE = path.dirname(fileURLToPath(import.meta.url));

let spec: Schema | null = null;
/** GitHub's REST description (api.github.com, OpenAPI 3.0), parsed once per test file. */
export function openApi(): Schema {
  spec ??= JSON.parse(
    readFileSync(require.resolve('@octokit/openapi/generated/api.github.com.json'), 'utf8'),
  ) as Schema;
  return spec;
}

export function example(name: string): Record<string, unknown> {
  const ex = (openApi().components as Schema).examples as Record<string, { value: unknown }>;
  return structuredClone(ex[name]!.value) as Record<string, unknown>;
}

const SAMPLES = JSON.parse(
  readFileSync(
    path.join(HERE, '../fixtures/github/review-comment-422-line-not-in-diff.json'),
    'utf8',
  ),
) as { cases: { request: string; status: number; body: Record<string, unknown> }[] };
const BODY_TOO_LONG = JSON.parse(
  readFileSync(path.join(HERE, '../fixtures/github/issue-comment-422-body-too-long.json'), 'utf8'),
) as { cases: { body: Record<string, unknown> }[] };

export interface Account {
  login: string;
  id: number;
  type: 'Bot' | 'User';
  /** false: a read-only token (fork pull requests, `permissions: read-all`). */
  canWrite: boolean;
}

export const ACTIONS_BOT: Omit<Account, 'canWrite'> = {
  login: 'github-actions[bot]',
  id: 41898282,
  type: 'Bot',
};

export interface PrFile {
  filename: string;
  status: 'added' | 'modified' | 'removed' | 'renamed';
  patch?: string;
  previous_filename?: string;
}

export interface StandInOptions {
  owner: string;
  repo: string;
  pull: number;
  files: PrFile[];
  /** token → account. */
  tokens: Record<string, Account>;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  status: number;
  token: string | null;
}

type Json = Record<string, unknown>;

export class GitHubStandIn {
  readonly requests: RecordedRequest[] = [];
  readonly violations: string[] = [];
  readonly issueComments: Json[] = [];
  readonly reviewComments: Json[] = [];
  readonly reviews: Json[] = [];
  /** Issues, pull requests, git objects and permissions for drift runs (repo-model.ts). */
  readonly model = new RepoModel();
  private nextId = 1000;
  private server: Server | null = null;
  private origin = '';

  constructor(readonly options: StandInOptions) {}

  /** Base URL for Octokit / `GITHUB_API_URL`. */
  get url(): string {
    return `${this.origin}/api/v3`;
  }

  static async start(options: StandInOptions): Promise<GitHubStandIn> {
    const s = new GitHubStandIn(options);
    s.server = createServer((req, res) => {
      void s.handle(req, res).catch((error: unknown) => {
        s.violations.push(`stand-in crashed: ${String(error)}`);
        res.writeHead(500).end();
      });
    });
    await new Promise<void>((ok) => s.server!.listen(0, '127.0.0.1', ok));
    s.origin = `http://127.0.0.1:${(s.server.address() as AddressInfo).port}`;
    return s;
  }

  async close(): Promise<void> {
    await new Promise<void>((ok) => this.server?.close(() => ok()) ?? ok());
  }

  /** REST writes (GraphQL reads excluded). */
  writes(): RecordedRequest[] {
    return this.requests.filter((r) => r.method !== 'GET' && !r.path.endsWith('/graphql'));
  }

  /** A comment as if someone posted it earlier (e.g. a user pasting the Action's marker). */
  seedIssueComment(body: string, user: Omit<Account, 'canWrite'>): Json {
    const c = this.issueComment(body, user);
    this.issueComments.push(c);
    return c;
  }

  /** A review comment someone else made earlier. */
  seedReviewComment(
    body: string,
    file: string,
    line: number,
    user: Omit<Account, 'canWrite'>,
  ): Json {
    const c = this.reviewComment(
      { body, path: file, line, commit_id: 'ec26c3e57ca3a959ca5aad62de7213c562f8c821' },
      null,
      user,
    );
    this.reviewComments.push(c);
    return c;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.origin);
    const raw = await readBody(req);
    const body = raw === '' ? undefined : (JSON.parse(raw) as unknown);
    const token = /^(?:token|bearer) (.+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? null;
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body,
      status: 0,
      token,
    };
    this.requests.push(record);
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(JSON.stringify(payload));
    };
    const account = token ? this.options.tokens[token] : undefined;
    if (!account) {
      send(401, {
        message: 'Bad credentials',
        documentation_url: 'https://docs.github.com/rest',
        status: '401',
      });
      return;
    }
    if (url.pathname === '/api/graphql') return this.graphql(body, account, send);
    if (!url.pathname.startsWith('/api/v3/')) {
      this.violations.push(`${record.method} ${url.pathname}: not under the REST base URL`);
      send(404, { message: 'Not Found' });
      return;
    }
    const apiPath = url.pathname.slice('/api/v3'.length);
    const match = matchOperation(record.method, apiPath);
    if (!match) {
      this.violations.push(`${record.method} ${apiPath}: no such operation in GitHub's OpenAPI`);
      send(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
      return;
    }
    this.violations.push(
      ...requestViolations(match.operation, record, `${record.method} ${match.template}`),
    );
    const reply = this.answer(match.template, record, match.params, account);
    this.checkResponse(
      match.operation,
      reply.status,
      reply.body,
      `${record.method} ${match.template}`,
    );
    send(reply.status, reply.body, reply.headers);
  }

  private checkResponse(operation: Schema, status: number, body: unknown, label: string): void {
    if (status >= 300) return;
    const response = (operation.responses as Schema)[String(status)] as Schema | undefined;
    if (!response) {
      this.violations.push(`${label}: the description has no ${status} response`);
      return;
    }
    const resolved =
      typeof response.$ref === 'string' ? resolve(openApi(), response.$ref) : response;
    const schema = (
      (resolved.content as Schema | undefined)?.['application/json'] as Schema | undefined
    )?.schema as Schema | undefined;
    if (!schema) return;
    for (const e of validate(body, schema, openApi(), 'response'))
      this.violations.push(`stand-in ${label}: ${e}`);
  }

  private graphql(
    body: unknown,
    account: Account,
    send: (status: number, payload: unknown) => void,
  ): void {
    const query = (body as { query?: unknown } | undefined)?.query;
    if (
      typeof query !== 'string' ||
      query.replace(/\s+/g, ' ').trim() !== 'query { viewer { login } }'
    ) {
      this.violations.push(`POST /graphql: unexpected query ${JSON.stringify(query)}`);
      send(200, { errors: [{ message: 'unexpected query' }] });
      return;
    }
    send(200, { data: { viewer: { login: account.login } } });
  }

  private answer(
    template: string,
    record: RecordedRequest,
    params: Record<string, string>,
    account: Account,
  ): { status: number; body: unknown; headers?: Record<string, string> } {
    const op = `${record.method} ${template}`;
    const { owner, repo, pull } = this.options;
    if (params.owner !== undefined && (params.owner !== owner || params.repo !== repo))
      return { status: 404, body: { message: 'Not Found', status: '404' } };
    const num = Number(params.pull_number ?? params.issue_number ?? pull);
    if (
      (params.pull_number ?? params.issue_number) !== undefined &&
      num !== pull &&
      !this.model.has(num)
    )
      return { status: 404, body: { message: 'Not Found', status: '404' } };
    const body = (record.body ?? {}) as Json;
    const forbid = (permissions: string, docs: string) => ({
      status: 403,
      body: {
        message: 'Resource not accessible by integration',
        documentation_url: docs,
        status: '403',
      },
      headers: { 'x-accepted-github-permissions': permissions },
    });
    switch (op) {
      case 'GET /user':
        // Installation tokens (GITHUB_TOKEN, GitHub Apps) have no user behind them.
        if (account.type === 'Bot')
          return {
            status: 403,
            body: {
              message: 'Resource not accessible by integration',
              documentation_url:
                'https://docs.github.com/rest/users/users#get-the-authenticated-user',
              status: '403',
            },
          };
        return { status: 200, body: this.user(account) };
      case 'GET /repos/{owner}/{repo}/pulls/{pull_number}/files':
        return this.page(
          record,
          this.options.files.map((f) => this.diffEntry(f)),
        );
      case 'GET /repos/{owner}/{repo}/issues/{issue_number}/comments':
        return this.page(
          record,
          this.issueComments.filter((c) => String(c.issue_url).endsWith(`/issues/${num}`)),
        );
      case 'GET /repos/{owner}/{repo}/pulls/{pull_number}/comments':
        return this.page(record, this.reviewComments);
      case 'POST /repos/{owner}/{repo}/issues/{issue_number}/comments': {
        if (!account.canWrite)
          return forbid(
            'issues=write; pull_requests=write',
            'https://docs.github.com/rest/issues/comments#create-an-issue-comment',
          );
        if (String(body.body).length > 65536)
          return { status: 422, body: BODY_TOO_LONG.cases[0]!.body };
        const c = this.issueComment(String(body.body), account, num);
        this.issueComments.push(c);
        return { status: 201, body: c, headers: { location: String(c.url) } };
      }
      case 'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}': {
        const c = this.issueComments.find((x) => String(x.id) === params.comment_id);
        if (!c) return { status: 404, body: { message: 'Not Found', status: '404' } };
        if (!account.canWrite)
          return forbid(
            'issues=write; pull_requests=write',
            'https://docs.github.com/rest/issues/comments#update-an-issue-comment',
          );
        if (String(body.body).length > 65536)
          return { status: 422, body: BODY_TOO_LONG.cases[0]!.body };
        c.body = String(body.body);
        c.updated_at = new Date(Date.UTC(2026, 0, 2)).toISOString().replace('.000', '');
        return { status: 200, body: c };
      }
      case 'DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}': {
        const i = this.issueComments.findIndex((x) => String(x.id) === params.comment_id);
        if (i === -1) return { status: 404, body: { message: 'Not Found', status: '404' } };
        if (!account.canWrite)
          return forbid(
            'issues=write; pull_requests=write',
            'https://docs.github.com/rest/issues/comments#delete-an-issue-comment',
          );
        this.issueComments.splice(i, 1);
        return { status: 204, body: undefined };
      }
      case 'POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews':
        return this.createReview(body, account, forbid);
      case 'POST /repos/{owner}/{repo}/pulls/{pull_number}/comments': {
        if (!account.canWrite)
          return forbid(
            'pull_requests=write',
            'https://docs.github.com/rest/pulls/comments#create-a-review-comment-for-a-pull-request',
          );
        if (!this.inDiff(String(body.path), Number(body.line)))
          return { status: 422, body: SAMPLES.cases[0]!.body };
        const c = this.reviewComment(body, null, account);
        this.reviewComments.push(c);
        return { status: 201, body: c };
      }
      default: {
        const reply = this.model.answer(op, record, params, account, this.tools(forbid));
        if (reply) return reply;
        this.violations.push(`${op}: the stand-in does not implement it`);
        return { status: 501, body: { message: 'Not implemented by the stand-in' } };
      }
    }
  }

  /** What the repository model borrows to build replies. */
  tools(
    forbid: (
      p: string,
      d: string,
    ) => { status: number; body: unknown; headers: Record<string, string> } = (p, d) => ({
      status: 403,
      body: {
        message: 'Resource not accessible by integration',
        documentation_url: d,
        status: '403',
      },
      headers: { 'x-accepted-github-permissions': p },
    }),
  ): ReplyTools {
    return {
      example,
      user: (a) => this.user(a),
      page: (r, items) => this.page(r, items),
      forbid,
      owner: this.options.owner,
      repo: this.options.repo,
    };
  }

  private createReview(
    body: Json,
    account: Account,
    forbid: (
      p: string,
      d: string,
    ) => { status: number; body: unknown; headers: Record<string, string> },
  ) {
    if (!account.canWrite)
      return forbid(
        'pull_requests=write',
        'https://docs.github.com/rest/pulls/reviews#create-a-review-for-a-pull-request',
      );
    const comments = (body.comments as Json[] | undefined) ?? [];
    // The whole review is refused when one line is outside the diff (strings envelope).
    if (comments.some((c) => !this.inDiff(String(c.path), Number(c.line))))
      return { status: 422, body: SAMPLES.cases[4]!.body };
    const review = example('pull-request-review');
    const id = this.nextId++;
    Object.assign(review, {
      id,
      node_id: `PRR_${id}`,
      user: this.user(account),
      body: String(body.body ?? ''),
      state: 'COMMENTED',
      commit_id: String(body.commit_id),
      html_url: `https://github.com/${this.options.owner}/${this.options.repo}/pull/${this.options.pull}#pullrequestreview-${id}`,
    });
    this.reviews.push(review);
    for (const c of comments)
      this.reviewComments.push(
        this.reviewComment({ ...c, commit_id: body.commit_id }, id, account),
      );
    return { status: 200, body: review };
  }

  /** Head-side lines shown in the file's hunks: where GitHub accepts a review comment. */
  private inDiff(file: string, line: number): boolean {
    const f = this.options.files.find((x) => x.filename === file);
    if (!f?.patch) return false;
    let right = 0;
    for (const l of f.patch.split('\n')) {
      const h = /^@@ -\d+(?:,\d+)? \+(\d+)/.exec(l);
      if (h) {
        right = Number(h[1]);
        continue;
      }
      if (l.startsWith('-') || l.startsWith('\\')) continue;
      if (right === line) return true;
      right++;
    }
    return false;
  }

  private page(
    record: RecordedRequest,
    items: unknown[],
  ): { status: number; body: unknown; headers: Record<string, string> } {
    const perPage = Math.min(Number(record.query.per_page ?? 30), 100);
    const page = Number(record.query.page ?? 1);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const link = (p: number, rel: string) => {
      const u = new URL(record.path, this.origin);
      u.searchParams.set('per_page', String(perPage));
      u.searchParams.set('page', String(p));
      return `<${u.href}>; rel="${rel}"`;
    };
    const links = [
      ...(page > 1 ? [link(page - 1, 'prev')] : []),
      ...(page < last ? [link(page + 1, 'next'), link(last, 'last')] : []),
      ...(page > 1 ? [link(1, 'first')] : []),
    ];
    return {
      status: 200,
      body: items.slice((page - 1) * perPage, page * perPage),
      headers: links.length > 0 ? { link: links.join(', ') } : ({} as Record<string, string>),
    };
  }

  private user(account: Omit<Account, 'canWrite'>): Json {
    const u = example('issue-comment').user as Json;
    const login = account.login;
    const api = `https://api.github.com/users/${encodeURIComponent(login)}`;
    return {
      ...u,
      login,
      id: account.id,
      node_id: `${account.type === 'Bot' ? 'MDM6Qm90' : 'MDQ6VXNlcj'}${account.id}`,
      avatar_url: `https://avatars.githubusercontent.com/u/${account.id}?v=4`,
      url: api,
      html_url:
        account.type === 'Bot'
          ? `https://github.com/apps/${login.replace(/\[bot\]$/, '')}`
          : `https://github.com/${login}`,
      followers_url: `${api}/followers`,
      following_url: `${api}/following{/other_user}`,
      gists_url: `${api}/gists{/gist_id}`,
      starred_url: `${api}/starred{/owner}{/repo}`,
      subscriptions_url: `${api}/subscriptions`,
      organizations_url: `${api}/orgs`,
      repos_url: `${api}/repos`,
      events_url: `${api}/events{/privacy}`,
      received_events_url: `${api}/received_events`,
      type: account.type,
    };
  }

  private issueComment(
    body: string,
    account: Omit<Account, 'canWrite'>,
    number = this.options.pull,
  ): Json {
    const c = example('issue-comment');
    const id = this.nextId++;
    const { owner, repo } = this.options;
    const pull = number;
    return Object.assign(c, {
      id,
      node_id: `IC_${id}`,
      url: `https://api.github.com/repos/${owner}/${repo}/issues/comments/${id}`,
      html_url: `https://github.com/${owner}/${repo}/${this.model.has(pull) && !this.model.pulls.some((p) => p.number === pull) ? 'issues' : 'pull'}/${pull}#issuecomment-${id}`,
      issue_url: `https://api.github.com/repos/${owner}/${repo}/issues/${pull}`,
      body,
      user: this.user(account),
      author_association: account.type === 'Bot' ? 'NONE' : 'CONTRIBUTOR',
      created_at: '2026-01-01T00:00:00Z',
      updated_at: '2026-01-01T00:00:00Z',
    });
  }

  private reviewComment(
    body: Json,
    reviewId: number | null,
    account: Omit<Account, 'canWrite'>,
  ): Json {
    const c = example('pull-request-review-comment');
    const id = this.nextId++;
    const { owner, repo, pull } = this.options;
    delete c.in_reply_to_id;
    return Object.assign(c, {
      id,
      node_id: `PRRC_${id}`,
      pull_request_review_id: reviewId ?? this.nextId++,
      url: `https://api.github.com/repos/${owner}/${repo}/pulls/comments/${id}`,
      html_url: `https://github.com/${owner}/${repo}/pull/${pull}#discussion_r${id}`,
      path: String(body.path),
      line: Number(body.line),
      original_line: Number(body.line),
      side: 'RIGHT',
      commit_id: String(body.commit_id),
      original_commit_id: String(body.commit_id),
      body: String(body.body),
      user: this.user(account),
      author_association: 'NONE',
    });
  }

  private diffEntry(f: PrFile): Json {
    const e = example('diff-entry-items') as unknown as Json[];
    const entry = { ...e[0]! };
    const lines = f.patch?.split('\n') ?? [];
    const additions = lines.filter((l) => l.startsWith('+')).length;
    const deletions = lines.filter((l) => l.startsWith('-')).length;
    const enc = f.filename.split('/').map(encodeURIComponent).join('/');
    const { owner, repo } = this.options;
    Object.assign(entry, {
      filename: f.filename,
      status: f.status,
      additions,
      deletions,
      changes: additions + deletions,
      blob_url: `https://github.com/${owner}/${repo}/blob/ec26c3e57ca3a959ca5aad62de7213c562f8c821/${enc}`,
      raw_url: `https://github.com/${owner}/${repo}/raw/ec26c3e57ca3a959ca5aad62de7213c562f8c821/${enc}`,
      contents_url: `https://api.github.com/repos/${owner}/${repo}/contents/${enc}?ref=ec26c3e57ca3a959ca5aad62de7213c562f8c821`,
    });
    if (f.patch === undefined) delete entry.patch;
    else entry.patch = f.patch;
    if (f.previous_filename) entry.previous_filename = f.previous_filename;
    return entry;
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

/** A patch for a new file: every line added. */
export function addedFilePatch(text: string): string {
  const lines = text.replace(/\n$/, '').split('\n');
  return [`@@ -0,0 +1,${lines.length} @@`, ...lines.map((l) => `+${l}`)].join('\n');
}

/**
 * A patch for a modified file whose head lines `from..to` (1-based, inclusive) replaced one old
 * line each, with three lines of context either side, as `git diff` writes it.
 */
export function modifiedFilePatch(head: string, from: number, to: number, old: string[]): string {
  const lines = head.replace(/\n$/, '').split('\n');
  const start = Math.max(1, from - 3);
  const end = Math.min(lines.length, to + 3);
  const before = lines.slice(start - 1, from - 1).map((l) => ` ${l}`);
  const changed = lines.slice(from - 1, to);
  const after = lines.slice(to, end).map((l) => ` ${l}`);
  const count = end - start + 1;
  const oldCount = count - changed.length + old.length;
  return [
    `@@ -${start},${oldCount} +${start},${count} @@`,
    ...before,
    ...old.map((l) => `-${l}`),
    ...changed.map((l) => `+${l}`),
    ...after,
  ].join('\n');
}
