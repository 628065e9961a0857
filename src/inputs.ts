import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigurationError } from './errors.js';
import { onlineOptionsFromEnv, type OnlineOptions } from './registries/index.js';
import { SEVERITIES, type Severity } from './types.js';

export const MODES = ['auto', 'pr', 'drift'] as const;
export type Mode = (typeof MODES)[number];
export const SCOPES = ['changed', 'all'] as const;
export type Scope = (typeof SCOPES)[number];
export const COMMENT_POLICIES = ['always', 'on-findings', 'never'] as const;
export type CommentPolicy = (typeof COMMENT_POLICIES)[number];
export const FAIL_ON = ['none', ...[...SEVERITIES].reverse()] as const;
export type FailOn = Severity | 'none';

export interface Inputs {
  githubToken: string;
  mode: Mode;
  /** Absolute root to scan. */
  path: string;
  /**
   * The scan root relative to the repository checkout it sits in ('' at the checkout root), so
   * finding paths can be matched with the pull request's file names and used in annotations.
   */
  repoPrefix: string;
  scope: Scope;
  failOn: FailOn;
  comment: CommentPolicy;
  reviewComments: boolean;
  suggestions: boolean;
  /** Absolute paths the SARIF and JSON reports are written to. */
  sarifFile: string;
  reportFile: string;
  /**
   * Absolute path of the policy file the workflow names, or null: then the default location in
   * the scanned root is used when present (src/policy/load.ts).
   */
  config: string | null;
  offline: boolean;
  dryRun: boolean;
  online: OnlineOptions;
  /** `GITHUB_API_URL`: GitHub Enterprise Server sets it to `https://HOST/api/v3`. */
  apiUrl: string;
  /** `GITHUB_SERVER_URL`, for links to files in reports. */
  serverUrl: string;
  /** Drift runs: keep the dashboard issue (src/github/issues.ts). */
  dashboard: boolean;
  dashboardTitle: string;
  /** Label for the dashboard issue; empty: none. */
  dashboardLabel: string;
  /** Drift runs: open update pull requests for pins that fell behind (src/github/update-prs.ts). */
  updatePullRequests: boolean;
  maxUpdatePullRequests: number;
  /** Update pull requests for packages pinned by version too, not only Hub commits. */
  updatePackages: boolean;
}

export const DEFAULT_DASHBOARD_TITLE = 'LLM supply chain dashboard';

/**
 * Every action input is read and validated here, once; an invalid input names itself. Inputs come
 * from the environment exactly as the runner passes them (`INPUT_<NAME>`), so tests need no stubs.
 */
export function readInputs(env: NodeJS.ProcessEnv = process.env): Inputs {
  const get = (name: string) => getInput(env, name);
  const workspace = path.resolve(env.GITHUB_WORKSPACE || process.cwd());
  const root = path.resolve(workspace, get('path') || '.');
  if (!existsSync(root))
    throw new ConfigurationError(`Input "path": ${get('path')} does not exist.`);
  const githubToken = get('github-token');
  const temp = path.join(env.RUNNER_TEMP || tmpdir(), 'llm-supply-chain-guard');
  return {
    githubToken,
    mode: oneOf(env, 'mode', MODES, 'auto'),
    path: root,
    repoPrefix: repoPrefix(root, workspace),
    scope: oneOf(env, 'scope', SCOPES, 'changed'),
    failOn: oneOf(env, 'fail-on', FAIL_ON, 'high'),
    comment: oneOf(env, 'comment', COMMENT_POLICIES, 'on-findings'),
    reviewComments: booleanInput(env, 'review-comments', true),
    suggestions: booleanInput(env, 'suggestions', true),
    sarifFile: path.resolve(workspace, get('sarif-file') || path.join(temp, 'results.sarif')),
    reportFile: path.resolve(workspace, get('report-file') || path.join(temp, 'report.json')),
    config: configPath(env, workspace),
    offline: booleanInput(env, 'offline', false),
    dryRun: booleanInput(env, 'dry-run', false),
    online: readOnlineInputs(env),
    apiUrl: urlInput('GITHUB_API_URL', env.GITHUB_API_URL || 'https://api.github.com'),
    serverUrl: urlInput('GITHUB_SERVER_URL', env.GITHUB_SERVER_URL || 'https://github.com'),
    dashboard: booleanInput(env, 'dashboard', true),
    dashboardTitle: oneLineInput(env, 'dashboard-title') || DEFAULT_DASHBOARD_TITLE,
    dashboardLabel: oneLineInput(env, 'dashboard-label'),
    updatePullRequests: booleanInput(env, 'update-pull-requests', false),
    maxUpdatePullRequests: countInput(env, 'max-update-pull-requests', 5),
    updatePackages: booleanInput(env, 'update-packages', false),
  };
}

/** Tokens and endpoints of the upstream registries (the online stage). */
function readOnlineInputs(env: NodeJS.ProcessEnv): OnlineOptions {
  const hfToken = getInput(env, 'hf-token');
  return onlineOptionsFromEnv(env, {
    hfToken,
    hfEndpoint: endpointInput(env, 'hf-endpoint'),
    pypiEndpoint: endpointInput(env, 'pypi-endpoint'),
    npmEndpoint: endpointInput(env, 'npm-endpoint'),
    osvEndpoint: endpointInput(env, 'osv-endpoint'),
  });
}

/** Values that must never reach the log; the caller registers them with `core.setSecret`. */
export function secretsOf(inputs: Inputs): string[] {
  return [inputs.githubToken, inputs.online.hfToken ?? ''].filter((s) => s !== '');
}

/** As `core.getInput`: `INPUT_` + the name upper-cased with spaces as underscores, trimmed. */
export function getInput(env: NodeJS.ProcessEnv, name: string): string {
  return (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

function oneOf<T extends string>(
  env: NodeJS.ProcessEnv,
  name: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const raw = getInput(env, name);
  if (raw === '') return fallback;
  const value = raw.toLowerCase() as T;
  if (allowed.includes(value)) return value;
  throw new ConfigurationError(
    `Input "${name}" must be one of ${allowed.join(', ')}; got "${raw}".`,
  );
}

function booleanInput(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = getInput(env, name).toLowerCase();
  if (raw === '') return fallback;
  if (['true', 'yes', '1'].includes(raw)) return true;
  if (['false', 'no', '0'].includes(raw)) return false;
  throw new ConfigurationError(`Input "${name}" must be true or false; got "${raw}".`);
}

/** A whole number ≥ 0. */
function countInput(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = getInput(env, name);
  if (raw === '') return fallback;
  if (!/^\d+$/.test(raw))
    throw new ConfigurationError(
      `Input "${name}" must be a whole number (0 or more); got "${raw}".`,
    );
  return Number(raw);
}

/** A title or label: one line, as GitHub stores them. */
function oneLineInput(env: NodeJS.ProcessEnv, name: string): string {
  const raw = getInput(env, name);
  if (/[\r\n]/.test(raw)) throw new ConfigurationError(`Input "${name}" must be one line.`);
  return raw;
}

/** An endpoint input, or undefined to let the registry's own convention decide. */
function endpointInput(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const raw = getInput(env, name);
  return raw === '' ? undefined : urlInput(`Input "${name}"`, raw);
}

function urlInput(label: string, raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigurationError(`${label} must be an http(s) URL; got "${raw}".`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new ConfigurationError(`${label} must be an http(s) URL; got "${raw}".`);
  return raw.replace(/\/+$/, '');
}

/** A policy file the workflow names must exist. */
function configPath(env: NodeJS.ProcessEnv, workspace: string): string | null {
  const raw = getInput(env, 'config');
  if (raw === '') return null;
  const abs = path.resolve(workspace, raw);
  if (!existsSync(abs)) throw new ConfigurationError(`Input "config": ${raw} does not exist.`);
  return abs;
}

/**
 * Where the scan root sits inside its checkout: the nearest folder with a `.git` between the root
 * and the workspace is the checkout (actions/checkout `path:` may put it below the workspace, as
 * the safe pull_request_target pattern does); without one the workspace is the checkout.
 */
function repoPrefix(root: string, workspace: string): string {
  let checkout = workspace;
  for (let dir = root; isInside(workspace, dir); dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, '.git'))) {
      checkout = dir;
      break;
    }
    if (dir === workspace) break;
  }
  const rel = path.relative(checkout, root).split(path.sep).join('/');
  return rel.startsWith('..') ? '' : rel;
}

function isInside(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
