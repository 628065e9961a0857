import type { Finding, WeightsFile } from '../types.js';
import { basename, dirname } from '../util/paths.js';
import { safetensorsTwin } from '../util/weights.js';
import type { Check } from './types.js';

/**
 * One finding per declaring place: a shard index with 30 pickle shards is one problem, not 30.
 * A safetensors twin (declared anywhere in the same folder, index, or upstream listing) raises
 * the severity: the safe format exists, so the pickle is avoidable.
 */
export const unsafeWeightsFormat: Check = {
  id: 'unsafe-weights-format',
  run(ctx) {
    const safeNames = new Set(
      ctx.weights.filter((w) => w.format === 'safetensors').map((w) => twinKey(w, w.name)),
    );
    const groups = new Map<string, WeightsFile[]>();
    for (const w of ctx.weights) {
      if (w.format !== 'pickle') continue;
      const key =
        w.origin === 'weights-index' ? `${w.file}\0index` : `${w.file}\0${w.line}\0${w.name}`;
      groups.set(key, [...(groups.get(key) ?? []), w]);
    }
    return [...groups.values()].map((group) => finding(group, safeNames));
  },
};

function twinKey(w: WeightsFile, name: string): string {
  const scope = w.upstream ? `hub:${w.upstream.id}` : dirname(w.file);
  return `${scope}\0${basename(name)}`;
}

function finding(group: WeightsFile[], safeNames: Set<string>): Finding {
  const first = group[0] as WeightsFile;
  const hasTwin = group.some((w) =>
    safetensorsTwin(w.name).some((t) => safeNames.has(twinKey(w, t))),
  );
  const names = group.map((w) => w.name);
  const what =
    group.length > 1
      ? `${group.length} pickle-based shards (${names.slice(0, 3).join(', ')}${names.length > 3 ? ', …' : ''})`
      : `pickle-based weights ${first.name}`;
  const where = first.upstream ? ` from ${first.upstream.id}` : '';
  return {
    rule: 'unsafe-weights-format',
    severity: hasTwin ? 'high' : 'medium',
    message: `Declares ${what}${where}; loading a pickle can run arbitrary code.${hasTwin ? ' A safetensors version exists.' : ''}`,
    remediation: hasTwin
      ? 'Load the .safetensors files instead (use_safetensors=True) and drop the pickle files.'
      : 'Convert the weights to .safetensors, or load only with torch.load(weights_only=True).',
    file: first.file,
    line: first.line,
    column: first.column,
    ...(first.upstream
      ? { id: first.upstream.id, ecosystem: 'huggingface' as const, kind: first.upstream.kind }
      : {}),
    details: { files: names, origin: first.origin, safetensorsTwin: hasTwin },
  };
}
