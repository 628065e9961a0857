import { checkLicense, type NormalizedLicense } from '../policy/licenses.js';
import { licenseOf } from '../policy/provenance.js';
import type { Finding, Reference } from '../types.js';
import type { Check } from './types.js';
import { referencePlace } from './place.js';

/**
 * The declared licence of every Hub model and dataset the repository references, against the
 * policy's allow and deny lists for its kind. Needs upstream facts: silent offline, and silent
 * without licence lists.
 */
export const licensePolicy: Check = {
  id: 'license-policy',
  run(ctx) {
    if (!ctx.policy) return [];
    const out: Finding[] = [];
    const seen = new Set<string>();
    for (const ref of ctx.references) {
      if (ref.ecosystem !== 'huggingface' || ref.kind === 'package') continue;
      const lists =
        ref.kind === 'dataset' ? ctx.policy.licenses.datasets : ctx.policy.licenses.models;
      if (!lists.allow && lists.deny.length === 0) continue;
      const key = `${ref.file}\0${ref.line}\0${ref.kind}\0${ref.id.toLowerCase()}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const license = licenseOf(ctx, ref);
      if (!license) continue;
      const verdict = checkLicense(license, lists);
      if (!verdict.ok) out.push(finding(ref, license, verdict));
    }
    return out;
  },
};

function finding(
  ref: Reference,
  license: NormalizedLicense,
  verdict: Exclude<ReturnType<typeof checkLicense>, { ok: true }>,
): Finding {
  const what = `${ref.kind === 'dataset' ? 'Dataset' : 'Model'} ${ref.id}`;
  const kinds = ref.kind === 'dataset' ? 'datasets' : 'models';
  let message: string;
  if (verdict.reason === 'denied')
    message = `${what} is licensed ${license.label}, which the policy denies for ${kinds} (${verdict.deniedBy.join(', ')}).`;
  else if (license.expression === null)
    message = `${what} declares no licence; the policy's allow list for ${kinds} needs one.`;
  else
    message = `${what} is licensed ${license.label}, which is not on the policy's allow list for ${kinds}.`;
  return {
    rule: 'license-policy',
    severity: verdict.reason === 'denied' ? 'high' : 'medium',
    message,
    remediation:
      verdict.reason === 'denied'
        ? `Use a ${ref.kind} under an allowed licence.`
        : `Have the licence reviewed; then allow it in the policy, or record an exception for ${ref.id} with the reason.`,
    ...referencePlace(ref),
    ...(license.link ? { links: [{ title: 'Licence', url: license.link }] } : {}),
    details: {
      license: license.label,
      expression: license.expression,
      verdict: verdict.reason,
      ...(verdict.reason === 'denied' ? { deniedBy: verdict.deniedBy } : {}),
    },
  };
}
