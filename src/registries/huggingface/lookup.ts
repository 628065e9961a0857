import { isCommitSha } from '../../util/hub-id.js';
import { COMMIT_PAGE, type HubClient, type HubFailure, type InfoOutcome } from './client.js';
import { baseModelsOf, licenseOf, type RepoInfo } from './schema.js';
import type {
  HubDrift,
  HubKind,
  HubLineageLink,
  HubRepo,
  HubRevision,
  HubScanFile,
  HubSecurity,
  HubUpstream,
} from './types.js';

/** How far `base_model` is followed through upstream cards, and how many links at most. */
export const LINEAGE_DEPTH = 4;
const LINEAGE_LINKS = 32;
/** Newest commits named in a drift finding. */
const NEWEST = 5;
const DAY_MS = 86_400_000;
const FLAGGED: ReadonlySet<string> = new Set(['caution', 'suspicious', 'unsafe']);

/**
 * Turns one referenced upstream (kind, id, revision as written) into facts, with the fewest
 * requests that answer the rules:
 *
 * - unpinned (no revision, a branch or a tag): info at that revision. 1 request.
 * - pinned to a commit: info at `main` first. When the pin is the head, everything is known:
 *   1 request. Otherwise info at the pin (licence, files, existence), the newest commits of
 *   `main` (drift, titles), and only when the pin is older than that page, `commits/{pin}?limit=1`
 *   for its `x-total-count`: 3 or 4 requests, only for drifted pins.
 * - lineage: info at `main` of each `base_model` ancestor, shared with any direct reference.
 */
export class HubLookups {
  private readonly memo = new Map<string, Promise<HubUpstream>>();

  constructor(
    private readonly client: HubClient,
    private readonly endpoint: string,
  ) {}

  get(kind: HubKind, id: string, revision: string | null): Promise<HubUpstream> {
    const key = `${kind}:${id}@${revision ?? ''}`;
    let hit = this.memo.get(key);
    if (!hit) {
      hit = this.resolve(kind, id, revision).catch((error: unknown) => ({
        ...empty(kind, id, revision),
        state: 'unverified' as const,
        reason: `internal error: ${(error as Error).message}`,
      }));
      this.memo.set(key, hit);
    }
    return hit;
  }

  private async resolve(kind: HubKind, id: string, revision: string | null): Promise<HubUpstream> {
    const base = empty(kind, id, revision);
    const pinned = isCommitSha(revision);
    const asked = !revision || pinned ? 'main' : revision;
    const first = await this.client.info(kind, id, asked);
    if (first.kind !== 'ok') return failed(base, first);
    const repo = repoOf(kind, id, first);
    if (repo.disabled)
      return { ...base, state: 'disabled', repo, reason: 'the Hub marks it disabled' };
    const security = await this.security(repo, first.info);
    const answered = revisionOf(first.info, asked);
    const isMain = asked === 'main';
    if (!pinned || answered.sha.startsWith((revision as string).toLowerCase())) {
      const drift = pinned ? sameAsHead(answered, this.urls(repo, answered.sha)) : null;
      return this.finish({
        ...base,
        state: 'ok',
        repo,
        at: answered,
        head: isMain ? answered : null,
        drift,
        security,
      });
    }
    return this.pinned(base, repo, answered, revision as string, security);
  }

  private async pinned(
    base: HubUpstream,
    repo: HubRepo,
    head: HubRevision,
    pin: string,
    security: HubSecurity | null,
  ): Promise<HubUpstream> {
    const second = await this.client.info(repo.kind, repo.id, pin.toLowerCase());
    if (second.kind === 'revision-not-found')
      return { ...base, state: 'revision-not-found', reason: second.reason, repo, head, security };
    if (second.kind !== 'ok') {
      const denied = second.kind === 'gated';
      return {
        ...base,
        state: denied ? 'ok' : 'unverified',
        reason: second.reason,
        repo,
        head,
        access: denied ? 'denied' : 'unknown',
        driftUnknown: second.reason,
        security,
      };
    }
    const at = revisionOf(second.info, pin);
    const measured = await this.drift(repo, at, head);
    return this.finish({
      ...base,
      state: 'ok',
      repo,
      at,
      head,
      security,
      access: measured.access,
      drift: measured.drift,
      ...(measured.unknown ? { driftUnknown: measured.unknown } : {}),
    });
  }

  private async drift(
    repo: HubRepo,
    at: HubRevision,
    head: HubRevision,
  ): Promise<{ drift: HubDrift | null; access: HubUpstream['access']; unknown?: string }> {
    const page = await this.client.commits(repo.kind, repo.id, 'main', COMMIT_PAGE);
    if (page.kind !== 'ok') {
      return {
        drift: null,
        access: page.kind === 'gated' ? 'denied' : 'unknown',
        unknown: `commit history unavailable (${page.reason})`,
      };
    }
    const access = repo.gated ? 'granted' : 'unknown';
    const headCommit = page.commits[0];
    const index = page.commits.findIndex((c) => c.sha === at.sha);
    let behind: number | null = index >= 0 ? index : null;
    let pinDate = index >= 0 ? (page.commits[index]?.date ?? null) : null;
    if (index < 0) {
      // Older than the page: the difference of the two `x-total-count`s is the distance.
      const pinPage = await this.client.commits(repo.kind, repo.id, at.sha, 1);
      if (pinPage.kind === 'ok') {
        pinDate = pinPage.commits[0]?.date ?? null;
        if (page.total !== null && pinPage.total !== null && page.total >= pinPage.total)
          behind = page.total - pinPage.total;
      }
    }
    const headSha = headCommit?.sha ?? head.sha;
    const headDate = headCommit?.date ?? head.date;
    return {
      access,
      drift: {
        behind,
        daysBehind: daysBetween(pinDate, headDate),
        headSha,
        headDate,
        pinDate,
        newest: page.commits.slice(0, index >= 0 ? Math.min(index, NEWEST) : NEWEST),
        ...this.urls(repo, at.sha, headSha),
      },
    };
  }

  /** Scan details for flagged files: one paths-info request, only when something is flagged. */
  private async security(repo: HubRepo, info: RepoInfo): Promise<HubSecurity | null> {
    if (!info.security) return null;
    const flagged = info.security.filesWithIssues.filter((f) => FLAGGED.has(f.level));
    if (flagged.length === 0) return info.security;
    const details = await this.client.fileScans(
      repo.kind,
      repo.id,
      info.sha,
      flagged.map((f) => f.path),
    );
    const byPath = new Map((details ?? []).map((d) => [d.path, d]));
    return {
      scansDone: info.security.scansDone,
      filesWithIssues: info.security.filesWithIssues.map((f): HubScanFile => ({
        ...byPath.get(f.path),
        ...f,
      })),
    };
  }

  private async finish(up: HubUpstream): Promise<HubUpstream> {
    if (up.kind !== 'model' || !up.at || up.at.baseModels.length === 0) return up;
    const seen = new Set([up.id.toLowerCase(), (up.repo?.id ?? up.id).toLowerCase()]);
    const lineage: HubLineageLink[] = [];
    await this.lineage(up.repo?.id ?? up.id, up.at, 1, seen, lineage);
    return { ...up, lineage };
  }

  /** Follows `base_model` breadth by breadth; a model already on the path is a cycle. */
  private async lineage(
    parent: string,
    card: HubRevision,
    depth: number,
    path: Set<string>,
    out: HubLineageLink[],
  ): Promise<void> {
    const links = await Promise.all(
      card.baseModels.map(async (id) => {
        const link: HubLineageLink = {
          id,
          parent,
          depth,
          relation: card.baseModelRelation,
          license: null,
          state: 'ok',
        };
        if (path.has(id.toLowerCase())) return { link: { ...link, state: 'cycle' as const } };
        if (depth > LINEAGE_DEPTH) return { link: { ...link, state: 'depth-limit' as const } };
        const info = await this.client.info('model', id, 'main');
        if (info.kind !== 'ok') return { link: { ...link, state: lineageState(info) } };
        if (info.info.disabled) return { link: { ...link, state: 'disabled' as const } };
        const rev = revisionOf(info.info, 'main');
        // Keep the answered id: a renamed base is reported under its current name.
        return { link: { ...link, id: info.info.id, license: rev.license }, rev, asked: id };
      }),
    );
    for (const { link, rev, asked } of links) {
      if (out.length >= LINEAGE_LINKS) return;
      out.push(link);
      if (!rev || !asked) continue;
      const next = new Set(path).add(link.id.toLowerCase()).add(asked.toLowerCase());
      await this.lineage(link.id, rev, depth + 1, next, out);
    }
  }

  private urls(repo: HubRepo, pin: string, head?: string) {
    const base = `${this.endpoint.replace(/\/+$/, '')}/${repo.kind === 'dataset' ? 'datasets/' : ''}${repo.id}`;
    return {
      historyUrl: `${base}/commits/main`,
      compareUrl: `${this.endpoint.replace(/\/+$/, '')}/api/${repo.kind}s/${repo.id}/compare/${pin}..${head ?? pin}`,
    };
  }
}

function empty(kind: HubKind, id: string, revision: string | null): HubUpstream {
  return {
    kind,
    id,
    revision,
    state: 'unverified',
    repo: null,
    at: null,
    head: null,
    access: 'unknown',
    drift: null,
    security: null,
    lineage: [],
  };
}

function failed(base: HubUpstream, failure: HubFailure): HubUpstream {
  switch (failure.kind) {
    case 'not-found':
      return {
        ...base,
        state: 'not-found',
        definitive: failure.definitive,
        reason: failure.reason,
      };
    case 'revision-not-found':
    case 'entry-not-found':
      return { ...base, state: 'revision-not-found', reason: failure.reason };
    case 'disabled':
      return { ...base, state: 'disabled', reason: failure.reason };
    case 'gated':
      // Info itself refused (a token without access, as in a 2024 traceback): nothing verified.
      return { ...base, state: 'unverified', access: 'denied', reason: failure.reason };
    default:
      return { ...base, state: 'unverified', reason: failure.reason };
  }
}

function lineageState(outcome: Exclude<InfoOutcome, { kind: 'ok' }>): HubLineageLink['state'] {
  if (outcome.kind === 'not-found') return 'not-found';
  if (outcome.kind === 'disabled') return 'disabled';
  return 'unverified';
}

function repoOf(kind: HubKind, requestedId: string, ok: Extract<InfoOutcome, { kind: 'ok' }>) {
  const { info } = ok;
  const repo: HubRepo = {
    kind,
    requestedId,
    id: info.id,
    objectId: info.objectId,
    author: info.author,
    createdAt: info.createdAt,
    private: info.private,
    gated: info.gated,
    disabled: info.disabled,
    redirects: ok.redirects,
  };
  return repo;
}

function revisionOf(info: RepoInfo, requested: string): HubRevision {
  const bases = baseModelsOf(info.cardData);
  return {
    requested,
    sha: info.sha,
    date: info.lastModified,
    license: licenseOf(info.cardData, info.tags),
    baseModels: bases.ids,
    baseModelRelation: bases.relation,
    files: info.siblings,
  };
}

/** A pin at the head of `main`: nothing behind, nothing more to ask. */
function sameAsHead(head: HubRevision, urls: { historyUrl: string; compareUrl: string }): HubDrift {
  return {
    behind: 0,
    daysBehind: 0,
    headSha: head.sha,
    headDate: head.date,
    pinDate: head.date,
    newest: [],
    ...urls,
  };
}

function daysBetween(from: string | null, to: string | null): number | null {
  if (!from || !to) return null;
  const a = Date.parse(from);
  const b = Date.parse(to);
  if (Number.isNaN(a) || Number.isNaN(b)) return null;
  return Math.max(0, Math.floor((b - a) / DAY_MS));
}
