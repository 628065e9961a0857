import type { Finding, Reference } from '../types.js';
import type { Check } from './types.js';

/**
 * Cards and model configs record where a model came from; they cannot carry a revision, so a
 * missing pin there is not something the user can fix in that file.
 */
const RECORDING_EXTRACTORS = new Set(['model-card', 'hf-config']);

export const unpinnedRevision: Check = {
  id: 'unpinned-revision',
  run(ctx) {
    const out: Finding[] = [];
    for (const ref of ctx.references) {
      if (ref.pinned || RECORDING_EXTRACTORS.has(ref.extractor)) continue;
      if (ref.ecosystem === 'huggingface') out.push(hubFinding(ref));
      else if (ref.ecosystem === 'ollama') out.push(ollamaFinding(ref));
    }
    return out;
  },
};

function hubFinding(ref: Reference): Finding {
  const what = ref.revision ? `follows "${ref.revision}", which can move` : 'has no revision';
  return {
    rule: 'unpinned-revision',
    severity: ref.trustRemoteCode ? 'high' : 'medium',
    message: `${ref.kind === 'dataset' ? 'Dataset' : 'Model'} ${ref.id} ${what}${ref.trustRemoteCode ? ' and runs remote code' : ''}.`,
    remediation: 'Pin the full commit sha of the revision you reviewed (revision="<40-hex sha>").',
    file: ref.file,
    line: ref.line,
    column: ref.column,
    id: ref.id,
    ecosystem: ref.ecosystem,
    kind: ref.kind,
    details: { revision: ref.revision, via: ref.via },
  };
}

function ollamaFinding(ref: Reference): Finding {
  return {
    rule: 'unpinned-revision',
    severity: 'low',
    message: `Ollama model ${ref.id}:${ref.revision ?? 'latest'} is a tag, which can be re-pushed.`,
    remediation: 'Pin the manifest digest (name@sha256:…) of the model you tested.',
    file: ref.file,
    line: ref.line,
    column: ref.column,
    id: ref.id,
    ecosystem: ref.ecosystem,
    kind: ref.kind,
    details: { revision: ref.revision, via: ref.via },
  };
}
