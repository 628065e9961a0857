import type { Finding, Reference } from '../types.js';

/** Where a finding about a reference points, and which upstream it is about. */
export function referencePlace(
  ref: Reference,
): Pick<Finding, 'file' | 'line' | 'column' | 'id' | 'ecosystem' | 'kind'> {
  return {
    file: ref.file,
    line: ref.line,
    column: ref.column,
    id: ref.id,
    ecosystem: ref.ecosystem,
    kind: ref.kind,
  };
}
