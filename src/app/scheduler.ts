import type { Cron } from './cron.js';
import { errorFields, type Logger } from './log.js';

/** setTimeout takes at most 2^31-1 ms (about 24.8 days); a longer wait is made in steps. */
const MAX_DELAY_MS = 2 ** 31 - 1;

export interface Clock {
  now(): Date;
  setTimeout(fn: () => void, ms: number): NodeJS.Timeout;
  clearTimeout(timer: NodeJS.Timeout): void;
}

const SYSTEM_CLOCK: Clock = {
  now: () => new Date(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (t) => clearTimeout(t),
};

/**
 * Fires `tick` at each minute the cron expression matches. Every server runs one; with Redis the
 * tick queues a job whose id is the scheduled minute, so several servers make one sweep.
 */
export class Scheduler {
  private timer: NodeJS.Timeout | null = null;
  private stopped = true;

  constructor(
    private readonly cron: Cron,
    private readonly tick: (at: Date) => Promise<void>,
    private readonly log: Logger,
    private readonly clock: Clock = SYSTEM_CLOCK,
  ) {}

  start(): void {
    this.stopped = false;
    this.arm();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  /** The next time it will fire, or null when stopped. */
  nextAt(): Date | null {
    return this.stopped ? null : this.cron.next(this.clock.now());
  }

  private arm(): void {
    if (this.stopped) return;
    const now = this.clock.now();
    const next = this.cron.next(now);
    const delay = Math.min(next.getTime() - now.getTime(), MAX_DELAY_MS);
    this.timer = this.clock.setTimeout(() => this.fire(next), delay);
    this.log.debug('next drift sweep scheduled', { at: next.toISOString() });
  }

  private fire(at: Date): void {
    if (this.stopped) return;
    // Woken early (a long wait made in steps, or a clock that jumped back): wait again.
    if (this.clock.now().getTime() < at.getTime()) return this.arm();
    this.tick(at).catch((error: unknown) =>
      this.log.error('could not queue the drift sweep', {
        at: at.toISOString(),
        ...errorFields(error),
      }),
    );
    this.arm();
  }
}
