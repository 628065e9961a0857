/**
 * Small guards for the hand-written response validators (`schema.ts` next to each registry).
 * A validator returns the typed value or a `ShapeError` naming the first field that surprised it,
 * which the registry turns into an "unverified" state for the references involved.
 */
export class ShapeError extends Error {
  override readonly name = 'ShapeError';
}

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function expectObject(value: unknown, what: string): JsonObject {
  if (!isObject(value)) throw new ShapeError(`${what} is not an object`);
  return value;
}

export function expectArray(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw new ShapeError(`${what} is not an array`);
  return value;
}

export function expectString(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new ShapeError(`${what} is not a string`);
  return value;
}

/** A string, or null when absent or null; anything else is a surprise. */
export function optionalString(value: unknown, what: string): string | null {
  if (value === undefined || value === null) return null;
  return expectString(value, what);
}

/** Strings of an optional array; non-string members are a surprise. */
export function optionalStrings(value: unknown, what: string): string[] {
  if (value === undefined || value === null) return [];
  return expectArray(value, what).map((v, i) => expectString(v, `${what}[${i}]`));
}
