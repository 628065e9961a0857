import { readFileSync } from 'node:fs';
import { ConfigurationError } from '../errors.js';
import {
  COMMENT_POLICIES,
  DEFAULT_DASHBOARD_TITLE,
  SCOPES,
  type CommentPolicy,
  type Scope,
} from '../inputs.js';
import { onlineOptionsFromEnv, type OnlineOptions } from '../registries/index.js';
import { DEFAULT_MAX_FILE_BYTES } from '../scan.js';
import { DEFAULT_MAX_TOTAL_BYTES } from '../files/github.js';
import { parseCron, type Cron } from './cron.js';
import { isLevel, type Level } from './log.js';

/** Everything `serve` reads from its environment, validated once at start. */
export interface AppConfig {
  appId: string;
  privateKey: string;
  webhookSecret: string;
  /** `https://api.github.com`, or `https://HOST/api/v3` on GitHub Enterprise Server. */
  apiUrl: string;
  host: string;
  port: number;
  webhookPath: string;
  /** Null: the in-process queue. */
  redisUrl: string | null;
  /** Null: no scheduled drift checks (`LSCG_DRIFT_CRON=off`). */
  driftCron: Cron | null;
  /** Check every repository of a new installation (or newly added to one) right away. */
  driftOnInstall: boolean;
  concurrency: number;
  installationConcurrency: number;
  attempts: number;
  retryDelayMs: number;
  /** With Redis: how long a worker's claim on a job lasts without renewal (a dead worker's job waits this long). */
  jobLockMs: number;
  shutdownTimeoutMs: number;
  scope: Scope;
  comment: CommentPolicy;
  reviewComments: boolean;
  suggestions: boolean;
  dryRun: boolean;
  offline: boolean;
  maxFileBytes: number;
  maxRepoBytes: number;
  online: OnlineOptions;
  logLevel: Level;
  /** Drift: keep a dashboard issue per repository. */
  dashboard: boolean;
  dashboardTitle: string;
  /** Empty: no label. */
  dashboardLabel: string;
  /** Drift: open update pull requests (needs contents: write). */
  updatePullRequests: boolean;
  maxUpdatePullRequests: number;
  updatePackages: boolean;
}

export const DEFAULT_DRIFT_CRON = '0 6 * * *';

/**
 * Reads the App's settings. Secrets come from the variable or from the file its `_FILE` twin
 * names (as container secrets are mounted); setting both is a mistake, not a precedence rule.
 */
export function readAppConfig(
  env: NodeJS.ProcessEnv,
  flags: { port?: string; host?: string } = {},
): AppConfig {
  const cronText = (env.LSCG_DRIFT_CRON ?? DEFAULT_DRIFT_CRON).trim();
  const logLevel = (env.LSCG_LOG_LEVEL ?? 'info').trim().toLowerCase();
  if (!isLevel(logLevel))
    throw new ConfigurationError(
      `LSCG_LOG_LEVEL must be debug, info, warn or error; got "${env.LSCG_LOG_LEVEL}".`,
    );
  return {
    appId: appId(secret(env, 'GITHUB_APP_ID')),
    privateKey: privateKey(secret(env, 'GITHUB_APP_PRIVATE_KEY')),
    webhookSecret: secret(env, 'GITHUB_WEBHOOK_SECRET'),
    apiUrl: url('GITHUB_API_URL', env.GITHUB_API_URL || 'https://api.github.com'),
    host: flags.host ?? env.HOST ?? '0.0.0.0',
    port: integer('PORT', flags.port ?? env.PORT, 3000, 0, 65535),
    webhookPath: webhookPath(env.LSCG_WEBHOOK_PATH),
    redisUrl: env.REDIS_URL?.trim()
      ? url('REDIS_URL', env.REDIS_URL.trim(), ['redis:', 'rediss:'])
      : null,
    driftCron: ['off', 'none', ''].includes(cronText.toLowerCase()) ? null : parseCron(cronText),
    driftOnInstall: bool(env, 'LSCG_DRIFT_ON_INSTALL', true),
    concurrency: integer('LSCG_CONCURRENCY', env.LSCG_CONCURRENCY, 4, 1, 256),
    installationConcurrency: integer(
      'LSCG_INSTALLATION_CONCURRENCY',
      env.LSCG_INSTALLATION_CONCURRENCY,
      2,
      1,
      256,
    ),
    attempts: integer('LSCG_JOB_ATTEMPTS', env.LSCG_JOB_ATTEMPTS, 3, 1, 20),
    retryDelayMs: integer('LSCG_RETRY_DELAY_MS', env.LSCG_RETRY_DELAY_MS, 10_000, 0, 3_600_000),
    jobLockMs: integer('LSCG_JOB_LOCK_MS', env.LSCG_JOB_LOCK_MS, 30_000, 1_000, 3_600_000),
    shutdownTimeoutMs: integer(
      'LSCG_SHUTDOWN_TIMEOUT_MS',
      env.LSCG_SHUTDOWN_TIMEOUT_MS,
      25_000,
      0,
      3_600_000,
    ),
    scope: oneOf(env, 'LSCG_SCOPE', SCOPES, 'changed'),
    comment: oneOf(env, 'LSCG_COMMENT', COMMENT_POLICIES, 'on-findings'),
    reviewComments: bool(env, 'LSCG_REVIEW_COMMENTS', true),
    suggestions: bool(env, 'LSCG_SUGGESTIONS', true),
    dryRun: bool(env, 'LSCG_DRY_RUN', false),
    offline: bool(env, 'LSCG_OFFLINE', false),
    maxFileBytes: integer(
      'LSCG_MAX_FILE_BYTES',
      env.LSCG_MAX_FILE_BYTES,
      DEFAULT_MAX_FILE_BYTES,
      1,
      100 * 1024 * 1024,
    ),
    maxRepoBytes: integer(
      'LSCG_MAX_REPO_BYTES',
      env.LSCG_MAX_REPO_BYTES,
      DEFAULT_MAX_TOTAL_BYTES,
      1,
      Number.MAX_SAFE_INTEGER,
    ),
    online: onlineOptionsFromEnv(env, {}),
    logLevel,
    dashboard: bool(env, 'LSCG_DASHBOARD', true),
    dashboardTitle: oneLine(env.LSCG_DASHBOARD_TITLE) || DEFAULT_DASHBOARD_TITLE,
    dashboardLabel: oneLine(env.LSCG_DASHBOARD_LABEL),
    updatePullRequests: bool(env, 'LSCG_UPDATE_PULL_REQUESTS', false),
    maxUpdatePullRequests: integer(
      'LSCG_MAX_UPDATE_PULL_REQUESTS',
      env.LSCG_MAX_UPDATE_PULL_REQUESTS,
      5,
      0,
      100,
    ),
    updatePackages: bool(env, 'LSCG_UPDATE_PACKAGES', false),
  };
}

function secret(env: NodeJS.ProcessEnv, name: string): string {
  const direct = env[name];
  const file = env[`${name}_FILE`];
  if (direct && file) throw new ConfigurationError(`Set ${name} or ${name}_FILE, not both.`);
  if (file) {
    try {
      return readFileSync(file, 'utf8').trim();
    } catch (error) {
      throw new ConfigurationError(
        `${name}_FILE: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)}).`,
      );
    }
  }
  if (!direct) throw new ConfigurationError(`${name} (or ${name}_FILE) is required.`);
  return direct.trim();
}

function appId(raw: string): string {
  if (!/^\d+$/.test(raw))
    throw new ConfigurationError(`GITHUB_APP_ID must be a number; got "${raw}".`);
  return raw;
}

/** A PEM key; one pasted into a single-line variable often has its newlines as `\n`. */
function privateKey(raw: string): string {
  const key = raw.includes('\\n') && !raw.includes('\n') ? raw.replace(/\\n/g, '\n') : raw;
  if (!/-----BEGIN (?:RSA )?PRIVATE KEY-----/.test(key))
    throw new ConfigurationError(
      'GITHUB_APP_PRIVATE_KEY is not a PEM private key (the .pem file GitHub lets you download).',
    );
  return key;
}

function url(name: string, raw: string, protocols = ['https:', 'http:']): string {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigurationError(`${name} must be a URL; got "${raw}".`);
  }
  if (!protocols.includes(parsed.protocol))
    throw new ConfigurationError(`${name} must be a ${protocols.join(' or ')} URL.`);
  return raw.replace(/\/+$/, '');
}

function integer(
  name: string,
  raw: string | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new ConfigurationError(
      `${name} must be a whole number from ${min} to ${max}; got "${raw}".`,
    );
  return n;
}

function bool(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = (env[name] ?? '').trim().toLowerCase();
  if (raw === '') return fallback;
  if (['true', 'yes', '1'].includes(raw)) return true;
  if (['false', 'no', '0'].includes(raw)) return false;
  throw new ConfigurationError(`${name} must be true or false; got "${env[name]}".`);
}

function oneOf<T extends string>(
  env: NodeJS.ProcessEnv,
  name: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const raw = (env[name] ?? '').trim().toLowerCase();
  if (raw === '') return fallback;
  if ((allowed as readonly string[]).includes(raw)) return raw as T;
  throw new ConfigurationError(`${name} must be one of ${allowed.join(', ')}; got "${env[name]}".`);
}

function oneLine(raw: string | undefined): string {
  return (raw ?? '').replace(/[\r\n]+/g, ' ').trim();
}

function webhookPath(raw: string | undefined): string {
  const path = raw?.trim() || '/api/github/webhooks';
  if (!path.startsWith('/'))
    throw new ConfigurationError(`LSCG_WEBHOOK_PATH must start with "/"; got "${raw}".`);
  return path;
}
