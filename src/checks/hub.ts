import { hubUpstreamOf } from '../registries/huggingface/key.js';
import type { HubLicense, HubUpstream } from '../registries/huggingface/types.js';
import type { Finding, Reference, RuleId, Severity } from '../types.js';
import type { CheckContext } from './types.js';
import { referencePlace } from './place.js';

/** Helpers shared by the checks that read Hub facts (src/registries/huggingface). */

export interface HubPair {
  ref: Reference;
  up: HubUpstream;
}

/** Every Hub reference that has upstream facts (none in offline runs). */
export function hubPairs(ctx: CheckContext): HubPair[] {
  if (!ctx.upstreams.huggingface) return [];
  const out: HubPair[] = [];
  for (const ref of ctx.references) {
    if (ref.ecosystem !== 'huggingface' || ref.kind === 'package') continue;
    const up = hubUpstreamOf(ctx.upstreams, ref);
    if (up) out.push({ ref, up });
  }
  return out;
}

export function hubFinding(
  ref: Reference,
  rule: RuleId,
  severity: Severity,
  message: string,
  extra: Partial<Finding> = {},
): Finding {
  return {
    rule,
    severity,
    message,
    ...referencePlace(ref),
    ...extra,
  };
}

export function noun(ref: { kind: string }): string {
  return ref.kind === 'dataset' ? 'Dataset' : 'Model';
}

/** `id@revision` as the reference wrote it. */
export function named(ref: { id: string; revision: string | null }): string {
  return ref.revision ? `${ref.id}@${ref.revision}` : ref.id;
}

export function short(sha: string): string {
  return sha.slice(0, 12);
}

export function licenseText(license: HubLicense | null): string {
  if (!license) return 'none';
  const ids = license.ids.join(' + ');
  return license.name && license.ids.includes('other') ? `${ids} (${license.name})` : ids;
}

export function sameLicense(a: HubLicense | null, b: HubLicense | null): boolean {
  return licenseText(a) === licenseText(b);
}
