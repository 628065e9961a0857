import { hubFinding, hubPairs, noun } from './hub.js';
import type { Check } from './types.js';

/**
 * Gated repos keep their info public, but history and files need an accepted licence and a
 * token. Reported when a request was refused for that reason, or when no token was given at
 * all (a run in CI then cannot download the model either). Info: nothing is wrong yet.
 */
export const upstreamGated: Check = {
  id: 'upstream-gated',
  run(ctx) {
    const authenticated = ctx.upstreams.huggingface?.authenticated ?? false;
    return hubPairs(ctx)
      .filter(({ up }) => up.access === 'denied' || (!authenticated && !!up.repo?.gated))
      .map(({ ref, up }) => {
        const mode = up.repo?.gated ? ` (${up.repo.gated} approval)` : '';
        const message =
          up.access === 'denied'
            ? `${noun(ref)} ${ref.id} is gated${mode} and ${authenticated ? 'the token has no access' : 'no token was given'}, so ${up.driftUnknown ? 'its commit history' : 'it'} could not be verified.`
            : `${noun(ref)} ${ref.id} is gated${mode}: downloading it needs a token with access, and its licence terms apply.`;
        return hubFinding(ref, 'upstream-gated', 'info', message, {
          remediation: authenticated
            ? 'Request access to the repository for the account that owns the token.'
            : 'Accept the terms on the Hub and set HF_TOKEN (the hf-token input) to a token with access.',
          details: {
            gated: up.repo?.gated ?? null,
            access: up.access,
            reason: up.reason ?? up.driftUnknown ?? null,
          },
        });
      });
  },
};
