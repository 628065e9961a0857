import { hubFinding, hubPairs, noun } from './hub.js';
import type { Check } from './types.js';

/** A model answers 200 with `disabled: true`; a dataset answers 403 "…disabled.". Both count. */
export const upstreamDisabled: Check = {
  id: 'upstream-disabled',
  run(ctx) {
    return hubPairs(ctx)
      .filter(({ up }) => up.state === 'disabled')
      .map(({ ref, up }) =>
        hubFinding(
          ref,
          'upstream-disabled',
          'high',
          `${noun(ref)} ${ref.id} is disabled on the Hub (${up.reason ?? 'disabled'}).`,
          {
            remediation:
              'The Hub disables repositories for policy violations; stop using it and find out why before trusting any copy of it.',
            details: { reason: up.reason ?? null },
          },
        ),
      );
  },
};
