import type { Extraction, ExtractInput, Extractor } from '../../types.js';
import { basename } from '../../util/paths.js';
import { emptyExtraction } from '../extraction.js';
import { pypiReference } from '../references.js';
import { isParseProblem, isTable, keyLocation, readToml, tomlStringSpan } from '../../util/toml.js';

const ID = 'poetry-lock';

export const extractor: Extractor = {
  id: ID,
  description:
    'poetry.lock: every locked package with its exact version (dev from category/groups).',
  match: (path) => basename(path) === 'poetry.lock',
  extract: extractPoetryLock,
};

/** Package sources that are files in the repository, not upstreams. */
const LOCAL_SOURCES = new Set(['directory', 'file']);

function extractPoetryLock(input: ExtractInput): Extraction {
  const out = emptyExtraction();
  const doc = readToml(input, 3);
  if (isParseProblem(doc)) {
    out.problems.push(doc);
    return out;
  }
  const packages = doc.data['package'];
  if (!Array.isArray(packages)) return out;
  packages.forEach((pkg, i) => {
    if (!isTable(pkg)) return;
    const { name, version } = pkg;
    if (typeof name !== 'string' || typeof version !== 'string') return;
    const source = pkg['source'];
    if (isTable(source) && LOCAL_SOURCES.has(String(source['type']))) return;
    out.references.push(
      pypiReference({
        name,
        spec: version,
        locked: true,
        dev: isDev(pkg),
        at: keyLocation(doc, ['package', i, 'name'], 'value'),
        extractor: ID,
        via: 'package',
        revisionSpan: tomlStringSpan(doc, ['package', i, 'version']),
      }),
    );
  });
  return out;
}

/** Poetry < 1.5 wrote `category = "dev"`; Poetry 2 writes `groups = [...]` without "main". */
function isDev(pkg: Record<string, unknown>): boolean {
  if (pkg['category'] === 'dev') return true;
  const groups = pkg['groups'];
  return Array.isArray(groups) && groups.length > 0 && !groups.includes('main');
}
