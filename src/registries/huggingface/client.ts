import { listFiles, pathsInfo } from '@huggingface/hub';
import type { HttpClient, HttpResponse } from '../http.js';
import {
  parseCommits,
  parseFileScan,
  parseRepoInfo,
  parseTreeEntry,
  type RepoInfo,
} from './schema.js';
import type { HubCommit, HubFile, HubKind, HubScanFile } from './types.js';

/** Why a Hub request did not give the answer asked for, by `x-error-code` and status. */
export type HubFailure =
  | { kind: 'not-found'; definitive: boolean; reason: string }
  | { kind: 'revision-not-found'; reason: string }
  | { kind: 'entry-not-found'; reason: string }
  | { kind: 'gated'; reason: string }
  | { kind: 'disabled'; reason: string }
  | { kind: 'unverified'; reason: string };

export type InfoOutcome = { kind: 'ok'; info: RepoInfo; redirects: string[] } | HubFailure;

export type CommitsOutcome =
  { kind: 'ok'; total: number | null; commits: HubCommit[]; redirects: string[] } | HubFailure;

/** Newest commits read in one request when measuring drift: most pins are within them. */
export const COMMIT_PAGE = 20;

/**
 * The Hub calls the registry makes, each memoised by its arguments so that an upstream is asked
 * once per run. Info and commits go through HttpClient.get directly, because the answer lives in
 * headers the Hub client drops (`x-error-code`, `x-total-count`, the 307 hops of a rename);
 * paths-info and paged tree listings go through @huggingface/hub with our fetch.
 */
export class HubClient {
  private readonly memo = new Map<string, Promise<unknown>>();

  constructor(
    private readonly http: HttpClient,
    readonly authenticated: boolean,
  ) {}

  /** Base URL as the Hub client wants it (a mirror may add a path prefix). */
  get hubUrl(): string {
    return this.http.url('');
  }

  /**
   * Model or dataset info at a revision, full default body: `cardData`, `createdAt`, `author`,
   * `siblings`. Models also get `blobs=true` (sizes and `lfs.sha256` per file) and
   * `securityStatus=true` (`securityRepoStatus`): one request answers almost every rule.
   * huggingface_hub refuses `expand` together with those two, so the default body it is.
   */
  info(kind: HubKind, id: string, revision: string): Promise<InfoOutcome> {
    return this.once(`info ${kind} ${id} ${revision}`, async () => {
      const query = kind === 'model' ? '?blobs=true&securityStatus=true' : '';
      const url = this.http.url(`${repoPath(kind, id)}/revision/${encodeURIComponent(revision)}`);
      const res = await this.safeGet(url + query);
      if ('reason' in res) return res;
      if (res.status !== 200) return classify(res, this.authenticated);
      const info = parseRepoInfo(res.json);
      if (!info.ok) return { kind: 'unverified', reason: `unexpected info answer: ${info.error}` };
      return { kind: 'ok', info: info.value, redirects: res.redirects };
    });
  }

  /** One page of history, newest first, with `x-total-count` (commits reachable from `rev`). */
  commits(kind: HubKind, id: string, revision: string, limit: number): Promise<CommitsOutcome> {
    return this.once(`commits ${kind} ${id} ${revision} ${limit}`, async () => {
      const url = this.http.url(
        `${repoPath(kind, id)}/commits/${encodeURIComponent(revision)}?limit=${limit}`,
      );
      const res = await this.safeGet(url);
      if ('reason' in res) return res;
      if (res.status !== 200) return classify(res, this.authenticated);
      const commits = parseCommits(res.json);
      if (!commits.ok)
        return { kind: 'unverified', reason: `unexpected commits answer: ${commits.error}` };
      const header = res.headers.get('x-total-count');
      const total = header !== null && /^\d+$/.test(header) ? Number(header) : null;
      return { kind: 'ok', total, commits: commits.value, redirects: res.redirects };
    });
  }

  /**
   * Per-file scan results for the files the repo status flags (one paths-info POST). Only asked
   * when something is flagged; null when the Hub would not say.
   */
  fileScans(
    kind: HubKind,
    id: string,
    sha: string,
    paths: string[],
  ): Promise<HubScanFile[] | null> {
    return this.once(`scans ${kind} ${id} ${sha} ${paths.join('\0')}`, async () => {
      try {
        const items = await pathsInfo({
          repo: { type: kind, name: id },
          paths,
          revision: sha,
          expand: true,
          hubUrl: this.hubUrl,
          fetch: this.http.fetch,
        });
        return items.flatMap((item) => {
          const scan = parseFileScan(item.path, item.securityFileStatus);
          return scan ? [scan] : [];
        });
      } catch {
        return null; // details only sharpen the message; the repo status already said enough
      }
    });
  }

  /**
   * Files directly inside `folder` at `sha`, every page (`Link` with an opaque cursor). Used for
   * dataset files, whose info we ask without `blobs` because datasets can hold 10^5 files.
   * `[]` when the folder does not exist (EntryNotFound), null when the Hub would not answer.
   */
  folder(kind: HubKind, id: string, sha: string, folder: string): Promise<HubFile[] | null> {
    return this.once(`tree ${kind} ${id} ${sha} ${folder}`, async () => {
      const out: HubFile[] = [];
      try {
        for await (const item of listFiles({
          repo: { type: kind, name: id },
          revision: sha,
          path: folder || undefined,
          hubUrl: this.hubUrl,
          fetch: this.http.fetch,
        })) {
          const entry = parseTreeEntry(item);
          if (!entry.ok) return null;
          if (entry.value) out.push(entry.value);
        }
        return out;
      } catch (error) {
        return (error as { statusCode?: number }).statusCode === 404 ? [] : null;
      }
    });
  }

  private once<T>(key: string, fn: () => Promise<T>): Promise<T> {
    let hit = this.memo.get(key) as Promise<T> | undefined;
    if (!hit) {
      hit = fn();
      this.memo.set(key, hit);
    }
    return hit;
  }

  /** GET that never throws: a network failure is an unverified outcome. */
  private async safeGet(
    url: string,
  ): Promise<(HttpResponse & { json: unknown }) | { kind: 'unverified'; reason: string }> {
    try {
      return await this.http.getJson(url);
    } catch (error) {
      // "GET <url> failed: " adds nothing to a finding that already names the upstream.
      const message = (error as Error).message.replace(/^[A-Z]+ \S+ failed: /, '');
      return { kind: 'unverified', reason: message };
    }
  }
}

function repoPath(kind: HubKind, id: string): string {
  return `/api/${kind}s/${id.split('/').map(encodeURIComponent).join('/')}`;
}

/**
 * Maps a failed answer. The Hub says what went wrong in `x-error-code`, except in two cases:
 * a missing repository answers an anonymous caller 401 with no code (exactly like a private
 * one), and a disabled dataset answers 403 with only its message.
 */
export function classify(res: HttpResponse, authenticated: boolean): HubFailure {
  const code = res.headers.get('x-error-code');
  const message = clip(res.headers.get('x-error-message') ?? bodyError(res.text) ?? '');
  const said = message ? `: ${message}` : '';
  switch (code) {
    case 'RepoNotFound':
      return { kind: 'not-found', definitive: true, reason: `${res.status} RepoNotFound${said}` };
    case 'RevisionNotFound':
      return { kind: 'revision-not-found', reason: `${res.status} RevisionNotFound${said}` };
    case 'EntryNotFound':
      return { kind: 'entry-not-found', reason: `${res.status} EntryNotFound${said}` };
    case 'GatedRepo':
      return { kind: 'gated', reason: `${res.status} GatedRepo${said}` };
  }
  if (res.status === 403 && /disabled/i.test(message)) return { kind: 'disabled', reason: message };
  if (res.status === 401) {
    if (/invalid credentials/i.test(message))
      return { kind: 'unverified', reason: `the Hub rejected the token (401${said})` };
    return {
      kind: 'not-found',
      definitive: false,
      reason: authenticated ? `401${said}` : `401 to an anonymous request${said}`,
    };
  }
  if (res.status === 404) return { kind: 'not-found', definitive: true, reason: `404${said}` };
  if (res.status === 429) return { kind: 'unverified', reason: `rate limited (429)${said}` };
  if (res.status >= 300 && res.status < 400)
    return { kind: 'unverified', reason: `${res.status} redirect to another host` };
  return { kind: 'unverified', reason: `unexpected HTTP ${res.status}${said}` };
}

function bodyError(text: string): string | null {
  try {
    const json = JSON.parse(text) as unknown;
    if (json && typeof json === 'object' && 'error' in json && typeof json.error === 'string')
      return json.error;
  } catch {
    // plain-text bodies (`Entry not found`) carry their message in the header already
  }
  return null;
}

function clip(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > 200 ? `${one.slice(0, 199)}…` : one;
}
