import { isMap, isScalar, isSeq } from 'yaml';
import type {
  Extraction,
  ExtractInput,
  Extractor,
  Location,
  Reference,
  TextSpan,
} from '../../types.js';
import { basename } from '../../util/paths.js';
import { LineIndex } from '../../util/text.js';
import { parseYaml, scalarString } from '../../util/yaml.js';
import { emptyExtraction } from '../extraction.js';
import { parsePipLine, requirementReference } from '../pip-requirements/pep508.js';

const ID = 'conda';

export const extractor: Extractor = {
  id: ID,
  description:
    'conda environment files (environment.yml, conda.yml, *environment*.yaml): conda packages ' +
    '(channel::name=version=build) and the PyPI packages of their pip: list.',
  match: (path) => /^conda\.ya?ml$|environment[^/]*\.ya?ml$/i.test(basename(path)),
  extract: extractEnvironment,
};

/** The interpreter is not a dependency to check. */
const SKIPPED = new Set(['python']);

interface Ctx {
  file: string;
  lines: LineIndex;
  out: Extraction;
}

function extractEnvironment(input: ExtractInput): Extraction {
  const out = emptyExtraction();
  const lines = new LineIndex(input.text);
  const yaml = parseYaml(input.text);
  if (yaml.error)
    out.problems.push({
      ...lines.location(input.path, yaml.error.offset),
      message: yaml.error.message,
    });
  const ctx: Ctx = { file: input.path, lines, out };
  for (const doc of yaml.docs) {
    const root = doc.contents;
    if (!isMap(root)) continue;
    const deps = root.get('dependencies', true);
    if (!isSeq(deps)) continue;
    for (const item of deps.items) {
      if (isScalar(item)) condaItem(ctx, item);
      else if (isMap(item)) pipItems(ctx, item.get('pip', true));
    }
  }
  return out;
}

/** A scalar's text with a map from its value offsets to file offsets (exact for plain scalars). */
function scalarText(
  ctx: Ctx,
  node: unknown,
): { value: string; at: (o: number) => number; exact: boolean } | null {
  const s = scalarString(node);
  if (!s) return null;
  const exact = ctx.lines.text.slice(s.offset, s.end) === s.value;
  return { value: s.value, at: (o) => s.offset + (exact ? o : 0), exact };
}

function condaItem(ctx: Ctx, node: unknown): void {
  const scalar = scalarText(ctx, node);
  if (!scalar) return;
  const spec = parseCondaSpec(scalar.value);
  if (!spec) {
    ctx.out.problems.push({
      ...ctx.lines.location(ctx.file, scalar.at(0)),
      message: `invalid conda package spec "${scalar.value}"`,
    });
    return;
  }
  if (SKIPPED.has(spec.name.toLowerCase())) return;
  const at = ctx.lines.location(ctx.file, scalar.at(spec.nameStart));
  const version = spec.revision ? condaExactVersion(spec.revision.text) : null;
  const ref: Reference = {
    kind: 'package',
    ecosystem: 'conda',
    id: spec.name.toLowerCase(),
    revision: spec.revision?.text ?? null,
    pinned: version !== null,
    ...at,
    extractor: ID,
    via: 'dependencies',
  };
  if (version) ref.version = version;
  const span =
    spec.revision && scalar.exact
      ? ctx.lines.span(ctx.file, scalar.at(spec.revision.start), scalar.at(spec.revision.end))
      : null;
  if (span) ref.revisionSpan = span;
  ctx.out.references.push(ref);
}

export interface CondaSpec {
  channel: string | null;
  name: string;
  nameStart: number;
  /** Everything after the name: `=2.1.0`, `>=1.24`, `1.2.3 py310_0`, `=1.2.3=h1234_0`. */
  revision: { text: string; start: number; end: number } | null;
}

/** `[channel::]name[ version[ build]]`, `name=version[=build]`, `name>=x,<y`. */
export function parseCondaSpec(value: string): CondaSpec | null {
  const m = /^\s*(?:([^\s:=<>!]+)::)?([A-Za-z0-9_][A-Za-z0-9._-]*)/.exec(value);
  if (!m) return null;
  const name = m[2] as string;
  const nameStart = m[0].length - name.length;
  let start = m[0].length;
  let end = value.length;
  while (start < end && /\s/.test(value[start] as string)) start++;
  while (end > start && /\s/.test(value[end - 1] as string)) end--;
  if (start < end && !/^[=<>!~\d*[]/.test(value[start] as string)) return null;
  const revision = start < end ? { text: value.slice(start, end), start, end } : null;
  return { channel: m[1] ?? null, name, nameStart, revision };
}

/**
 * The one version a conda spec allows: `==1.2`, `=1.2.3` (three or more parts; conda reads
 * `=1.2` as `1.2.*`), `=1.2=build`, or the space form `1.2.3 [build]`. Null for ranges and wildcards.
 */
export function condaExactVersion(spec: string): string | null {
  const s = spec.trim();
  const eq = /^(==?)\s*([^\s=<>!,|*]+)(=\S+)?$/.exec(s);
  if (eq) {
    const [, op, version, build] = eq as unknown as [string, string, string, string | undefined];
    if (op === '==' || build || version.split('.').length >= 3) return version;
    return null;
  }
  const spaced = /^([0-9][^\s=<>!,|*]*)(?:\s+\S+)?$/.exec(s);
  return spaced ? (spaced[1] as string) : null;
}

function pipItems(ctx: Ctx, list: unknown): void {
  if (!isSeq(list)) return;
  for (const node of list.items) {
    const scalar = scalarText(ctx, node);
    if (!scalar) continue;
    const locate = (o: number): Location => ctx.lines.location(ctx.file, scalar.at(o));
    const span = (s: number, e: number): TextSpan | null =>
      scalar.exact ? ctx.lines.span(ctx.file, scalar.at(s), scalar.at(e)) : null;
    const parsed = parsePipLine(scalar.value);
    if (parsed.type === 'none') continue;
    if (parsed.type === 'error') {
      ctx.out.problems.push({ ...locate(parsed.offset), message: parsed.message });
      continue;
    }
    const { req } = parsed;
    ctx.out.references.push(requirementReference(req, { extractor: ID, via: 'pip', locate, span }));
    if (req.problem)
      ctx.out.problems.push({
        ...locate(req.problem.offset),
        message: `${req.name}: ${req.problem.message}`,
      });
  }
}
