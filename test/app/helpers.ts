/**
 * Shared by the App tests: an App key pair, signed deliveries built from
 * @octokit/webhooks-examples payloads, a log collector, and a config for the loopback stand-in.
 */
import { createHmac, generateKeyPairSync, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { readAppConfig, type AppConfig } from '../../src/app/config.js';
import { createLogger, type Logger } from '../../src/app/log.js';

const require = createRequire(import.meta.url);

export const APP_ID = 424242;
export const SLUG = 'llm-guard-test';
export const SECRET = 'It\u2019s a Secret to Everybody';

let keys: { privateKey: string; publicKey: string } | null = null;
/** One RSA pair per test file; the private key in GitHub's download format (PKCS#1 PEM). */
export function appKeys(): { privateKey: string; publicKey: string } {
  keys ??= generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return keys;
}

type Example = Record<string, unknown>;
const EXAMPLES = require('@octokit/webhooks-examples') as { name: string; examples: Example[] }[];

/** A real payload of `event` (the first with `action` and an `installation` when asked). */
export function examplePayload(event: string, action?: string): Example {
  const list = EXAMPLES.find((e) => e.name === event)!.examples;
  const found =
    list.find((e) => e.action === action && 'installation' in e) ??
    list.find((e) => e.action === action);
  if (!found) throw new Error(`no ${event}.${action} example`);
  return structuredClone(found);
}

/** A `pull_request` delivery for one pull request of one repository of one installation. */
export function pullRequestPayload(
  action: string,
  target: { installation: number; owner: string; repo: string; number: number; head?: string },
): Example {
  const p = examplePayload('pull_request', action);
  p.installation = { id: target.installation, node_id: 'MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMQ==' };
  const repository = p.repository as Example;
  repository.name = target.repo;
  repository.full_name = `${target.owner}/${target.repo}`;
  (repository.owner as Example).login = target.owner;
  p.number = target.number;
  const pr = p.pull_request as Example;
  pr.number = target.number;
  pr.draft = false;
  if (target.head) (pr.head as Example).sha = target.head;
  return p;
}

export function sign(body: string, secret = SECRET): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export interface Delivery {
  event: string;
  payload: unknown;
  id?: string;
  /** Overrides the signature header (null: none sent). */
  signature?: string | null;
}

/** POSTs a delivery the way GitHub does; returns the status and the JSON answer. */
export async function deliver(
  url: string,
  d: Delivery,
): Promise<{ status: number; body: Record<string, unknown>; id: string }> {
  const body = JSON.stringify(d.payload);
  const id = d.id ?? randomUUID();
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'GitHub-Hookshot/0000000',
    'x-github-event': d.event,
    'x-github-delivery': id,
    'x-github-hook-id': '1',
  };
  const signature = d.signature === undefined ? sign(body) : d.signature;
  if (signature !== null) headers['x-hub-signature-256'] = signature;
  const res = await fetch(`${url}/api/github/webhooks`, { method: 'POST', headers, body });
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, id };
}

export interface LogRecord {
  level: string;
  msg: string;
  [key: string]: unknown;
}

/** A logger whose records the test reads back. */
export function collectLogs(): { log: Logger; records: LogRecord[] } {
  const records: LogRecord[] = [];
  const log = createLogger({
    level: 'debug',
    write: (line) => records.push(JSON.parse(line) as LogRecord),
  });
  return { log, records };
}

/** The App's config, as `serve` reads it, pointed at the stand-in. */
export function testConfig(apiUrl: string, env: Record<string, string> = {}): AppConfig {
  return readAppConfig({
    GITHUB_APP_ID: String(APP_ID),
    GITHUB_APP_PRIVATE_KEY: appKeys().privateKey,
    GITHUB_WEBHOOK_SECRET: SECRET,
    GITHUB_API_URL: apiUrl,
    HOST: '127.0.0.1',
    PORT: '0',
    LSCG_OFFLINE: 'true',
    LSCG_DRIFT_CRON: 'off',
    LSCG_RETRY_DELAY_MS: '0',
    ...env,
  });
}

/** Waits until `ready()` is true (the server's work is asynchronous after its 202). */
export async function until(ready: () => boolean, what: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((ok) => setTimeout(ok, 20));
  }
}
