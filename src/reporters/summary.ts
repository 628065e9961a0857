import { SEVERITIES, type Finding, type Severity } from '../types.js';

export type SeverityCounts = Record<Severity, number>;

/**
 * Findings that count: not covered by a policy exception. Suppressed ones stay in the result
 * (reports fold them) but never reach a headline, a count or `fail-on`.
 */
export function activeFindings(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => !f.suppressed);
}

export function suppressedFindings(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => f.suppressed);
}

/** Counts active findings only (see activeFindings). */
export function countBySeverity(findings: readonly Finding[]): SeverityCounts {
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as SeverityCounts;
  for (const f of activeFindings(findings)) counts[f.severity]++;
  return counts;
}

/** The most severe active finding's severity, or null when there is none. */
export function highestSeverity(findings: readonly Finding[]): Severity | null {
  const active = activeFindings(findings);
  for (const s of SEVERITIES) if (active.some((f) => f.severity === s)) return s;
  return null;
}

export function groupByFile(findings: readonly Finding[]): Map<string, Finding[]> {
  const out = new Map<string, Finding[]>();
  for (const f of findings) out.set(f.file, [...(out.get(f.file) ?? []), f]);
  return out;
}
