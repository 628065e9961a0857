import { pullRequestJob, sweepJob, type QueuedJob } from '../../src/app/jobs.js';
import { MemoryDeliveries, MemoryQueue, type JobContext } from '../../src/app/queue.js';
import { collectLogs } from './helpers.js';

const pr = (installationId: number, number: number, delivery: string): QueuedJob =>
  pullRequestJob(
    {
      kind: 'pull-request',
      installationId,
      owner: 'o',
      repo: 'r',
      number,
      reason: 'opened',
      delivery,
    },
    `pr-${delivery}`,
  );

/** A handler whose jobs finish when the test says so. */
function controlled() {
  const running = new Map<string, () => void>();
  const failing = new Set<string>();
  const seen: { id: string; attempt: number }[] = [];
  const handler = (q: QueuedJob, ctx: JobContext) => {
    seen.push({ id: q.id, attempt: ctx.attempt });
    if (failing.has(q.id)) return Promise.reject(new Error('GitHub answered 502'));
    return new Promise<void>((ok) => running.set(q.id, ok));
  };
  const finish = async (id: string) => {
    running.get(id)!();
    running.delete(id);
    await new Promise((ok) => setImmediate(ok));
  };
  return { handler, running, failing, seen, finish };
}

const settle = () => new Promise((ok) => setImmediate(ok));

describe('MemoryQueue', () => {
  it('bounds jobs globally and per installation, and runs one job per key at a time', async () => {
    const c = controlled();
    const q = new MemoryQueue({
      concurrency: 3,
      installationConcurrency: 2,
      attempts: 1,
      retryDelayMs: 0,
      log: collectLogs().log,
    });
    await q.start(c.handler);
    await q.add(pr(1, 1, 'a'));
    await q.add(pr(1, 2, 'b'));
    await q.add(pr(1, 3, 'c')); // third of installation 1: waits
    await q.add(pr(2, 1, 'd'));
    await q.add(pr(2, 2, 'e')); // global limit: waits
    await settle();
    expect([...c.running.keys()]).toEqual(['pr-a', 'pr-b', 'pr-d']);
    await c.finish('pr-a');
    // pr-c (installation 1 has room again) before pr-e: oldest first.
    expect([...c.running.keys()]).toEqual(['pr-b', 'pr-d', 'pr-c']);
    await c.finish('pr-d');
    expect([...c.running.keys()]).toEqual(['pr-b', 'pr-c', 'pr-e']);
    for (const id of ['pr-b', 'pr-c', 'pr-e']) await c.finish(id);
    expect(await q.close(1000)).toEqual({ unfinished: 0 });
  });

  it('coalesces a waiting job of the same key, and refuses an id it has seen', async () => {
    const c = controlled();
    const q = new MemoryQueue({
      concurrency: 1,
      installationConcurrency: 1,
      attempts: 1,
      retryDelayMs: 0,
      log: collectLogs().log,
    });
    await q.start(c.handler);
    expect(await q.add(pr(1, 7, 'a'))).toBe(true);
    expect(await q.add(pr(1, 7, 'b'))).toBe(true);
    expect(await q.add(pr(1, 7, 'c'))).toBe(true);
    expect(await q.add(pr(1, 7, 'c'))).toBe(false);
    await settle();
    await c.finish('pr-a');
    await c.finish('pr-c');
    expect(c.seen.map((s) => s.id)).toEqual(['pr-a', 'pr-c']);
    expect(await q.add(sweepJob(new Date(0)))).toBe(true);
    expect(await q.add(sweepJob(new Date(0)))).toBe(false);
    await q.close(0);
  });

  it('retries a failing job, then gives it up', async () => {
    const c = controlled();
    const gaveUp: string[] = [];
    const { log, records } = collectLogs();
    const q = new MemoryQueue({
      concurrency: 1,
      installationConcurrency: 1,
      attempts: 3,
      retryDelayMs: 0,
      log,
      onGiveUp: (job) => gaveUp.push(job.id),
    });
    c.failing.add('pr-a');
    await q.start(c.handler);
    await q.add(pr(1, 1, 'a'));
    while (gaveUp.length === 0) await new Promise((ok) => setTimeout(ok, 5));
    expect(c.seen).toEqual([
      { id: 'pr-a', attempt: 1 },
      { id: 'pr-a', attempt: 2 },
      { id: 'pr-a', attempt: 3 },
    ]);
    expect(
      records.filter((r) => r.msg.startsWith('job failed')).map((r) => [r.msg, r.attempt, r.error]),
    ).toEqual([
      ['job failed; retrying', 1, 'GitHub answered 502'],
      ['job failed; retrying', 2, 'GitHub answered 502'],
      ['job failed', 3, 'GitHub answered 502'],
    ]);
    await q.close(0);
  });

  it('on close, waits for running jobs and drops the waiting ones', async () => {
    const c = controlled();
    const { log, records } = collectLogs();
    const q = new MemoryQueue({
      concurrency: 1,
      installationConcurrency: 1,
      attempts: 1,
      retryDelayMs: 0,
      log,
    });
    await q.start(c.handler);
    await q.add(pr(1, 1, 'a'));
    await q.add(pr(1, 2, 'b'));
    await settle();
    const closing = q.close(60_000);
    expect(q.ready()).toBe(false);
    await expect(q.add(pr(1, 3, 'c'))).rejects.toThrow('shutting down');
    await c.finish('pr-a');
    expect(await closing).toEqual({ unfinished: 0 });
    expect(c.seen.map((s) => s.id)).toEqual(['pr-a']);
    expect(records.find((r) => r.msg.startsWith('jobs not started'))?.dropped).toBe(1);
  });
});

describe('MemoryDeliveries', () => {
  it('claims an id once until released', async () => {
    const d = new MemoryDeliveries();
    expect(await d.claim('x')).toBe(true);
    expect(await d.claim('x')).toBe(false);
    await d.release('x');
    expect(await d.claim('x')).toBe(true);
  });
});
