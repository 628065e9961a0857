import { hubUpstreamOf } from '../registries/huggingface/key.js';
import type { Finding, Reference } from '../types.js';
import type { Check } from './types.js';
import { referencePlace } from './place.js';

/**
 * Cards and model configs record where a model came from; they cannot carry a revision, so a
 * missing pin there is not something the user can fix in that file.
 */
export const RECORDING_EXTRACTORS: ReadonlySet<string> = new Set(['model-card', 'hf-config']);

export const unpinnedRevision: Check = {
  id: 'unpinned-revision',
  run(ctx) {
    const out: Finding[] = [];
    for (const ref of ctx.references) {
      if (ref.pinned || RECORDING_EXTRACTORS.has(ref.extractor)) continue;
      if (ref.ecosystem === 'huggingface') out.push(hubFinding(ref, resolvedSha(ctx, ref)));
      else if (ref.ecosystem === 'ollama') out.push(ollamaFinding(ref));
    }
    return out;
  },
};

/** Online: the commit the reference resolves to now, so the fix is a copy-paste. */
function resolvedSha(ctx: Parameters<Check['run']>[0], ref: Reference): string | null {
  const up = hubUpstreamOf(ctx.upstreams, ref);
  return up?.state === 'ok' && up.at ? up.at.sha : null;
}

function hubFinding(ref: Reference, sha: string | null): Finding {
  const what = ref.revision ? `follows "${ref.revision}", which can move` : 'has no revision';
  const now = sha ? `; it resolves to ${sha} now` : '';
  const finding: Finding = {
    rule: 'unpinned-revision',
    severity: ref.trustRemoteCode ? 'high' : 'medium',
    message: `${ref.kind === 'dataset' ? 'Dataset' : 'Model'} ${ref.id} ${what}${ref.trustRemoteCode ? ' and runs remote code' : ''}${now}.`,
    remediation: sha
      ? `Pin the commit you reviewed: revision="${sha}" is what it loads today.`
      : 'Pin the full commit sha of the revision you reviewed (revision="<40-hex sha>").',
    ...referencePlace(ref),
    details: { revision: ref.revision, via: ref.via, ...(sha ? { resolvedSha: sha } : {}) },
  };
  if (sha && ref.revisionSpan) {
    finding.fix = {
      description: `Pin ${ref.id} to ${sha.slice(0, 12)}, the commit "${ref.revision}" points at now`,
      span: ref.revisionSpan,
      replacement: sha,
    };
  }
  return finding;
}

function ollamaFinding(ref: Reference): Finding {
  return {
    rule: 'unpinned-revision',
    severity: 'low',
    message: `Ollama model ${ref.id}:${ref.revision ?? 'latest'} is a tag, which can be re-pushed.`,
    remediation: 'Pin the manifest digest (name@sha256:…) of the model you tested.',
    ...referencePlace(ref),
    details: { revision: ref.revision, via: ref.via },
  };
}
