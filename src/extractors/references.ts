import type { Reference, TextSpan, Location } from '../types.js';
import { isCommitSha, parseHubId } from '../util/hub-id.js';

/**
 * Builds a Hub reference from a raw string, or returns null when the string is not a Hub id
 * (a local path, a template, another host). `bare` admits one-segment ids such as `gpt2`; pass it
 * only where the string is handed to a Hub loader.
 */
export function hubReference(input: {
  raw: string;
  kind: 'model' | 'dataset';
  at: Location;
  extractor: string;
  via: string;
  revision?: string | null;
  revisionSpan?: TextSpan;
  bare?: boolean;
  trustRemoteCode?: boolean;
  filename?: string;
}): Reference | null {
  const hub = parseHubId(input.raw, { bare: input.bare });
  if (!hub) return null;
  const revision = input.revision?.trim() || null;
  const ref: Reference = {
    kind: input.kind,
    ecosystem: 'huggingface',
    id: hub.id,
    revision,
    pinned: isCommitSha(revision),
    file: input.at.file,
    line: input.at.line,
    column: input.at.column,
    extractor: input.extractor,
    via: input.via,
  };
  if (input.revisionSpan) ref.revisionSpan = input.revisionSpan;
  if (input.trustRemoteCode) ref.trustRemoteCode = true;
  if (input.filename) ref.filename = input.filename;
  return ref;
}

/** PEP 503 normalized name: lower case, runs of `-_.` become one `-`. */
export function normalizePythonName(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[-_.]+/g, '-');
}

/**
 * A PyPI package reference. `spec` is the version specifier as written (`==2.3.1`, `>=4.40,<5`),
 * or the locked version for lockfiles. Pinned means one exact version (`==x` without wildcard,
 * `===x`), a lockfile entry, or a hash-checked requirement.
 */
export function pypiReference(input: {
  name: string;
  spec: string | null;
  at: Location;
  extractor: string;
  via: string;
  locked?: boolean;
  hashed?: boolean;
  dev?: boolean;
  marker?: string;
  revisionSpan?: TextSpan;
  /** The one version a spec in another syntax allows (Poetry's bare `1.2.3`), when known. */
  exact?: string;
  /** Pinned by an immutable reference the spec cannot show, such as a VCS commit sha. */
  immutable?: boolean;
}): Reference {
  const spec = input.spec?.trim() || null;
  const exact = (spec ? exactPythonVersion(spec) : null) ?? input.exact ?? null;
  const version = input.locked ? (spec ?? undefined) : (exact ?? undefined);
  const ref: Reference = {
    kind: 'package',
    ecosystem: 'pypi',
    id: normalizePythonName(input.name),
    revision: spec,
    pinned: !!input.locked || !!exact || !!input.hashed || !!input.immutable,
    file: input.at.file,
    line: input.at.line,
    column: input.at.column,
    extractor: input.extractor,
    via: input.via,
  };
  if (version) ref.version = version;
  if (input.locked) ref.locked = true;
  if (input.dev) ref.dev = true;
  if (input.marker) ref.marker = input.marker;
  if (input.revisionSpan) ref.revisionSpan = input.revisionSpan;
  return ref;
}

/** The single version an `==`/`===` specifier allows, or null (ranges, wildcards, lists). */
export function exactPythonVersion(spec: string): string | null {
  const m = /^\s*===?\s*([A-Za-z0-9.+!_-]+)\s*$/.exec(spec);
  if (!m || (m[1] as string).includes('*')) return null;
  return m[1] as string;
}

/** An npm package reference; `spec` is the range as written, or the locked version. */
export function npmReference(input: {
  name: string;
  spec: string | null;
  at: Location;
  extractor: string;
  via: string;
  locked?: boolean;
  dev?: boolean;
  revisionSpan?: TextSpan;
}): Reference {
  const spec = input.spec?.trim() || null;
  const exact =
    spec && /^v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/.test(spec)
      ? spec.replace(/^v/, '')
      : null;
  const ref: Reference = {
    kind: 'package',
    ecosystem: 'npm',
    id: input.name.trim(),
    revision: spec,
    pinned: !!input.locked || !!exact,
    file: input.at.file,
    line: input.at.line,
    column: input.at.column,
    extractor: input.extractor,
    via: input.via,
  };
  const version = input.locked ? spec : exact;
  if (version) ref.version = version;
  if (input.locked) ref.locked = true;
  if (input.dev) ref.dev = true;
  if (input.revisionSpan) ref.revisionSpan = input.revisionSpan;
  return ref;
}
