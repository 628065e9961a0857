import { isTrustedNamespace } from '../policy/apply.js';
import { nearMiss, type NearMiss } from '../policy/typosquat.js';
import { WELL_KNOWN_MODELS, WELL_KNOWN_PUBLISHERS } from '../policy/well-known.js';
import type { Finding, Reference } from '../types.js';
import type { Check } from './types.js';
import { referencePlace } from './place.js';

/**
 * Hub ids whose namespace (or, for legacy one-segment model ids, the whole id) is a near miss
 * of a well-known name. Runs without a policy; a policy adds names and trusts near-namesakes.
 */
export const typosquatSuspect: Check = {
  id: 'typosquat-suspect',
  run(ctx) {
    const publishers = [...WELL_KNOWN_PUBLISHERS, ...(ctx.policy?.publishers.wellKnown ?? [])];
    const out: Finding[] = [];
    for (const ref of ctx.references) {
      if (ref.ecosystem !== 'huggingface') continue;
      const slash = ref.id.indexOf('/');
      const name = slash === -1 ? ref.id : ref.id.slice(0, slash);
      if (isTrustedNamespace(ctx.policy, name)) continue;
      const miss =
        slash !== -1
          ? nearMiss(name, publishers)
          : ref.kind === 'model'
            ? nearMiss(name, WELL_KNOWN_MODELS)
            : null;
      if (miss) out.push(finding(ref, name, slash !== -1, miss));
    }
    return out;
  },
};

function finding(ref: Reference, name: string, isNamespace: boolean, miss: NearMiss): Finding {
  const how =
    miss.how === 'look-alike'
      ? 'with look-alike characters'
      : `${miss.distance} ${miss.distance === 1 ? 'edit' : 'edits'} away`;
  const what = isNamespace ? `publisher "${name}"` : `model id "${name}"`;
  const intended = isNamespace ? `${miss.target}${ref.id.slice(name.length)}` : miss.target;
  return {
    rule: 'typosquat-suspect',
    severity: miss.how === 'look-alike' ? 'high' : 'medium',
    message: `${ref.kind === 'dataset' ? 'Dataset' : 'Model'} ${ref.id}: the ${what} imitates the well-known "${miss.target}" (${how}).`,
    remediation: `If you meant ${intended}, reference that. If ${name} is intended, check it and add it to publishers.trusted.`,
    ...referencePlace(ref),
    details: { name, wellKnown: miss.target, how: miss.how, distance: miss.distance },
  };
}
