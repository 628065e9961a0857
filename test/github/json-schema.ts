/**
 * A small JSON Schema checker for tests: the subset GitHub's OpenAPI description (3.0, with
 * `nullable`) and the SARIF 2.1.0 schema (draft-04) use. Formats are not checked. Returns every
 * violation as `path: message`, so a failing test says where.
 */
export type Schema = Record<string, unknown>;

export function validate(value: unknown, schema: Schema, root: Schema, at = '$'): string[] {
  if (typeof schema.$ref === 'string') return validate(value, resolve(root, schema.$ref), root, at);
  const errors: string[] = [];
  if (value === null && schema.nullable === true) return errors;
  if (schema.enum && !(schema.enum as unknown[]).some((e) => deepEqual(e, value)))
    errors.push(`${at}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  if (schema.type !== undefined && !typeMatches(value, schema.type as string | string[]))
    return [...errors, `${at}: expected ${JSON.stringify(schema.type)}, got ${kind(value)}`];
  for (const sub of (schema.allOf as Schema[] | undefined) ?? [])
    errors.push(...validate(value, sub, root, at));
  if (
    schema.anyOf &&
    !(schema.anyOf as Schema[]).some((s) => validate(value, s, root, at).length === 0)
  )
    errors.push(`${at}: matches none of anyOf`);
  if (schema.oneOf) {
    const n = (schema.oneOf as Schema[]).filter(
      (s) => validate(value, s, root, at).length === 0,
    ).length;
    if (n !== 1) errors.push(`${at}: matches ${n} of oneOf`);
  }
  if (typeof value === 'string') errors.push(...stringErrors(value, schema, at));
  if (typeof value === 'number') errors.push(...numberErrors(value, schema, at));
  if (Array.isArray(value)) errors.push(...arrayErrors(value, schema, root, at));
  else if (typeof value === 'object' && value !== null)
    errors.push(...objectErrors(value as Record<string, unknown>, schema, root, at));
  return errors;
}

function objectErrors(value: Record<string, unknown>, schema: Schema, root: Schema, at: string) {
  const errors: string[] = [];
  const props = (schema.properties as Record<string, Schema> | undefined) ?? {};
  for (const key of (schema.required as string[] | undefined) ?? [])
    if (!(key in value)) errors.push(`${at}: missing required "${key}"`);
  for (const [key, v] of Object.entries(value)) {
    const sub = props[key];
    if (sub) errors.push(...validate(v, sub, root, `${at}.${key}`));
    else if (schema.additionalProperties === false) errors.push(`${at}: unexpected "${key}"`);
    else if (typeof schema.additionalProperties === 'object')
      errors.push(...validate(v, schema.additionalProperties as Schema, root, `${at}.${key}`));
  }
  return errors;
}

function arrayErrors(value: unknown[], schema: Schema, root: Schema, at: string) {
  const errors: string[] = [];
  if (typeof schema.minItems === 'number' && value.length < schema.minItems)
    errors.push(`${at}: fewer than ${schema.minItems} items`);
  if (schema.uniqueItems === true) {
    const seen = new Set(value.map((v) => JSON.stringify(v)));
    if (seen.size !== value.length) errors.push(`${at}: items are not unique`);
  }
  if (schema.items)
    value.forEach((v, i) =>
      errors.push(...validate(v, schema.items as Schema, root, `${at}[${i}]`)),
    );
  return errors;
}

function stringErrors(value: string, schema: Schema, at: string) {
  const errors: string[] = [];
  if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value))
    errors.push(`${at}: "${value}" does not match ${schema.pattern}`);
  if (typeof schema.minLength === 'number' && value.length < schema.minLength)
    errors.push(`${at}: shorter than ${schema.minLength}`);
  return errors;
}

function numberErrors(value: number, schema: Schema, at: string) {
  const errors: string[] = [];
  if (typeof schema.minimum === 'number' && value < schema.minimum)
    errors.push(`${at}: ${value} < ${schema.minimum}`);
  if (typeof schema.maximum === 'number' && value > schema.maximum)
    errors.push(`${at}: ${value} > ${schema.maximum}`);
  return errors;
}

export function resolve(root: Schema, ref: string): Schema {
  if (!ref.startsWith('#/')) throw new Error(`only local $refs are supported: ${ref}`);
  let node: unknown = root;
  for (const part of ref.slice(2).split('/')) {
    node = (node as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
    if (node === undefined) throw new Error(`unresolved $ref ${ref}`);
  }
  return node as Schema;
}

function typeMatches(value: unknown, type: string | string[]): boolean {
  const types = Array.isArray(type) ? type : [type];
  return types.some((t) => {
    switch (t) {
      case 'integer':
        return Number.isInteger(value);
      case 'number':
        return typeof value === 'number';
      case 'array':
        return Array.isArray(value);
      case 'object':
        return typeof value === 'object' && value !== null && !Array.isArray(value);
      case 'null':
        return value === null;
      default:
        return typeof value === t;
    }
  });
}

function kind(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
