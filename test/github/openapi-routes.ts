import { resolve, validate, type Schema } from './json-schema.js';
import { openApi } from './stand-in.js';

/**
 * Matching requests to GitHub's OpenAPI description and checking them against it: shared by the
 * Action's GitHub stand-in and the App's, so both refuse what GitHub would.
 */
interface Route {
  template: string;
  regex: RegExp;
  literals: number;
}

let routes: Route[] | null = null;
function routeTable(): Route[] {
  routes ??= Object.keys(openApi().paths as Schema)
    .map((template) => ({
      template,
      regex: new RegExp(
        '^' + template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '([^/]+)') + '$',
      ),
      literals: template.split('/').filter((s) => s && !s.startsWith('{')).length,
    }))
    // The most literal template first: `/repos/{o}/{r}/pulls/comments` before `/pulls/{n}`.
    .sort((a, b) => b.literals - a.literals);
  return routes;
}

/** The documented operation a request path and method hit, with its path parameters. */
export function matchOperation(
  method: string,
  apiPath: string,
): { template: string; operation: Schema; params: Record<string, string> } | null {
  for (const r of routeTable()) {
    const m = r.regex.exec(apiPath);
    if (!m) continue;
    const operation = ((openApi().paths as Schema)[r.template] as Schema)[method.toLowerCase()];
    if (!operation) continue;
    const names = [...r.template.matchAll(/\{([^}]+)\}/g)].map((x) => x[1] as string);
    const params = Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)]));
    return { template: r.template, operation: operation as Schema, params };
  }
  return null;
}

/** What in a request's query and body the operation's description does not allow. */
export function requestViolations(
  operation: Schema,
  record: { query: Record<string, string>; body?: unknown },
  label: string,
): string[] {
  const out: string[] = [];
  const declared = ((operation.parameters as Schema[] | undefined) ?? []).map((p) =>
    typeof p.$ref === 'string' ? resolve(openApi(), p.$ref) : p,
  );
  for (const name of Object.keys(record.query)) {
    if (!declared.some((p) => p.name === name && p.in === 'query'))
      out.push(`${label}: query parameter "${name}" is not in the description`);
  }
  const requestBody = operation.requestBody as Schema | undefined;
  if (record.body === undefined) {
    if (requestBody?.required === true) out.push(`${label}: body is required`);
    return out;
  }
  const schema = (
    (requestBody?.content as Schema | undefined)?.['application/json'] as Schema | undefined
  )?.schema as Schema | undefined;
  if (!schema) return [...out, `${label}: sent a body the operation does not take`];
  for (const e of validate(record.body, schema, openApi(), 'body')) out.push(`${label}: ${e}`);
  return out;
}
