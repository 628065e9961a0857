import { createHash } from 'node:crypto';
import type { Finding } from '../types.js';

/**
 * A finding's identity across runs: rule + file + upstream + message, not the line, so it
 * survives edits above it; repeated identical findings in one file are told apart by their
 * order. Code scanning alerts (SARIF `partialFingerprints`) and the markers that let the Action
 * recognise its own review comments on a re-run both use it.
 */
export function fingerprints(findings: readonly Finding[]): string[] {
  const seen = new Map<string, number>();
  return findings.map((f) => {
    const key = `${f.rule}\0${f.file}\0${f.id ?? ''}\0${f.message}`;
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    return createHash('sha256').update(`${key}\0${n}`).digest('hex').slice(0, 32);
  });
}
