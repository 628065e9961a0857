import { isExpired, todayOf } from '../policy/apply.js';
import type { Finding } from '../types.js';
import type { Check } from './types.js';

/**
 * Policy exceptions past their `expires` day. They no longer suppress anything (applyPolicy
 * skips them), and this says so at the entry in the policy file, so the reappearing findings
 * have an explanation next to them.
 */
export const exceptionExpired: Check = {
  id: 'exception-expired',
  run(ctx) {
    const policy = ctx.policy;
    if (!policy?.file) return [];
    const today = todayOf(ctx);
    const out: Finding[] = [];
    for (const entry of policy.ignore) {
      if (!isExpired(entry, today)) continue;
      const scope = [entry.id ? `for ${entry.id}` : '', entry.path ? `in ${entry.path}` : '']
        .filter(Boolean)
        .join(' ');
      out.push({
        rule: 'exception-expired',
        severity: 'medium',
        message: `The exception to ${entry.rule} ${scope} expired on ${entry.expires} ("${entry.reason}"); its findings are reported again.`,
        remediation:
          'Fix what it covered, or review the accepted risk and renew the exception with a new expires date.',
        file: policy.file,
        line: entry.line,
        column: entry.column,
        ...(entry.id ? { id: entry.id } : {}),
        details: {
          rule: entry.rule,
          ...(entry.id ? { id: entry.id } : {}),
          ...(entry.path ? { path: entry.path } : {}),
          reason: entry.reason,
          expires: entry.expires,
        },
      });
    }
    return out;
  },
};
