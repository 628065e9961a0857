import {
  describeObligation,
  lineageGap,
  normalizeLicense,
  type LineageGap,
  type NormalizedLicense,
} from '../policy/licenses.js';
import { licenseOf, lineageOf } from '../policy/provenance.js';
import type { Fact, Finding, Reference } from '../types.js';
import type { Check, CheckContext } from './types.js';

type LicenseFact = Extract<Fact, { type: 'license' }>;

/**
 * A derived model whose licence drops obligations of its base model's licence. Two places: the
 * repository's own model card (its `license` against each `base_model`'s upstream licence), and
 * each referenced upstream's lineage as the Hub registry followed it.
 */
export const licenseLineage: Check = {
  id: 'license-lineage',
  run(ctx) {
    return [...ownCards(ctx), ...upstreamLineage(ctx)];
  },
};

function ownCards(ctx: CheckContext): Finding[] {
  const out: Finding[] = [];
  const bases = ctx.references.filter(
    (r) =>
      r.extractor === 'model-card' &&
      r.via === 'base_model' &&
      r.kind === 'model' &&
      r.ecosystem === 'huggingface',
  );
  for (const base of bases) {
    const baseLicense = licenseOf(ctx, base);
    if (!baseLicense) continue;
    const fact = ctx.facts.find(
      (f): f is LicenseFact => f.type === 'license' && f.file === base.file,
    );
    const own = normalizeLicense(
      fact ? { license: fact.license, licenseName: fact.licenseName ?? null } : null,
    );
    const gap = lineageGap(own, baseLicense);
    if (!gap) continue;
    const where = fact ?? base;
    out.push({
      ...findingBase(gap, base),
      message: `This model card ${own.expression === null ? 'declares no licence' : `declares ${own.label}`}, but its base model ${base.id} is licensed ${baseLicense.label}: ${consequence(gap, own)}.`,
      file: where.file,
      line: where.line,
      column: where.column,
      details: details(own, base.id, baseLicense, gap, []),
    });
  }
  return out;
}

function upstreamLineage(ctx: CheckContext): Finding[] {
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (const ref of ctx.references) {
    const key = `${ref.file}\0${ref.line}\0${ref.id.toLowerCase()}`;
    if (seen.has(key)) continue;
    seen.add(key);
    for (const step of lineageOf(ctx, ref)) {
      const gap = lineageGap(step.license, step.baseLicense);
      if (!gap) continue;
      const subject =
        step.path.length === 0
          ? `Model ${ref.id} is licensed ${step.license.label}`
          : `In the lineage of ${ref.id}, ${step.id} is licensed ${step.license.label}`;
      out.push({
        ...findingBase(gap, ref),
        message: `${subject} but derives from ${step.baseId}, licensed ${step.baseLicense.label}: ${consequence(gap, step.license)}.`,
        file: ref.file,
        line: ref.line,
        column: ref.column,
        details: details(step.license, step.baseId, step.baseLicense, gap, step.path),
      });
    }
  }
  return out;
}

function findingBase(gap: LineageGap, ref: Reference) {
  return {
    rule: 'license-lineage' as const,
    severity: gap.certain ? ('high' as const) : ('medium' as const),
    remediation:
      "Check the base model's licence terms: the derivative usually has to keep them. Correct the derived licence, or use a base model whose licence allows it.",
    id: ref.id,
    ecosystem: ref.ecosystem,
    kind: ref.kind,
  };
}

function consequence(gap: LineageGap, derived: NormalizedLicense): string {
  if (gap.dropped.includes('no-derivatives') && gap.dropped.length === 1)
    return 'that licence does not allow derivatives';
  const dropped = gap.dropped.map(describeObligation).join(' and ');
  if (derived.expression === null) return `nothing carries over ${dropped}`;
  return `${gap.certain ? 'the derived licence drops' : 'the derived licence may drop'} ${dropped}`;
}

function details(
  derived: NormalizedLicense,
  baseId: string,
  base: NormalizedLicense,
  gap: LineageGap,
  path: string[],
) {
  return {
    license: derived.label,
    base: baseId,
    baseLicense: base.label,
    dropped: gap.dropped,
    ...(path.length > 0 ? { via: path } : {}),
  };
}
