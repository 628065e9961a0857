import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { routeEvent } from './events.js';
import type { GitHubApp } from './github-app.js';
import { errorFields, type Logger } from './log.js';
import type { DeliveryStore, JobQueue } from './queue.js';

/** GitHub caps webhook payloads at 25 MB; anything larger is not from GitHub. */
const MAX_BODY_BYTES = 25 * 1024 * 1024;
/** GitHub's delivery ids are GUIDs; the header is not signed, so it is checked before use. */
const DELIVERY_ID = /^[0-9A-Za-z-]{1,64}$/;

export interface WebhookServerOptions {
  verify: GitHubApp['verify'];
  queue: JobQueue;
  deliveries: DeliveryStore;
  log: Logger;
  webhookPath: string;
  driftOnInstall: boolean;
}

export interface WebhookServer {
  server: Server;
  /** From now on /readyz answers 503 and deliveries are refused (so GitHub can redeliver). */
  drain(): void;
}

/**
 * The HTTP side: verifies each delivery's signature before reading it, answers a redelivery of a
 * handled delivery without doing anything, queues the work and answers 202 at once. `/healthz`
 * says the process is up; `/readyz` that it can take work (queue connected, not shutting down).
 */
export function createWebhookServer(options: WebhookServerOptions): WebhookServer {
  let draining = false;
  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      options.log.error('request failed', errorFields(error));
      if (!res.headersSent) reply(res, 500, { error: 'internal error' });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === '/healthz') return reply(res, 200, { status: 'ok' });
    if (path === '/readyz') {
      const ready = !draining && options.queue.ready();
      return reply(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready' });
    }
    if (path !== options.webhookPath) return reply(res, 404, { error: 'not found' });
    if (req.method !== 'POST') return reply(res, 405, { error: 'POST only' }, { allow: 'POST' });
    return delivery(req, res);
  }

  async function delivery(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const id = header(req, 'x-github-delivery');
    const event = header(req, 'x-github-event');
    const log = options.log.child({
      delivery: id && DELIVERY_ID.test(id) ? id : null,
      event: event ?? null,
    });
    const body = await readBody(req, MAX_BODY_BYTES);
    if (body === null) {
      log.warn('delivery refused: body too large');
      return reply(res, 413, { error: 'payload too large' });
    }
    const signature = header(req, 'x-hub-signature-256');
    if (!signature || !(await options.verify(body, signature))) {
      log.warn('delivery refused: bad or missing X-Hub-Signature-256');
      return reply(res, 401, { error: 'signature does not match' });
    }
    if (!id || !DELIVERY_ID.test(id) || !event || !/^[a-z_]{1,64}$/.test(event)) {
      log.warn('delivery refused: missing or malformed X-GitHub-Delivery / X-GitHub-Event');
      return reply(res, 400, { error: 'missing X-GitHub-Delivery or X-GitHub-Event' });
    }
    if (draining) return reply(res, 503, { error: 'shutting down' });
    let payload: unknown;
    try {
      payload = JSON.parse(body);
    } catch {
      log.warn('delivery refused: body is not JSON');
      return reply(res, 400, { error: 'body is not JSON' });
    }
    if (!(await options.deliveries.claim(id))) {
      log.info('redelivery of a handled delivery; ignored');
      return reply(res, 200, { status: 'duplicate' });
    }
    const routed = routeEvent(event, payload, id, { driftOnInstall: options.driftOnInstall });
    const action = (payload as { action?: unknown } | null)?.action;
    const fields = { action: typeof action === 'string' ? action : null, note: routed.note };
    if (routed.jobs.length === 0) {
      log.info('delivery needs no work', fields);
      return reply(res, 200, { status: 'ignored', note: routed.note });
    }
    try {
      for (const job of routed.jobs) await options.queue.add(job);
    } catch (error) {
      // Not queued: forget the delivery, so GitHub's redelivery (or a retry) is taken.
      await options.deliveries.release(id).catch(() => undefined);
      log.error('delivery not queued', { ...fields, ...errorFields(error) });
      return reply(res, 503, { error: 'could not queue the work' });
    }
    log.info('delivery queued', { ...fields, jobs: routed.jobs.length });
    return reply(res, 202, { status: 'queued', jobs: routed.jobs.length });
  }

  return {
    server,
    drain: () => {
      draining = true;
    },
  };
}

function header(req: IncomingMessage, name: string): string | null {
  const v = req.headers[name];
  return typeof v === 'string' && v !== '' ? v : null;
}

function reply(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** The body as text, or null past `limit` bytes (the rest is not read). */
function readBody(req: IncomingMessage, limit: number): Promise<string | null> {
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
        req.pause();
        ok(null);
        return;
      }
      if (!over) chunks.push(c);
    });
    req.on('end', () => {
      if (!over) ok(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', fail);
  });
}
