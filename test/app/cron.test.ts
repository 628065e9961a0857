import { parseCron } from '../../src/app/cron.js';
import { Scheduler, type Clock } from '../../src/app/scheduler.js';
import { collectLogs } from './helpers.js';

const at = (iso: string) => new Date(iso);
const next = (expr: string, from: string) => parseCron(expr).next(at(from)).toISOString();

describe('cron expressions (UTC)', () => {
  it('finds the next matching minute, strictly after the given time', () => {
    expect(next('0 6 * * *', '2026-06-01T05:59:30Z')).toBe('2026-06-01T06:00:00.000Z');
    expect(next('0 6 * * *', '2026-06-01T06:00:00Z')).toBe('2026-06-02T06:00:00.000Z');
    expect(next('*/15 * * * *', '2026-06-01T10:07:00Z')).toBe('2026-06-01T10:15:00.000Z');
    expect(next('5/20 9-17 * * *', '2026-06-01T17:46:00Z')).toBe('2026-06-02T09:05:00.000Z');
    expect(next('30 2 1,15 * *', '2026-06-02T00:00:00Z')).toBe('2026-06-15T02:30:00.000Z');
    expect(next('0 0 29 2 *', '2026-03-01T00:00:00Z')).toBe('2028-02-29T00:00:00.000Z');
  });

  it('reads names, 7 as Sunday and the @ shorthands', () => {
    // 2026-06-01 is a Monday.
    expect(next('0 9 * * mon-fri', '2026-06-05T10:00:00Z')).toBe('2026-06-08T09:00:00.000Z');
    expect(next('0 0 * * 7', '2026-06-01T00:00:00Z')).toBe('2026-06-07T00:00:00.000Z');
    expect(next('0 0 1 JAN *', '2026-06-01T00:00:00Z')).toBe('2027-01-01T00:00:00.000Z');
    expect(next('@weekly', '2026-06-01T00:00:00Z')).toBe('2026-06-07T00:00:00.000Z');
    expect(next('@hourly', '2026-06-01T00:00:00Z')).toBe('2026-06-01T01:00:00.000Z');
  });

  it('fires on either day field when both are restricted, as Vixie cron does', () => {
    // The 13th, or any Friday.
    expect(next('0 0 13 * fri', '2026-06-06T00:00:00Z')).toBe('2026-06-12T00:00:00.000Z');
    expect(next('0 0 13 * fri', '2026-06-12T00:00:00Z')).toBe('2026-06-13T00:00:00.000Z');
    expect(parseCron('0 0 13 * fri').matches(at('2026-06-19T00:00:00Z'))).toBe(true);
  });

  it('names the field at fault', () => {
    expect(() => parseCron('0 6 * *')).toThrow(
      'cron expression "0 6 * *" must have 5 fields (minute hour day-of-month month day-of-week), found 4',
    );
    expect(() => parseCron('60 * * * *')).toThrow('minute "60" is outside 0-59');
    expect(() => parseCron('* * * * funday')).toThrow('day of week "funday" is not a number');
    expect(() => parseCron('*/0 * * * *')).toThrow('minute "*/0" has a bad step');
    expect(() => parseCron('0 10-2 * * *')).toThrow(
      'hour "10-2" is a range that ends before it starts',
    );
    expect(() => parseCron('0 0 31 2 *').next(at('2026-01-01T00:00:00Z'))).toThrow('never fires');
  });
});

describe('Scheduler', () => {
  /** A clock the test moves by hand; timers fire when it passes them. */
  function fakeClock(start: string) {
    let now = at(start).getTime();
    const timers: { at: number; fn: () => void; id: number }[] = [];
    let ids = 0;
    const clock: Clock = {
      now: () => new Date(now),
      setTimeout: (fn, ms) => {
        const t = { at: now + ms, fn, id: ++ids };
        timers.push(t);
        return t.id as unknown as NodeJS.Timeout;
      },
      clearTimeout: (id) => {
        const i = timers.findIndex((t) => t.id === (id as unknown as number));
        if (i >= 0) timers.splice(i, 1);
      },
    };
    const advance = (iso: string) => {
      now = at(iso).getTime();
      for (;;) {
        const due = timers.filter((t) => t.at <= now).sort((a, b) => a.at - b.at)[0];
        if (!due) return;
        timers.splice(timers.indexOf(due), 1);
        due.fn();
      }
    };
    return { clock, advance, pending: () => timers.length };
  }

  it('ticks once at each matching minute, with that minute', () => {
    const { clock, advance, pending } = fakeClock('2026-06-01T05:00:00Z');
    const ticks: string[] = [];
    const s = new Scheduler(
      parseCron('0 6 * * *'),
      async (d) => void ticks.push(d.toISOString()),
      collectLogs().log,
      clock,
    );
    s.start();
    expect(s.nextAt()?.toISOString()).toBe('2026-06-01T06:00:00.000Z');
    advance('2026-06-01T06:00:00Z');
    advance('2026-06-02T06:00:30Z');
    expect(ticks).toEqual(['2026-06-01T06:00:00.000Z', '2026-06-02T06:00:00.000Z']);
    s.stop();
    expect(pending()).toBe(0);
    expect(s.nextAt()).toBeNull();
  });

  it('waits more than 24.8 days in steps (setTimeout caps its delay)', () => {
    const { clock, advance } = fakeClock('2026-01-02T00:00:00Z');
    const ticks: string[] = [];
    const s = new Scheduler(
      parseCron('@yearly'),
      async (d) => void ticks.push(d.toISOString()),
      collectLogs().log,
      clock,
    );
    s.start();
    advance('2026-02-01T00:00:00Z');
    expect(ticks).toEqual([]);
    advance('2027-01-01T00:00:00Z');
    expect(ticks).toEqual(['2027-01-01T00:00:00.000Z']);
    s.stop();
  });
});
