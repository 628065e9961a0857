/**
 * The repository behind the GitHub stand-in (test/github/stand-in.ts) for drift runs: issues and
 * labels, pull requests opened from branches, collaborator permissions, reactions, and git
 * objects served through the Git Data API (refs, commits, trees, blobs). Object ids are real git
 * hashes (`git hash-object` for blobs, tree and commit objects hashed as git does), so a client
 * that compares contents by blob sha sees what it would see on GitHub.
 *
 * Response bodies start from the `components.examples` of GitHub's OpenAPI description and are
 * checked against its response schemas by the stand-in on every request.
 */
import { createHash } from 'node:crypto';
import type { RecordedRequest } from './stand-in.js';

type Json = Record<string, unknown>;

export interface ModelAccount {
  login: string;
  id: number;
  type: 'Bot' | 'User';
  canWrite: boolean;
}

export interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** What the stand-in lends the model to build replies. */
export interface ReplyTools {
  example(name: string): Json;
  user(account: Omit<ModelAccount, 'canWrite'>): Json;
  page(record: RecordedRequest, items: unknown[]): Reply;
  forbid(permissions: string, docs: string): Reply;
  owner: string;
  repo: string;
}

interface Entry {
  name: string;
  mode: string;
  type: 'blob' | 'tree';
  sha: string;
}

interface Commit {
  sha: string;
  tree: string;
  parents: string[];
  message: string;
}

const EPOCH = '2026-01-01T00:00:00Z';
const notFound = (): Reply => ({ status: 404, body: { message: 'Not Found', status: '404' } });

export function gitHash(kind: 'blob' | 'tree' | 'commit', content: Buffer): string {
  return createHash('sha1')
    .update(Buffer.concat([Buffer.from(`${kind} ${content.length}\0`), content]))
    .digest('hex');
}

export class RepoModel {
  readonly blobs = new Map<string, Buffer>();
  readonly trees = new Map<string, Entry[]>();
  readonly commits = new Map<string, Commit>();
  readonly refs = new Map<string, string>();
  /** Issues and pull requests share one numbering, as on GitHub. */
  readonly issues: Json[] = [];
  readonly pulls: Json[] = [];
  readonly labels: Json[] = [];
  readonly reactions: { commentId: number; content: string; login: string }[] = [];
  /** login → `admin` | `write` | `read` (others: 404, not a collaborator). */
  readonly permissions = new Map<string, string>();
  defaultBranch = 'main';
  /** false: "Allow GitHub Actions to create and approve pull requests" is off. */
  actionsMayCreatePullRequests = true;
  private nextNumber = 10;
  private nextId = 50_000;

  /** Issue and pull request numbers this model answers for. */
  has(number: number): boolean {
    return this.issues.some((i) => i.number === number);
  }

  /** Writes `files` (path → text) as a commit on `branch` (created when missing). */
  commitFiles(
    branch: string,
    files: Record<string, string | Buffer | null>,
    message = 'Update files',
  ): string {
    const parent = this.refs.get(`heads/${branch}`) ?? null;
    const flat = parent
      ? this.flatten(this.commits.get(parent)!.tree)
      : new Map<string, { mode: string; sha: string }>();
    for (const [path, content] of Object.entries(files)) {
      if (content === null) flat.delete(path);
      else
        flat.set(path, {
          mode: flat.get(path)?.mode ?? '100644',
          sha: this.putBlob(Buffer.from(content)),
        });
    }
    const sha = this.putCommit(this.buildTree(flat), parent ? [parent] : [], message);
    this.refs.set(`heads/${branch}`, sha);
    return sha;
  }

  /** A file's bytes at a branch or commit; null when absent. */
  file(refOrSha: string, path: string): Buffer | null {
    const sha = this.refs.get(`heads/${refOrSha}`) ?? refOrSha;
    const commit = this.commits.get(sha);
    if (!commit) return null;
    const entry = this.flatten(commit.tree).get(path);
    return entry ? (this.blobs.get(entry.sha) ?? null) : null;
  }

  /** Merges a pull request as GitHub's "Create a merge commit" does, and closes it. */
  merge(number: number): string {
    const pr = this.pulls.find((p) => p.number === number)!;
    const head = (pr.head as Json).sha as string;
    const base = this.refs.get(`heads/${this.defaultBranch}`)!;
    const sha = this.putCommit(
      this.commits.get(head)!.tree,
      [base, head],
      `Merge pull request #${number}`,
    );
    this.refs.set(`heads/${this.defaultBranch}`, sha);
    Object.assign(pr, {
      state: 'closed',
      merged_at: EPOCH,
      closed_at: EPOCH,
      merge_commit_sha: sha,
      merged: true,
    });
    const issue = this.issues.find((i) => i.number === number)!;
    Object.assign(issue, { state: 'closed', closed_at: EPOCH });
    return sha;
  }

  /** A person's issue (or an earlier run's), as if created before the test. */
  seedIssue(tools: ReplyTools, account: Omit<ModelAccount, 'canWrite'>, fields: Json): Json {
    const issue = this.newIssue(tools, account, fields);
    this.issues.push(issue);
    return issue;
  }

  /** A pull request opened before the test, under a number of the test's choosing. */
  seedPull(
    tools: ReplyTools,
    account: ModelAccount,
    number: number,
    fields: { title: string; head: string; headSha: string; base: string },
  ): Json {
    const saved = this.nextNumber;
    this.nextNumber = number;
    const pr = this.newPull(tools, account, fields, fields.headSha);
    this.nextNumber = saved;
    return pr;
  }

  answer(
    op: string,
    record: RecordedRequest,
    params: Record<string, string>,
    account: ModelAccount,
    tools: ReplyTools,
  ): Reply | null {
    const body = (record.body ?? {}) as Json;
    const q = record.query;
    const ownerRepo = `${tools.owner}/${tools.repo}`;
    switch (op) {
      case 'GET /repos/{owner}/{repo}':
        return { status: 200, body: this.repository(tools) };
      case 'GET /repos/{owner}/{repo}/collaborators/{username}/permission': {
        const permission = this.permissions.get(params.username!);
        if (!permission) return notFound();
        const ex = tools.example(
          'repository-collaborator-permission-response-if-user-has-admin-permissions',
        );
        return {
          status: 200,
          body: {
            ...ex,
            permission,
            role_name: permission,
            user: { ...(ex.user as Json), login: params.username, role_name: permission },
          },
        };
      }
      case 'POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions': {
        if (!account.canWrite)
          return tools.forbid(
            'issues=write; pull_requests=write',
            'https://docs.github.com/rest/reactions/reactions#create-reaction-for-an-issue-comment',
          );
        this.reactions.push({
          commentId: Number(params.comment_id),
          content: String(body.content),
          login: account.login,
        });
        return {
          status: 201,
          body: {
            ...tools.example('reaction'),
            id: this.nextId++,
            content: body.content,
            user: tools.user(account),
          },
        };
      }
      // Issues
      case 'GET /repos/{owner}/{repo}/issues': {
        const state = q.state ?? 'open';
        const labels = q.labels ? q.labels.split(',') : [];
        let list = this.issues.filter((i) => state === 'all' || i.state === state);
        if (q.creator)
          list = list.filter(
            (i) => ((i.user as Json).login as string).toLowerCase() === q.creator!.toLowerCase(),
          );
        if (labels.length > 0)
          list = list.filter((i) =>
            labels.every((l) => (i.labels as Json[]).some((x) => x.name === l)),
          );
        list = [...list].sort((a, b) => (a.number as number) - (b.number as number));
        if ((q.direction ?? 'desc') === 'desc') list.reverse();
        return tools.page(record, list);
      }
      case 'POST /repos/{owner}/{repo}/issues': {
        if (!account.canWrite)
          return tools.forbid(
            'issues=write',
            'https://docs.github.com/rest/issues/issues#create-an-issue',
          );
        if (String(body.body ?? '').length > 65536) return bodyTooLong();
        const issue = this.newIssue(tools, account, { title: body.title, body: body.body ?? null });
        issue.labels = ((body.labels as string[] | undefined) ?? []).map((n) =>
          this.label(tools, n),
        );
        this.issues.push(issue);
        return { status: 201, body: issue, headers: { location: String(issue.url) } };
      }
      case 'GET /repos/{owner}/{repo}/issues/{issue_number}': {
        const issue = this.issues.find((i) => String(i.number) === params.issue_number);
        return issue ? { status: 200, body: issue } : notFound();
      }
      case 'PATCH /repos/{owner}/{repo}/issues/{issue_number}': {
        const issue = this.issues.find((i) => String(i.number) === params.issue_number);
        if (!issue) return notFound();
        if (!account.canWrite)
          return tools.forbid(
            'issues=write',
            'https://docs.github.com/rest/issues/issues#update-an-issue',
          );
        if (body.body !== undefined && String(body.body).length > 65536) return bodyTooLong();
        for (const k of ['title', 'body'] as const) if (body[k] !== undefined) issue[k] = body[k];
        if (body.state !== undefined && body.state !== issue.state) {
          issue.state = body.state;
          issue.state_reason =
            body.state === 'closed' ? (body.state_reason ?? 'completed') : 'reopened';
          issue.closed_at = body.state === 'closed' ? EPOCH : null;
        }
        issue.updated_at = '2026-01-02T00:00:00Z';
        return { status: 200, body: issue };
      }
      case 'POST /repos/{owner}/{repo}/issues/{issue_number}/labels': {
        const issue = this.issues.find((i) => String(i.number) === params.issue_number);
        if (!issue) return notFound();
        if (!account.canWrite)
          return tools.forbid(
            'issues=write',
            'https://docs.github.com/rest/issues/labels#add-labels-to-an-issue',
          );
        for (const n of (body.labels as string[] | undefined) ?? [])
          if (!(issue.labels as Json[]).some((l) => l.name === n))
            (issue.labels as Json[]).push(this.label(tools, n));
        return { status: 200, body: issue.labels };
      }
      // Pull requests
      case 'GET /repos/{owner}/{repo}/pulls': {
        const state = q.state ?? 'open';
        let list = this.pulls.filter((p) => state === 'all' || p.state === state);
        if (q.head) list = list.filter((p) => (p.head as Json).label === q.head);
        if (q.base) list = list.filter((p) => (p.base as Json).ref === q.base);
        return tools.page(
          record,
          list.map((p) => this.simple(p)),
        );
      }
      case 'GET /repos/{owner}/{repo}/pulls/{pull_number}': {
        const pr = this.pulls.find((p) => String(p.number) === params.pull_number);
        return pr ? { status: 200, body: pr } : null;
      }
      case 'POST /repos/{owner}/{repo}/pulls': {
        if (!account.canWrite)
          return tools.forbid(
            'pull_requests=write',
            'https://docs.github.com/rest/pulls/pulls#create-a-pull-request',
          );
        if (!this.actionsMayCreatePullRequests && account.login === 'github-actions[bot]')
          return {
            status: 403,
            body: {
              message: 'GitHub Actions is not permitted to create or approve pull requests.',
              documentation_url: 'https://docs.github.com/rest/pulls/pulls#create-a-pull-request',
              status: '403',
            },
          };
        const head = this.refs.get(`heads/${String(body.head)}`);
        if (!head)
          return {
            status: 422,
            body: {
              message: 'Validation Failed',
              errors: [{ resource: 'PullRequest', field: 'head', code: 'invalid' }],
              documentation_url: 'https://docs.github.com/rest/pulls/pulls#create-a-pull-request',
              status: '422',
            },
          };
        const label = `${tools.owner}:${String(body.head)}`;
        if (this.pulls.some((p) => p.state === 'open' && (p.head as Json).label === label))
          return {
            status: 422,
            body: {
              message: 'Validation Failed',
              errors: [
                {
                  resource: 'PullRequest',
                  code: 'custom',
                  message: `A pull request already exists for ${label}.`,
                },
              ],
              documentation_url: 'https://docs.github.com/rest/pulls/pulls#create-a-pull-request',
              status: '422',
            },
          };
        const pr = this.newPull(tools, account, body, head);
        return { status: 201, body: pr, headers: { location: String(pr.url) } };
      }
      case 'PATCH /repos/{owner}/{repo}/pulls/{pull_number}': {
        const pr = this.pulls.find((p) => String(p.number) === params.pull_number);
        if (!pr) return notFound();
        if (!account.canWrite)
          return tools.forbid(
            'pull_requests=write',
            'https://docs.github.com/rest/pulls/pulls#update-a-pull-request',
          );
        for (const k of ['title', 'body', 'state'] as const)
          if (body[k] !== undefined) pr[k] = body[k];
        const issue = this.issues.find((i) => i.number === pr.number)!;
        Object.assign(issue, { title: pr.title, body: pr.body, state: pr.state });
        if (body.state === 'closed') pr.closed_at = EPOCH;
        return { status: 200, body: pr };
      }
      // Git data
      case 'GET /repos/{owner}/{repo}/git/ref/{ref}': {
        const sha = this.refs.get(params.ref!);
        return sha ? { status: 200, body: this.ref(tools, params.ref!, sha) } : notFound();
      }
      case 'POST /repos/{owner}/{repo}/git/refs': {
        if (!account.canWrite)
          return tools.forbid(
            'contents=write',
            'https://docs.github.com/rest/git/refs#create-a-reference',
          );
        const ref = String(body.ref).replace(/^refs\//, '');
        if (this.refs.has(ref))
          return {
            status: 422,
            body: {
              message: 'Reference already exists',
              documentation_url: 'https://docs.github.com/rest/git/refs#create-a-reference',
              status: '422',
            },
          };
        if (!this.commits.has(String(body.sha)))
          return { status: 422, body: { message: 'Object does not exist', status: '422' } };
        this.refs.set(ref, String(body.sha));
        return { status: 201, body: this.ref(tools, ref, String(body.sha)) };
      }
      case 'PATCH /repos/{owner}/{repo}/git/refs/{ref}': {
        if (!account.canWrite)
          return tools.forbid(
            'contents=write',
            'https://docs.github.com/rest/git/refs#update-a-reference',
          );
        const old = this.refs.get(params.ref!);
        if (!old)
          return { status: 422, body: { message: 'Reference does not exist', status: '422' } };
        const sha = String(body.sha);
        if (!this.commits.has(sha))
          return { status: 422, body: { message: 'Object does not exist', status: '422' } };
        if (body.force !== true && !this.isAncestor(old, sha))
          return { status: 422, body: { message: 'Update is not a fast forward', status: '422' } };
        this.refs.set(params.ref!, sha);
        for (const pr of this.pulls)
          if (pr.state === 'open' && `heads/${String((pr.head as Json).ref)}` === params.ref)
            (pr.head as Json).sha = sha;
        return { status: 200, body: this.ref(tools, params.ref!, sha) };
      }
      case 'DELETE /repos/{owner}/{repo}/git/refs/{ref}': {
        if (!account.canWrite)
          return tools.forbid(
            'contents=write',
            'https://docs.github.com/rest/git/refs#delete-a-reference',
          );
        if (!this.refs.delete(params.ref!))
          return { status: 422, body: { message: 'Reference does not exist', status: '422' } };
        return { status: 204, body: undefined };
      }
      case 'GET /repos/{owner}/{repo}/git/commits/{commit_sha}': {
        const c = this.commits.get(params.commit_sha!);
        return c ? { status: 200, body: this.commitBody(tools, c) } : notFound();
      }
      case 'POST /repos/{owner}/{repo}/git/commits': {
        if (!account.canWrite)
          return tools.forbid(
            'contents=write',
            'https://docs.github.com/rest/git/commits#create-a-commit',
          );
        if (!this.trees.has(String(body.tree)))
          return { status: 422, body: { message: 'Tree SHA does not exist', status: '422' } };
        const sha = this.putCommit(
          String(body.tree),
          (body.parents as string[]) ?? [],
          String(body.message),
        );
        return {
          status: 201,
          body: this.commitBody(tools, this.commits.get(sha)!),
          headers: { location: `https://api.github.com/repos/${ownerRepo}/git/commits/${sha}` },
        };
      }
      case 'GET /repos/{owner}/{repo}/git/trees/{tree_sha}': {
        const entries = this.trees.get(params.tree_sha!);
        return entries
          ? { status: 200, body: this.treeBody(tools, params.tree_sha!, entries) }
          : notFound();
      }
      case 'POST /repos/{owner}/{repo}/git/trees': {
        if (!account.canWrite)
          return tools.forbid(
            'contents=write',
            'https://docs.github.com/rest/git/trees#create-a-tree',
          );
        const flat = body.base_tree
          ? this.flatten(String(body.base_tree))
          : new Map<string, { mode: string; sha: string }>();
        for (const e of (body.tree as Json[]) ?? []) {
          const sha =
            e.content !== undefined ? this.putBlob(Buffer.from(String(e.content))) : String(e.sha);
          if (!this.blobs.has(sha))
            return { status: 422, body: { message: 'Invalid tree info', status: '422' } };
          flat.set(String(e.path), { mode: String(e.mode), sha });
        }
        const tree = this.buildTree(flat);
        return { status: 201, body: this.treeBody(tools, tree, this.trees.get(tree)!) };
      }
      case 'GET /repos/{owner}/{repo}/git/blobs/{file_sha}': {
        const blob = this.blobs.get(params.file_sha!);
        if (!blob) return notFound();
        return {
          status: 200,
          body: {
            ...tools.example('blob'),
            sha: params.file_sha,
            size: blob.length,
            content: blob.toString('base64'),
            encoding: 'base64',
            url: `https://api.github.com/repos/${ownerRepo}/git/blobs/${params.file_sha}`,
            node_id: `B_${params.file_sha}`,
          },
        };
      }
      case 'POST /repos/{owner}/{repo}/git/blobs': {
        if (!account.canWrite)
          return tools.forbid(
            'contents=write',
            'https://docs.github.com/rest/git/blobs#create-a-blob',
          );
        const bytes =
          body.encoding === 'base64'
            ? Buffer.from(String(body.content), 'base64')
            : Buffer.from(String(body.content));
        const sha = this.putBlob(bytes);
        return {
          status: 201,
          body: { url: `https://api.github.com/repos/${ownerRepo}/git/blobs/${sha}`, sha },
        };
      }
      default:
        return null;
    }
  }

  private putBlob(bytes: Buffer): string {
    const sha = gitHash('blob', bytes);
    this.blobs.set(sha, bytes);
    return sha;
  }

  /** Nested tree objects from a flat path → blob map; returns the root tree's sha. */
  private buildTree(flat: Map<string, { mode: string; sha: string }>, prefix = ''): string {
    const entries: Entry[] = [];
    const dirs = new Set<string>();
    for (const [path, e] of flat) {
      if (!path.startsWith(prefix)) continue;
      const rest = path.slice(prefix.length);
      const slash = rest.indexOf('/');
      if (slash < 0) entries.push({ name: rest, mode: e.mode, type: 'blob', sha: e.sha });
      else dirs.add(rest.slice(0, slash));
    }
    for (const d of dirs)
      entries.push({
        name: d,
        mode: '040000',
        type: 'tree',
        sha: this.buildTree(flat, `${prefix}${d}/`),
      });
    // git orders entries by name, a folder as if its name ended in "/".
    entries.sort((a, b) => {
      const x = a.type === 'tree' ? `${a.name}/` : a.name;
      const y = b.type === 'tree' ? `${b.name}/` : b.name;
      return x < y ? -1 : x > y ? 1 : 0;
    });
    const object = Buffer.concat(
      entries.flatMap((e) => [
        Buffer.from(`${e.mode === '040000' ? '40000' : e.mode} ${e.name}\0`),
        Buffer.from(e.sha, 'hex'),
      ]),
    );
    const sha = gitHash('tree', object);
    this.trees.set(sha, entries);
    return sha;
  }

  private flatten(
    tree: string,
    prefix = '',
    out = new Map<string, { mode: string; sha: string }>(),
  ) {
    for (const e of this.trees.get(tree) ?? []) {
      if (e.type === 'tree') this.flatten(e.sha, `${prefix}${e.name}/`, out);
      else out.set(`${prefix}${e.name}`, { mode: e.mode, sha: e.sha });
    }
    return out;
  }

  private putCommit(tree: string, parents: string[], message: string): string {
    const who =
      'github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com> 1767225600 +0000';
    const text = [
      `tree ${tree}`,
      ...parents.map((p) => `parent ${p}`),
      `author ${who}`,
      `committer ${who}`,
      '',
      message,
    ].join('\n');
    const sha = gitHash('commit', Buffer.from(text));
    this.commits.set(sha, { sha, tree, parents, message });
    return sha;
  }

  private isAncestor(ancestor: string, sha: string): boolean {
    const seen = new Set<string>();
    const stack = [sha];
    while (stack.length > 0) {
      const s = stack.pop()!;
      if (s === ancestor) return true;
      if (seen.has(s)) continue;
      seen.add(s);
      stack.push(...(this.commits.get(s)?.parents ?? []));
    }
    return false;
  }

  private ref(tools: ReplyTools, ref: string, sha: string): Json {
    const base = `https://api.github.com/repos/${tools.owner}/${tools.repo}`;
    return {
      ...tools.example('git-ref'),
      ref: `refs/${ref}`,
      node_id: `REF_${Buffer.from(ref).toString('base64')}`,
      url: `${base}/git/refs/${ref}`,
      object: { type: 'commit', sha, url: `${base}/git/commits/${sha}` },
    };
  }

  private commitBody(tools: ReplyTools, c: Commit): Json {
    const base = `https://api.github.com/repos/${tools.owner}/${tools.repo}`;
    const ex = tools.example('git-commit');
    const person = {
      date: EPOCH,
      name: 'github-actions[bot]',
      email: '41898282+github-actions[bot]@users.noreply.github.com',
    };
    return {
      ...ex,
      sha: c.sha,
      node_id: `C_${c.sha}`,
      url: `${base}/git/commits/${c.sha}`,
      html_url: `https://github.com/${tools.owner}/${tools.repo}/commit/${c.sha}`,
      author: person,
      committer: person,
      message: c.message,
      tree: { sha: c.tree, url: `${base}/git/trees/${c.tree}` },
      parents: c.parents.map((p) => ({
        sha: p,
        url: `${base}/git/commits/${p}`,
        html_url: `https://github.com/${tools.owner}/${tools.repo}/commit/${p}`,
      })),
    };
  }

  private treeBody(tools: ReplyTools, sha: string, entries: Entry[]): Json {
    const base = `https://api.github.com/repos/${tools.owner}/${tools.repo}`;
    return {
      sha,
      url: `${base}/git/trees/${sha}`,
      tree: entries.map((e) => ({
        path: e.name,
        mode: e.mode,
        type: e.type,
        sha: e.sha,
        ...(e.type === 'blob'
          ? { size: this.blobs.get(e.sha)?.length ?? 0, url: `${base}/git/blobs/${e.sha}` }
          : { url: `${base}/git/trees/${e.sha}` }),
      })),
      truncated: false,
    };
  }

  private repository(tools: ReplyTools): Json {
    const repo = tools.example('full-repository');
    return {
      ...repo,
      name: tools.repo,
      full_name: `${tools.owner}/${tools.repo}`,
      default_branch: this.defaultBranch,
      // Required by the response schema, absent from its example.
      has_discussions: false,
    };
  }

  private label(tools: ReplyTools, name: string): Json {
    let label = this.labels.find((l) => l.name === name);
    if (!label) {
      // GitHub creates a label it does not know yet when an issue is given one.
      label = {
        ...tools.example('label'),
        id: this.nextId++,
        name,
        node_id: `LA_${name}`,
        url: `https://api.github.com/repos/${tools.owner}/${tools.repo}/labels/${encodeURIComponent(name)}`,
        description: null,
        color: 'ededed',
        default: false,
      };
      this.labels.push(label);
    }
    return label;
  }

  private newIssue(tools: ReplyTools, account: Omit<ModelAccount, 'canWrite'>, fields: Json): Json {
    const number = this.nextNumber++;
    const api = `https://api.github.com/repos/${tools.owner}/${tools.repo}`;
    const ex = tools.example('issue');
    delete ex.pull_request;
    delete ex.pinned_comment;
    return Object.assign(ex, {
      id: this.nextId++,
      node_id: `I_${number}`,
      url: `${api}/issues/${number}`,
      repository_url: api,
      labels_url: `${api}/issues/${number}/labels{/name}`,
      comments_url: `${api}/issues/${number}/comments`,
      events_url: `${api}/issues/${number}/events`,
      html_url: `https://github.com/${tools.owner}/${tools.repo}/issues/${number}`,
      number,
      state: 'open',
      state_reason: null,
      title: '',
      body: null,
      user: tools.user(account),
      labels: [],
      assignee: null,
      assignees: [],
      milestone: null,
      locked: false,
      comments: 0,
      closed_at: null,
      closed_by: null,
      created_at: EPOCH,
      updated_at: EPOCH,
      author_association: account.type === 'Bot' ? 'NONE' : 'OWNER',
      ...fields,
    });
  }

  private newPull(tools: ReplyTools, account: ModelAccount, body: Json, headSha: string): Json {
    const issue = this.newIssue(tools, account, { title: body.title, body: body.body ?? null });
    const number = issue.number as number;
    const html = `https://github.com/${tools.owner}/${tools.repo}/pull/${number}`;
    issue.html_url = html;
    issue.pull_request = {
      url: `https://api.github.com/repos/${tools.owner}/${tools.repo}/pulls/${number}`,
      html_url: html,
      diff_url: `${html}.diff`,
      patch_url: `${html}.patch`,
      merged_at: null,
    };
    this.issues.push(issue);
    const ex = tools.example('pull-request');
    const repoJson = {
      ...((ex.head as Json).repo as Json),
      name: tools.repo,
      full_name: `${tools.owner}/${tools.repo}`,
    };
    const side = (ref: string, sha: string) => ({
      ...(ex.head as Json),
      label: `${tools.owner}:${ref}`,
      ref,
      sha,
      repo: repoJson,
    });
    const pr = Object.assign(ex, {
      id: this.nextId++,
      node_id: `PR_${number}`,
      url: `https://api.github.com/repos/${tools.owner}/${tools.repo}/pulls/${number}`,
      html_url: html,
      issue_url: issue.url,
      number,
      state: 'open',
      title: body.title,
      body: body.body ?? null,
      user: tools.user(account),
      labels: [],
      milestone: null,
      assignee: null,
      assignees: [],
      requested_reviewers: [],
      requested_teams: [],
      created_at: EPOCH,
      updated_at: EPOCH,
      closed_at: null,
      merged_at: null,
      merge_commit_sha: null,
      merged: false,
      merged_by: null,
      draft: false,
      head: side(String(body.head), headSha),
      base: side(String(body.base), this.refs.get(`heads/${String(body.base)}`) ?? ''),
      author_association: 'NONE',
      auto_merge: null,
    });
    this.pulls.push(pr);
    return pr;
  }

  /** The list form of a pull request (`pull-request-simple`). */
  private simple(pr: Json): Json {
    const detailOnly = [
      'merged',
      'mergeable',
      'rebaseable',
      'mergeable_state',
      'merged_by',
      'comments',
      'review_comments',
      'maintainer_can_modify',
      'commits',
      'additions',
      'deletions',
      'changed_files',
    ];
    return Object.fromEntries(Object.entries(pr).filter(([k]) => !detailOnly.includes(k)));
  }
}

function bodyTooLong(): Reply {
  return {
    status: 422,
    body: {
      message: 'Validation Failed',
      errors: [
        {
          resource: 'Issue',
          code: 'custom',
          field: 'body',
          message: 'body is too long (maximum is 65536 characters)',
        },
      ],
      documentation_url: 'https://docs.github.com/rest/issues/issues#create-an-issue',
      status: '422',
    },
  };
}
