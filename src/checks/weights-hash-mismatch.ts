import { hubKey, linkWeights, type WeightsLink } from '../registries/huggingface/key.js';
import type { HubFile, HubUpstream } from '../registries/huggingface/types.js';
import type { Finding, WeightsFile } from '../types.js';
import { isCommitSha } from '../util/hub-id.js';
import { basename } from '../util/paths.js';
import { short } from './hub.js';
import type { Check } from './types.js';

/**
 * A local LFS pointer (sha256 + size) or DVC entry (md5 + size: only the size compares with the
 * Hub's sha256) against the upstream file at the linked revision (`lfs.sha256`/`lfs.oid`, size).
 * High when the revision is a pinned commit or the link is declared; medium when a folder named
 * after a repo is compared with `main`, since the local copy may just be older.
 */
export const weightsHashMismatch: Check = {
  id: 'weights-hash-mismatch',
  run(ctx) {
    const hub = ctx.upstreams.huggingface;
    if (!hub) return [];
    const out: Finding[] = [];
    for (const [w, link] of linkWeights(ctx.weights, ctx.references)) {
      if (w.origin === 'weights-index' || (!w.sha256 && w.size === undefined)) continue;
      const up = hub.upstreams[hubKey(link.kind, link.id, link.revision)];
      const file = up ? upstreamFile(up, link) : null;
      if (!up || !file) continue;
      const diff = difference(w, file);
      if (diff) out.push(finding(w, link, up, file, diff));
    }
    return out;
  },
};

/** The upstream file a link names: an exact path first, else a unique basename. */
export function upstreamFile(up: HubUpstream, link: WeightsLink): HubFile | null {
  const files = up.state === 'ok' ? up.at?.files : null;
  if (!files) return null;
  for (const path of link.paths) {
    const exact = files.find((f) => f.path === path);
    if (exact) return exact;
  }
  const names = new Set(link.paths.map(basename));
  const byName = files.filter((f) => names.has(basename(f.path)));
  return byName.length === 1 ? (byName[0] as HubFile) : null;
}

function difference(w: WeightsFile, f: HubFile): string | null {
  if (w.sha256 && f.sha256 && w.sha256.toLowerCase() !== f.sha256)
    return `sha256 ${w.sha256.slice(0, 12)}… locally, ${f.sha256.slice(0, 12)}… upstream`;
  if (w.size !== undefined && f.size !== undefined && w.size !== f.size)
    return `${w.size} bytes locally, ${f.size} bytes upstream`;
  return null;
}

function finding(
  w: WeightsFile,
  link: WeightsLink,
  up: HubUpstream,
  f: HubFile,
  diff: string,
): Finding {
  const pinned = isCommitSha(link.revision) || link.via === 'declared';
  const at = up.at ? short(up.at.sha) : (link.revision ?? 'main');
  const what =
    w.origin === 'dvc' ? 'DVC entry' : w.origin === 'lfs-pointer' ? 'LFS pointer' : 'Weights file';
  return {
    rule: 'weights-hash-mismatch',
    severity: pinned ? 'high' : 'medium',
    message: `${what} ${w.name} does not match ${f.path} in ${up.repo?.id ?? link.id}@${at}: ${diff}.`,
    remediation: pinned
      ? 'Find out which copy is right before using it: re-download from the pinned revision and compare, and never load weights whose hash you cannot account for.'
      : 'The local copy differs from main: re-download it at a pinned commit, or pin the commit it was copied from.',
    file: w.file,
    line: w.line,
    column: w.column,
    id: up.repo?.id ?? link.id,
    ecosystem: 'huggingface',
    kind: link.kind,
    details: {
      local: { name: w.name, sha256: w.sha256 ?? null, md5: w.md5 ?? null, size: w.size ?? null },
      upstream: { path: f.path, sha256: f.sha256 ?? null, size: f.size ?? null },
      revision: up.at?.sha ?? link.revision,
      link: link.via,
    },
  };
}
