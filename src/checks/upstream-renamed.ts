import type { HubRepo } from '../registries/huggingface/types.js';
import type { Severity } from '../types.js';
import { hubFinding, hubPairs, noun } from './hub.js';
import type { Check } from './types.js';

/**
 * The Hub redirects renamed repos (307, relative Location) and answers with the canonical id.
 * A case difference or a legacy one-segment id (`gpt2`) is cosmetic: low. A real rename is
 * medium: the old name is an alias that someone else may claim (see namespace-reuse-suspect).
 */
export const upstreamRenamed: Check = {
  id: 'upstream-renamed',
  run(ctx) {
    return hubPairs(ctx).flatMap(({ ref, up }) => {
      const repo = up.repo;
      if (!repo || (repo.id === ref.id && repo.redirects.length === 0)) return [];
      const { severity, why } = kindOfRename(ref.id, repo);
      return [
        hubFinding(ref, 'upstream-renamed', severity, `${noun(ref)} ${ref.id} ${why} ${repo.id}.`, {
          remediation: `Reference ${repo.id} directly${severity === 'medium' ? ', after checking it is the repository you reviewed' : ''}.`,
          details: {
            requested: ref.id,
            canonical: repo.id,
            redirects: repo.redirects.map((u) => new URL(u).pathname),
            objectId: repo.objectId,
            createdAt: repo.createdAt,
          },
        }),
      ];
    });
  },
};

function kindOfRename(requested: string, repo: HubRepo): { severity: Severity; why: string } {
  if (requested.toLowerCase() === repo.id.toLowerCase())
    return { severity: 'low', why: 'differs only in letter case from' };
  if (!requested.includes('/')) return { severity: 'low', why: 'is a legacy id for' };
  return { severity: 'medium', why: 'was renamed or moved; the Hub now redirects it to' };
}
