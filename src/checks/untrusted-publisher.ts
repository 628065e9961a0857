import { isTrustedNamespace } from '../policy/apply.js';
import type { Finding } from '../types.js';
import type { Check } from './types.js';
import { referencePlace } from './place.js';

/**
 * With `publishers.trusted` set, every Hub model or dataset from another namespace. Legacy
 * one-segment ids (`gpt2`) have no namespace: the Hub itself maintains them, so they pass.
 */
export const untrustedPublisher: Check = {
  id: 'untrusted-publisher',
  run(ctx) {
    if (!ctx.policy?.publishers.trusted) return [];
    const out: Finding[] = [];
    for (const ref of ctx.references) {
      if (ref.ecosystem !== 'huggingface' || !ref.id.includes('/')) continue;
      const namespace = ref.id.slice(0, ref.id.indexOf('/'));
      if (isTrustedNamespace(ctx.policy, namespace)) continue;
      out.push({
        rule: 'untrusted-publisher',
        severity: 'medium',
        message: `${ref.kind === 'dataset' ? 'Dataset' : 'Model'} ${ref.id} is published by ${namespace}, which is not on the policy's trusted list.`,
        remediation: `Review ${namespace} and add it to publishers.trusted, or use a ${ref.kind} from a trusted publisher.`,
        ...referencePlace(ref),
        details: { namespace },
      });
    }
    return out;
  },
};
