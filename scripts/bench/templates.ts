import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { EXTRACTORS } from '../../src/extractors/index.js';
import type { Reference } from '../../src/types.js';

/**
 * Real files from test/fixtures turned into templates: every Hub id an extractor finds becomes a
 * slot (and its revision text, when there is one, a revision slot), so the generator can fill
 * the same bytes with the benchmark's own upstreams, or with local paths.
 */

export type Part = string | { slot: number } | { rev: number };

export interface Slot {
  kind: 'model' | 'dataset';
  /** The quote the id sits in right after `(`: a pinned fill may append `", revision="<sha>`. */
  call: '"' | "'" | null;
  /** The fixture's own revision text sits in the file: a slot for it follows. */
  hasRevision: boolean;
}

export interface Template {
  /** Fixture path under test/fixtures. */
  source: string;
  /** Basename the extractors expect (`config.json`, `Dockerfile`, `x.yaml`). */
  name: string;
  parts: Part[];
  slots: Slot[];
  bytes: number;
}

export interface Fill {
  id: string;
  /** Revision to write where the file has revision text or can take one. */
  revision: string | null;
}

const FIXTURES = 'test/fixtures';

/** Fixture folders whose files become templates, by the kind of file the generator places. */
export const TEMPLATE_KINDS = {
  python: 'python-source',
  js: 'js-source',
  config: 'hf-config',
  adapter: 'peft-adapter',
  card: 'model-card',
  index: 'weights-index',
  lfs: 'lfs-pointer',
  training: 'training-config',
  serving: 'serving-config',
  modelfile: 'modelfile',
  dvc: 'dvc',
} as const;

export type TemplateKind = keyof typeof TEMPLATE_KINDS;

export function loadTemplates(root: string): {
  templates: Record<TemplateKind, Template[]>;
  rejected: string[];
  hubIds: string[];
} {
  const templates = {} as Record<TemplateKind, Template[]>;
  const rejected: string[] = [];
  const hubIds = new Set<string>();
  for (const [kind, folder] of Object.entries(TEMPLATE_KINDS) as [TemplateKind, string][]) {
    templates[kind] = [];
    for (const file of walk(path.join(root, FIXTURES, folder))) {
      const rel = path.relative(path.join(root, FIXTURES), file);
      if (rel === `${folder}/README.md`) continue;
      const text = readFileSync(file, 'utf8');
      const name = path.basename(file);
      const refs = hubRefs(name, text);
      refs.forEach((r) => hubIds.add(r.id));
      const template = toTemplate(rel, name, text, refs);
      if (template) templates[kind].push(template);
      else rejected.push(rel);
    }
  }
  return { templates, rejected, hubIds: [...hubIds].sort() };
}

/** Text of a template with its slots filled; `fill(k)` null leaves a local path in slot k. */
export function render(t: Template, fill: (slot: number) => Fill | null, local: string): string {
  const fills = t.slots.map((_, k) => fill(k));
  let out = '';
  for (const part of t.parts) {
    if (typeof part === 'string') out += part;
    else if ('slot' in part) {
      const f = fills[part.slot];
      const slot = t.slots[part.slot] as Slot;
      if (!f) out += `./outputs/${local}-${part.slot}`;
      else if (f.revision && slot.call && !slot.hasRevision)
        out += `${f.id}${slot.call}, revision=${slot.call}${f.revision}`;
      else out += f.id;
    } else out += fills[part.rev]?.revision ?? 'main';
  }
  return out;
}

function walk(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((n) => {
      const p = path.join(dir, n);
      return statSync(p).isDirectory() ? walk(p) : [p];
    });
}

function hubRefs(name: string, text: string): Reference[] {
  const refs: Reference[] = [];
  for (const e of EXTRACTORS) {
    if (!e.match(name)) continue;
    for (const r of e.extract({ path: name, text }).references)
      if (r.ecosystem === 'huggingface' && (r.kind === 'model' || r.kind === 'dataset'))
        refs.push(r);
  }
  return refs;
}

interface Cut {
  start: number;
  end: number;
  part: Part;
}

function toTemplate(
  source: string,
  name: string,
  text: string,
  refs: Reference[],
): Template | null {
  const lineStart = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStart.push(i + 1);
  const cuts: Cut[] = [];
  const slots: Slot[] = [];
  const seen = new Set<string>();
  for (const r of refs) {
    const at = locate(text, lineStart, r);
    if (at < 0) return null;
    const key = `${at}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const k = slots.length;
    const before = text.slice(Math.max(0, at - 2), at);
    const revAt = r.revisionSpan ? spanOffset(lineStart, r.revisionSpan) : -1;
    slots.push({
      kind: r.kind as Slot['kind'],
      call: /^\(["']$/.test(before) ? (before[1] as '"' | "'") : null,
      hasRevision: revAt >= 0,
    });
    cuts.push({ start: at, end: at + r.id.length, part: { slot: k } });
    if (revAt >= 0 && r.revisionSpan)
      cuts.push({ start: revAt, end: revAt + r.revisionSpan.text.length, part: { rev: k } });
  }
  cuts.sort((a, b) => a.start - b.start);
  const parts: Part[] = [];
  let pos = 0;
  for (const c of cuts) {
    if (c.start < pos) return null; // overlapping: not a template we can trust
    parts.push(text.slice(pos, c.start), c.part);
    pos = c.end;
  }
  parts.push(text.slice(pos));
  const template: Template = { source, name, parts, slots, bytes: Buffer.byteLength(text) };
  return verified(template) ? template : null;
}

/** Offset of the id of `r` in the text: at its column, else the first match on its line. */
function locate(text: string, lineStart: number[], r: Reference): number {
  const start = lineStart[r.line - 1];
  if (start === undefined) return -1;
  const end = lineStart[r.line] ?? text.length;
  const guess = start + r.column - 1;
  if (text.startsWith(r.id, guess)) return guess;
  const line = text.slice(start, end);
  const i = line.indexOf(r.id);
  return i < 0 ? -1 : start + i;
}

function spanOffset(lineStart: number[], span: { line: number; column: number }): number {
  const start = lineStart[span.line - 1];
  return start === undefined ? -1 : start + span.column - 1;
}

/**
 * Filled with marker ids, the template must yield exactly those ids and no other Hub id:
 * anything else would send the benchmark to upstreams its stand-in does not know.
 */
function verified(t: Template): boolean {
  const marker = (k: number) => `bench-verify/slot-${k}`;
  const text = render(t, (k) => ({ id: marker(k), revision: null }), 'x');
  const found = new Set(hubRefs(t.name, text).map((r) => r.id));
  const wanted = new Set(t.slots.map((_, k) => marker(k)));
  if (found.size !== wanted.size || [...found].some((id) => !wanted.has(id))) return false;
  const local = render(t, () => null, 'x');
  return hubRefs(t.name, local).length === 0;
}
