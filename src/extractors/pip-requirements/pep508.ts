import { validPep440Range } from '../../util/pep440-range.js';
import type { Location, Reference, TextSpan } from '../../types.js';
import { isCommitSha } from '../../util/hub-id.js';
import { pypiReference } from '../references.js';

/**
 * PEP 508 requirement strings and pip requirement-file lines, shared by every Python extractor
 * (requirements files, pyproject.toml, the `pip:` list of conda environments). Offsets are
 * relative to the string handed in; callers map them to file positions.
 */

/** A text range in the parsed string: [start, end). */
export interface Range {
  text: string;
  start: number;
  end: number;
}

export interface ParsedRequirement {
  name: string;
  nameStart: number;
  extras: string[];
  /** What the revision is: a version specifier, a VCS ref, or a direct URL. */
  kind: 'specifier' | 'vcs' | 'url';
  /** The specifier as written, the ref after `@` of a VCS URL, or the URL itself. */
  revision: Range | null;
  marker: string | null;
  /** `--hash=` options or a `#sha256=` URL fragment check what gets installed. */
  hashed: boolean;
  /** A VCS ref that is a commit sha: immutable. */
  immutable: boolean;
  /** A `file:` URL or local path: not an upstream. */
  local: boolean;
  /** Something wrong that still leaves a usable reference (an invalid specifier). */
  problem: { message: string; offset: number } | null;
}

export type ParseResult =
  { ok: true; req: ParsedRequirement } | { ok: false; message: string; offset: number };

export type PipLine =
  | { type: 'none' }
  | { type: 'requirement'; req: ParsedRequirement }
  | { type: 'error'; message: string; offset: number };

const NAME = /[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?/y;
const VCS_PREFIX = /^(?:git|hg|svn|bzr)\+/i;
const URL_SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;
const HASH_FRAGMENT = /(?:^|&)(?:sha256|sha384|sha512)=[0-9a-f]+/i;

function fail(message: string, offset: number): ParseResult {
  return { ok: false, message, offset };
}

function skipWs(s: string, i: number): number {
  while (i < s.length && (s[i] === ' ' || s[i] === '\t')) i++;
  return i;
}

function trimmedRange(s: string, start: number, end: number): Range | null {
  while (start < end && /\s/.test(s[start] as string)) start++;
  while (end > start && /\s/.test(s[end - 1] as string)) end--;
  return start < end ? { text: s.slice(start, end), start, end } : null;
}

/** A PEP 440 specifier problem, or null. Templates (`${TORCH_VERSION}`) are left alone. */
export function specifierProblem(spec: string): string | null {
  if (spec.includes('${') || validPep440Range(spec)) return null;
  return `invalid version specifier "${spec}"`;
}

/** Parses one PEP 508 requirement: `name[extras] (spec | @ url) ; marker`. */
export function parsePep508(text: string): ParseResult {
  let i = skipWs(text, 0);
  NAME.lastIndex = i;
  const m = NAME.exec(text);
  if (!m) return fail('expected a package name', i);
  const nameStart = i;
  i = skipWs(text, i + m[0].length);
  let extras: string[] = [];
  if (text[i] === '[') {
    const close = text.indexOf(']', i);
    if (close === -1) return fail('unclosed "[" in extras', i);
    extras = text
      .slice(i + 1, close)
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean);
    i = skipWs(text, close + 1);
  }
  const req: ParsedRequirement = {
    name: m[0],
    nameStart,
    extras,
    kind: 'specifier',
    revision: null,
    marker: null,
    hashed: false,
    immutable: false,
    local: false,
    problem: null,
  };
  const afterVersion =
    text[i] === '@' ? parseUrlPart(text, i + 1, req) : parseSpecPart(text, i, req);
  if (typeof afterVersion !== 'number') return afterVersion;
  i = skipWs(text, afterVersion);
  if (i >= text.length) return { ok: true, req };
  if (text[i] !== ';') return fail(`unexpected "${text.slice(i, i + 20)}" in requirement`, i);
  req.marker = text.slice(i + 1).trim() || null;
  if (!req.marker) return fail('empty environment marker after ";"', i);
  return { ok: true, req };
}

function parseSpecPart(text: string, i: number, req: ParsedRequirement): number | ParseResult {
  let start = i;
  let end: number;
  let next: number;
  if (text[i] === '(') {
    const close = text.indexOf(')', i);
    if (close === -1) return fail('unclosed "(" in version specifier', i);
    start = i + 1;
    end = close;
    next = close + 1;
  } else {
    const semi = text.indexOf(';', i);
    end = semi === -1 ? text.length : semi;
    next = end;
  }
  req.revision = trimmedRange(text, start, end);
  const problem = req.revision ? specifierProblem(req.revision.text) : null;
  if (problem && req.revision) req.problem = { message: problem, offset: req.revision.start };
  return next;
}

function parseUrlPart(text: string, i: number, req: ParsedRequirement): number | ParseResult {
  const start = skipWs(text, i);
  let end = start;
  while (end < text.length && !/\s/.test(text[end] as string)) end++;
  if (end === start) return fail('expected a URL after "@"', start);
  applyUrl(req, text.slice(start, end), start);
  return end;
}

/** Fills kind/revision/hashed/immutable/local from a direct URL found at `offset`. */
function applyUrl(req: ParsedRequirement, url: string, offset: number): void {
  const hashAt = url.indexOf('#');
  const fragment = hashAt === -1 ? '' : url.slice(hashAt + 1);
  if (/^file:/i.test(url) || (!URL_SCHEME.test(url) && !VCS_PREFIX.test(url))) {
    req.local = true;
    return;
  }
  if (HASH_FRAGMENT.test(fragment)) req.hashed = true;
  if (!VCS_PREFIX.test(url)) {
    req.kind = 'url';
    req.revision = { text: url, start: offset, end: offset + url.length };
    return;
  }
  req.kind = 'vcs';
  const ref = vcsRef(hashAt === -1 ? url : url.slice(0, hashAt));
  req.revision = ref ? { text: ref.text, start: offset + ref.start, end: offset + ref.end } : null;
  req.immutable = isCommitSha(ref?.text);
}

/** The `@ref` of a VCS URL (`git+https://host/org/repo.git@v1.2`), ignoring `user@` in the host. */
function vcsRef(url: string): { text: string; start: number; end: number } | null {
  const scheme = url.indexOf('://');
  const hostStart = scheme === -1 ? url.indexOf('+') + 1 : scheme + 3;
  const slash = url.indexOf('/', hostStart);
  if (slash === -1) return null;
  const at = url.lastIndexOf('@');
  if (at <= slash || at === url.length - 1) return null;
  return { text: url.slice(at + 1), start: at + 1, end: url.length };
}

/** Name of a bare URL requirement: `#egg=name`, a wheel or sdist file name, or a VCS repo name. */
function nameFromUrl(url: string): { name: string; start: number } | null {
  const egg = /[#&]egg=([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(url);
  if (egg) return { name: stripVersion(egg[1] as string), start: egg.index + 5 };
  const path = url.replace(/[#?].*$/, '');
  const base = path.slice(path.lastIndexOf('/') + 1);
  const baseStart = path.lastIndexOf('/') + 1;
  const wheel = /^([A-Za-z0-9][A-Za-z0-9._]*)-\d[^-]*(?:-[^-]+){2,3}\.whl$/.exec(base);
  if (wheel) return { name: wheel[1] as string, start: baseStart };
  const sdist =
    /^([A-Za-z0-9][A-Za-z0-9._-]*?)-\d[A-Za-z0-9.+!_-]*\.(?:tar\.gz|tar\.bz2|zip|tgz)$/.exec(base);
  if (sdist) return { name: sdist[1] as string, start: baseStart };
  if (!VCS_PREFIX.test(url)) return null;
  // The repository's name, for `git+https://host/org/repo.git@ref` without `#egg=`.
  const ref = vcsRef(path);
  const repoPath = ref ? path.slice(0, ref.start - 1) : path;
  const repo = /\/([A-Za-z0-9][A-Za-z0-9._-]*?)(?:\.git)?\/?$/.exec(repoPath);
  return repo ? { name: repo[1] as string, start: repo.index + 1 } : null;
}

/** `egg=name-1.0` is legacy but still seen; the name is what comes before `-<digit>`. */
function stripVersion(egg: string): string {
  return egg.replace(/-\d.*$/, '');
}

/** A bare URL line (`git+https://…#egg=x`, `https://…/x-1.0-py3-none-any.whl`). */
function parseBareUrl(url: string, offset: number): PipLine {
  if (/^file:/i.test(url)) return { type: 'none' };
  const named = nameFromUrl(url);
  if (!named) return { type: 'none' };
  const req: ParsedRequirement = {
    name: named.name,
    nameStart: offset + named.start,
    extras: [],
    kind: 'url',
    revision: null,
    marker: null,
    hashed: false,
    immutable: false,
    local: false,
    problem: null,
  };
  applyUrl(req, url, offset);
  return { type: 'requirement', req };
}

/** pip's comment rule: `#` at the start or after whitespace (a URL's `#egg=` is not a comment). */
export function stripComment(line: string): string {
  const m = /(^|\s)#/.exec(line);
  return m ? line.slice(0, m.index) : line;
}

const LOCAL_PATH = /^(?:\.{1,2}(?:[/\\]|$)|[/\\~]|[A-Za-z]:[/\\])/;
const ARCHIVE = /\.(?:whl|tar\.gz|tar\.bz2|zip|tgz)$/i;

/**
 * One logical line of a pip requirements file (continuations already joined). Options such as
 * `-r`, `-c`, `--index-url` yield nothing: a referenced file is scanned on its own. `-e` yields a
 * reference only for a VCS URL; local paths never do.
 */
export function parsePipLine(line: string): PipLine {
  const text = stripComment(line).trimEnd();
  const start = skipWs(text, 0);
  if (start >= text.length) return { type: 'none' };
  if (text[start] === '-') return parseOptionLine(text, start);
  // Per-requirement options (`--hash=…`, `--config-settings`) start at the first ` -`.
  const optionAt = /\s-/.exec(text.slice(start));
  const end = optionAt ? start + optionAt.index : text.length;
  const result = parseRequirementText(text.slice(0, end), start);
  if (result.type === 'requirement' && /\s--hash[=\s]/.test(text.slice(end)))
    result.req.hashed = true;
  return result;
}

/** `text` up to the requirement's end; `start` is where the requirement begins. */
function parseRequirementText(text: string, start: number): PipLine {
  const first = text.slice(start).split(/[\s;]/)[0] as string;
  if (first.startsWith('$')) return { type: 'none' };
  if (URL_SCHEME.test(first) || VCS_PREFIX.test(first)) return parseBareUrl(first, start);
  if (LOCAL_PATH.test(first) || ARCHIVE.test(first)) return { type: 'none' };
  const parsed = parsePep508(text);
  if (!parsed.ok) return { type: 'error', message: parsed.message, offset: parsed.offset };
  if (parsed.req.local) return { type: 'none' };
  return { type: 'requirement', req: parsed.req };
}

function parseOptionLine(text: string, start: number): PipLine {
  const m = /^(-e|--editable)(?:\s+|=)(\S+)/.exec(text.slice(start));
  if (!m) return { type: 'none' };
  const target = m[2] as string;
  const targetStart = start + m[0].length - target.length;
  if (!URL_SCHEME.test(target) && !VCS_PREFIX.test(target)) return { type: 'none' };
  return parseBareUrl(target, targetStart);
}

/** How a caller maps offsets of the parsed string to file positions. */
export interface RequirementContext {
  extractor: string;
  via: string;
  dev?: boolean;
  locate(offset: number): Location;
  span(start: number, end: number): TextSpan | null;
}

/** The Reference for a parsed requirement; revisionSpan only where the text maps one-to-one. */
export function requirementReference(req: ParsedRequirement, ctx: RequirementContext): Reference {
  const span = req.revision ? ctx.span(req.revision.start, req.revision.end) : null;
  return pypiReference({
    name: req.name,
    spec: req.revision?.text ?? null,
    at: ctx.locate(req.nameStart),
    extractor: ctx.extractor,
    via: ctx.via,
    hashed: req.hashed,
    immutable: req.immutable,
    dev: ctx.dev,
    marker: req.marker ?? undefined,
    revisionSpan: span && span.text === req.revision?.text ? span : undefined,
  });
}
