import { parseHubId } from '../../util/hub-id.js';
import type { HubCommit, HubFile, HubLicense, HubScanFile, HubScanLevel } from './types.js';

/**
 * Hand-written validators for the Hub answers we read (model/dataset info, commits, tree,
 * paths-info). Field names follow the wire, not huggingface.js's mapped types: `lfs.sha256` in
 * siblings but `lfs.oid` in the tree, and the real `pickleImportScan` shape. Anything surprising
 * is an error string, which the registry turns into an "unverified" upstream.
 */

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

export interface RepoInfo {
  objectId: string | null;
  id: string;
  author: string | null;
  sha: string;
  lastModified: string | null;
  createdAt: string | null;
  private: boolean;
  gated: false | 'auto' | 'manual';
  disabled: boolean;
  cardData: Record<string, unknown> | null;
  tags: string[];
  siblings: HubFile[] | null;
  security: { scansDone: boolean; filesWithIssues: HubScanFile[] } | null;
}

const SHA1 = /^[0-9a-f]{40}$/;
const SHA256 = /^[0-9a-f]{64}$/;
const LEVELS: readonly HubScanLevel[] = [
  'unscanned',
  'safe',
  'queued',
  'error',
  'caution',
  'suspicious',
  'unsafe',
];

class SchemaError extends Error {}

function fail(message: string): never {
  throw new SchemaError(message);
}

function parse<T>(fn: () => T): Parsed<T> {
  try {
    return { ok: true, value: fn() };
  } catch (error) {
    if (error instanceof SchemaError) return { ok: false, error: error.message };
    throw error;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(o: Record<string, unknown>, key: string, where: string): string {
  const v = o[key];
  if (typeof v !== 'string') fail(`${where}.${key} is not a string`);
  return v;
}

function optStr(o: Record<string, unknown>, key: string, where: string): string | null {
  const v = o[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') fail(`${where}.${key} is not a string`);
  return v;
}

function optBool(o: Record<string, unknown>, key: string, where: string): boolean {
  const v = o[key];
  if (v === undefined || v === null) return false;
  if (typeof v !== 'boolean') fail(`${where}.${key} is not a boolean`);
  return v;
}

function optSize(o: Record<string, unknown>, key: string, where: string): number | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0)
    fail(`${where}.${key} is not a size`);
  return v;
}

/** `GET /api/{models|datasets}/{id}/revision/{rev}` (default body, `blobs`, `securityStatus`). */
export function parseRepoInfo(json: unknown): Parsed<RepoInfo> {
  return parse(() => {
    if (!isObject(json)) fail('info is not an object');
    const sha = str(json, 'sha', 'info');
    if (!SHA1.test(sha)) fail('info.sha is not a commit sha');
    return {
      objectId: optStr(json, '_id', 'info'),
      id: str(json, 'id', 'info'),
      author: optStr(json, 'author', 'info'),
      sha,
      lastModified: optStr(json, 'lastModified', 'info'),
      createdAt: optStr(json, 'createdAt', 'info'),
      private: optBool(json, 'private', 'info'),
      gated: gated(json.gated),
      disabled: optBool(json, 'disabled', 'info'),
      cardData: cardData(json.cardData),
      tags: Array.isArray(json.tags)
        ? json.tags.filter((t): t is string => typeof t === 'string')
        : [],
      siblings: json.siblings === undefined ? null : siblings(json.siblings),
      security: json.securityRepoStatus === undefined ? null : security(json.securityRepoStatus),
    };
  });
}

function gated(v: unknown): RepoInfo['gated'] {
  if (v === undefined || v === null || v === false) return false;
  if (v === 'auto' || v === 'manual') return v;
  if (v === true) return 'auto';
  return fail('info.gated is not false, "auto" or "manual"');
}

function cardData(v: unknown): Record<string, unknown> | null {
  if (v === undefined || v === null) return null;
  if (!isObject(v)) fail('info.cardData is not an object');
  return v;
}

function siblings(v: unknown): HubFile[] {
  if (!Array.isArray(v)) fail('info.siblings is not an array');
  return v.map((s, i) => {
    const where = `info.siblings[${i}]`;
    if (!isObject(s)) fail(`${where} is not an object`);
    const file: HubFile = { path: str(s, 'rfilename', where) };
    const size = optSize(s, 'size', where);
    if (size !== undefined) file.size = size;
    const blobId = optStr(s, 'blobId', where);
    if (blobId) file.blobId = blobId;
    if (s.lfs !== undefined && s.lfs !== null) {
      if (!isObject(s.lfs)) fail(`${where}.lfs is not an object`);
      // Siblings name the content hash `sha256`; the tree names it `oid`.
      const sha256 = str(s.lfs, 'sha256', `${where}.lfs`).toLowerCase();
      if (!SHA256.test(sha256)) fail(`${where}.lfs.sha256 is not a sha256`);
      file.sha256 = sha256;
      file.size = optSize(s.lfs, 'size', `${where}.lfs`) ?? file.size;
    }
    return file;
  });
}

function security(v: unknown): RepoInfo['security'] {
  if (!isObject(v)) fail('info.securityRepoStatus is not an object');
  const files = v.filesWithIssues ?? [];
  if (!Array.isArray(files)) fail('info.securityRepoStatus.filesWithIssues is not an array');
  return {
    scansDone: optBool(v, 'scansDone', 'info.securityRepoStatus'),
    filesWithIssues: files.map((f, i) => {
      const where = `info.securityRepoStatus.filesWithIssues[${i}]`;
      if (!isObject(f)) fail(`${where} is not an object`);
      return { path: str(f, 'path', where), level: level(f.level) };
    }),
  };
}

function level(v: unknown): HubScanLevel {
  return LEVELS.find((l) => l === v) ?? 'unknown';
}

/** `GET /api/{models|datasets}/{id}/commits/{rev}`: newest first. */
export function parseCommits(json: unknown): Parsed<HubCommit[]> {
  return parse(() => {
    if (!Array.isArray(json)) fail('commits is not an array');
    return json.map((c, i) => {
      const where = `commits[${i}]`;
      if (!isObject(c)) fail(`${where} is not an object`);
      const sha = str(c, 'id', where);
      if (!SHA1.test(sha)) fail(`${where}.id is not a commit sha`);
      const authors = Array.isArray(c.authors) ? c.authors : [];
      return {
        sha,
        title: str(c, 'title', where),
        date: str(c, 'date', where),
        authors: authors.flatMap((a) =>
          isObject(a) && typeof a.user === 'string' ? [a.user] : [],
        ),
      };
    });
  });
}

/** One `/tree` (or paths-info) entry. Directories are dropped. */
export function parseTreeEntry(json: unknown): Parsed<HubFile | null> {
  return parse(() => {
    if (!isObject(json)) fail('tree entry is not an object');
    const path = str(json, 'path', 'tree entry');
    if (json.type === 'directory') return null;
    const file: HubFile = { path };
    const size = optSize(json, 'size', 'tree entry');
    if (size !== undefined) file.size = size;
    const oid = optStr(json, 'oid', 'tree entry');
    if (oid) file.blobId = oid;
    if (json.lfs !== undefined && json.lfs !== null) {
      if (!isObject(json.lfs)) fail('tree entry.lfs is not an object');
      const sha256 = str(json.lfs, 'oid', 'tree entry.lfs').toLowerCase();
      if (!SHA256.test(sha256)) fail('tree entry.lfs.oid is not a sha256');
      file.sha256 = sha256;
      file.size = optSize(json.lfs, 'size', 'tree entry.lfs') ?? file.size;
    }
    return file;
  });
}

/**
 * `securityFileStatus` from paths-info with `expand`: `{status, avScan, pickleImportScan:
 * {status, pickleImports[{module, name, safety}], version}, protectAiScan, jFrogScan?, …}`.
 * Any sub-scanner may be missing. Returns the dangerous imports and the flagging messages.
 */
export function parseFileScan(path: string, status: unknown): HubScanFile | null {
  if (!isObject(status)) return null;
  const out: HubScanFile = { path, level: level(status.status) };
  const pickle = status.pickleImportScan;
  if (isObject(pickle) && Array.isArray(pickle.pickleImports)) {
    const risky = pickle.pickleImports.flatMap((p) =>
      isObject(p) &&
      typeof p.module === 'string' &&
      typeof p.name === 'string' &&
      (p.safety === 'dangerous' || p.safety === 'suspicious')
        ? [`${p.module}.${p.name}`]
        : [],
    );
    if (risky.length > 0) out.pickleImports = risky;
  }
  const messages = Object.entries(status).flatMap(([key, scan]) =>
    key !== 'pickleImportScan' &&
    isObject(scan) &&
    typeof scan.message === 'string' &&
    typeof scan.status === 'string' &&
    !['safe', 'unscanned'].includes(scan.status)
      ? [scan.message]
      : [],
  );
  if (messages.length > 0) out.messages = messages;
  return out;
}

/** Licence from the card (`license`, `license_name`, `license_link`), else the `license:` tag. */
export function licenseOf(card: Record<string, unknown> | null, tags: string[]): HubLicense | null {
  const raw = card?.license;
  const fromCard = (Array.isArray(raw) ? raw : [raw]).filter(
    (v): v is string => typeof v === 'string' && v.trim() !== '',
  );
  const ids = fromCard.length
    ? fromCard
    : tags.filter((t) => t.startsWith('license:')).map((t) => t.slice('license:'.length));
  if (ids.length === 0) return null;
  const out: HubLicense = { ids: [...new Set(ids.map((i) => i.trim().toLowerCase()))].sort() };
  if (typeof card?.license_name === 'string') out.name = card.license_name;
  if (typeof card?.license_link === 'string') out.link = card.license_link;
  return out;
}

/** `base_model` (a string or a list) as Hub ids, and `base_model_relation`. */
export function baseModelsOf(card: Record<string, unknown> | null): {
  ids: string[];
  relation: string | null;
} {
  const raw = card?.base_model;
  const ids = (Array.isArray(raw) ? raw : [raw]).flatMap((v) => {
    const hub = typeof v === 'string' ? parseHubId(v, { bare: true }) : null;
    return hub ? [hub.id] : [];
  });
  const relation = typeof card?.base_model_relation === 'string' ? card.base_model_relation : null;
  return { ids: [...new Set(ids)], relation };
}
