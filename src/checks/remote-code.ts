import type { Fact, Finding, Reference } from '../types.js';
import type { Check } from './types.js';

type RemoteCodeFact = Extract<Fact, { type: 'remote-code' }>;

/**
 * Code shipped with a model runs with the caller's privileges. Unpinned, that code is whatever
 * the repository holds at load time: high. Pinned to a reviewed commit: medium. A local config's
 * auto_map only says the model needs custom code: low.
 */
export const remoteCode: Check = {
  id: 'remote-code',
  run(ctx) {
    // By file first: a monorepo has thousands of both, and a scan of every reference per flag
    // grew with their product (seconds at 50k files).
    const flagged = new Map<string, Reference[]>();
    for (const ref of ctx.references) {
      if (!ref.trustRemoteCode) continue;
      const list = flagged.get(ref.file);
      if (list) list.push(ref);
      else flagged.set(ref.file, [ref]);
    }
    const out: Finding[] = [];
    for (const fact of ctx.facts) {
      if (fact.type !== 'remote-code') continue;
      out.push(finding(fact, nearestRef(fact, flagged.get(fact.file) ?? [])));
    }
    return out;
  },
};

/**
 * The reference the flag belongs to: same file, marked by its extractor as running remote code,
 * closest by line (a CLI flag may come before or after `--model`; a call spans lines).
 */
function nearestRef(fact: RemoteCodeFact, refs: readonly Reference[]): Reference | undefined {
  let best: Reference | undefined;
  for (const ref of refs) {
    if (ref.file !== fact.file || !ref.trustRemoteCode) continue;
    if (!best || Math.abs(ref.line - fact.line) < Math.abs(best.line - fact.line)) best = ref;
  }
  return best;
}

function finding(fact: RemoteCodeFact, ref: Reference | undefined): Finding {
  const base = {
    rule: 'remote-code' as const,
    file: fact.file,
    line: fact.line,
    column: fact.column,
    details: {
      via: fact.via,
      detail: fact.detail,
      reference: ref?.id ?? null,
      pinned: ref?.pinned ?? null,
    },
  };
  if (fact.via === 'auto_map') {
    return {
      ...base,
      severity: 'low',
      message: `Model config maps classes to custom code (${fact.detail}); loading it needs trust_remote_code.`,
      remediation:
        'Review the referenced modeling files and pin the revision that holds the reviewed code.',
    };
  }
  const target = ref ? ` for ${ref.id}` : '';
  const unpinned = !ref || !ref.pinned;
  return {
    ...base,
    ...(ref ? { id: ref.id, ecosystem: ref.ecosystem, kind: ref.kind } : {}),
    severity: unpinned ? 'high' : 'medium',
    message: `${fact.detail}${target} runs Python code from the model repository${unpinned ? ' at whatever revision it holds when loaded' : ''}.`,
    remediation: unpinned
      ? 'Review the repository code and pin revision="<commit sha>" next to trust_remote_code, or load a model that needs no remote code.'
      : 'Re-review the remote code whenever the pinned revision moves.',
  };
}
