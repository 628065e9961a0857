import type { Node } from 'jsonc-parser';
import type { Extraction, ExtractInput, Extractor, Location, Reference } from '../../types.js';
import { isCommitSha } from '../../util/hub-id.js';
import { jsonEntries, jsonString, parseJson, stringContentRange } from '../../util/json.js';
import { basename } from '../../util/paths.js';
import { LineIndex } from '../../util/text.js';
import { emptyExtraction } from '../extraction.js';
import { exactPythonVersion, pypiReference } from '../references.js';
import { specifierProblem } from '../pip-requirements/pep508.js';
import {
  isParseProblem,
  isTable,
  keyLocation,
  readToml,
  tomlStringSpan,
  type TomlDocument,
} from '../../util/toml.js';

const ID = 'pipenv';

export const extractor: Extractor = {
  id: ID,
  description:
    'Pipfile ([packages], [dev-packages]) and Pipfile.lock (default/develop, locked versions).',
  match: (path) => {
    const name = basename(path);
    return name === 'Pipfile' || name === 'Pipfile.lock';
  },
  extract: (input) =>
    basename(input.path) === 'Pipfile.lock' ? extractLock(input) : extractPipfile(input),
};

/** Pipfile sections that list packages; `dev-packages` is the only dev one pipenv defines. */
const PIPFILE_SECTIONS: [string, boolean][] = [
  ['packages', false],
  ['dev-packages', true],
];

function extractPipfile(input: ExtractInput): Extraction {
  const out = emptyExtraction();
  const doc = readToml(input);
  if (isParseProblem(doc)) {
    out.problems.push(doc);
    return out;
  }
  for (const [section, dev] of PIPFILE_SECTIONS) {
    const table = doc.data[section];
    if (!isTable(table)) continue;
    for (const [name, spec] of Object.entries(table)) {
      const ref = pipfileEntry(doc, out, section, name, spec, dev);
      if (ref) out.references.push(ref);
    }
  }
  return out;
}

/** `name = "*"`, `name = "==1.2"`, `{version = …}`, `{git = …, ref = …}`; local paths are skipped. */
function pipfileEntry(
  doc: TomlDocument,
  out: Extraction,
  section: string,
  name: string,
  spec: unknown,
  dev: boolean,
): Reference | null {
  const base = { name, at: keyLocation(doc, [section, name]), extractor: ID, via: section, dev };
  if (typeof spec === 'string') return versioned(doc, out, base, spec, [section, name]);
  if (!isTable(spec) || typeof spec['path'] === 'string') return null;
  const marker = typeof spec['markers'] === 'string' ? spec['markers'] : undefined;
  let ref: Reference;
  if (typeof spec['git'] === 'string') {
    const rev = typeof spec['ref'] === 'string' ? spec['ref'] : null;
    const revisionSpan = rev ? tomlStringSpan(doc, [section, name, 'ref']) : undefined;
    ref = pypiReference({ ...base, spec: rev, immutable: isCommitSha(rev), revisionSpan });
  } else if (typeof spec['file'] === 'string') {
    if (!/^https?:\/\//i.test(spec['file'])) return null;
    ref = pypiReference({
      ...base,
      spec: spec['file'],
      revisionSpan: tomlStringSpan(doc, [section, name, 'file']),
    });
  } else if (typeof spec['version'] === 'string') {
    ref = versioned(doc, out, base, spec['version'], [section, name, 'version']);
  } else {
    ref = pypiReference({ ...base, spec: null });
  }
  if (marker) ref.marker = marker;
  return ref;
}

interface Base {
  name: string;
  at: Location;
  extractor: string;
  via: string;
  dev: boolean;
}

function versioned(
  doc: TomlDocument,
  out: Extraction,
  base: Base,
  spec: string,
  path: string[],
): Reference {
  const revisionSpan = tomlStringSpan(doc, path);
  const problem = spec.trim() === '*' ? null : specifierProblem(spec.trim());
  if (problem) {
    const { file, line, column } = revisionSpan ?? base.at;
    out.problems.push({ file, line, column, message: `${base.name}: ${problem}` });
  }
  return pypiReference({ ...base, spec, revisionSpan });
}

/** Pipfile.lock sections; pipenv >= 2023 may add custom categories, which are not dev. */
const LOCK_SECTIONS: [string, boolean][] = [
  ['default', false],
  ['develop', true],
];

function extractLock(input: ExtractInput): Extraction {
  const out = emptyExtraction();
  const lines = new LineIndex(input.text);
  const doc = parseJson(input.text);
  if (doc.error)
    out.problems.push({
      ...lines.location(input.path, doc.error.offset),
      message: doc.error.message,
    });
  const root = doc.root;
  if (root?.type !== 'object') return out;
  const sections = new Map(jsonEntries(root).map(([k, v]) => [k, v]));
  for (const [section, dev] of LOCK_SECTIONS) {
    for (const [name, entry, key] of jsonEntries(sections.get(section))) {
      const ref = lockEntry(input.path, lines, section, name, entry, key, dev);
      if (ref) out.references.push(ref);
    }
  }
  return out;
}

function lockEntry(
  file: string,
  lines: LineIndex,
  section: string,
  name: string,
  entry: Node,
  key: Node,
  dev: boolean,
): Reference | null {
  const fields = new Map(jsonEntries(entry).map(([k, v]) => [k, v]));
  if (fields.has('path') || fields.get('editable')?.value === true) return null;
  const at = lines.location(file, key.offset + 1);
  const base = {
    name,
    at,
    extractor: ID,
    via: section,
    dev,
    marker: jsonString(fields.get('markers')),
  };
  const versionNode = fields.get('version');
  const version = jsonString(versionNode);
  if (versionNode && version) {
    const exact = exactPythonVersion(version) ?? version;
    const range = stringContentRange(versionNode);
    const offset = version.indexOf(exact);
    const span =
      offset === -1
        ? null
        : lines.span(file, range.start + offset, range.start + offset + exact.length);
    return pypiReference({ ...base, spec: exact, locked: true, revisionSpan: span ?? undefined });
  }
  const refNode = fields.get('ref');
  const rev = jsonString(refNode);
  if (jsonString(fields.get('git')) === undefined) return pypiReference({ ...base, spec: null });
  const range = refNode && rev ? stringContentRange(refNode) : null;
  const span = range ? lines.span(file, range.start, range.end) : null;
  return pypiReference({
    ...base,
    spec: rev ?? null,
    immutable: isCommitSha(rev),
    revisionSpan: span ?? undefined,
  });
}
