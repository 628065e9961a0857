import type { Extraction, ExtractInput, Extractor } from '../../types.js';
import { basename } from '../../util/paths.js';
import { emptyExtraction } from '../extraction.js';
import { normalizePythonName, pypiReference } from '../references.js';
import { isParseProblem, isTable, keyLocation, readToml, tomlStringSpan } from '../../util/toml.js';

const ID = 'uv-lock';

export const extractor: Extractor = {
  id: ID,
  description:
    'uv.lock: every locked package with its exact version; the project itself and other local ' +
    'members are skipped, packages reached only through dev dependency groups are dev.',
  match: (path) => basename(path) === 'uv.lock',
  extract: extractUvLock,
};

type Table = Record<string, unknown>;

/** `editable`/`virtual`/`directory`/`path` sources are the project and its local members. */
function isLocal(pkg: Table): boolean {
  const source = pkg['source'];
  return isTable(source) && ['editable', 'virtual', 'directory', 'path'].some((k) => k in source);
}

function extractUvLock(input: ExtractInput): Extraction {
  const out = emptyExtraction();
  const doc = readToml(input, 3);
  if (isParseProblem(doc)) {
    out.problems.push(doc);
    return out;
  }
  const raw = doc.data['package'];
  const packages: (Table | null)[] = Array.isArray(raw)
    ? raw.map((p) => (isTable(p) ? p : null))
    : [];
  const devOnly = devOnlyPackages(packages);
  packages.forEach((pkg, i) => {
    if (!pkg || isLocal(pkg)) return;
    const { name, version } = pkg;
    if (typeof name !== 'string' || typeof version !== 'string') return;
    out.references.push(
      pypiReference({
        name,
        spec: version,
        locked: true,
        dev: devOnly.has(i),
        at: keyLocation(doc, ['package', i, 'name'], 'value'),
        extractor: ID,
        via: 'package',
        revisionSpan: tomlStringSpan(doc, ['package', i, 'version']),
      }),
    );
  });
  return out;
}

/**
 * uv.lock does not mark dev packages; the graph does. Local members' `dependencies` and extras are
 * runtime roots, their `dev-dependencies` groups dev roots. A package only reachable from dev roots
 * is dev. Extras of every package count as reachable, so a runtime package is never called dev.
 */
function devOnlyPackages(packages: (Table | null)[]): Set<number> {
  const byName = new Map<string, number[]>();
  packages.forEach((p, i) => {
    if (typeof p?.['name'] !== 'string') return;
    const key = normalizePythonName(p['name']);
    byName.set(key, [...(byName.get(key) ?? []), i]);
  });
  const edges = (deps: unknown): number[] =>
    (Array.isArray(deps) ? deps : []).flatMap((d) => {
      if (!isTable(d) || typeof d['name'] !== 'string') return [];
      const candidates = byName.get(normalizePythonName(d['name'])) ?? [];
      const version = d['version'];
      return typeof version === 'string'
        ? candidates.filter((i) => packages[i]?.['version'] === version)
        : candidates;
    });
  const groupEdges = (groups: unknown): number[] =>
    isTable(groups) ? Object.values(groups).flatMap(edges) : [];
  const runtime: number[] = [];
  const dev: number[] = [];
  packages.forEach((p) => {
    if (!p || !isLocal(p)) return;
    runtime.push(...edges(p['dependencies']), ...groupEdges(p['optional-dependencies']));
    dev.push(...groupEdges(p['dev-dependencies']));
  });
  const next = (i: number): number[] => {
    const p = packages[i];
    return p ? [...edges(p['dependencies']), ...groupEdges(p['optional-dependencies'])] : [];
  };
  const prod = reach(runtime, next);
  return new Set([...reach(dev, next)].filter((i) => !prod.has(i)));
}

function reach(start: number[], next: (i: number) => number[]): Set<number> {
  const seen = new Set<number>();
  const stack = [...start];
  while (stack.length > 0) {
    const i = stack.pop() as number;
    if (seen.has(i)) continue;
    seen.add(i);
    stack.push(...next(i));
  }
  return seen;
}
