import { metadataFor, type PackageMetadata } from '../registries/package-metadata.js';
import type { Finding, Reference, Severity } from '../types.js';
import {
  compareVersions,
  differenceLevel,
  findRelease,
  isPackageEcosystem,
  releasesBetween,
  resolveReference,
  type Resolution,
  type VersionLevel,
} from '../util/package-versions.js';
import { isMlToolchain } from '../util/toolchain.js';
import { thresholdFor } from '../policy/apply.js';
import type { Check, CheckContext } from './types.js';
import { referencePlace } from './place.js';

export interface DriftOptions {
  /** Severity per level behind latest for ML toolchain packages; null: not reported. */
  toolchain: Record<VersionLevel, Severity | null>;
  /** The same for every other package (and for dev dependencies). */
  other: Record<VersionLevel, Severity | null>;
  /** Report lockfile entries of packages outside the toolchain (mostly transitive ones). */
  lockedOther: boolean;
  /** A used release older than this (days) raises the severity one step, up to medium. */
  staleAfterDays: number | null;
  /** Clock for release ages; injected in tests. */
  now: () => number;
}

export const DEFAULT_DRIFT_OPTIONS: DriftOptions = {
  toolchain: { major: 'medium', minor: 'low', patch: 'info' },
  other: { major: 'info', minor: null, patch: null },
  lockedOther: false,
  staleAfterDays: 365,
  now: () => Date.now(),
};

const DAY = 86_400_000;

/**
 * How far each package is behind its latest release. The ML toolchain (the code that loads
 * weights) is weighted above the rest: a minor release behind on torch is worth a line, on a
 * utility library only a major one is, and only at info.
 */
export function createDependencyDrift(overrides: Partial<DriftOptions> = {}): Check {
  const options = { ...DEFAULT_DRIFT_OPTIONS, ...overrides };
  return {
    id: 'dependency-drift',
    run(ctx) {
      const out: Finding[] = [];
      for (const ref of ctx.references) {
        const f = drift(ref, ctx, options);
        if (f) out.push(f);
      }
      return out;
    },
  };
}

export const dependencyDrift: Check = createDependencyDrift();

function drift(ref: Reference, ctx: CheckContext, options: DriftOptions): Finding | null {
  if (ref.kind !== 'package' || !isPackageEcosystem(ref.ecosystem)) return null;
  const meta = metadataFor(ctx.upstreams[ref.ecosystem]?.packages, ref.id);
  const latest = meta?.latest;
  if (!meta || !latest) return null;
  // Before any version arithmetic: most lockfile entries are transitive and not reported.
  const toolchain = !ref.dev && isMlToolchain(ref.ecosystem, ref.id);
  if (ref.locked && !toolchain && !options.lockedOther) return null;
  const used = resolveReference(ref, meta);
  if (!used || compareVersions(meta.ecosystem, used.version, latest) >= 0) return null;
  const level = differenceLevel(meta.ecosystem, used.version, latest);
  const base = (toolchain ? options.toolchain : options.other)[level];
  if (!base) return null;
  const usedRelease = findRelease(meta, used.version);
  const ageDays = usedRelease?.published
    ? Math.floor((options.now() - Date.parse(usedRelease.published)) / DAY)
    : null;
  const staleAfterDays =
    thresholdFor(ctx, 'dependency-drift', ref, 'stale-days') ?? options.staleAfterDays;
  const stale = staleAfterDays !== null && ageDays !== null && ageDays > staleAfterDays;
  const severity = stale ? raise(base) : base;
  return finding(ref, meta, used, { latest, level, severity, ageDays, toolchain, stale });
}

/** Staleness adds one step, never past medium: an old pin is a chore, not an incident. */
const RAISED: Partial<Record<Severity, Severity>> = { info: 'low', low: 'medium' };

function raise(severity: Severity): Severity {
  return RAISED[severity] ?? severity;
}

function finding(
  ref: Reference,
  meta: PackageMetadata,
  used: Resolution,
  d: {
    latest: string;
    level: VersionLevel;
    severity: Severity;
    ageDays: number | null;
    toolchain: boolean;
    stale: boolean;
  },
): Finding {
  const behind = releasesBetween(meta, used.version, d.latest);
  const usedPublished = findRelease(meta, used.version)?.published ?? null;
  const latestPublished = findRelease(meta, d.latest)?.published ?? null;
  const who =
    used.how === 'newest-admitted'
      ? `${ref.id} ${ref.revision ? `"${ref.revision}"` : ''} admits at most ${used.version}, which is`.replace(
          '  ',
          ' ',
        )
      : `${ref.id} ${used.version}${used.how === 'locked' ? ' (locked)' : ''} is`;
  const age =
    usedPublished && d.ageDays !== null
      ? `; ${used.version} was released ${usedPublished.slice(0, 10)}, ${d.ageDays} days ago`
      : '';
  const count = behind > 0 ? `, ${behind} release${behind === 1 ? '' : 's'} behind` : '';
  return {
    rule: 'dependency-drift',
    severity: d.severity,
    message: `${who} a ${d.level} version behind the latest release ${d.latest}${count}${age}.`,
    remediation:
      used.how === 'locked'
        ? `Review the ${ref.id} changelog up to ${d.latest}, then update the lockfile.`
        : `Review the ${ref.id} changelog up to ${d.latest} and move the ${used.how === 'pinned' ? 'pin' : 'constraint'}.`,
    ...referencePlace(ref),
    details: {
      used: used.version,
      how: used.how,
      latest: d.latest,
      level: d.level,
      releasesBehind: behind,
      usedPublished,
      latestPublished,
      ageDays: d.ageDays,
      stale: d.stale,
      toolchain: d.toolchain,
    },
  };
}
