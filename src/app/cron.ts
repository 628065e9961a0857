import { ConfigurationError } from '../errors.js';

/**
 * A five-field cron expression (minute hour day-of-month month day-of-week), evaluated in UTC.
 * Supports `*`, values, ranges, steps (`*\/15`, `1-30/2`), lists, month and weekday names, `7` for
 * Sunday, and the `@hourly`/`@daily`/`@weekly`/`@monthly`/`@yearly` shorthands. As in Vixie cron,
 * when both day fields are restricted a day matching either one fires.
 */
export interface Cron {
  readonly source: string;
  matches(date: Date): boolean;
  /** The first minute strictly after `after` that matches. */
  next(after: Date): Date;
}

const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: string[];
  /** First value the names stand for (months start at 1). */
  nameBase?: number;
}

const FIELDS: FieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS, nameBase: 1 },
  { name: 'day of week', min: 0, max: 7, names: DAYS, nameBase: 0 },
];

/** Parses an expression; a mistake is a ConfigurationError naming the field. */
export function parseCron(expression: string): Cron {
  const source = expression.trim();
  const text = MACROS[source.toLowerCase()] ?? source;
  const parts = text.split(/\s+/);
  if (parts.length !== 5)
    throw new ConfigurationError(
      `cron expression "${source}" must have 5 fields (minute hour day-of-month month day-of-week), found ${parts.length}`,
    );
  const sets = parts.map((p, i) => parseField(p, FIELDS[i] as FieldSpec, source));
  const [minutes, hours, doms, months, dows] = sets as [
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
  ];
  if (dows.has(7)) dows.add(0);
  const domAny = parts[2] === '*' || parts[2] === '?';
  const dowAny = parts[4] === '*' || parts[4] === '?';
  const dayMatches = (d: Date) => {
    const dom = doms.has(d.getUTCDate());
    const dow = dows.has(d.getUTCDay());
    if (domAny && dowAny) return true;
    if (domAny) return dow;
    if (dowAny) return dom;
    return dom || dow;
  };
  const matches = (d: Date) =>
    minutes.has(d.getUTCMinutes()) &&
    hours.has(d.getUTCHours()) &&
    months.has(d.getUTCMonth() + 1) &&
    dayMatches(d);
  const sortedHours = [...hours].sort((a, b) => a - b);
  const sortedMinutes = [...minutes].sort((a, b) => a - b);
  return {
    source,
    matches,
    next(after: Date): Date {
      const start = new Date(after.getTime());
      start.setUTCSeconds(0, 0);
      start.setUTCMinutes(start.getUTCMinutes() + 1);
      // Day by day (at most a leap cycle and a bit), then the first hour and minute that fit.
      const day = new Date(
        Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate()),
      );
      for (let i = 0; i < 366 * 8; i++, day.setUTCDate(day.getUTCDate() + 1)) {
        if (!months.has(day.getUTCMonth() + 1) || !dayMatches(day)) continue;
        for (const h of sortedHours) {
          for (const m of sortedMinutes) {
            const t = new Date(day.getTime());
            t.setUTCHours(h, m, 0, 0);
            if (t.getTime() >= start.getTime()) return t;
          }
        }
      }
      throw new ConfigurationError(`cron expression "${source}" never fires`);
    },
  };
}

function parseField(text: string, spec: FieldSpec, source: string): Set<number> {
  const fail = (why: string): never => {
    throw new ConfigurationError(`cron expression "${source}": ${spec.name} "${text}" ${why}`);
  };
  const out = new Set<number>();
  for (const item of text.split(',')) {
    const [range, stepText, extra] = item.split('/');
    if (range === undefined || range === '' || extra !== undefined) fail('is not valid');
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d+$/.test(stepText) || Number(stepText) === 0) fail('has a bad step');
      step = Number(stepText);
    }
    let lo: number;
    let hi: number;
    if (range === '*' || range === '?') {
      lo = spec.min;
      hi = spec.name === 'day of week' ? 6 : spec.max;
    } else {
      const bounds = (range as string).split('-');
      if (bounds.length > 2) fail('is not valid');
      lo = value(bounds[0] as string, spec, fail);
      // `5/15` means from 5 to the end, stepping 15.
      hi =
        bounds.length === 2
          ? value(bounds[1] as string, spec, fail)
          : stepText !== undefined
            ? spec.max
            : lo;
      if (hi < lo) fail('is a range that ends before it starts');
    }
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return out;
}

function value(text: string, spec: FieldSpec, fail: (why: string) => never): number {
  const named = spec.names?.indexOf(text.toLowerCase()) ?? -1;
  if (named >= 0) return named + (spec.nameBase ?? 0);
  if (!/^\d+$/.test(text)) return fail('is not a number');
  const n = Number(text);
  if (n < spec.min || n > spec.max) fail(`is outside ${spec.min}-${spec.max}`);
  return n;
}
