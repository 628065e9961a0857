import type { Ecosystem, Finding, Reference } from '../types.js';
import type { Check, UnverifiedUpstream, VerifiableUpstreams } from './types.js';

/**
 * One rule for every registry: each lists what it could not check in its field's `unverified`.
 * Reported once per upstream, at its first reference, with every other place in `details`, so
 * an unreachable registry gives one line per upstream rather than one per file.
 */
export const upstreamUnverified: Check = {
  id: 'upstream-unverified',
  run(ctx) {
    const entries = Object.values(ctx.upstreams).flatMap(
      (part) => (part as VerifiableUpstreams | undefined)?.unverified ?? [],
    );
    return entries.flatMap((u) => {
      const refs = ctx.references.filter((r) => matches(u, r));
      const first = refs[0];
      if (!first) return [];
      return [finding(u, first, refs)];
    });
  },
};

function matches(u: UnverifiedUpstream, r: Reference): boolean {
  return (
    r.ecosystem === u.ecosystem &&
    r.id === u.id &&
    (u.kind === undefined || r.kind === u.kind) &&
    (u.revision === undefined || (r.revision ?? null) === u.revision)
  );
}

const WHERE: Record<Ecosystem, string> = {
  huggingface: 'the Hugging Face Hub',
  pypi: 'PyPI',
  npm: 'npm',
  ollama: 'Ollama',
  conda: 'conda',
  url: 'its host',
};

function finding(u: UnverifiedUpstream, first: Reference, refs: Reference[]): Finding {
  const what = u.revision ? `${u.id}@${u.revision}` : u.id;
  const others = refs.length - 1;
  const reason = u.reason.replace(/[.\s]+$/, '');
  return {
    rule: 'upstream-unverified',
    severity: 'info',
    message: `Could not verify ${first.kind} ${what} on ${WHERE[u.ecosystem]}: ${reason}.${others > 0 ? ` Also referenced in ${others} other place${others === 1 ? '' : 's'}.` : ''}`,
    remediation: 'Run the scan again when the registry is reachable; nothing was checked for it.',
    file: first.file,
    line: first.line,
    column: first.column,
    id: u.id,
    ecosystem: u.ecosystem,
    kind: first.kind,
    details: {
      reason: u.reason,
      references: refs.map((r) => `${r.file}:${r.line}:${r.column}`),
    },
  };
}
