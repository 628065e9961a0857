import { hubFinding, hubPairs, licenseText, noun, sameLicense, short } from './hub.js';
import type { Check } from './types.js';

/** Moving a pin forward would silently accept another licence; say so before it happens. */
export const licenseChanged: Check = {
  id: 'license-changed',
  run(ctx) {
    return hubPairs(ctx).flatMap(({ ref, up }) => {
      const { at, head } = up;
      if (!ref.pinned || up.state !== 'ok' || !at || !head || at.sha === head.sha) return [];
      if (sameLicense(at.license, head.license)) return [];
      return [
        hubFinding(
          ref,
          'license-changed',
          'medium',
          `Licence of ${noun(ref).toLowerCase()} ${ref.id} changed upstream: ${licenseText(at.license)} at the pinned commit ${short(at.sha)}, ${licenseText(head.license)} on main (${short(head.sha)}).`,
          {
            remediation:
              'Review the new licence terms before moving the pin; keep the pin where the licence you accepted applies.',
            details: { pinned: at.license, head: head.license, pinSha: at.sha, headSha: head.sha },
          },
        ),
      ];
    });
  },
};
