import type { SkippedFile } from '../types.js';
import type { Check } from './types.js';

const WHY: Record<SkippedFile['reason'], string> = {
  'too-large': 'it is larger than the size limit',
  binary: 'it is binary',
  unreadable: 'it could not be read',
  'outside-root': 'it is a symlink that leaves the repository root',
};

/** A file of a supported kind that was not read is said out loud, so no reference hides in it. */
export const fileSkipped: Check = {
  id: 'file-skipped',
  run(ctx) {
    return ctx.skipped.map((s) => ({
      rule: 'file-skipped' as const,
      severity: 'info' as const,
      message: `Not scanned because ${WHY[s.reason]}${s.size !== undefined ? ` (${s.size} bytes)` : ''}.`,
      file: s.file,
      line: 1,
      column: 1,
      details: { reason: s.reason, size: s.size ?? null },
    }));
  },
};
