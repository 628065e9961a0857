import type { Upstreams } from '../../checks/types.js';
import type { Reference, WeightsFile } from '../../types.js';
import { basename, dirname, joinPath } from '../../util/paths.js';
import type { HubKind, HubUpstream } from './types.js';

/**
 * Pure helpers shared by the Hub registry (which decides what to ask) and the checks (which read
 * the answers): both must agree on keys and on which weights file belongs to which upstream.
 */

/** One upstream as referenced: kind, id as written, revision as written (`null`: none). */
export function hubKey(kind: HubKind, id: string, revision: string | null): string {
  return `${kind}:${id}@${revision ?? ''}`;
}

export function hubKind(kind: Reference['kind']): HubKind {
  return kind === 'dataset' ? 'dataset' : 'model';
}

export function hubUpstreamOf(
  upstreams: Upstreams,
  ref: { kind: Reference['kind']; id: string; revision: string | null },
): HubUpstream | undefined {
  return upstreams.huggingface?.upstreams[hubKey(hubKind(ref.kind), ref.id, ref.revision)];
}

/** Where a local weights file comes from upstream, and under which path it sits there. */
export interface WeightsLink {
  kind: HubKind;
  id: string;
  revision: string | null;
  /** Candidate paths of the file inside the upstream repository, best first. */
  paths: string[];
  /** `declared`: the file says so (DVC import, hf_hub_download); `folder`: named after the repo. */
  via: 'declared' | 'folder';
}

/**
 * Links every weights file it can to an upstream. A declared upstream wins. Otherwise an LFS
 * pointer or shard index inside a folder named after a referenced repo (`models/bert-base-uncased/`
 * or `ckpt/google-bert/bert-base-uncased/`, as `git clone` or `hf download --local-dir` leave it)
 * is taken as a copy of that repo. Nothing else is linked: a fine-tune's config names its base
 * model too, and its weights differ by design.
 */
export function linkWeights(
  weights: readonly WeightsFile[],
  references: readonly Reference[],
): Map<WeightsFile, WeightsLink> {
  const folders = new FolderIndex(references);
  const out = new Map<WeightsFile, WeightsLink>();
  for (const w of weights) {
    const link = w.upstream ? declaredLink(w, references) : folders.link(w);
    if (link) out.set(w, link);
  }
  return out;
}

function declaredLink(w: WeightsFile, references: readonly Reference[]): WeightsLink | null {
  const up = w.upstream;
  if (!up) return null;
  // A DVC import's out is a local path; the reference next to it names the upstream file.
  const named = references.find((r) => r.file === w.file && r.id === up.id && r.filename);
  const paths = [named?.filename, w.name, basename(w.name)].filter(
    (p): p is string => typeof p === 'string' && p.length > 0,
  );
  return {
    kind: up.kind,
    id: up.id,
    revision: up.revision,
    paths: [...new Set(paths)],
    via: 'declared',
  };
}

class FolderIndex {
  private readonly byId = new Map<string, Reference[]>();
  private readonly byName = new Map<string, Set<string>>();

  constructor(references: readonly Reference[]) {
    for (const r of references) {
      if (r.ecosystem !== 'huggingface' || r.kind !== 'model') continue;
      const id = r.id.toLowerCase();
      this.byId.set(id, [...(this.byId.get(id) ?? []), r]);
      const name = basename(id);
      this.byName.set(name, (this.byName.get(name) ?? new Set()).add(id));
    }
  }

  link(w: WeightsFile): WeightsLink | null {
    if (w.origin !== 'lfs-pointer' && w.origin !== 'weights-index') return null;
    // Path of the weights file relative to the repository root: an index lists shards by name.
    const local = w.origin === 'weights-index' ? joinPath(dirname(w.file), w.name) : w.file;
    const parts = local.split('/');
    for (let end = parts.length - 1; end >= 1; end--) {
      const folder = parts.slice(0, end);
      const ids = this.idsFor(folder);
      if (ids.size === 0) continue;
      if (ids.size > 1) return null; // two repos share the folder name: no guess
      const id = [...ids][0] as string;
      const refs = this.byId.get(id) ?? [];
      const pins = new Set(refs.filter((r) => r.pinned).map((r) => r.revision));
      return {
        kind: 'model',
        id: (refs[0] as Reference).id,
        revision: pins.size === 1 ? ([...pins][0] as string) : null,
        paths: [parts.slice(end).join('/')],
        via: 'folder',
      };
    }
    return null;
  }

  private idsFor(folder: string[]): Set<string> {
    const last = (folder[folder.length - 1] ?? '').toLowerCase();
    const two = folder.slice(-2).join('/').toLowerCase();
    if (folder.length >= 2 && this.byId.has(two)) return new Set([two]);
    return this.byName.get(last) ?? new Set();
  }
}
