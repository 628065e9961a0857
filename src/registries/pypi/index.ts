import {
  clientFor,
  failureReason,
  lookupAll,
  memoizedLookup,
  resolvablePackageIds,
  warnUnverified,
  type MetadataResult,
} from '../package-metadata.js';
import type { OnlineOptions, Registry } from '../types.js';
import { parsePypiProject } from './schema.js';

/**
 * PyPI's JSON API: one `GET /pypi/{name}/json` per distinct package, asked with the normalized
 * name (other spellings cost a 301 hop). Feeds dependency-drift and dependency-yanked, and gives
 * OSV the release list it needs to evaluate ranges.
 */
export const pypi: Registry = {
  id: 'pypi',
  async enrich(extracted, ctx) {
    const ids = resolvablePackageIds(extracted.references, 'pypi');
    if (ids.length === 0) return {};
    const pypi = await lookupAll('pypi', ids, (id) => loadPypiProject(ctx.options, id));
    warnUnverified(ctx, 'PyPI', pypi.unverified);
    return { pypi };
  },
};

/** One package's metadata, asked once per run however many registries want it. */
export function loadPypiProject(options: OnlineOptions, name: string): Promise<MetadataResult> {
  return memoizedLookup(options, `pypi\0${name}`, async () => {
    const client = clientFor(options, 'pypi', options.pypiEndpoint);
    try {
      const res = await client.getJson(client.url(`/pypi/${encodeURIComponent(name)}/json`));
      if (res.status === 404) {
        return {
          ok: false,
          notFound: true,
          reason: `PyPI (${client.origin}) has no project named ${name}: if it comes from a private index, anyone who registers the name on PyPI could take its place.`,
        };
      }
      if (res.status !== 200)
        return { ok: false, notFound: false, reason: `PyPI answered HTTP ${res.status}.` };
      return { ok: true, metadata: parsePypiProject(res.json) };
    } catch (error) {
      return { ok: false, notFound: false, reason: failureReason('PyPI', error) };
    }
  });
}
