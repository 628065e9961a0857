import { jobFields, type QueuedJob } from './jobs.js';
import { errorFields, type Logger } from './log.js';

export interface JobContext {
  attempt: number;
  log: Logger;
}

export type JobHandler = (job: QueuedJob, ctx: JobContext) => Promise<void>;

/** Where the server puts work and workers take it: in process, or BullMQ on Redis. */
export interface JobQueue {
  /** False when a job with this id was already queued (or ran) recently. */
  add(job: QueuedJob): Promise<boolean>;
  /** Starts taking jobs. */
  start(handler: JobHandler): Promise<void>;
  /** Taking and accepting jobs (Redis reachable, not shutting down). */
  ready(): boolean;
  /** Stops taking jobs and waits for the running ones, at most `timeoutMs`. */
  close(timeoutMs: number): Promise<{ unfinished: number }>;
}

/** Which deliveries were handled: a redelivery of one is answered without doing anything. */
export interface DeliveryStore {
  /** True the first time an id is claimed. */
  claim(id: string): Promise<boolean>;
  /** Forgets an id, so a manual redelivery is handled again (its work failed for good). */
  release(id: string): Promise<void>;
  close(): Promise<void>;
}

export interface QueueOptions {
  concurrency: number;
  installationConcurrency: number;
  attempts: number;
  /** First retry after this; each next one waits twice as long (as BullMQ's exponential backoff). */
  retryDelayMs: number;
  log: Logger;
  /** A job failed its last attempt. */
  onGiveUp?: (job: QueuedJob, error: unknown) => void;
}

/** Ids remembered for deduplication, in process. */
const REMEMBERED = 10_000;

/** An insertion-ordered set that forgets its oldest members past `limit`. */
export class BoundedSet {
  private readonly items = new Set<string>();
  constructor(private readonly limit: number) {}

  has(id: string): boolean {
    return this.items.has(id);
  }

  add(id: string): void {
    this.items.add(id);
    if (this.items.size > this.limit) this.items.delete(this.items.values().next().value as string);
  }

  delete(id: string): void {
    this.items.delete(id);
  }
}

export class MemoryDeliveries implements DeliveryStore {
  private readonly seen = new BoundedSet(REMEMBERED);

  async claim(id: string): Promise<boolean> {
    if (this.seen.has(id)) return false;
    this.seen.add(id);
    return true;
  }

  async release(id: string): Promise<void> {
    this.seen.delete(id);
  }

  async close(): Promise<void> {}
}

interface Entry {
  q: QueuedJob;
  attempt: number;
}

/**
 * The default queue: in process, FIFO, bounded globally and per installation, one job per key at
 * a time, retries with backoff. Jobs waiting when the process stops are lost (the log says how
 * many); set REDIS_URL for a queue that survives restarts.
 */
export class MemoryQueue implements JobQueue {
  private readonly waiting: Entry[] = [];
  private readonly running = new Set<Entry>();
  private readonly perInstallation = new Map<number, number>();
  private readonly runningKeys = new Set<string>();
  private readonly seen = new BoundedSet(REMEMBERED);
  private readonly retries = new Set<NodeJS.Timeout>();
  private handler: JobHandler | null = null;
  private closing = false;
  private idle: (() => void)[] = [];

  constructor(private readonly options: QueueOptions) {}

  async add(q: QueuedJob): Promise<boolean> {
    if (this.closing) throw new Error('the queue is shutting down');
    if (this.seen.has(q.id)) return false;
    this.seen.add(q.id);
    const twin = q.coalesce
      ? this.waiting.find((e) => e.q.key === q.key && e.q.job.kind === q.job.kind)
      : undefined;
    if (twin) {
      // The newer event wins; the job reads the current state when it runs anyway.
      this.options.log.info('job coalesced with a waiting one', {
        ...jobFields(q),
        replaces: twin.q.id,
      });
      twin.q = q;
      return true;
    }
    this.waiting.push({ q, attempt: 1 });
    this.options.log.debug('job queued', { ...jobFields(q), waiting: this.waiting.length });
    this.pump();
    return true;
  }

  async start(handler: JobHandler): Promise<void> {
    this.handler = handler;
    this.pump();
  }

  ready(): boolean {
    return !this.closing;
  }

  async close(timeoutMs: number): Promise<{ unfinished: number }> {
    this.closing = true;
    for (const t of this.retries) clearTimeout(t);
    const dropped = this.waiting.length + this.retries.size;
    this.retries.clear();
    this.waiting.length = 0;
    if (dropped > 0)
      this.options.log.warn('jobs not started are dropped (in-process queue)', { dropped });
    if (this.running.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((ok) => this.idle.push(ok)),
        new Promise<void>((ok) => {
          timer = setTimeout(ok, timeoutMs);
        }),
      ]);
      clearTimeout(timer);
    }
    return { unfinished: this.running.size };
  }

  /** Starts every waiting job the limits allow, oldest first, skipping blocked ones. */
  private pump(): void {
    if (!this.handler || this.closing) return;
    for (let i = 0; i < this.waiting.length;) {
      if (this.running.size >= this.options.concurrency) return;
      const e = this.waiting[i] as Entry;
      const inst = e.q.installationId;
      const busy =
        this.runningKeys.has(e.q.key) ||
        (inst !== null &&
          (this.perInstallation.get(inst) ?? 0) >= this.options.installationConcurrency);
      if (busy) {
        i++;
        continue;
      }
      this.waiting.splice(i, 1);
      this.run(e, this.handler);
    }
  }

  private run(e: Entry, handler: JobHandler): void {
    const inst = e.q.installationId;
    this.running.add(e);
    this.runningKeys.add(e.q.key);
    if (inst !== null) this.perInstallation.set(inst, (this.perInstallation.get(inst) ?? 0) + 1);
    const log = this.options.log.child(jobFields(e.q));
    const started = Date.now();
    log.info('job started', {
      attempt: e.attempt,
      running: this.running.size,
      ...(inst !== null ? { installationRunning: this.perInstallation.get(inst) } : {}),
    });
    void handler(e.q, { attempt: e.attempt, log })
      .then(
        () => log.info('job finished', { ms: Date.now() - started }),
        (error: unknown) => this.failed(e, error, log),
      )
      .finally(() => {
        this.running.delete(e);
        this.runningKeys.delete(e.q.key);
        if (inst !== null) {
          const n = (this.perInstallation.get(inst) ?? 1) - 1;
          if (n === 0) this.perInstallation.delete(inst);
          else this.perInstallation.set(inst, n);
        }
        if (this.running.size === 0) for (const ok of this.idle.splice(0)) ok();
        this.pump();
      });
  }

  private failed(e: Entry, error: unknown, log: Logger): void {
    if (e.attempt >= this.options.attempts || this.closing) {
      log.error('job failed', { ...errorFields(error), attempt: e.attempt, retry: false });
      this.options.onGiveUp?.(e.q, error);
      return;
    }
    const delay = this.options.retryDelayMs * 2 ** (e.attempt - 1);
    log.warn('job failed; retrying', { ...errorFields(error), attempt: e.attempt, delayMs: delay });
    const timer = setTimeout(() => {
      this.retries.delete(timer);
      this.waiting.push({ q: e.q, attempt: e.attempt + 1 });
      this.pump();
    }, delay);
    this.retries.add(timer);
  }
}
