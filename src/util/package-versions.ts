import * as pep440 from '@renovatebot/pep440';
import semver from 'semver';
import type {
  PackageEcosystem,
  PackageMetadata,
  PackageRelease,
} from '../registries/package-metadata.js';
import type { Reference } from '../types.js';

/**
 * Version arithmetic per ecosystem: PEP 440 for PyPI (through @renovatebot/pep440), semver for
 * npm. Everything here is pure and total: an unparsable version or range yields null/false,
 * never a throw, because specs come from repository files and versions from registries.
 */

export function isPackageEcosystem(ecosystem: string): ecosystem is PackageEcosystem {
  return ecosystem === 'pypi' || ecosystem === 'npm';
}

export function validVersion(eco: PackageEcosystem, version: string): boolean {
  return eco === 'pypi' ? pep440.valid(version) !== null : semver.valid(version) !== null;
}

/** Negative when a < b. Both must be valid; invalid ones sort first so they never win a max. */
export function compareVersions(eco: PackageEcosystem, a: string, b: string): number {
  const va = validVersion(eco, a);
  const vb = validVersion(eco, b);
  if (!va || !vb) return va === vb ? 0 : va ? 1 : -1;
  return eco === 'pypi' ? pep440.compare(a, b) : semver.compare(a, b);
}

export function isPrerelease(eco: PackageEcosystem, version: string): boolean {
  if (eco === 'pypi') return pep440.explain(version)?.is_prerelease ?? false;
  return (semver.prerelease(version)?.length ?? 0) > 0;
}

/**
 * The public version registries and advisories know: a PEP 440 local label (`2.1.0+cu118`, as
 * the PyTorch index publishes) is dropped, since PyPI and OSV list `2.1.0`.
 */
export function publicVersion(eco: PackageEcosystem, version: string): string {
  if (eco !== 'pypi') return version.replace(/^[v=]+/, '');
  return pep440.explain(version)?.public ?? version;
}

/**
 * The spec as a range the ecosystem's library understands, or null for what is not a range
 * (URLs, VCS refs, paths, `workspace:`). Poetry's `^`/`~`/bare forms become PEP 440.
 */
export function toRange(eco: PackageEcosystem, spec: string | null): string | null {
  const s = (spec ?? '').trim();
  if (eco === 'npm') {
    if (s === '' || s === 'latest') return '*';
    return semver.validRange(s) ? s : null;
  }
  if (s === '' || s === '*') return '';
  if (pep440.validRange(s)) return s;
  const parts = s.split(/\s*,\s*|\s+(?=[\^~<>=!])/).map(poetryClause);
  return parts.every((p) => p !== null) && pep440.validRange(parts.join(','))
    ? parts.join(',')
    : null;
}

/** One Poetry constraint in PEP 440 (`^1.2` → `>=1.2,<2.0.0`), or null when it is not one. */
function poetryClause(clause: string): string | null {
  if (pep440.validRange(clause)) return clause;
  const m = /^(\^|~(?!=))?\s*v?(\d+(?:\.\d+)*)(\.\*)?$/.exec(clause);
  if (!m) return null;
  const [, op, version, star] = m as unknown as [string, string | undefined, string, string?];
  if (star) return `==${version}.*`;
  if (!op) return `==${version}`;
  const parts = version.split('.').map(Number);
  let upper: number[];
  if (op === '~') {
    upper = parts.length === 1 ? [parts[0]! + 1] : [parts[0]!, parts[1]! + 1];
  } else {
    const first = parts.findIndex((n) => n !== 0);
    const at = first === -1 ? parts.length - 1 : first;
    upper = [...parts.slice(0, at), parts[at]! + 1];
  }
  return `>=${version},<${upper.join('.')}`;
}

export function satisfies(eco: PackageEcosystem, version: string, range: string): boolean {
  if (!validVersion(eco, version)) return false;
  if (eco === 'pypi') return range === '' || pep440.satisfies(version, range);
  return semver.satisfies(version, range);
}

/** How a reference's version was decided for a registry or advisory lookup. */
export interface Resolution {
  version: string;
  /** pinned: an exact pin in a manifest; locked: a lockfile entry; newest-admitted: a range. */
  how: 'pinned' | 'locked' | 'newest-admitted';
}

/** The exact version a reference names, without asking a registry; null for ranges. */
export function exactVersion(ref: Reference): Resolution | null {
  if (!ref.version || !isPackageEcosystem(ref.ecosystem)) return null;
  const version = publicVersion(ref.ecosystem, ref.version);
  if (!validVersion(ref.ecosystem, version)) return null;
  return { version, how: ref.locked ? 'locked' : 'pinned' };
}

/** A reference whose version a registry can decide: an exact pin, or a spec that is a range. */
export function isResolvable(ref: Reference): boolean {
  if (ref.kind !== 'package' || !isPackageEcosystem(ref.ecosystem)) return false;
  return (
    exactVersion(ref) !== null || (!ref.locked && toRange(ref.ecosystem, ref.revision) !== null)
  );
}

/**
 * The version an install would get: the exact pin, or the newest release the range admits.
 * Like pip and npm, a range skips yanked releases, releases without files, and pre-releases
 * unless the range names one; an npm dist-tag (`next`) resolves through dist-tags.
 */
export function resolveReference(
  ref: Reference,
  metadata: PackageMetadata | undefined,
): Resolution | null {
  const exact = exactVersion(ref);
  if (exact) return exact;
  if (!metadata || ref.locked || !isPackageEcosystem(ref.ecosystem)) return null;
  const spec = ref.revision?.trim() ?? '';
  const tag = Object.hasOwn(metadata.tags, spec) ? metadata.tags[spec] : undefined;
  if (ref.ecosystem === 'npm' && tag) return { version: tag, how: 'newest-admitted' };
  const range = toRange(ref.ecosystem, ref.revision);
  if (range === null) return null;
  // npm prefers the `latest` dist-tag whenever the range admits it (npm-pick-manifest).
  const latest = metadata.latest;
  if (ref.ecosystem === 'npm' && latest && semver.satisfies(latest, range))
    return { version: latest, how: 'newest-admitted' };
  const candidates = installable(metadata).map((r) => r.version);
  const newest =
    ref.ecosystem === 'pypi'
      ? pep440.maxSatisfying(
          candidates.filter((v) => pep440.valid(v)),
          range || '>=0',
        )
      : semver.maxSatisfying(candidates, range);
  return newest ? { version: newest, how: 'newest-admitted' } : null;
}

function installable(metadata: PackageMetadata): PackageRelease[] {
  return metadata.releases.filter((r) => !r.yanked && !r.empty);
}

export function findRelease(
  metadata: PackageMetadata,
  version: string,
): PackageRelease | undefined {
  return metadata.releases.find(
    (r) => r.version === version || compareVersions(metadata.ecosystem, r.version, version) === 0,
  );
}

export type VersionLevel = 'major' | 'minor' | 'patch';

/** Which component differs first between two versions (pre/post/dev differences count as patch). */
export function differenceLevel(eco: PackageEcosystem, from: string, to: string): VersionLevel {
  const a = releaseTuple(eco, from);
  const b = releaseTuple(eco, to);
  if ((a[0] ?? 0) !== (b[0] ?? 0)) return 'major';
  if ((a[1] ?? 0) !== (b[1] ?? 0)) return 'minor';
  return 'patch';
}

function releaseTuple(eco: PackageEcosystem, version: string): number[] {
  if (eco === 'pypi') {
    const v = pep440.explain(version);
    return v ? [v.epoch * 1e6 + (v.release[0] ?? 0), ...v.release.slice(1)] : [];
  }
  const v = semver.parse(version);
  return v ? [v.major, v.minor, v.patch] : [];
}

/** Stable, installable releases in (from, to], for "N releases behind". */
export function releasesBetween(metadata: PackageMetadata, from: string, to: string): number {
  const eco = metadata.ecosystem;
  return installable(metadata).filter(
    (r) =>
      !isPrerelease(eco, r.version) &&
      compareVersions(eco, r.version, from) > 0 &&
      compareVersions(eco, r.version, to) <= 0,
  ).length;
}

/**
 * Whether a spec lets an install reach `boundary` or later, decided offline (no release list):
 * probes the boundary and a few versions above it. `torch<2.6` and `torch==2.5.*` cannot reach
 * 2.6; `torch>=2.0` can.
 */
export function admitsAtLeast(
  eco: PackageEcosystem,
  spec: string | null,
  boundary: string,
): boolean {
  const range = toRange(eco, spec);
  if (range === null) return true; // not a version range (URL, VCS): nothing to conclude
  if (eco === 'npm') return semver.intersects(range, `>=${boundary}`);
  const probes = [boundary, pep440.inc(boundary, 'patch'), pep440.inc(boundary, 'minor')];
  probes.push(pep440.inc(boundary, 'major'), '99999');
  return probes.some((v) => v !== null && satisfies(eco, v, range));
}

/**
 * The spec text with its version moved to `to`, where the written form allows it: exact pins
 * (`==2.4.1`, `===2.4.1`, Poetry/npm `2.4.1`) and npm `^`/`~` ranges keep their operator. Other
 * ranges are left to the author. Returns null when no safe rewrite exists.
 */
export function bumpSpecText(
  eco: PackageEcosystem,
  text: string,
  from: string,
  to: string,
): string | null {
  const m =
    eco === 'pypi'
      ? /^(\s*(?:===?)?\s*v?)([0-9][^\s,;]*)(\s*)$/.exec(text)
      : /^(\s*[=v^~]*\s*)([0-9][^\s|]*)(\s*)$/.exec(text);
  if (!m) return null;
  const [, head, version, tail] = m as unknown as [string, string, string, string];
  const ranged = eco === 'npm' && /[\^~]/.test(head);
  if (!ranged && compareVersions(eco, publicVersion(eco, version), from) !== 0) return null;
  if (compareVersions(eco, to, version) <= 0) return null;
  return `${head}${to}${tail}`;
}
