import type { HubDrift } from '../registries/huggingface/types.js';
import { thresholdFor } from '../policy/apply.js';
import type { Reference, Severity } from '../types.js';
import { hubFinding, hubPairs, noun, short } from './hub.js';
import type { Check, CheckContext } from './types.js';

/** Distance at which drift becomes medium or high: either commits or days reaching it. */
export interface DriftThresholds {
  medium: { commits: number; days: number };
  high: { commits: number; days: number };
}

export const DEFAULT_DRIFT_THRESHOLDS: DriftThresholds = {
  medium: { commits: 10, days: 180 },
  high: { commits: 50, days: 365 },
};

/**
 * A pinned commit behind `main`: how many commits (`x-total-count` of main minus that of the pin,
 * or the position of the pin in the newest page), how many days, and the newest titles. Low by
 * default; grows with the distance (configurable through `createRevisionDrift`).
 */
export function createRevisionDrift(thresholds: DriftThresholds = DEFAULT_DRIFT_THRESHOLDS): Check {
  return {
    id: 'revision-drift',
    run(ctx) {
      return hubPairs(ctx).flatMap(({ ref, up }) => {
        const drift = up.drift;
        if (!ref.pinned || up.state !== 'ok' || !drift || !up.at) return [];
        if (drift.behind === 0 || drift.headSha === up.at.sha) return [];
        const severity = severityOf(drift, withPolicy(ctx, ref, thresholds));
        const fix = ref.revisionSpan
          ? {
              description: `Move the pin to the head of main (${short(drift.headSha)}) after reviewing the commits in between`,
              span: ref.revisionSpan,
              replacement: drift.headSha,
            }
          : undefined;
        return [
          hubFinding(ref, 'revision-drift', severity, message(ref, up.at.sha, drift), {
            remediation: `Review the upstream commits since ${short(up.at.sha)}, then move the pin to ${drift.headSha}.`,
            ...(fix ? { fix } : {}),
            links: [
              { title: 'Upstream history', url: drift.historyUrl },
              { title: 'Diff from the pin to main', url: drift.compareUrl },
            ],
            details: {
              pinSha: up.at.sha,
              headSha: drift.headSha,
              behind: drift.behind,
              daysBehind: drift.daysBehind,
              pinDate: drift.pinDate,
              headDate: drift.headDate,
              newest: drift.newest,
            },
          }),
        ];
      });
    },
  };
}

export const revisionDrift = createRevisionDrift();

/** The policy's thresholds for this upstream (rules: and matching upstreams:), key by key. */
function withPolicy(ctx: CheckContext, ref: Reference, t: DriftThresholds): DriftThresholds {
  const get = (key: 'medium-commits' | 'medium-days' | 'high-commits' | 'high-days') =>
    thresholdFor(ctx, 'revision-drift', ref, key);
  return {
    medium: {
      commits: get('medium-commits') ?? t.medium.commits,
      days: get('medium-days') ?? t.medium.days,
    },
    high: { commits: get('high-commits') ?? t.high.commits, days: get('high-days') ?? t.high.days },
  };
}

function severityOf(drift: HubDrift, t: DriftThresholds): Severity {
  const reaches = (level: { commits: number; days: number }) =>
    (drift.behind ?? 0) >= level.commits || (drift.daysBehind ?? 0) >= level.days;
  if (reaches(t.high)) return 'high';
  if (reaches(t.medium)) return 'medium';
  return 'low';
}

function message(ref: { kind: string; id: string }, pin: string, d: HubDrift): string {
  const count =
    d.behind === null
      ? 'an unknown number of commits'
      : `${d.behind} commit${d.behind === 1 ? '' : 's'}`;
  const days =
    d.daysBehind === null ? '' : ` (${d.daysBehind} day${d.daysBehind === 1 ? '' : 's'})`;
  const titles = d.newest
    .slice(0, 3)
    .map((c) => `"${clip(c.title)}"`)
    .join(', ');
  return `${noun(ref)} ${ref.id} is pinned to ${short(pin)}, ${count}${days} behind main (${short(d.headSha)})${titles ? `; newest: ${titles}${d.newest.length > 3 ? ', …' : ''}` : ''}.`;
}

function clip(title: string): string {
  const one = title.replace(/\s+/g, ' ').trim();
  return one.length > 72 ? `${one.slice(0, 71)}…` : one;
}
