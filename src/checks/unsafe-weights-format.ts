import { hubUpstreamOf } from '../registries/huggingface/key.js';
import type { Finding, WeightsFile } from '../types.js';
import { basename, dirname } from '../util/paths.js';
import { safetensorsTwin, weightsFormat } from '../util/weights.js';
import { hubFinding, hubPairs, short } from './hub.js';
import type { Check, CheckContext } from './types.js';
import { RECORDING_EXTRACTORS } from './unpinned-revision.js';

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
    for (const key of upstreamSafeNames(ctx)) safeNames.add(key);
    const groups = new Map<string, WeightsFile[]>();
    for (const w of ctx.weights) {
      if (w.format !== 'pickle') continue;
      const key =
        w.origin === 'weights-index' ? `${w.file}\0index` : `${w.file}\0${w.line}\0${w.name}`;
      groups.set(key, [...(groups.get(key) ?? []), w]);
    }
    return [
      ...[...groups.values()].map((group) => finding(group, safeNames)),
      ...upstreamOnly(ctx),
    ];
  },
};

/** Trainer state saved next to weights: pickles too, but `from_pretrained` never loads them. */
const TRAINER_STATE =
  /^(?:training_args\.bin|optimizer\.pt|scheduler\.pt|scaler\.pt|rng_state.*\.pth)$/;

/** Online: the safetensors files the upstream itself holds count as twins of declared pickles. */
function upstreamSafeNames(ctx: CheckContext): string[] {
  return ctx.weights.flatMap((w) => {
    const up = w.upstream ? hubUpstreamOf(ctx.upstreams, w.upstream) : undefined;
    const files = up?.state === 'ok' ? (up.at?.files ?? []) : [];
    return files
      .filter((f) => weightsFormat(f.path) === 'safetensors')
      .map((f) => `hub:${w.upstream?.id}\0${basename(f.path)}`);
  });
}

/**
 * Online: a model loaded by id with no manifest in the repository. Its upstream file list says
 * what `from_pretrained` will fetch; with pickle weights and no safetensors at that revision,
 * loading it unpickles. (With both, transformers prefers safetensors, so nothing is reported.)
 */
function upstreamOnly(ctx: CheckContext): Finding[] {
  const declared = new Set(ctx.weights.flatMap((w) => (w.upstream ? [w.upstream.id] : [])));
  const out = new Map<string, Finding>();
  for (const { ref, up } of hubPairs(ctx)) {
    if (ref.kind !== 'model' || RECORDING_EXTRACTORS.has(ref.extractor) || ref.filename) continue;
    const files = up.state === 'ok' ? up.at?.files : null;
    if (!files || !up.at || declared.has(ref.id)) continue;
    if (files.some((f) => weightsFormat(f.path) === 'safetensors')) continue;
    const pickles = files
      .map((f) => f.path)
      .filter((p) => weightsFormat(p) === 'pickle' && !TRAINER_STATE.test(basename(p)))
      .sort();
    if (pickles.length === 0) continue;
    const names = `${pickles.slice(0, 3).join(', ')}${pickles.length > 3 ? ', …' : ''}`;
    out.set(
      `${ref.file}\0${ref.line}\0${ref.column}`,
      hubFinding(
        ref,
        'unsafe-weights-format',
        'medium',
        `Model ${ref.id} at ${short(up.at.sha)} ships only pickle-based weights (${names}); loading it unpickles them, which can run arbitrary code.`,
        {
          remediation:
            'Use a revision or a conversion of this model with .safetensors weights, or load it with torch.load(weights_only=True).',
          details: {
            files: pickles,
            origin: 'upstream',
            revision: up.at.sha,
            safetensorsTwin: false,
          },
        },
      ),
    );
  }
  return [...out.values()];
}

function twinKey(w: WeightsFile, name: string): string {
  const scope = w.upstream ? `hub:${w.upstream.id}` : dirname(w.file);
  return `${scope}\0${basename(name)}`;
}

function finding(group: WeightsFile[], safeNames: Set<string>): Finding {
  const first = group[0] as WeightsFile;
  const hasTwin = group.some((w) =>
    safetensorsTwin(w.name).some((t) => safeNames.has(twinKey(w, t))),
  );
  const names = [...new Set(group.map((w) => w.name))].sort();
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
