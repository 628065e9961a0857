import {
  expectArray,
  expectObject,
  expectString,
  isObject,
  optionalString,
  optionalStrings,
  ShapeError,
} from '../json-shape.js';
import type { OsvAffected, OsvRange } from './types.js';

/** One entry of `POST /v1/querybatch` `results[]`: the ids only (details need `/v1/vulns`). */
export interface BatchResult {
  ids: string[];
  nextPageToken: string | null;
}

/**
 * `POST /v1/querybatch` (osv.dev docs/api/post-v1-querybatch.md). An empty result is `{}`, not
 * `{"vulns": []}`; each result may carry `next_page_token`. The list must match the queries
 * one to one, or nothing in it can be attributed.
 */
export function parseQueryBatch(json: unknown, expected: number): BatchResult[] {
  const body = expectObject(json, 'response');
  const results = expectArray(body.results ?? [], 'results');
  if (results.length !== expected)
    throw new ShapeError(`results has ${results.length} entries for ${expected} queries`);
  return results.map((r, i) => {
    const result = expectObject(r, `results[${i}]`);
    const vulns = expectArray(result.vulns ?? [], `results[${i}].vulns`);
    return {
      ids: vulns.map((v, j) => expectString(expectObject(v, `vulns[${j}]`).id, `vulns[${j}].id`)),
      nextPageToken: optionalString(result.next_page_token, `results[${i}].next_page_token`),
    };
  });
}

/** `GET /v1/vulns/{id}` as far as the checks need it (OSV schema 1.x). */
export interface OsvRecord {
  id: string;
  aliases: string[];
  summary: string | null;
  details: string | null;
  published: string | null;
  modified: string | null;
  withdrawn: string | null;
  cvss: { type: string; score: string }[];
  databaseSeverity: string | null;
  affected: OsvAffected[];
}

export function parseVulnerability(json: unknown): OsvRecord {
  const body = expectObject(json, 'response');
  const dbSpecific = isObject(body.database_specific) ? body.database_specific : {};
  const severity = dbSpecific.severity;
  return {
    id: expectString(body.id, 'id'),
    aliases: optionalStrings(body.aliases, 'aliases'),
    summary: optionalString(body.summary, 'summary'),
    details: optionalString(body.details, 'details'),
    published: optionalString(body.published, 'published'),
    modified: optionalString(body.modified, 'modified'),
    withdrawn: optionalString(body.withdrawn, 'withdrawn'),
    cvss: expectArray(body.severity ?? [], 'severity').map((s, i) => {
      const entry = expectObject(s, `severity[${i}]`);
      return {
        type: expectString(entry.type, `severity[${i}].type`),
        score: expectString(entry.score, `severity[${i}].score`),
      };
    }),
    // Only GHSA records carry it; a non-string is ignored rather than failing the record.
    databaseSeverity: typeof severity === 'string' ? severity : null,
    affected: expectArray(body.affected ?? [], 'affected').map(affected),
  };
}

function affected(value: unknown, i: number): OsvAffected {
  const entry = expectObject(value, `affected[${i}]`);
  const pkg = isObject(entry.package) ? entry.package : {};
  return {
    ecosystem: optionalString(pkg.ecosystem, `affected[${i}].package.ecosystem`) ?? '',
    name: optionalString(pkg.name, `affected[${i}].package.name`) ?? '',
    ranges: expectArray(entry.ranges ?? [], `affected[${i}].ranges`).map((r, j) =>
      range(r, `affected[${i}].ranges[${j}]`),
    ),
    versions: optionalStrings(entry.versions, `affected[${i}].versions`),
  };
}

function range(value: unknown, what: string): OsvRange {
  const r = expectObject(value, what);
  return {
    type: expectString(r.type, `${what}.type`),
    events: expectArray(r.events ?? [], `${what}.events`).map((e, k) => {
      const event = expectObject(e, `${what}.events[${k}]`);
      const out: OsvRange['events'][number] = {};
      for (const key of ['introduced', 'fixed', 'last_affected', 'limit'] as const) {
        const v = optionalString(event[key], `${what}.events[${k}].${key}`);
        if (v !== null) out[key] = v;
      }
      return out;
    }),
  };
}

/** OSV error bodies are `{"code": 3, "message": "Invalid ecosystem."}`. */
export function errorMessage(json: unknown): string | null {
  return isObject(json) && typeof json.message === 'string' ? json.message : null;
}
