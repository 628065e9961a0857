import { validPep440Range } from '../../util/pep440-range.js';
import type {
  Extraction,
  ExtractInput,
  Extractor,
  Location,
  Reference,
  TextSpan,
} from '../../types.js';
import { isCommitSha } from '../../util/hub-id.js';
import { basename } from '../../util/paths.js';
import { emptyExtraction } from '../extraction.js';
import { normalizePythonName, pypiReference } from '../references.js';
import { parsePep508, requirementReference } from '../pip-requirements/pep508.js';
import {
  isParseProblem,
  isTable,
  keyLocation,
  readToml,
  stringAt,
  tomlStringSpan,
  type TomlDocument,
  type TomlPath,
} from '../../util/toml.js';

const ID = 'pyproject';

export const extractor: Extractor = {
  id: ID,
  description:
    'pyproject.toml: PEP 621 dependencies and optional-dependencies, PEP 735 dependency-groups, ' +
    'Poetry dependencies and groups, uv/PDM dev-dependencies.',
  match: (path) => basename(path) === 'pyproject.toml',
  extract: extractPyproject,
};

const DEV_GROUPS = new Set([
  'dev',
  'devel',
  'develop',
  'development',
  'test',
  'tests',
  'testing',
  'lint',
  'linting',
  'docs',
  'doc',
  'typing',
  'quality',
]);

/** Group and extra names that mean development-only (`dev`, `test`, `docs`, `lint`…). */
export function isDevGroup(name: string): boolean {
  return DEV_GROUPS.has(normalizePythonName(name));
}

interface Ctx {
  doc: TomlDocument;
  out: Extraction;
  /** The project's own normalized name: `lm_eval[api]` inside lm_eval is not an upstream. */
  self: string | null;
}

function extractPyproject(input: ExtractInput): Extraction {
  const out = emptyExtraction();
  const doc = readToml(input);
  if (isParseProblem(doc)) {
    out.problems.push(doc);
    return out;
  }
  const ctx: Ctx = { doc, out, self: projectName(doc.data) };
  pep621(ctx);
  poetry(ctx);
  return out;
}

function projectName(data: Record<string, unknown>): string | null {
  const project = data['project'];
  const poetryTable = child(child(data, 'tool'), 'poetry');
  const name = (isTable(project) ? project['name'] : undefined) ?? poetryTable?.['name'];
  return typeof name === 'string' ? normalizePythonName(name) : null;
}

function child(v: unknown, key: string): Record<string, unknown> | undefined {
  if (!isTable(v)) return undefined;
  const c = v[key];
  return isTable(c) ? c : undefined;
}

/** PEP 621 / PEP 735, plus the PEP 508 lists of uv and PDM dev-dependencies. */
function pep621(ctx: Ctx): void {
  const { data } = ctx.doc;
  const project = child(data, 'project');
  requirementList(ctx, project?.['dependencies'], ['project', 'dependencies'], false);
  for (const [group, list] of Object.entries(child(project, 'optional-dependencies') ?? {})) {
    requirementList(ctx, list, ['project', 'optional-dependencies', group], isDevGroup(group));
  }
  for (const [group, list] of Object.entries(child(data, 'dependency-groups') ?? {})) {
    requirementList(ctx, list, ['dependency-groups', group], isDevGroup(group));
  }
  const tool = child(data, 'tool');
  requirementList(
    ctx,
    child(tool, 'uv')?.['dev-dependencies'],
    ['tool', 'uv', 'dev-dependencies'],
    true,
  );
  for (const [group, list] of Object.entries(child(child(tool, 'pdm'), 'dev-dependencies') ?? {})) {
    requirementList(ctx, list, ['tool', 'pdm', 'dev-dependencies', group], true);
  }
}

/** An array of PEP 508 strings; `{include-group = …}` tables and other values are skipped. */
function requirementList(ctx: Ctx, list: unknown, path: string[], dev: boolean): void {
  if (!Array.isArray(list)) return;
  list.forEach((entry, i) => {
    if (typeof entry === 'string') requirementString(ctx, entry, [...path, i], path.join('.'), dev);
  });
}

function requirementString(
  ctx: Ctx,
  value: string,
  path: TomlPath,
  via: string,
  dev: boolean,
): void {
  const { doc, out } = ctx;
  const at = stringAt(doc, path);
  const raw = at ? doc.lines.text.slice(at.start, at.end) : '';
  // Offsets map one-to-one only up to the first escape sequence in the TOML string.
  const maps = (o: number): boolean => at !== null && raw.slice(0, o) === value.slice(0, o);
  const fallback = keyLocation(doc, path);
  const locate = (o: number): Location =>
    maps(o) ? doc.lines.location(doc.file, (at?.start ?? 0) + o) : fallback;
  const span = (s: number, e: number): TextSpan | null =>
    maps(e) ? doc.lines.span(doc.file, (at?.start ?? 0) + s, (at?.start ?? 0) + e) : null;
  const parsed = parsePep508(value);
  if (!parsed.ok) {
    out.problems.push({
      ...locate(parsed.offset),
      message: `invalid requirement "${value}": ${parsed.message}`,
    });
    return;
  }
  const { req } = parsed;
  if (req.local || normalizePythonName(req.name) === ctx.self) return;
  out.references.push(requirementReference(req, { extractor: ID, via, dev, locate, span }));
  if (req.problem)
    out.problems.push({
      ...locate(req.problem.offset),
      message: `${req.name}: ${req.problem.message}`,
    });
}

function poetry(ctx: Ctx): void {
  const base = ['tool', 'poetry'];
  const table = child(child(ctx.doc.data, 'tool'), 'poetry');
  if (!table) return;
  poetryTable(ctx, table['dependencies'], [...base, 'dependencies'], false);
  poetryTable(ctx, table['dev-dependencies'], [...base, 'dev-dependencies'], true);
  for (const [group, def] of Object.entries(child(table, 'group') ?? {})) {
    poetryTable(
      ctx,
      child(def, 'dependencies'),
      [...base, 'group', group, 'dependencies'],
      isDevGroup(group),
    );
  }
}

function poetryTable(ctx: Ctx, deps: unknown, path: string[], dev: boolean): void {
  if (!isTable(deps)) return;
  const via = path.join('.');
  for (const [name, spec] of Object.entries(deps)) {
    if (name.toLowerCase() === 'python' || normalizePythonName(name) === ctx.self) continue;
    const entries = Array.isArray(spec)
      ? spec.map((s, i) => [s, [...path, name, i]] as const)
      : [[spec, [...path, name]] as const];
    for (const [value, valuePath] of entries)
      poetryEntry(ctx, name, value, [...path, name], valuePath, via, dev);
  }
}

/** One Poetry constraint: `"^1.2"`, `{version = "…", markers = "…"}`, `{git = …, rev = …}`, `{path = …}`. */
function poetryEntry(
  ctx: Ctx,
  name: string,
  value: unknown,
  keyPath: TomlPath,
  valuePath: TomlPath,
  via: string,
  dev: boolean,
): void {
  const at = keyLocation(ctx.doc, keyPath);
  if (typeof value === 'string') {
    ctx.out.references.push(poetryVersion(ctx, name, value, at, valuePath, via, dev));
    return;
  }
  if (!isTable(value) || typeof value['path'] === 'string') return;
  const marker = typeof value['markers'] === 'string' ? value['markers'] : undefined;
  const ref = poetrySource(ctx, name, value, at, valuePath, via, dev);
  if (marker) ref.marker = marker;
  ctx.out.references.push(ref);
}

function poetrySource(
  ctx: Ctx,
  name: string,
  value: Record<string, unknown>,
  at: Location,
  valuePath: TomlPath,
  via: string,
  dev: boolean,
): Reference {
  if (typeof value['git'] === 'string') {
    const key = ['rev', 'tag', 'branch'].find((k) => typeof value[k] === 'string');
    const ref = key ? (value[key] as string) : null;
    const span = key ? tomlStringSpan(ctx.doc, [...valuePath, key]) : undefined;
    return pypiReference({
      name,
      spec: ref,
      at,
      extractor: ID,
      via,
      dev,
      immutable: isCommitSha(ref),
      revisionSpan: span,
    });
  }
  if (typeof value['url'] === 'string') {
    const url = value['url'];
    const span = tomlStringSpan(ctx.doc, [...valuePath, 'url']);
    return pypiReference({ name, spec: url, at, extractor: ID, via, dev, revisionSpan: span });
  }
  const version = typeof value['version'] === 'string' ? value['version'] : null;
  if (version === null) return pypiReference({ name, spec: null, at, extractor: ID, via, dev });
  return poetryVersion(ctx, name, version, at, [...valuePath, 'version'], via, dev);
}

function poetryVersion(
  ctx: Ctx,
  name: string,
  spec: string,
  at: Location,
  path: TomlPath,
  via: string,
  dev: boolean,
): Reference {
  const span = tomlStringSpan(ctx.doc, path);
  if (!validPoetryConstraint(spec)) {
    const where = span ?? at;
    ctx.out.problems.push({
      file: where.file,
      line: where.line,
      column: where.column,
      message: `${name}: invalid version constraint "${spec}"`,
    });
  }
  const exact = poetryExact(spec);
  return pypiReference({
    name,
    spec,
    at,
    extractor: ID,
    via,
    dev,
    revisionSpan: span,
    exact: exact ?? undefined,
  });
}

/** Poetry's bare `1.2.3` means `==1.2.3`. */
export function poetryExact(spec: string): string | null {
  const m = /^\s*v?(\d+(?:\.\d+)*[A-Za-z0-9.+!-]*)\s*$/.exec(spec);
  return m ? (m[1] as string) : null;
}

const POETRY_ATOM =
  /^(?:\*|(?:\^|~=?|[<>]=?|==?|!=)?v?\d+(?:\.(?:\d+|\*|x))*(?:[-_.]?[A-Za-z]+\.?\d*)*(?:\+[A-Za-z0-9.]+)?)$/;

/** PEP 440 specifiers, plus Poetry's `^`, `~`, bare versions, `*`, `||` and space-separated AND. */
export function validPoetryConstraint(spec: string): boolean {
  if (spec.includes('${') || validPep440Range(spec)) return true;
  const atoms = spec
    .trim()
    .replace(/(\^|~=?|[<>]=?|==?|!=)\s+/g, '$1')
    .split(/\s*(?:\|\||,)\s*|\s+/);
  return atoms.length > 0 && atoms.every((a) => POETRY_ATOM.test(a));
}
