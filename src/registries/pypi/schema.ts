import { compareVersions } from '../../util/package-versions.js';
import {
  expectArray,
  expectObject,
  expectString,
  optionalString,
  ShapeError,
  type JsonObject,
} from '../json-shape.js';
import type { PackageMetadata, PackageRelease } from '../package-metadata.js';

/**
 * `GET /pypi/{name}/json` (warehouse docs/user/api/json.md). Reads `info.version` (the latest
 * release), `info.requires_python` and the per-file `upload_time_iso_8601`, `yanked` and
 * `yanked_reason` of every entry in `releases`. A release is yanked when all its files are
 * (PEP 592 yanks files; warehouse yanks a release by yanking each one); `"1.0": []` is a release
 * with no files. The docs deprecate `releases`: without it, only the latest release (`urls`) is known.
 */
export function parsePypiProject(json: unknown): PackageMetadata {
  const body = expectObject(json, 'response');
  const info = expectObject(body.info, 'info');
  const name = expectString(info.name, 'info.name');
  const latest = expectString(info.version, 'info.version');
  const releases: PackageRelease[] = [];
  if (body.releases !== undefined) {
    const map = expectObject(body.releases, 'releases');
    for (const [version, files] of Object.entries(map)) {
      releases.push(release(version, expectArray(files, `releases[${version}]`), version));
    }
  } else {
    releases.push(release(latest, expectArray(body.urls ?? [], 'urls'), latest));
  }
  releases.sort((a, b) => compareVersions('pypi', a.version, b.version));
  return {
    ecosystem: 'pypi',
    name,
    latest,
    tags: {},
    releases,
    requiresPython: optionalString(info.requires_python, 'info.requires_python'),
  };
}

function release(version: string, files: unknown[], where: string): PackageRelease {
  const parsed = files.map((f, i) => file(f, `releases[${where}][${i}]`));
  const times = parsed.map((f) => f.uploaded).filter((t): t is string => t !== null);
  const yanked = parsed.length > 0 && parsed.every((f) => f.yanked);
  return {
    version,
    published: times.sort()[0] ?? null,
    yanked,
    yankedReason: yanked ? (parsed.find((f) => f.reason)?.reason ?? null) : null,
    deprecated: null,
    empty: parsed.length === 0,
  };
}

function file(value: unknown, what: string) {
  const f: JsonObject = expectObject(value, what);
  if (f.yanked !== undefined && typeof f.yanked !== 'boolean')
    throw new ShapeError(`${what}.yanked is not a boolean`);
  // upload_time_iso_8601 is the documented field; older mirrors only send upload_time (UTC).
  const iso = optionalString(f.upload_time_iso_8601, `${what}.upload_time_iso_8601`);
  const plain = optionalString(f.upload_time, `${what}.upload_time`);
  return {
    uploaded: iso ?? (plain ? `${plain}Z` : null),
    yanked: f.yanked === true,
    reason: optionalString(f.yanked_reason, `${what}.yanked_reason`),
  };
}
