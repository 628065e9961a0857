import { randomUUID } from 'node:crypto';
import type { Job as BullJob, Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { jobFields, type QueuedJob } from './jobs.js';
import { errorFields } from './log.js';
import type { DeliveryStore, JobHandler, JobQueue, QueueOptions } from './queue.js';

/** One queue for every process of one App; the prefix keeps its keys apart from others. */
export const QUEUE_NAME = 'llm-supply-chain-guard';
const PREFIX = 'lscg';
/** GitHub offers redelivery of a delivery for 3 days; remembered a little longer. */
const DELIVERY_TTL_SECONDS = 4 * 24 * 3600;
/** A job whose key another worker holds is tried again this much later. */
const KEY_BUSY_DELAY_MS = 1000;

export interface RedisQueueOptions extends QueueOptions {
  url: string;
  /** How long a worker's claim on a job (and its key) lasts without renewal. */
  lockMs: number;
}

/**
 * Jobs through BullMQ on Redis: every `serve` process pointed at the same Redis takes jobs from
 * one queue, jobs survive restarts, and a job whose worker died is taken again once its lock
 * lapses (BullMQ's stalled-job check). bullmq and ioredis are loaded only here, only with
 * REDIS_URL set. Limits: `concurrency` per process; the per-installation bound is per process too;
 * one job per key at a time across all processes (a Redis lock, renewed while the job runs).
 */
export class RedisQueue implements JobQueue {
  private worker: Worker | null = null;
  private closing = false;
  private readonly slots = new Map<number, number>();
  private readonly slotWaiters = new Map<number, (() => void)[]>();

  private constructor(
    private readonly options: RedisQueueOptions,
    private readonly bull: typeof import('bullmq'),
    private readonly redis: Redis,
    private readonly queue: Queue,
  ) {}

  static async connect(options: RedisQueueOptions): Promise<RedisQueue> {
    const [bull, ioredis] = await Promise.all([import('bullmq'), import('ioredis')]);
    // ioredis is CommonJS: a bundle's lazily loaded chunk may expose it only as `default`.
    const Redis =
      ioredis.Redis ?? (ioredis as unknown as { default: typeof ioredis }).default.Redis;
    // Workers block on Redis; BullMQ wants commands to wait for a reconnect, not fail.
    const redis = new Redis(options.url, { maxRetriesPerRequest: null });
    redis.on('error', (error: Error) =>
      options.log.warn('redis connection error', errorFields(error)),
    );
    const queue = new bull.Queue(QUEUE_NAME, { connection: redis, prefix: PREFIX });
    await queue.waitUntilReady();
    return new RedisQueue(options, bull, redis, queue);
  }

  /** Deliveries remembered in the same Redis, so any process recognises a redelivery. */
  deliveries(): DeliveryStore {
    const redis = this.redis;
    return {
      async claim(id) {
        return (
          (await redis.set(`${PREFIX}:delivery:${id}`, '1', 'EX', DELIVERY_TTL_SECONDS, 'NX')) ===
          'OK'
        );
      },
      async release(id) {
        await redis.del(`${PREFIX}:delivery:${id}`);
      },
      async close() {},
    };
  }

  async add(q: QueuedJob): Promise<boolean> {
    if (this.closing) throw new Error('the queue is shutting down');
    // Same id, same job: BullMQ keeps the first while it is stored (a day once completed).
    const existing = await this.queue.getJob(q.id);
    if (existing) return false;
    await this.queue.add(q.job.kind, q, {
      jobId: q.id,
      attempts: this.options.attempts,
      backoff: { type: 'exponential', delay: this.options.retryDelayMs },
      removeOnComplete: { age: 24 * 3600, count: 10_000 },
      removeOnFail: { age: 7 * 24 * 3600 },
    });
    this.options.log.debug('job queued', jobFields(q));
    return true;
  }

  async start(handler: JobHandler): Promise<void> {
    const worker = new this.bull.Worker(
      QUEUE_NAME,
      (job: BullJob, token?: string) => this.process(job, token, handler),
      {
        connection: this.redis,
        prefix: PREFIX,
        concurrency: this.options.concurrency,
        lockDuration: this.options.lockMs,
        stalledInterval: this.options.lockMs,
        maxStalledCount: 2,
      },
    );
    worker.on('failed', (job: BullJob | undefined, error: Error) => {
      if (!job || error instanceof this.bull.DelayedError) return;
      const q = job.data as QueuedJob;
      const last = job.attemptsMade >= this.options.attempts;
      this.options.log[last ? 'error' : 'warn'](last ? 'job failed' : 'job failed; retrying', {
        ...jobFields(q),
        ...errorFields(error),
        attempt: job.attemptsMade,
        retry: !last,
      });
      if (last) this.options.onGiveUp?.(q, error);
    });
    worker.on('error', (error: Error) =>
      this.options.log.warn('queue worker error', errorFields(error)),
    );
    await worker.waitUntilReady();
    this.worker = worker;
  }

  ready(): boolean {
    return !this.closing && this.redis.status === 'ready';
  }

  async close(timeoutMs: number): Promise<{ unfinished: number }> {
    this.closing = true;
    let unfinished = 0;
    if (this.worker) {
      const worker = this.worker;
      let timer: NodeJS.Timeout | undefined;
      const drained = await Promise.race([
        worker.close().then(() => true),
        new Promise<boolean>((ok) => {
          timer = setTimeout(() => ok(false), timeoutMs);
        }),
      ]);
      clearTimeout(timer);
      if (!drained) {
        unfinished = [...this.slots.values()].reduce((a, b) => a + b, 0);
        // Their locks lapse and another worker takes them over: nothing is lost.
        await worker.close(true);
      }
    }
    await this.queue.close();
    await this.redis.quit().catch(() => this.redis.disconnect());
    return { unfinished };
  }

  private async process(job: BullJob, token: string | undefined, handler: JobHandler) {
    const q = job.data as QueuedJob;
    const lock = await this.lockKey(q.key);
    if (!lock) {
      // Another worker runs a job with this key: come back shortly, without using an attempt.
      await job.moveToDelayed(Date.now() + KEY_BUSY_DELAY_MS, token);
      throw new this.bull.DelayedError();
    }
    try {
      await this.withSlot(q.installationId, async () => {
        const log = this.options.log.child(jobFields(q));
        const started = Date.now();
        log.info('job started', {
          attempt: job.attemptsMade + 1,
          worker: process.pid,
          ...(q.installationId !== null
            ? { installationRunning: this.slots.get(q.installationId) }
            : {}),
        });
        await handler(q, { attempt: job.attemptsMade + 1, log });
        log.info('job finished', { ms: Date.now() - started, worker: process.pid });
      });
    } finally {
      await lock.release();
    }
  }

  /** A lock on the key for lockMs, renewed while held; null when someone else holds it. */
  private async lockKey(key: string): Promise<{ release(): Promise<void> } | null> {
    const name = `${PREFIX}:key:${key}`;
    const value = randomUUID();
    const ms = this.options.lockMs;
    if ((await this.redis.set(name, value, 'PX', ms, 'NX')) !== 'OK') return null;
    const renew = setInterval(
      () => {
        void this.redis
          .eval(RENEW, 1, name, value, String(ms))
          .catch((error: unknown) =>
            this.options.log.warn('could not renew a key lock', { key, ...errorFields(error) }),
          );
      },
      Math.max(250, Math.floor(ms / 3)),
    );
    return {
      release: async () => {
        clearInterval(renew);
        await this.redis.eval(RELEASE, 1, name, value).catch(() => undefined);
      },
    };
  }

  /** The per-installation bound, in this process. */
  private async withSlot(installation: number | null, work: () => Promise<void>): Promise<void> {
    if (installation === null) return work();
    while ((this.slots.get(installation) ?? 0) >= this.options.installationConcurrency) {
      await new Promise<void>((ok) => {
        const list = this.slotWaiters.get(installation) ?? [];
        list.push(ok);
        this.slotWaiters.set(installation, list);
      });
    }
    this.slots.set(installation, (this.slots.get(installation) ?? 0) + 1);
    try {
      await work();
    } finally {
      const n = (this.slots.get(installation) ?? 1) - 1;
      if (n === 0) this.slots.delete(installation);
      else this.slots.set(installation, n);
      this.slotWaiters.get(installation)?.shift()?.();
    }
  }
}

/** Extends the lock only if it is still ours. */
const RENEW = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("pexpire", KEYS[1], ARGV[2]) else return 0 end`;
/** Deletes the lock only if it is still ours (it may have lapsed and been taken). */
const RELEASE = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;
