import {
  clientFor,
  failureReason,
  lookupAll,
  memoizedLookup,
  resolvablePackageIds,
  warnUnverified,
  type MetadataResult,
} from '../package-metadata.js';
import { isMlToolchain } from '../../util/toolchain.js';
import type { OnlineOptions, Registry } from '../types.js';
import { parsePackument } from './schema.js';

/**
 * The npm registry: one `GET /{name}` per distinct package. Packages named in a manifest and the
 * ML toolchain get the full packument (only it carries `time`, for release ages); packages seen
 * only in lockfiles, mostly transitive, get the abbreviated one (`deprecated` and dist-tags, a
 * fraction of the bytes), since drift is not reported for them. Feeds dependency-drift and
 * dependency-deprecated, and gives OSV the version list it needs to evaluate ranges.
 */
export const npm: Registry = {
  id: 'npm',
  async enrich(extracted, ctx) {
    const ids = resolvablePackageIds(extracted.references, 'npm');
    if (ids.length === 0) return {};
    const full = new Set(
      extracted.references
        .filter((r) => r.ecosystem === 'npm' && (!r.locked || isMlToolchain('npm', r.id)))
        .map((r) => r.id),
    );
    const npm = await lookupAll('npm', ids, (id) => loadPackument(ctx.options, id, full.has(id)));
    warnUnverified(ctx, 'npm', npm.unverified);
    return { npm };
  },
};

const ABBREVIATED = 'application/vnd.npm.install-v1+json';

/** Scoped names keep their `@` and encode the slash: `/@scope%2Fname`, as the npm CLI asks. */
export function packumentPath(name: string): string {
  return name.startsWith('@')
    ? `/@${encodeURIComponent(name.slice(1))}`
    : `/${encodeURIComponent(name)}`;
}

/** One package's packument, asked once per run and form however many registries want it. */
export function loadPackument(
  options: OnlineOptions,
  name: string,
  full = true,
): Promise<MetadataResult> {
  return memoizedLookup(options, `npm\0${full ? 'full' : 'abbreviated'}\0${name}`, async () => {
    const client = clientFor(options, 'npm', options.npmEndpoint);
    try {
      const headers: Record<string, string> = full ? {} : { accept: ABBREVIATED };
      const res = await client.getJson(client.url(packumentPath(name)), headers);
      if (res.status === 404) {
        return {
          ok: false,
          notFound: true,
          reason: `the npm registry (${client.origin}) has no package named ${name}: if it comes from a private registry, anyone who publishes the name publicly could take its place.`,
        };
      }
      if (res.status !== 200)
        return {
          ok: false,
          notFound: false,
          reason: `the npm registry answered HTTP ${res.status}.`,
        };
      return { ok: true, metadata: parsePackument(res.json) };
    } catch (error) {
      return { ok: false, notFound: false, reason: failureReason('the npm registry', error) };
    }
  });
}
