import type { HubPair } from './hub.js';
import { hubFinding, hubPairs, noun, short } from './hub.js';
import type { Check } from './types.js';

/** Commit dates and creation dates differ by clock and push time; a day is noise. */
const SLACK_MS = 86_400_000;
/**
 * Repositories older than the Hub's 2022 database migration all carry that day as `createdAt`
 * (gpt2, bert-base-uncased and squad: 2022-03-02T23:29Z), so their older commits prove nothing.
 */
const BACKFILLED_UNTIL = Date.parse('2022-03-03T00:00:00Z');

/**
 * The 2025 "model namespace reuse" attack: an author is deleted or moves, someone registers the
 * freed name and publishes a repository under the old id. Two signs are visible from the Hub:
 * the repository is younger than the commit pinned in it (history copied into a new repo), and
 * the id now redirects to another owner (the old namespace is free to be claimed).
 */
export const namespaceReuseSuspect: Check = {
  id: 'namespace-reuse-suspect',
  run(ctx) {
    return hubPairs(ctx).flatMap((pair) => {
      const younger = youngerThanPin(pair);
      const moved = movedOwner(pair);
      if (!younger && !moved) return [];
      const { ref, up } = pair;
      return [
        hubFinding(
          ref,
          'namespace-reuse-suspect',
          younger ? 'high' : 'medium',
          [younger, moved].filter(Boolean).join(' '),
          {
            remediation:
              'Confirm on the Hub who owns this repository now and that it is the one you reviewed; reference the current owner and a commit sha you verified.',
            details: {
              requested: ref.id,
              canonical: up.repo?.id ?? null,
              author: up.repo?.author ?? null,
              createdAt: up.repo?.createdAt ?? null,
              objectId: up.repo?.objectId ?? null,
              pinDate: up.drift?.pinDate ?? up.at?.date ?? null,
            },
          },
        ),
      ];
    });
  },
};

function youngerThanPin({ ref, up }: HubPair): string | null {
  if (!ref.pinned || up.state !== 'ok' || !up.repo?.createdAt || !up.at) return null;
  const pinDate = up.drift?.pinDate ?? up.at.date;
  if (!pinDate) return null;
  const created = Date.parse(up.repo.createdAt);
  const committed = Date.parse(pinDate);
  if (Number.isNaN(created) || Number.isNaN(committed) || created < BACKFILLED_UNTIL) return null;
  if (created - committed <= SLACK_MS) return null;
  return `${noun(ref)} ${up.repo.id} was created on ${up.repo.createdAt.slice(0, 10)}, after its pinned commit ${short(up.at.sha)} (${pinDate.slice(0, 10)}): the name may have been deleted and registered again with copied history.`;
}

function movedOwner({ ref, up }: HubPair): string | null {
  const repo = up.repo;
  if (!repo || repo.redirects.length === 0 || !ref.id.includes('/')) return null;
  const asked = (ref.id.split('/')[0] as string).toLowerCase();
  const owner = (repo.author ?? repo.id.split('/')[0] ?? '').toLowerCase();
  if (!owner || owner === asked) return null;
  return `${ref.id} now redirects to another owner (${repo.id}); whoever registers "${ref.id.split('/')[0]}" next takes over this reference.`;
}
