import type { UnverifiedUpstream } from '../../checks/types.js';
import type { Reference } from '../../types.js';
import type { PackageEcosystem } from '../package-metadata.js';

/** One range of an OSV `affected[]` entry: events in the order the record lists them. */
export interface OsvRange {
  type: string;
  events: { introduced?: string; fixed?: string; last_affected?: string; limit?: string }[];
}

/** One `affected[]` entry of an advisory. */
export interface OsvAffected {
  /** OSV's ecosystem name as sent (`PyPI`, `npm`). */
  ecosystem: string;
  name: string;
  ranges: OsvRange[];
  /** Enumerated affected versions (PYSEC records often have only these). */
  versions: string[];
}

/**
 * One advisory after alias deduplication: GHSA, PYSEC and CVE records that name each other are
 * one advisory, kept under the GHSA id when there is one (it carries the severity), else PYSEC.
 */
export interface OsvAdvisory {
  id: string;
  /** Every other id of the same advisory (CVE, PYSEC/GHSA twins, BIT-…), sorted. */
  aliases: string[];
  summary: string | null;
  details: string | null;
  published: string | null;
  modified: string | null;
  /** `severity[]`: CVSS vectors (`CVSS_V3`, `CVSS_V4`). */
  cvss: { type: string; score: string }[];
  /** GHSA's `database_specific.severity` (`LOW`, `MODERATE`, `HIGH`, `CRITICAL`). */
  databaseSeverity: string | null;
  affected: OsvAffected[];
  /** False when `GET /v1/vulns/{id}` failed: only the id is known. */
  complete: boolean;
}

/** What OSV said for one reference's version. */
export interface OsvEvaluation {
  ecosystem: PackageEcosystem;
  name: string;
  /** The spec as written (`==2.4.1`, `>=4.40`), or the locked version. */
  spec: string | null;
  locked: boolean;
  /** The version OSV was asked about. */
  version: string;
  how: 'pinned' | 'locked' | 'newest-admitted';
  /** Advisory ids (keys of `advisories`) after alias deduplication; empty when none. */
  advisories: string[];
}

export interface OsvUpstreams {
  /** Keyed by `evaluationKey(reference)`. */
  evaluations: Record<string, OsvEvaluation>;
  advisories: Record<string, OsvAdvisory>;
  /** References whose vulnerabilities could not be checked, and why. */
  unverified: UnverifiedUpstream[];
}

/** References with the same ecosystem, name, spec and lock state share one evaluation. */
export function evaluationKey(ref: Reference): string {
  return [ref.ecosystem, ref.id, ref.locked ? 'locked' : 'spec', ref.revision ?? ''].join('\0');
}
