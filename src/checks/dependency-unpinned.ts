import type { Finding, Reference } from '../types.js';
import { dirname, joinPath } from '../util/paths.js';
import { isMlToolchain } from '../util/toolchain.js';
import type { Check } from './types.js';
import { referencePlace } from './place.js';

/**
 * Manifests a lockfile in the same folder can pin, per ecosystem. Parsed lockfiles pin the
 * packages they list (their references carry `locked`); the lockfiles we do not parse pin the
 * whole manifest by their presence. A pip-tools `requirements.in` is pinned by its compiled
 * `requirements.txt`.
 */
const LOCKS: Record<string, { manifests: RegExp; unparsedLocks: string[] }> = {
  pypi: {
    manifests: /(?:^|\/)(?:pyproject\.toml|Pipfile)$/,
    unparsedLocks: ['pdm.lock', 'pylock.toml'],
  },
  npm: {
    manifests: /(?:^|\/)package\.json$/,
    unparsedLocks: ['yarn.lock', 'pnpm-lock.yaml', 'bun.lock', 'bun.lockb'],
  },
};

/**
 * ML toolchain packages that float. A manifest entry is pinned by a lockfile in the same folder
 * that locks that package; requirements files have no lock, so they must pin with `==` or hashes.
 */
export const dependencyUnpinned: Check = {
  id: 'dependency-unpinned',
  run(ctx) {
    const locked = new Set<string>();
    for (const ref of ctx.references) {
      if (ref.locked) locked.add(`${ref.ecosystem}\0${dirname(ref.file)}\0${ref.id}`);
      // pip-tools / uv pip compile: `x.txt` compiled from `x.in` pins what `x.in` names.
      if (ref.pinned && ref.file.endsWith('.txt')) locked.add(`compiled\0${ref.file}\0${ref.id}`);
    }
    const out: Finding[] = [];
    for (const ref of ctx.references) {
      if (ref.kind !== 'package' || ref.pinned || ref.dev || !isMlToolchain(ref.ecosystem, ref.id))
        continue;
      if (coveredByLock(ref, locked, ctx.paths)) continue;
      out.push(finding(ref));
    }
    return out;
  },
};

function coveredByLock(ref: Reference, locked: Set<string>, paths: ReadonlySet<string>): boolean {
  if (ref.file.endsWith('.in'))
    return locked.has(`compiled\0${ref.file.replace(/\.in$/, '.txt')}\0${ref.id}`);
  const rule = LOCKS[ref.ecosystem];
  if (!rule || !rule.manifests.test(ref.file)) return false;
  const dir = dirname(ref.file);
  if (locked.has(`${ref.ecosystem}\0${dir}\0${ref.id}`)) return true;
  return rule.unparsedLocks.some((lock) => paths.has(joinPath(dir, lock)));
}

function finding(ref: Reference): Finding {
  const spec = ref.revision ? `"${ref.revision}"` : 'no version constraint';
  return {
    rule: 'dependency-unpinned',
    severity: 'low',
    message: `${ref.id} is declared with ${spec}, so installs can pick up any matching release.`,
    remediation:
      ref.ecosystem === 'pypi'
        ? `Pin an exact version (${ref.id}==<version>) or commit a lockfile (uv.lock, poetry.lock).`
        : `Pin an exact version or commit package-lock.json.`,
    ...referencePlace(ref),
    details: { spec: ref.revision, marker: ref.marker ?? null },
  };
}
