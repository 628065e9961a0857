import type { Check } from './types.js';

/** Malformed files never crash the run and never vanish: each one is a finding at its line. */
export const parseError: Check = {
  id: 'parse-error',
  run(ctx) {
    return ctx.problems.map((p) => ({
      rule: 'parse-error' as const,
      severity: 'info' as const,
      message: `Could not parse this file, so references in it may be missed: ${p.message}`,
      remediation: 'Fix the syntax at this line.',
      file: p.file,
      line: p.line,
      column: p.column,
    }));
  },
};
