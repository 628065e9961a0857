import {
  metadataFor,
  type PackageEcosystem,
  type PackageMetadata,
} from '../registries/package-metadata.js';
import {
  evaluationKey,
  type OsvAdvisory,
  type OsvAffected,
  type OsvEvaluation,
  type OsvRange,
} from '../registries/osv/types.js';
import { severityRank } from '../rules.js';
import type { Finding, Fix, Reference, Severity } from '../types.js';
import { cvss3BaseScore, cvssSeverity } from '../util/cvss.js';
import { normalizePythonName } from '../extractors/references.js';
import {
  bumpSpecText,
  compareVersions,
  isPackageEcosystem,
  validVersion,
} from '../util/package-versions.js';
import type { Check } from './types.js';
import { referencePlace } from './place.js';

/**
 * One finding per advisory per reference, at the line that declares the package. Every finding
 * of a reference names the same upgrade target (the lowest version that is out of every affected
 * range found), and only the most severe one carries the suggestion, so a review shows one fix.
 */
export const dependencyVulnerable: Check = {
  id: 'dependency-vulnerable',
  run(ctx) {
    const osv = ctx.upstreams.osv;
    if (!osv) return [];
    const out: Finding[] = [];
    for (const ref of ctx.references) {
      if (ref.kind !== 'package' || !isPackageEcosystem(ref.ecosystem)) continue;
      const key = evaluationKey(ref);
      const evaluation = Object.hasOwn(osv.evaluations, key) ? osv.evaluations[key] : undefined;
      if (!evaluation || evaluation.advisories.length === 0) continue;
      const advisories = evaluation.advisories
        .map((id) => (Object.hasOwn(osv.advisories, id) ? osv.advisories[id] : undefined))
        .filter((a): a is OsvAdvisory => !!a);
      const meta = metadataFor(ctx.upstreams[ref.ecosystem]?.packages, ref.id);
      out.push(...findingsFor(ref, evaluation, advisories, meta));
    }
    return out;
  },
};

interface Assessed {
  advisory: OsvAdvisory;
  severity: Severity;
  severitySource: string;
  affectedText: string;
  fixed: string | null;
}

function findingsFor(
  ref: Reference,
  ev: OsvEvaluation,
  advisories: OsvAdvisory[],
  meta: PackageMetadata | undefined,
): Finding[] {
  const assessed = advisories
    .map((a) => assess(a, ev))
    .sort((a, b) => severityRank(b.severity) - severityRank(a.severity));
  const fixedIn = upgradeTarget(ev.ecosystem, assessed);
  // A fix the registry does not offer yet (or only as a yanked release) cannot be pinned.
  const unreleased = !!fixedIn && !!meta && !installableFrom(meta, fixedIn);
  const target = unreleased ? null : fixedIn;
  const fix = target ? specFix(ref, ev, target, assessed) : undefined;
  return assessed.map((a, i) =>
    finding(ref, ev, a, { target, unreleased }, i === 0 ? fix : undefined),
  );
}

function installableFrom(meta: PackageMetadata, version: string): boolean {
  return meta.releases.some(
    (r) => !r.yanked && !r.empty && compareVersions(meta.ecosystem, r.version, version) >= 0,
  );
}

function finding(
  ref: Reference,
  ev: OsvEvaluation,
  a: Assessed,
  upgrade: { target: string | null; unreleased: boolean },
  fix: Fix | undefined,
): Finding {
  const { target } = upgrade;
  const { advisory } = a;
  const aka = advisory.aliases.length ? ` (${advisory.aliases.join(', ')})` : '';
  const summary = advisory.summary ?? (advisory.complete ? 'no summary' : 'details unavailable');
  const fixedText = a.fixed ? `fixed in ${a.fixed}` : 'no fixed version published';
  return {
    rule: 'dependency-vulnerable',
    severity: a.severity,
    message: `${subject(ref, ev)} is affected by ${advisory.id}${aka}: ${oneLine(summary)}. Affected: ${a.affectedText}; ${fixedText}.`,
    remediation: remediation(ref, ev, a, upgrade),
    ...referencePlace(ref),
    ...(fix ? { fix } : {}),
    links: [
      {
        title: advisory.id,
        url: `https://osv.dev/vulnerability/${encodeURIComponent(advisory.id)}`,
      },
    ],
    details: {
      advisory: advisory.id,
      aliases: advisory.aliases,
      summary: advisory.summary,
      severitySource: a.severitySource,
      cvss: advisory.cvss,
      affected: a.affectedText,
      fixed: a.fixed,
      upgradeTo: target,
      evaluated: ev.version,
      how: ev.how,
      spec: ev.spec,
      marker: ref.marker ?? null,
      dev: !!ref.dev,
    },
  };
}

/** Names the version that was checked, and how it was chosen. */
function subject(ref: Reference, ev: OsvEvaluation): string {
  if (ev.how === 'newest-admitted')
    return `${ref.id} ${ev.spec ? `"${ev.spec}"` : '(no version constraint)'} resolves to ${ev.version} (the newest release it admits), which`;
  if (ev.how === 'locked') return `${ref.id} ${ev.version} (locked)`;
  return `${ref.id} ${ev.version}`;
}

function remediation(
  ref: Reference,
  ev: OsvEvaluation,
  a: Assessed,
  { target, unreleased }: { target: string | null; unreleased: boolean },
) {
  if (unreleased && a.fixed)
    return `The fix (${a.fixed}) is not an installable release on the registry yet: follow the advisory for workarounds until it is.`;
  if (!target || !a.fixed)
    return 'No release fixes this yet: follow the advisory for workarounds, or replace the package.';
  const all =
    target !== a.fixed
      ? ` (${target} is the lowest version outside every advisory found for this version)`
      : '';
  if (ev.how === 'locked')
    return `Upgrade ${ref.id} to ${target} or later${all} in the manifest and regenerate the lockfile.`;
  if (ev.how === 'newest-admitted')
    return `Change the constraint so it requires ${target} or later${all}: every release it admits today is affected.`;
  return `Upgrade to ${target}${all}.`;
}

/** Severity from GHSA's rating, else a CVSS v3 score, else the rule default (unrated). */
function assess(advisory: OsvAdvisory, ev: OsvEvaluation): Assessed {
  const affected = affectedFor(advisory, ev);
  const { severity, source } = rate(advisory);
  return {
    advisory,
    severity,
    severitySource: source,
    affectedText: describeAffected(affected, ev),
    fixed: lowestFixed(affected, ev),
  };
}

function rate(advisory: OsvAdvisory): { severity: Severity; source: string } {
  // The OSV malicious-packages feed: the release itself is malware.
  if (advisory.id.startsWith('MAL-')) return { severity: 'critical', source: 'malicious package' };
  const db = advisory.databaseSeverity?.toUpperCase();
  const mapped: Record<string, Severity> = {
    CRITICAL: 'critical',
    HIGH: 'high',
    MODERATE: 'medium',
    MEDIUM: 'medium',
    LOW: 'low',
  };
  if (db && mapped[db]) return { severity: mapped[db], source: `database severity ${db}` };
  for (const c of advisory.cvss) {
    const score = cvss3BaseScore(c.score);
    if (score !== null)
      return { severity: cvssSeverity(score), source: `CVSS ${score.toFixed(1)}` };
  }
  return { severity: 'high', source: 'unrated' };
}

/** The advisory's entries for this package (PyPI names compared normalized). */
function affectedFor(advisory: OsvAdvisory, ev: OsvEvaluation): OsvAffected[] {
  const want = ev.ecosystem === 'pypi' ? normalizePythonName(ev.name) : ev.name;
  const mine = advisory.affected.filter((a) => {
    const name = ev.ecosystem === 'pypi' ? normalizePythonName(a.name) : a.name;
    return name === want;
  });
  return mine.length ? mine : advisory.affected;
}

/** ECOSYSTEM and SEMVER ranges order versions like the package's ecosystem; GIT ones cannot. */
function orderedRanges(affected: OsvAffected[]): OsvRange[] {
  return affected.flatMap((a) => a.ranges).filter((r) => r.type !== 'GIT');
}

function sortedEvents(eco: PackageEcosystem, range: OsvRange) {
  const version = (e: OsvRange['events'][number]) =>
    e.introduced ?? e.fixed ?? e.last_affected ?? e.limit ?? '0';
  return [...range.events].sort((a, b) => {
    const va = version(a);
    const vb = version(b);
    if (va === '0' || vb === '0') return va === vb ? 0 : va === '0' ? -1 : 1;
    return compareVersions(eco, va, vb);
  });
}

/** The OSV evaluation algorithm for one range: walk sorted events, toggling "affected". */
function inRange(eco: PackageEcosystem, version: string, range: OsvRange): boolean {
  let affected = false;
  for (const e of sortedEvents(eco, range)) {
    if (e.introduced !== undefined) {
      if (e.introduced === '0' || compareVersions(eco, version, e.introduced) >= 0) affected = true;
    } else if (e.fixed !== undefined) {
      if (compareVersions(eco, version, e.fixed) >= 0) affected = false;
    } else if (e.last_affected !== undefined) {
      if (compareVersions(eco, version, e.last_affected) > 0) affected = false;
    }
  }
  return affected;
}

/** The smallest `fixed` above the version, from the ranges that contain it (else from any). */
function lowestFixed(affected: OsvAffected[], ev: OsvEvaluation): string | null {
  const eco = ev.ecosystem;
  const ranges = orderedRanges(affected);
  const containing = ranges.filter((r) => inRange(eco, ev.version, r));
  const fixes = (containing.length ? containing : ranges)
    .flatMap((r) => r.events.map((e) => e.fixed))
    .filter(
      (v): v is string => !!v && validVersion(eco, v) && compareVersions(eco, v, ev.version) > 0,
    )
    .sort((a, b) => compareVersions(eco, a, b));
  return fixes[0] ?? null;
}

/** The containing range as text (`>=7.0.0-alpha.0, <8.18.0`), or the enumerated versions. */
function describeAffected(affected: OsvAffected[], ev: OsvEvaluation): string {
  const eco = ev.ecosystem;
  const ranges = orderedRanges(affected);
  const containing = ranges.filter((r) => inRange(eco, ev.version, r));
  const shown = (containing.length ? containing : ranges).map((r) => rangeText(eco, r));
  if (shown.length) return shown.join(' or ');
  const versions = affected.flatMap((a) => a.versions);
  if (versions.length === 0) return `${ev.version} (per OSV)`;
  const head = versions.slice(0, 5).join(', ');
  return `versions ${head}${versions.length > 5 ? `, … (${versions.length} in all)` : ''}`;
}

function rangeText(eco: PackageEcosystem, range: OsvRange): string {
  const parts: string[] = [];
  let open: string | null = null;
  for (const e of sortedEvents(eco, range)) {
    if (e.introduced !== undefined) open = e.introduced === '0' ? '' : `>=${e.introduced}`;
    else if (open !== null && (e.fixed !== undefined || e.last_affected !== undefined)) {
      const end = e.fixed !== undefined ? `<${e.fixed}` : `<=${e.last_affected}`;
      parts.push(open ? `${open}, ${end}` : end);
      open = null;
    }
  }
  if (open !== null) parts.push(open || 'all versions');
  return parts.join(' or ');
}

/**
 * The one version to move to: the highest of the per-advisory lowest fixes, so it leaves every
 * affected range found for the current version that has a fix at all.
 */
function upgradeTarget(eco: PackageEcosystem, assessed: Assessed[]): string | null {
  const fixes = assessed
    .map((a) => a.fixed)
    .filter((v): v is string => v !== null)
    .sort((a, b) => compareVersions(eco, a, b));
  return fixes[fixes.length - 1] ?? null;
}

/** A suggestion that rewrites the spec in the file; lockfiles are regenerated, not edited. */
function specFix(
  ref: Reference,
  ev: OsvEvaluation,
  target: string,
  assessed: Assessed[],
): Fix | undefined {
  if (ref.locked || !ref.revisionSpan) return undefined;
  const replacement = bumpSpecText(ev.ecosystem, ref.revisionSpan.text, ev.version, target);
  if (!replacement) return undefined;
  const ids = assessed
    .filter((a) => a.fixed)
    .map((a) => a.advisory.id)
    .join(', ');
  return {
    description: `Upgrade ${ref.id} to ${target} (fixes ${ids})`,
    span: ref.revisionSpan,
    replacement,
  };
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return (line.length > 200 ? `${line.slice(0, 197)}…` : line).replace(/\.$/, '');
}
