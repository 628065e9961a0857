import { isCommitSha } from '../util/hub-id.js';
import { hubFinding, hubPairs, noun } from './hub.js';
import type { Check } from './types.js';

/** A pinned commit that vanished means rewritten history or a recreated repository. */
export const revisionNotFound: Check = {
  id: 'revision-not-found',
  run(ctx) {
    return hubPairs(ctx)
      .filter(({ up }) => up.state === 'revision-not-found')
      .map(({ ref, up }) => {
        const rev = ref.revision ?? 'main';
        const commit = isCommitSha(rev);
        const message = commit
          ? `${noun(ref)} ${ref.id} has no commit ${rev}: its history was rewritten, or the repository was deleted and recreated.`
          : `${noun(ref)} ${ref.id} has no revision "${rev}".`;
        return hubFinding(ref, 'revision-not-found', 'high', message, {
          remediation: commit
            ? 'Find out why the commit disappeared (history, owner, creation date) before pinning anything from this repository again.'
            : 'Use a branch or tag that exists, or better, a commit sha.',
          details: {
            revision: rev,
            reason: up.reason ?? null,
            headSha: up.head?.sha ?? null,
            createdAt: up.repo?.createdAt ?? null,
          },
        });
      });
  },
};
