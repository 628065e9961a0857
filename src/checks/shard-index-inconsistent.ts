import { hubKey, linkWeights } from '../registries/huggingface/key.js';
import type { Finding, WeightsFile } from '../types.js';
import { short } from './hub.js';
import type { Check } from './types.js';
import { upstreamFile } from './weights-hash-mismatch.js';

/**
 * A shard index (`model.safetensors.index.json`…) that mixes pickle and safetensors shards
 * (a half-converted checkpoint: some shards still unpickle on load), or, when the index sits in
 * a folder linked to a Hub repo, names shards the repo does not have at that revision.
 */
export const shardIndexInconsistent: Check = {
  id: 'shard-index-inconsistent',
  run(ctx) {
    const indexes = new Map<string, WeightsFile[]>();
    for (const w of ctx.weights) {
      if (w.origin !== 'weights-index') continue;
      const key = w.index ?? w.file;
      indexes.set(key, [...(indexes.get(key) ?? []), w]);
    }
    const links = linkWeights(ctx.weights, ctx.references);
    const hub = ctx.upstreams.huggingface;
    const out: Finding[] = [];
    for (const shards of indexes.values()) {
      const first = shards[0] as WeightsFile;
      const mixed = mixedFormats(shards);
      if (mixed) out.push(base(first, 'medium', mixed.message, { formats: mixed.formats }));
      if (!hub) continue;
      const missing: string[] = [];
      let where: { id: string; sha: string } | null = null;
      for (const w of shards) {
        const link = links.get(w);
        const up = link ? hub.upstreams[hubKey(link.kind, link.id, link.revision)] : undefined;
        if (!link || !up?.at?.files || up.state !== 'ok') continue;
        where = { id: up.repo?.id ?? link.id, sha: up.at.sha };
        if (!upstreamFile(up, link)) missing.push(w.name);
      }
      if (where && missing.length > 0) {
        out.push({
          ...base(
            first,
            'medium',
            `Shard index ${first.file} names ${missing.length} shard${missing.length === 1 ? '' : 's'} that ${where.id}@${short(where.sha)} does not have: ${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', …' : ''}.`,
            { missing, upstream: where.id, revision: where.sha },
          ),
          id: where.id,
          ecosystem: 'huggingface',
          kind: 'model',
        });
      }
    }
    return out;
  },
};

function mixedFormats(shards: WeightsFile[]): { message: string; formats: string[] } | null {
  const pickle = shards.filter((s) => s.format === 'pickle');
  const safe = shards.filter((s) => s.format === 'safetensors');
  if (pickle.length === 0 || safe.length === 0) return null;
  const first = shards[0] as WeightsFile;
  return {
    message: `Shard index ${first.file} mixes ${pickle.length} pickle shard${pickle.length === 1 ? '' : 's'} (${pickle[0]?.name}) with ${safe.length} safetensors shard${safe.length === 1 ? '' : 's'} (${safe[0]?.name}); the pickle shards still run code on load.`,
    formats: ['pickle', 'safetensors'],
  };
}

function base(
  w: WeightsFile,
  severity: Finding['severity'],
  message: string,
  details: Record<string, unknown>,
): Finding {
  return {
    rule: 'shard-index-inconsistent',
    severity,
    message,
    remediation:
      'Regenerate the index from the shards that exist (save_pretrained with safe_serialization=True writes a consistent safetensors set).',
    file: w.file,
    line: w.line,
    column: w.column,
    details,
  };
}
