import type { CheckContext } from '../checks/types.js';
import { hubUpstreamOf } from '../registries/huggingface/key.js';
import type { HubLicense } from '../registries/huggingface/types.js';
import type { Reference } from '../types.js';
import { normalizeLicense, type NormalizedLicense } from './licenses.js';

/**
 * The licence checks' only window on the Hub registry's facts, so a change in their shape is
 * absorbed here. Everything is read defensively: an upstream that was not fetched (offline,
 * unreachable) yields undefined, never a guess.
 */

/** The licence the referenced revision declares; undefined when it is not known. */
export function licenseOf(
  ctx: Pick<CheckContext, 'upstreams'>,
  ref: Pick<Reference, 'kind' | 'id' | 'revision' | 'ecosystem'>,
): NormalizedLicense | undefined {
  if (ref.ecosystem !== 'huggingface') return undefined;
  const up = hubUpstreamOf(ctx.upstreams, ref);
  if (up?.state !== 'ok' || !up.at) return undefined;
  return fromHub(up.at.license);
}

export interface LineageStep {
  /** The derived model. */
  id: string;
  license: NormalizedLicense;
  /** The model it names as `base_model`. */
  baseId: string;
  baseLicense: NormalizedLicense;
  /** Ids from the reference down to `id`, when `id` is not the reference itself. */
  path: string[];
}

/**
 * Every derived → base step in the reference's lineage whose both ends are known: the
 * reference against each of its base models, then each base against its own bases, as the
 * registry followed them (bounded depth, cycles cut there).
 */
export function lineageOf(
  ctx: Pick<CheckContext, 'upstreams'>,
  ref: Pick<Reference, 'kind' | 'id' | 'revision' | 'ecosystem'>,
): LineageStep[] {
  if (ref.ecosystem !== 'huggingface' || ref.kind !== 'model') return [];
  const up = hubUpstreamOf(ctx.upstreams, ref);
  if (up?.state !== 'ok' || !up.at || !Array.isArray(up.lineage)) return [];
  const self = fromHub(up.at.license);
  const known = new Map<string, { license: NormalizedLicense; path: string[] }>();
  for (const id of [ref.id, up.repo?.id, up.id]) {
    if (id) known.set(id.toLowerCase(), { license: self, path: [] });
  }
  const steps: LineageStep[] = [];
  const links = [...up.lineage].sort((a, b) => a.depth - b.depth);
  for (const link of links) {
    if (link.state !== 'ok') continue;
    const parent = known.get(link.parent.toLowerCase());
    if (!parent) continue;
    const license = fromHub(link.license);
    steps.push({
      id: parent.path[parent.path.length - 1] ?? ref.id,
      license: parent.license,
      baseId: link.id,
      baseLicense: license,
      path: parent.path,
    });
    if (!known.has(link.id.toLowerCase()))
      known.set(link.id.toLowerCase(), { license, path: [...parent.path, link.id] });
  }
  return steps;
}

function fromHub(license: HubLicense | null | undefined): NormalizedLicense {
  return normalizeLicense({
    license: Array.isArray(license?.ids) ? license.ids : null,
    licenseName: license?.name ?? null,
    licenseLink: license?.link ?? null,
  });
}
