import type { UnverifiedUpstream } from '../../checks/types.js';
import type { Reference } from '../../types.js';
import {
  exactVersion,
  isResolvable,
  resolveReference,
  type Resolution,
} from '../../util/package-versions.js';
import type { HttpClient } from '../http.js';
import { loadPackument } from '../npm/index.js';
import {
  clientFor,
  failureReason,
  warnUnverified,
  type PackageEcosystem,
} from '../package-metadata.js';
import { loadPypiProject } from '../pypi/index.js';
import type { OnlineOptions, Registry } from '../types.js';
import { errorMessage, parseQueryBatch, parseVulnerability, type OsvRecord } from './schema.js';
import { evaluationKey, type OsvAdvisory, type OsvEvaluation, type OsvUpstreams } from './types.js';

/** OSV's ecosystem names are case-sensitive: `pypi` fails the whole batch with 400. */
const OSV_ECOSYSTEM: Record<PackageEcosystem, string> = { pypi: 'PyPI', npm: 'npm' };

/** The API's documented maximum queries per batch. */
export const OSV_BATCH_SIZE = 1000;

/** Guards against a server that keeps handing out page tokens. */
const MAX_PAGES = 20;

/**
 * OSV: one `POST /v1/querybatch` per 1000 distinct (package, version) pairs, more only for
 * `next_page_token` pages, then one `GET /v1/vulns/{id}` per distinct advisory. Exact pins and
 * lockfile versions are asked as written; a range is asked for the newest version it admits,
 * which needs the PyPI/npm release list (shared with those registries, so asked once).
 */
export const osv: Registry = {
  id: 'osv',
  async enrich(extracted, ctx) {
    const refs = extracted.references.filter(isResolvable);
    if (refs.length === 0) return {};
    const client = clientFor(ctx.options, 'osv', ctx.options.osvEndpoint);
    const { pending, unverified } = await decideVersions(refs, ctx.options);
    const answers = await queryAll(client, [...pending.values()]);
    const records = await fetchRecords(client, answers.ids);
    const { advisories, primaryOf } = mergeAliases(records);
    const evaluations: Record<string, OsvEvaluation> = {};
    for (const [key, p] of pending) {
      const answer = answers.byQuery.get(queryKey(p));
      if (!answer || 'failed' in answer) {
        unverified.push({
          ecosystem: p.ecosystem,
          id: p.name,
          revision: p.spec,
          reason: `vulnerabilities of ${p.name} ${p.version} not checked: ${answer?.failed ?? 'OSV gave no answer'}`,
        });
        continue;
      }
      const ids = answer.ids.map((id) => primaryOf.get(id)).filter((id) => id !== undefined);
      evaluations[key] = { ...p, advisories: [...new Set(ids)].sort() };
    }
    warnUnverified(ctx, 'OSV', unverified);
    const upstreams: OsvUpstreams = { evaluations, advisories, unverified };
    return { osv: upstreams };
  },
};

type Pending = Omit<OsvEvaluation, 'advisories'>;

/** The version to ask about for each distinct reference; ranges need the release list. */
async function decideVersions(refs: Reference[], options: OnlineOptions) {
  const pending = new Map<string, Pending>();
  const unverified: UnverifiedUpstream[] = [];
  const byKey = new Map<string, Reference>();
  for (const ref of refs) if (!byKey.has(evaluationKey(ref))) byKey.set(evaluationKey(ref), ref);
  await Promise.all(
    [...byKey].map(async ([key, ref]) => {
      const eco = ref.ecosystem as PackageEcosystem;
      let resolution: Resolution | null = exactVersion(ref);
      if (!resolution) {
        const lookup = eco === 'pypi' ? loadPypiProject : loadPackument;
        const meta = await lookup(options, ref.id);
        // An unanswered release list is reported by the PyPI/npm registry itself.
        if (!meta.ok) return;
        resolution = resolveReference(ref, meta.metadata);
        if (!resolution) {
          unverified.push({
            ecosystem: eco,
            id: ref.id,
            revision: ref.revision,
            reason: `no release of ${ref.id} satisfies "${ref.revision ?? ''}", so its vulnerabilities were not checked.`,
          });
          return;
        }
      }
      pending.set(key, {
        ecosystem: eco,
        name: ref.id,
        spec: ref.revision,
        locked: !!ref.locked,
        version: resolution.version,
        how: resolution.how,
      });
    }),
  );
  return { pending, unverified };
}

function queryKey(p: { ecosystem: string; name: string; version: string }): string {
  return `${p.ecosystem}\0${p.name}\0${p.version}`;
}

type Answer = { ids: string[] } | { failed: string };

/** Every distinct (package, version) asked in batches of 1000, following page tokens. */
async function queryAll(client: HttpClient, pending: Pending[]) {
  const distinct = new Map<string, Pending>();
  for (const p of pending) distinct.set(queryKey(p), p);
  const queries = [...distinct.values()];
  const byQuery = new Map<string, Answer>();
  for (let at = 0; at < queries.length; at += OSV_BATCH_SIZE) {
    const chunk = queries.slice(at, at + OSV_BATCH_SIZE);
    const answers = await queryBatch(client, chunk);
    chunk.forEach((q, i) => byQuery.set(queryKey(q), answers[i] as Answer));
  }
  const ids = new Set<string>();
  for (const a of byQuery.values()) if ('ids' in a) a.ids.forEach((id) => ids.add(id));
  return { byQuery, ids: [...ids].sort() };
}

async function queryBatch(client: HttpClient, chunk: Pending[]): Promise<Answer[]> {
  const ids: string[][] = chunk.map(() => []);
  let open = chunk.map((_, i) => ({ index: i, token: null as string | null }));
  for (let page = 0; open.length > 0; page++) {
    if (page >= MAX_PAGES) return fail(chunk, `OSV kept paging after ${MAX_PAGES} pages`);
    const body = JSON.stringify({
      queries: open.map(({ index, token }) => {
        const q = chunk[index] as Pending;
        return {
          package: { ecosystem: OSV_ECOSYSTEM[q.ecosystem], name: q.name },
          version: q.version,
          ...(token ? { page_token: token } : {}),
        };
      }),
    });
    let results;
    try {
      const res = await client.request('POST', client.url('/v1/querybatch'), {
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body,
      });
      const json = res.text ? (JSON.parse(res.text) as unknown) : null;
      if (res.status !== 200) {
        const message = errorMessage(json);
        return fail(chunk, `OSV answered HTTP ${res.status}${message ? ` (${message})` : ''}`);
      }
      results = parseQueryBatch(json, open.length);
    } catch (error) {
      return fail(chunk, failureReason('OSV', error));
    }
    const next: typeof open = [];
    results.forEach((r, i) => {
      const { index } = open[i] as (typeof open)[number];
      ids[index]?.push(...r.ids);
      if (r.nextPageToken) next.push({ index, token: r.nextPageToken });
    });
    open = next;
  }
  return ids.map((list) => ({ ids: [...new Set(list)] }));
}

function fail(chunk: Pending[], reason: string): Answer[] {
  return chunk.map(() => ({ failed: reason }));
}

/** One `GET /v1/vulns/{id}` per advisory; a failed one leaves the id without details. */
async function fetchRecords(
  client: HttpClient,
  ids: string[],
): Promise<Map<string, OsvRecord | null>> {
  const records = new Map<string, OsvRecord | null>();
  await Promise.all(
    ids.map(async (id) => {
      try {
        const res = await client.getJson(client.url(`/v1/vulns/${encodeURIComponent(id)}`));
        records.set(id, res.status === 200 ? parseVulnerability(res.json) : null);
      } catch {
        records.set(id, null);
      }
    }),
  );
  return records;
}

/**
 * GHSA, PYSEC and CVE records of one vulnerability name each other in `aliases` (directly or
 * through a shared CVE): they become one advisory under the GHSA id (it carries the severity),
 * else the PYSEC id, else the first id. Withdrawn records are dropped.
 */
export function mergeAliases(records: Map<string, OsvRecord | null>): {
  advisories: Record<string, OsvAdvisory>;
  primaryOf: Map<string, string>;
} {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let root = x;
    while (parent.has(root) && parent.get(root) !== root) root = parent.get(root) as string;
    parent.set(x, root);
    return root;
  };
  const union = (a: string, b: string) => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(ra, rb);
  };
  const live = [...records].filter(([, r]) => !r?.withdrawn);
  for (const [id, record] of live) {
    find(id);
    for (const alias of record?.aliases ?? []) union(id, alias);
  }
  const groups = new Map<string, string[]>();
  for (const [id] of live) {
    const root = find(id);
    groups.set(root, [...(groups.get(root) ?? []), id]);
  }
  const advisories: [string, OsvAdvisory][] = [];
  const primaryOf = new Map<string, string>();
  for (const members of groups.values()) {
    const advisory = merge(members.sort(byPreference), records);
    advisories.push([advisory.id, advisory]);
    for (const id of members) primaryOf.set(id, advisory.id);
  }
  return { advisories: Object.fromEntries(advisories), primaryOf };
}

function byPreference(a: string, b: string): number {
  const rank = (id: string) => (id.startsWith('GHSA-') ? 0 : id.startsWith('PYSEC-') ? 1 : 2);
  return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
}

function merge(members: string[], records: Map<string, OsvRecord | null>): OsvAdvisory {
  const primaryId = members[0] as string;
  const all = members.map((id) => records.get(id)).filter((r): r is OsvRecord => !!r);
  const primary = records.get(primaryId) ?? all[0];
  const aliases = new Set<string>(members);
  for (const r of all) r.aliases.forEach((a) => aliases.add(a));
  aliases.delete(primaryId);
  const cvss = new Map<string, { type: string; score: string }>();
  for (const r of all) for (const c of r.cvss) cvss.set(`${c.type} ${c.score}`, c);
  return {
    id: primaryId,
    aliases: [...aliases].sort(),
    summary: primary?.summary ?? all.find((r) => r.summary)?.summary ?? null,
    details: primary?.details ?? null,
    published: primary?.published ?? null,
    modified: primary?.modified ?? null,
    cvss: [...cvss.values()],
    databaseSeverity: all.find((r) => r.databaseSeverity)?.databaseSeverity ?? null,
    affected: primary?.affected.length ? primary.affected : all.flatMap((r) => r.affected),
    complete: all.length > 0,
  };
}
