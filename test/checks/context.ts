import type { CheckContext } from '../../src/checks/types.js';
import type { Reference } from '../../src/types.js';

export function context(partial: Partial<CheckContext>): CheckContext {
  return {
    references: [],
    weights: [],
    facts: [],
    problems: [],
    skipped: [],
    upstreams: {},
    paths: new Set(),
    ...partial,
  };
}

export function ref(partial: Partial<Reference> & Pick<Reference, 'id'>): Reference {
  return {
    kind: 'model',
    ecosystem: 'huggingface',
    revision: null,
    pinned: false,
    file: 'train.py',
    line: 1,
    column: 1,
    extractor: 'python-source',
    via: 'from_pretrained',
    ...partial,
  };
}
