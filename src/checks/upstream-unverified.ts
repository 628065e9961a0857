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
    if (entries.length === 0) return [];
    const byId = new Map<string, Reference[]>();
    for (const r of ctx.references) {
      const key = `${r.ecosystem}\0${r.id}`;
      byId.set(key, [...(byId.get(key) ?? []), r]);
    }
    // Two registries may fail for one upstream (PyPI for its metadata, OSV for its advisories):
    // that is still one upstream nobody verified, so one finding with both reasons.
    const groups = new Map<string, { entries: UnverifiedUpstream[]; refs: Set<Reference> }>();
    for (const u of entries) {
      const refs = (byId.get(`${u.ecosystem}\0${u.id}`) ?? []).filter((r) => matches(u, r));
      if (refs.length === 0) continue;
      const key = `${u.ecosystem}\0${u.id}\0${refs[0]!.kind}`;
      const group = groups.get(key) ?? { entries: [], refs: new Set<Reference>() };
      group.entries.push(u);
      for (const r of refs) group.refs.add(r);
      groups.set(key, group);
    }
    return [...groups.values()].map((g) => finding(g.entries, [...g.refs].sort(byPlace)));
  },
};

function byPlace(a: Reference, b: Reference): number {
  return (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line || a.column - b.column;
}

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

function finding(entries: UnverifiedUpstream[], refs: Reference[]): Finding {
  const first = refs[0] as Reference;
  const u = entries[0] as UnverifiedUpstream;
  const revisions = [...new Set(entries.map((e) => e.revision).filter((r) => !!r))];
  const what = revisions.length === 1 ? `${u.id}@${revisions[0]}` : u.id;
  const others = refs.length - 1;
  const reasons = [...new Set(entries.map((e) => e.reason.replace(/[.\s]+$/, '')))];
  return {
    rule: 'upstream-unverified',
    severity: 'info',
    message: `Could not verify ${first.kind} ${what} on ${WHERE[u.ecosystem]}: ${reasons.join('; ')}.${others > 0 ? ` Also referenced in ${others} other place${others === 1 ? '' : 's'}.` : ''}`,
    remediation: 'Run the scan again when the registry is reachable; nothing was checked for it.',
    file: first.file,
    line: first.line,
    column: first.column,
    id: u.id,
    ecosystem: u.ecosystem,
    kind: first.kind,
    details: {
      reason: [...new Set(entries.map((e) => e.reason))].join('; '),
      references: refs.map((r) => `${r.file}:${r.line}:${r.column}`),
    },
  };
}
