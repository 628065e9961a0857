import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A throwaway repository on disk: `files` maps repo-relative paths to contents. */
export function tempRepo(files: Record<string, string | Uint8Array>): {
  root: string;
  cleanup: () => void;
} {
  const root = mkdtempSync(path.join(tmpdir(), 'lscg-test-'));
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(root, rel);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, content);
  }
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}
