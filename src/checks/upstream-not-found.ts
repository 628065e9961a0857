import { hubFinding, hubPairs, noun } from './hub.js';
import type { Check } from './types.js';

/**
 * A definitive 404 (RepoNotFound, or any 404) is high: the name is free for anyone to register.
 * An anonymous 401 is medium: the Hub answers a private repository the same way.
 */
export const upstreamNotFound: Check = {
  id: 'upstream-not-found',
  run(ctx) {
    const authenticated = ctx.upstreams.huggingface?.authenticated ?? false;
    return hubPairs(ctx)
      .filter(({ up }) => up.state === 'not-found')
      .map(({ ref, up }) => {
        const details = { definitive: !!up.definitive, reason: up.reason ?? null };
        if (up.definitive) {
          return hubFinding(
            ref,
            'upstream-not-found',
            'high',
            `${noun(ref)} ${ref.id} does not exist on the Hub (${up.reason}).`,
            {
              remediation:
                'Point the reference at a repository that exists. A deleted name can be registered again by anyone, so do not leave it in place.',
              details,
            },
          );
        }
        const why = authenticated
          ? 'or the token cannot read it'
          : 'or it is private: without a token the Hub answers both the same way';
        return hubFinding(
          ref,
          'upstream-not-found',
          'medium',
          `${noun(ref)} ${ref.id} was not found on the Hub, ${why}.`,
          {
            remediation: authenticated
              ? 'Check the id, and that the token has read access to the repository.'
              : 'Check the id; if the repository is private, set HF_TOKEN (the hf-token input) so it can be verified.',
            details,
          },
        );
      });
  },
};
