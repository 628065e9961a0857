import type { UnverifiedUpstream } from '../../checks/types.js';
import type { Extracted } from '../../scan.js';
import { dirname } from '../../util/paths.js';
import { HttpClient } from '../http.js';
import type { Registry } from '../types.js';
import { HubClient } from './client.js';
import { hubKey, hubKind, linkWeights, type WeightsLink } from './key.js';
import { HubLookups } from './lookup.js';
import type { HubFile, HubKind, HubUpstream, HubUpstreams } from './types.js';

interface Wanted {
  kind: HubKind;
  id: string;
  revision: string | null;
}

/**
 * The Hugging Face Hub: every referenced model and dataset (and every weights file linked to
 * one) becomes a HubUpstream. Each distinct kind + id + revision is looked up once, all at once
 * under the HttpClient's concurrency limit; failures become `unverified`, never exceptions.
 */
export const huggingface: Registry = {
  id: 'huggingface',
  async enrich(extracted, ctx) {
    const links = linkWeights(extracted.weights, extracted.references);
    const wanted = wantedUpstreams(extracted, links.values());
    if (wanted.size === 0) return {};
    const { options } = ctx;
    let requests = 0;
    const http = new HttpClient({
      registry: 'huggingface',
      baseUrl: options.hfEndpoint,
      token: options.hfToken,
      fetch: options.fetch,
      timeoutMs: options.timeoutMs,
      retries: options.retries,
      concurrency: options.concurrency,
      backoffMs: options.backoffMs,
      maxRetryWaitMs: options.maxRetryWaitMs,
      sleep: options.sleep,
      onRequest: (method, url) => {
        requests++;
        options.onRequest?.('huggingface', method, url);
      },
    });
    const client = new HubClient(http, !!options.hfToken);
    const lookups = new HubLookups(client, options.hfEndpoint);
    const upstreams: Record<string, HubUpstream> = {};
    await Promise.all(
      [...wanted].map(async ([key, w]) => {
        upstreams[key] = await lookups.get(w.kind, w.id, w.revision);
      }),
    );
    await addDatasetFiles(client, upstreams, links.values());
    // Everything below is upstream text bound for reports: a mirror that echoes the credentials
    // it was sent (in an error message, a card) must not get them into a comment or SARIF.
    const clean = scrub(upstreams, options.hfToken);
    const unverified = unverifiedOf(clean);
    if (unverified.length > 0) ctx.warn(summary(unverified, options.hfEndpoint));
    const result: HubUpstreams = {
      endpoint: options.hfEndpoint,
      authenticated: !!options.hfToken,
      upstreams: sortKeys(clean),
      unverified,
      requests,
    };
    return { huggingface: result };
  },
};

function wantedUpstreams(extracted: Extracted, links: Iterable<WeightsLink>): Map<string, Wanted> {
  const wanted = new Map<string, Wanted>();
  for (const r of extracted.references) {
    if (r.ecosystem !== 'huggingface' || (r.kind !== 'model' && r.kind !== 'dataset')) continue;
    const kind = hubKind(r.kind);
    wanted.set(hubKey(kind, r.id, r.revision), { kind, id: r.id, revision: r.revision });
  }
  for (const l of links)
    wanted.set(hubKey(l.kind, l.id, l.revision), { kind: l.kind, id: l.id, revision: l.revision });
  return wanted;
}

/**
 * Dataset info comes without per-file hashes; a local file linked to a dataset needs them, so
 * its folder is listed at the resolved commit (paged). Models already have them from `blobs`.
 */
async function addDatasetFiles(
  client: HubClient,
  upstreams: Record<string, HubUpstream>,
  links: Iterable<WeightsLink>,
): Promise<void> {
  const jobs: Promise<void>[] = [];
  for (const link of links) {
    if (link.kind !== 'dataset') continue;
    const up = upstreams[hubKey(link.kind, link.id, link.revision)];
    const at = up?.at;
    if (!up?.repo || !at || up.state !== 'ok') continue;
    // The best candidate path only: the declared upstream filename when there is one.
    const folder = dirname(link.paths[0] ?? '');
    jobs.push(
      client.folder('dataset', up.repo.id, at.sha, folder).then((files) => {
        if (files) at.files = mergeFiles(at.files, files);
      }),
    );
  }
  await Promise.all(jobs);
}

function mergeFiles(known: HubFile[] | null, listed: HubFile[]): HubFile[] {
  const byPath = new Map((known ?? []).map((f) => [f.path, f]));
  for (const f of listed) byPath.set(f.path, { ...byPath.get(f.path), ...f });
  return [...byPath.values()];
}

function unverifiedOf(upstreams: Record<string, HubUpstream>): UnverifiedUpstream[] {
  return Object.values(sortKeys(upstreams))
    .filter((u) => u.state === 'unverified' && u.access !== 'denied')
    .map((u) => ({
      ecosystem: 'huggingface' as const,
      kind: u.kind,
      id: u.id,
      revision: u.revision,
      reason: u.reason ?? 'no answer',
    }));
}

function summary(unverified: UnverifiedUpstream[], endpoint: string): string {
  const first = unverified[0] as UnverifiedUpstream;
  const n = unverified.length;
  return `Hugging Face Hub (${endpoint}): ${n} upstream${n === 1 ? '' : 's'} not verified, e.g. ${first.id}: ${first.reason}`;
}

/** A copy of plain data with every occurrence of `secret` in its strings replaced. */
export function scrub<T>(value: T, secret: string | undefined): T {
  if (!secret) return value;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return v.includes(secret) ? v.split(secret).join('[redacted]') : v;
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object')
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1)));
}
