import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import type { CliIo } from '../cli-main.js';
import { ConfigurationError } from '../errors.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import { readAppConfig, type AppConfig } from './config.js';
import { createGitHubApp, type GitHubApp } from './github-app.js';
import { createJobHandler } from './handlers.js';
import { defaultIntegrations } from './integrations-default.js';
import type { Integrations } from './integrations.js';
import { sweepJob, type QueuedJob } from './jobs.js';
import { createLogger, errorFields, type Logger } from './log.js';
import { MemoryDeliveries, MemoryQueue, type DeliveryStore, type JobQueue } from './queue.js';
import { Scheduler } from './scheduler.js';
import { createWebhookServer } from './server.js';

export const SERVE_USAGE = `Usage: ${TOOL_NAME} serve [--port <n>] [--host <addr>]

Runs the GitHub App: a webhook server that checks every pull request of every repository the App
is installed on, and a scheduler for drift checks. Configured by environment variables:

  GITHUB_APP_ID, GITHUB_APP_PRIVATE_KEY, GITHUB_WEBHOOK_SECRET  (required; or *_FILE with a path)
  GITHUB_API_URL        GitHub Enterprise Server API (default https://api.github.com)
  PORT, HOST            where to listen (default 3000 on 0.0.0.0)
  REDIS_URL             share jobs between processes through BullMQ on Redis
  LSCG_DRIFT_CRON       drift check schedule, UTC cron (default "0 6 * * *"; "off" for none)
  LSCG_CONCURRENCY, LSCG_INSTALLATION_CONCURRENCY  jobs at once (default 4, 2 per installation)
  HF_TOKEN              Hugging Face token for gated and private repositories

Endpoints: POST /api/github/webhooks, GET /healthz, GET /readyz. Logs are JSON lines on stdout.
`;

export interface StartOptions {
  log?: Logger;
  /** Overrides the dashboard / update pull request / command functions (tests). */
  integrations?: Integrations;
  /** Overrides the GitHub App (tests). */
  app?: GitHubApp;
  /** Space GitHub requests as GitHub asks (default true). */
  throttle?: boolean;
}

export interface RunningApp {
  /** `http://host:port` the server listens on. */
  url: string;
  queue: JobQueue;
  /** Queues the drift sweep the scheduler would queue at `at`. */
  sweep(at: Date): Promise<boolean>;
  /** Stops taking deliveries, drains running jobs (at most the shutdown timeout), closes. */
  shutdown(): Promise<{ unfinished: number }>;
}

/** Builds and starts everything: queue, workers, webhook server, scheduler. */
export async function startApp(config: AppConfig, options: StartOptions = {}): Promise<RunningApp> {
  const log = options.log ?? createLogger({ level: config.logLevel });
  const app =
    options.app ??
    createGitHubApp({
      appId: config.appId,
      privateKey: config.privateKey,
      webhookSecret: config.webhookSecret,
      apiUrl: config.apiUrl,
      log,
      throttle: options.throttle ?? true,
    });
  let deliveries: DeliveryStore = new MemoryDeliveries();
  const queueOptions = {
    concurrency: config.concurrency,
    installationConcurrency: config.installationConcurrency,
    attempts: config.attempts,
    retryDelayMs: config.retryDelayMs,
    log,
    // A delivery whose work failed for good is forgotten: redelivering it from GitHub retries.
    onGiveUp: (q: QueuedJob) => {
      const id = 'delivery' in q.job ? q.job.delivery : null;
      if (id) void deliveries.release(id).catch(() => undefined);
    },
  };
  let queue: JobQueue;
  if (config.redisUrl) {
    const { RedisQueue } = await import('./redis-queue.js');
    const redis = await RedisQueue.connect({
      ...queueOptions,
      url: config.redisUrl,
      lockMs: config.jobLockMs,
    });
    deliveries = redis.deliveries();
    queue = redis;
  } else {
    queue = new MemoryQueue(queueOptions);
  }
  const integrations = options.integrations ?? defaultIntegrations(config);
  await queue.start(createJobHandler({ app, config, queue, integrations }));

  const web = createWebhookServer({
    verify: (body, signature) => app.verify(body, signature),
    queue,
    deliveries,
    log,
    webhookPath: config.webhookPath,
    driftOnInstall: config.driftOnInstall,
  });
  await new Promise<void>((ok, fail) => {
    web.server.once('error', fail);
    web.server.listen(config.port, config.host, () => {
      web.server.off('error', fail);
      ok();
    });
  });
  const address = web.server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;

  const sweep = (at: Date) => queue.add(sweepJob(at));
  const scheduler = config.driftCron
    ? new Scheduler(config.driftCron, async (at) => void (await sweep(at)), log)
    : null;
  scheduler?.start();
  log.info('listening', {
    url,
    webhookPath: config.webhookPath,
    queue: config.redisUrl ? 'redis' : 'in-process',
    concurrency: config.concurrency,
    installationConcurrency: config.installationConcurrency,
    driftCron: config.driftCron?.source ?? 'off',
    nextDriftSweep: scheduler?.nextAt()?.toISOString() ?? null,
    version: TOOL_VERSION,
  });

  let closing: Promise<{ unfinished: number }> | null = null;
  const shutdown = () => {
    closing ??= (async () => {
      log.info('shutting down: draining running jobs', { timeoutMs: config.shutdownTimeoutMs });
      web.drain();
      scheduler?.stop();
      const closed = new Promise<void>((ok) => web.server.close(() => ok()));
      web.server.closeIdleConnections();
      const result = await queue.close(config.shutdownTimeoutMs);
      web.server.closeAllConnections();
      await closed;
      await deliveries.close();
      log.info('stopped', result);
      return result;
    })();
    return closing;
  };
  return { url, queue, sweep, shutdown };
}

/** `llm-supply-chain-guard serve`: runs until SIGTERM or SIGINT, then shuts down gracefully. */
export async function serve(argv: string[], io: CliIo): Promise<number> {
  let flags: { port?: string; host?: string; help?: boolean };
  try {
    flags = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (error) {
    io.stderr(`${TOOL_NAME}: ${(error as Error).message}\n\n${SERVE_USAGE}`);
    return 2;
  }
  if (flags.help) {
    io.stdout(SERVE_USAGE);
    return 0;
  }
  let config: AppConfig;
  try {
    config = readAppConfig(io.env, flags);
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    io.stderr(`${TOOL_NAME} serve: ${error.message}\n`);
    return 2;
  }
  const log = createLogger({ level: config.logLevel, write: io.stdout });
  let running: RunningApp;
  try {
    running = await startApp(config, { log });
  } catch (error) {
    log.error('could not start', errorFields(error));
    return 1;
  }
  await new Promise<void>((ok) => {
    const stop = (signal: NodeJS.Signals) => {
      log.info('signal received', { signal });
      void running.shutdown().then(() => ok());
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  return 0;
}
