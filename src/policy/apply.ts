import picomatch from 'picomatch';
import type { CheckContext } from '../checks/types.js';
import { atLeast } from '../rules.js';
import type { Ecosystem, Finding, RuleId, Severity } from '../types.js';
import type { IgnoreEntry, Policy, RuleSettings, ThresholdKey, ThresholdRule } from './types.js';

/** The upstream a setting or exception is matched against. */
export interface UpstreamRef {
  id?: string;
  ecosystem?: Ecosystem;
}

/** Today as `YYYY-MM-DD` in UTC: exceptions hold through the whole of their `expires` day. */
export function utcDate(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** The date checks compare with: the context's (tests inject it), else today. */
export function todayOf(ctx: Pick<CheckContext, 'today'>): string {
  return ctx.today ?? utcDate();
}

export function isExpired(entry: Pick<IgnoreEntry, 'expires'>, today: string): boolean {
  return entry.expires < today;
}

const matchers = new Map<string, (s: string) => boolean>();

function globMatch(pattern: string, value: string, nocase: boolean): boolean {
  const key = `${nocase ? 'i' : 's'}\0${pattern}`;
  let isMatch = matchers.get(key);
  if (!isMatch) {
    isMatch = picomatch(pattern, { nocase, dot: true });
    matchers.set(key, isMatch);
  }
  return isMatch(value);
}

/** Upstream ids compare case-insensitively: the Hub resolves them so, and registries normalise. */
export function idMatches(pattern: string, id: string): boolean {
  return globMatch(pattern, id, true);
}

export function pathMatches(pattern: string, file: string): boolean {
  return globMatch(pattern, file, false);
}

/** A namespace (or a legacy one-segment id) matches a `publishers.trusted` entry. */
export function isTrustedNamespace(policy: Policy | undefined, namespace: string): boolean {
  return policy?.publishers.trusted?.some((p) => idMatches(p, namespace)) ?? false;
}

/**
 * A rule's settings for one upstream: the `rules:` entry, then every matching `upstreams:` entry
 * in file order, later ones overriding field by field (thresholds key by key).
 */
export function ruleSettingsFor(
  policy: Policy | undefined,
  rule: RuleId,
  ref: UpstreamRef = {},
): RuleSettings {
  if (!policy) return {};
  let out: RuleSettings = { ...policy.rules[rule] };
  for (const up of policy.upstreams) {
    const settings = up.rules[rule];
    if (!settings || !ref.id || !idMatches(up.match, ref.id)) continue;
    if (up.ecosystem && up.ecosystem !== ref.ecosystem) continue;
    out = {
      ...out,
      ...settings,
      thresholds: { ...out.thresholds, ...settings.thresholds },
    };
  }
  return out;
}

/**
 * A rule's threshold for one upstream, or undefined when the policy sets none (the check then
 * uses its own default). For the drift checks:
 * `thresholdFor(ctx, 'revision-drift', ref, 'commits') ?? 1`.
 */
export function thresholdFor<R extends ThresholdRule>(
  ctx: Pick<CheckContext, 'policy'>,
  rule: R,
  ref: UpstreamRef,
  key: ThresholdKey<R>,
): number | undefined {
  return ruleSettingsFor(ctx.policy, rule, ref).thresholds?.[key];
}

/** Rules whose findings `require-pinned: true` raises to high. */
const PIN_RULES: ReadonlySet<RuleId> = new Set(['unpinned-revision', 'dependency-unpinned']);

/**
 * Applies a policy to the checks' findings: drops those of rules turned off, raises what
 * `require-pinned` / `require-safetensors` make high, applies severity overrides, and marks what
 * an unexpired exception covers as suppressed (kept, so reports can show it folded). Expired
 * exceptions suppress nothing; the `exception-expired` rule reports them.
 */
export function applyPolicy(
  findings: readonly Finding[],
  policy: Policy | undefined,
  options: { today?: string } = {},
): Finding[] {
  if (!policy) return [...findings];
  const today = options.today ?? utcDate();
  const live = policy.ignore.filter((e) => !isExpired(e, today));
  const out: Finding[] = [];
  for (const f of findings) {
    const settings = ruleSettingsFor(policy, f.rule, f);
    if (settings.enabled === false) continue;
    let severity = f.severity;
    let raisedBy: string | null = null;
    const required =
      (policy.requirePinned && PIN_RULES.has(f.rule) && 'require-pinned') ||
      (policy.requireSafetensors && f.rule === 'unsafe-weights-format' && 'require-safetensors');
    if (required && !atLeast(severity, 'high')) {
      severity = 'high';
      raisedBy = required;
    }
    if (settings.severity) {
      severity = settings.severity;
      raisedBy = null;
    }
    const exception = live.find((e) => exceptionMatches(e, f));
    out.push(withPolicy(f, severity, raisedBy, exception));
  }
  return out;
}

function withPolicy(
  f: Finding,
  severity: Severity,
  raisedBy: string | null,
  exception: IgnoreEntry | undefined,
): Finding {
  if (severity === f.severity && !raisedBy && !exception) return f;
  return {
    ...f,
    severity,
    ...(raisedBy ? { details: { ...f.details, raisedBy } } : {}),
    ...(exception ? { suppressed: { reason: exception.reason, expires: exception.expires } } : {}),
  };
}

export function exceptionMatches(entry: IgnoreEntry, f: Finding): boolean {
  if (entry.rule !== f.rule) return false;
  if (entry.id !== undefined && (f.id === undefined || !idMatches(entry.id, f.id))) return false;
  if (entry.path !== undefined && !pathMatches(entry.path, f.file)) return false;
  return true;
}
