/**
 * Several workers on one Redis queue (BullMQ), as deployed: the CLI is bundled exactly as
 * dist/cli.js is (scripts/bundle-options.mjs) and started twice as `serve` processes sharing one
 * local redis-server, which the test starts on a free port with persistence off. Skipped, saying
 * so, when no `redis-server` binary is on PATH (Debian: `apt-get install -y redis-server`).
 */
import { jest } from '@jest/globals';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { cliBuildOptions } from '../../scripts/bundle-options.mjs';
import { SUMMARY_MARKER } from '../../src/reporters/pr-comment.js';
import { addedFilePatch } from '../github/stand-in.js';
import {
  APP_ID,
  appKeys,
  deliver,
  pullRequestPayload,
  SECRET,
  SLUG,
  until,
  type LogRecord,
} from './helpers.js';
import { AppStandIn, type StandInRepo } from './stand-in.js';

jest.setTimeout(120_000);

const HAS_REDIS = spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
if (!HAS_REDIS)
  console.warn(
    'test/app/redis.test.ts skipped: no redis-server on PATH (apt-get install -y redis-server).',
  );
const describeRedis = HAS_REDIS ? describe : describe.skip;

const BASE = 'a'.repeat(40);
const HEAD = 'b'.repeat(40);
const ADAPTER = '{\n  "base_model_name_or_path": "meta-llama/Llama-3.1-8B-Instruct"\n}\n';

function repo(owner: string, installationId: number, number: number): StandInRepo {
  return {
    owner,
    name: 'ml',
    id: installationId,
    installationId,
    head: BASE,
    commits: { [BASE]: { 'README.md': '# x\n' }, [HEAD]: { 'adapter_config.json': ADAPTER } },
    pulls: {
      [number]: {
        head: HEAD,
        base: BASE,
        files: [
          { filename: 'adapter_config.json', status: 'added', patch: addedFilePatch(ADAPTER) },
        ],
      },
    },
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const port = (server.address() as { port: number }).port;
  await new Promise((ok) => server.close(ok));
  return port;
}

interface Worker {
  child: ChildProcess;
  records: LogRecord[];
  url: string;
  exited: Promise<number | null>;
}

describeRedis('the Redis queue (BullMQ): several workers, one queue', () => {
  let tmp: string;
  let cli: string;
  let redis: ChildProcess;
  let redisUrl: string;
  let gh: AppStandIn;
  const workers: Worker[] = [];

  beforeAll(async () => {
    tmp = mkdtempSync(path.join(tmpdir(), 'lscg-redis-'));
    cli = path.join(tmp, 'cli.js');
    await build(cliBuildOptions(cli));
    const port = await freePort();
    redis = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: ['ignore', 'pipe', 'pipe'], cwd: tmp },
    );
    let out = '';
    redis.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    await until(() => /Ready to accept connections/.test(out), 'redis-server');
    redisUrl = `redis://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGKILL');
    await gh?.close();
    if (redis && redis.exitCode === null) {
      redis.kill('SIGTERM');
      await new Promise((ok) => redis.once('exit', ok));
    }
    rmSync(tmp, { recursive: true, force: true });
  });

  async function startWorker(): Promise<Worker> {
    const child = spawn(process.execPath, [cli, 'serve', '--port', '0', '--host', '127.0.0.1'], {
      env: {
        PATH: process.env.PATH ?? '',
        GITHUB_APP_ID: String(APP_ID),
        GITHUB_APP_PRIVATE_KEY: appKeys().privateKey,
        GITHUB_WEBHOOK_SECRET: SECRET,
        GITHUB_API_URL: gh.url,
        REDIS_URL: redisUrl,
        LSCG_OFFLINE: 'true',
        LSCG_DRIFT_CRON: 'off',
        LSCG_CONCURRENCY: '1',
        // A dead worker's job is taken over once its lock lapses: short here, 30 s by default.
        LSCG_JOB_LOCK_MS: '1500',
        LSCG_RETRY_DELAY_MS: '0',
        LSCG_REVIEW_COMMENTS: 'false',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const records: LogRecord[] = [];
    let buffer = '';
    child.stdout!.on('data', (d: Buffer) => {
      buffer += d.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      for (const line of lines) if (line.trim()) records.push(JSON.parse(line) as LogRecord);
    });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((ok) => child.once('exit', (code) => ok(code)));
    await until(
      () => records.some((r) => r.msg === 'listening') || child.exitCode !== null,
      'a worker to listen',
      30_000,
    );
    if (child.exitCode !== null) throw new Error(`worker exited: ${stderr}`);
    const url = String(records.find((r) => r.msg === 'listening')!.url);
    const w = { child, records, url, exited };
    workers.push(w);
    return w;
  }

  it('shares the jobs, and a killed worker\u2019s job is finished by the other', async () => {
    gh = await AppStandIn.start({
      appId: APP_ID,
      publicKey: appKeys().publicKey,
      slug: SLUG,
      installations: [
        { id: 11, account: 'acme' },
        { id: 22, account: 'umbrella' },
      ],
      repos: [repo('acme', 11, 1), repo('umbrella', 22, 2)],
    });
    const [a, b] = [await startWorker(), await startWorker()];
    // Each worker takes one job at a time; holding both jobs mid-flight proves both took one.
    const gate = gh.hold((r) => /\/pulls\/\d+\/files$/.test(r.path));
    const first = await deliver(a!.url, {
      event: 'pull_request',
      payload: pullRequestPayload('opened', {
        installation: 11,
        owner: 'acme',
        repo: 'ml',
        number: 1,
      }),
    });
    const second = await deliver(a!.url, {
      event: 'pull_request',
      payload: pullRequestPayload('opened', {
        installation: 22,
        owner: 'umbrella',
        repo: 'ml',
        number: 2,
      }),
    });
    // A redelivery reaching the other process is recognised too (the ids live in Redis).
    const again = await deliver(b!.url, {
      event: 'pull_request',
      id: first.id,
      payload: pullRequestPayload('opened', {
        installation: 11,
        owner: 'acme',
        repo: 'ml',
        number: 1,
      }),
    });
    expect(again).toMatchObject({ status: 200, body: { status: 'duplicate' } });
    await gh.held(gate, 2);
    const started = (w: Worker) =>
      w.records.filter((r) => r.msg === 'job started').map((r) => r.job);
    expect([started(a!).length, started(b!).length]).toEqual([1, 1]);

    // Kill the worker holding the first pull request's job mid-job; no goodbye.
    const victim = started(a!)[0] === `pr-${first.id}` ? a! : b!;
    const survivor = victim === a ? b! : a!;
    victim.child.kill('SIGKILL');
    await victim.exited;
    gh.release(gate);

    const comments = (owner: string, n: number) =>
      gh.commentsOn(`${owner}/ml`, n).filter((c) => String(c.body).includes(SUMMARY_MARKER));
    await until(
      () => comments('acme', 1).length === 1 && comments('umbrella', 2).length === 1,
      'both pull requests commented',
      60_000,
    );
    // The comment lands before its job ends (the job still reconciles comments and reviews):
    // wait for the survivor to log both jobs finished, then compare.
    const finished = (w: Worker) =>
      w.records.filter((r) => r.msg === 'job finished').map((r) => r.job);
    await until(() => finished(survivor).length >= 2, 'the survivor to finish both jobs', 60_000);
    // The survivor ran its own job and, once the victim's lock lapsed, the victim's.
    expect(started(survivor).sort()).toEqual([`pr-${first.id}`, `pr-${second.id}`].sort());
    expect(finished(survivor).sort()).toEqual(started(survivor).sort());

    // Graceful stop: SIGTERM drains and exits 0.
    survivor.child.kill('SIGTERM');
    expect(await survivor.exited).toBe(0);
    expect(survivor.records.at(-1)).toMatchObject({ msg: 'stopped', unfinished: 0 });
    expect(comments('acme', 1)).toHaveLength(1);
    expect(comments('umbrella', 2)).toHaveLength(1);
    expect(gh.violations).toEqual([]);
  });
});
