import type { Node } from 'jsonc-parser';
import type { Extraction, ExtractInput, Extractor, Reference } from '../../types.js';
import { jsonEntries, jsonString, parseJson, stringContentRange } from '../../util/json.js';
import { basename } from '../../util/paths.js';
import { LineIndex } from '../../util/text.js';
import { emptyExtraction } from '../extraction.js';
import { npmReference } from '../references.js';

const ID = 'npm';

const LOCKFILES = new Set(['package-lock.json', 'npm-shrinkwrap.json']);

export const extractor: Extractor = {
  id: ID,
  description:
    'npm manifests and lockfiles: package.json (dependencies, devDependencies, optional and peer ' +
    'dependencies) and package-lock.json / npm-shrinkwrap.json (v1, v2 and v3 locked versions).',
  match: (path) => {
    if (/(?:^|\/)node_modules\//.test(path)) return false;
    const name = basename(path);
    return name === 'package.json' || LOCKFILES.has(name);
  },
  extract: (input) =>
    LOCKFILES.has(basename(input.path)) ? extractLock(input) : extractManifest(input),
};

interface Ctx {
  file: string;
  lines: LineIndex;
  out: Extraction;
}

/** Parses once with offsets; a syntax error is reported and whatever parsed is still read. */
function open(input: ExtractInput): { ctx: Ctx; root: Node | undefined } {
  const ctx: Ctx = { file: input.path, lines: new LineIndex(input.text), out: emptyExtraction() };
  const doc = parseJson(input.text);
  if (doc.error)
    ctx.out.problems.push({
      ...ctx.lines.location(input.path, doc.error.offset),
      message: doc.error.message,
    });
  return { ctx, root: doc.root?.type === 'object' ? doc.root : undefined };
}

function fields(node: Node | undefined): Map<string, Node> {
  return new Map(jsonEntries(node).map(([k, v]) => [k, v]));
}

const MANIFEST_SECTIONS: [string, boolean][] = [
  ['dependencies', false],
  ['devDependencies', true],
  ['optionalDependencies', false],
  ['peerDependencies', false],
];

/** Specs that point into the repository or workspace, not at the registry. */
const LOCAL_SPEC = /^(?:workspace|file|link|portal|patch):|^(?:\.{1,2}\/|\/|~\/)/;

function extractManifest(input: ExtractInput): Extraction {
  const { ctx, root } = open(input);
  const top = fields(root);
  for (const [section, dev] of MANIFEST_SECTIONS) {
    for (const [name, value, key] of jsonEntries(top.get(section))) {
      const ref = manifestEntry(ctx, section, dev, name, value, key);
      if (ref) ctx.out.references.push(ref);
    }
  }
  return ctx.out;
}

function manifestEntry(
  ctx: Ctx,
  section: string,
  dev: boolean,
  key: string,
  value: Node,
  keyNode: Node,
): Reference | null {
  const spec = jsonString(value);
  if (spec === undefined || LOCAL_SPEC.test(spec.trim())) return null;
  const alias = /^npm:((?:@[^/@\s]+\/)?[^@\s]+)(?:@(.*))?$/.exec(spec);
  const name = alias ? (alias[1] as string) : key;
  const range = alias ? (alias[2] ?? null) : spec;
  const content = stringContentRange(value);
  const rangeStart = content.start + (alias ? spec.length - (range?.length ?? 0) : 0);
  const raw = ctx.lines.text.slice(content.start, content.end);
  const span =
    range && raw === spec ? ctx.lines.span(ctx.file, rangeStart, rangeStart + range.length) : null;
  return npmReference({
    name,
    spec: range,
    at: ctx.lines.location(ctx.file, keyNode.offset + 1),
    extractor: ID,
    via: section,
    dev,
    revisionSpan: span ?? undefined,
  });
}

function extractLock(input: ExtractInput): Extraction {
  const { ctx, root } = open(input);
  const top = fields(root);
  const packages = top.get('packages');
  if (packages?.type === 'object') lockPackages(ctx, packages);
  else lockDependencies(ctx, top.get('dependencies'), 0);
  return ctx.out;
}

const NODE_MODULES = 'node_modules/';

/** v2/v3 `packages`: keys are install paths; the name is what follows the last `node_modules/`. */
function lockPackages(ctx: Ctx, packages: Node): void {
  for (const [path, entry, keyNode] of jsonEntries(packages)) {
    const at = path.lastIndexOf(NODE_MODULES);
    if (at === -1) continue; // the root project and workspace folders
    const f = fields(entry);
    if (f.get('link')?.value === true) continue;
    const versionNode = f.get('version');
    const version = jsonString(versionNode);
    if (!versionNode || !version || !/^\d/.test(version)) continue;
    const name = jsonString(f.get('name')) ?? path.slice(at + NODE_MODULES.length);
    const keyOffset = keyNode.offset + 1 + at + NODE_MODULES.length;
    ctx.out.references.push(
      lockReference(ctx, name, version, versionNode, keyOffset, f, 'packages'),
    );
  }
}

/** v1 `dependencies`: nested by install location; aliases lock `npm:real@1.2.3`. */
function lockDependencies(ctx: Ctx, deps: Node | undefined, depth: number): void {
  if (depth > 64) return;
  for (const [key, entry, keyNode] of jsonEntries(deps)) {
    const f = fields(entry);
    const versionNode = f.get('version');
    const raw = jsonString(versionNode);
    const alias = raw ? /^npm:((?:@[^/@]+\/)?[^@]+)@(.+)$/.exec(raw) : null;
    const version = alias ? (alias[2] as string) : raw;
    if (versionNode && version && /^\d/.test(version)) {
      const name = alias ? (alias[1] as string) : key;
      ctx.out.references.push(
        lockReference(ctx, name, version, versionNode, keyNode.offset + 1, f, 'dependencies'),
      );
    }
    lockDependencies(ctx, f.get('dependencies'), depth + 1);
  }
}

function lockReference(
  ctx: Ctx,
  name: string,
  version: string,
  versionNode: Node,
  nameOffset: number,
  f: Map<string, Node>,
  via: string,
): Reference {
  const content = stringContentRange(versionNode);
  const start = content.end - version.length;
  const span =
    ctx.lines.text.slice(start, content.end) === version
      ? ctx.lines.span(ctx.file, start, content.end)
      : null;
  return npmReference({
    name,
    spec: version,
    locked: true,
    dev: f.get('dev')?.value === true,
    at: ctx.lines.location(ctx.file, nameOffset),
    extractor: ID,
    via,
    revisionSpan: span ?? undefined,
  });
}
