import { compareVersions } from '../../util/package-versions.js';
import { expectObject, expectString, isObject, optionalString, ShapeError } from '../json-shape.js';
import type { PackageMetadata, PackageRelease } from '../package-metadata.js';

/**
 * `GET /{name}`, full or abbreviated packument (npm/registry docs/responses/package-metadata.md):
 * reads `dist-tags`, `time` (only the full form has it; the abbreviated one has `modified` only,
 * so its releases have no date) and each version's `deprecated` message. `deprecated` is per version; `npm deprecate` of a whole
 * package writes it on every version, and an empty string means it was lifted.
 */
export function parsePackument(json: unknown): PackageMetadata {
  const body = expectObject(json, 'response');
  const name = expectString(body.name, 'name');
  const tags: Record<string, string> = Object.fromEntries(
    Object.entries(expectObject(body['dist-tags'] ?? {}, 'dist-tags')).map(([tag, version]) => [
      tag,
      expectString(version, `dist-tags.${tag}`),
    ]),
  );
  const time = body.time === undefined ? {} : expectObject(body.time, 'time');
  const versions = expectObject(body.versions ?? {}, 'versions');
  const releases: PackageRelease[] = Object.entries(versions).map(([version, manifest]) => ({
    version,
    published: optionalString(time[version], `time.${version}`),
    yanked: false,
    yankedReason: null,
    deprecated: deprecation(manifest, version),
    empty: false,
  }));
  releases.sort((a, b) => compareVersions('npm', a.version, b.version));
  return {
    ecosystem: 'npm',
    name,
    latest: Object.hasOwn(tags, 'latest') ? (tags.latest ?? null) : null,
    tags,
    releases,
    requiresPython: null,
  };
}

function deprecation(manifest: unknown, version: string): string | null {
  if (!isObject(manifest)) throw new ShapeError(`versions.${version} is not an object`);
  const value = manifest.deprecated;
  if (value === undefined || value === null || value === false || value === '') return null;
  if (value === true) return 'deprecated';
  return expectString(value, `versions.${version}.deprecated`);
}
