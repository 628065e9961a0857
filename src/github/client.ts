import { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';

export type GitHubClient = ReturnType<typeof getOctokit>;

export interface ClientOptions {
  token: string;
  /** `GITHUB_API_URL`; on GitHub Enterprise Server `https://HOST/api/v3`. */
  baseUrl: string;
  warn: (message: string) => void;
  debug?: (message: string) => void;
  /** Space out writes as GitHub asks integrations to (default); tests turn it off. */
  throttle?: boolean;
}

/** How often a rate-limited request is tried again before the Action gives up on it. */
const RATE_LIMIT_RETRIES = 2;

/**
 * The one place a GitHub client is built (create-pull-request's octokit-client): retries on 5xx,
 * waits out primary and secondary rate limits a couple of times, and never at import time.
 */
export function createGitHubClient(options: ClientOptions): GitHubClient {
  return getOctokit(
    options.token,
    {
      baseUrl: options.baseUrl,
      log: {
        debug: (m: string) => options.debug?.(m),
        info: (m: string) => options.debug?.(m),
        warn: (m: string) => options.warn(m),
        error: (m: string) => options.warn(m),
      },
      throttle: {
        enabled: options.throttle ?? true,
        onRateLimit: (
          retryAfter: number,
          req: { method: string; url: string },
          _o: unknown,
          n: number,
        ) => {
          options.warn(
            `GitHub rate limit hit on ${req.method} ${req.url}; retrying after ${retryAfter}s.`,
          );
          return n < RATE_LIMIT_RETRIES;
        },
        onSecondaryRateLimit: (
          retryAfter: number,
          req: { method: string; url: string },
          _o: unknown,
          n: number,
        ) => {
          options.warn(
            `GitHub secondary rate limit hit on ${req.method} ${req.url}; retrying after ${retryAfter}s.`,
          );
          return n < RATE_LIMIT_RETRIES;
        },
      },
    },
    retry,
    throttling,
  );
}

/** The parts of an Octokit RequestError the Action decides on. */
export interface ApiFailure {
  status: number;
  message: string;
  /** `x-accepted-github-permissions`, e.g. `issues=write; pull_requests=write`. */
  acceptedPermissions: string | null;
}

export function apiFailure(error: unknown): ApiFailure | null {
  if (typeof error !== 'object' || error === null) return null;
  const e = error as {
    status?: unknown;
    message?: unknown;
    response?: { headers?: Record<string, unknown>; data?: unknown };
  };
  if (typeof e.status !== 'number') return null;
  const header = e.response?.headers?.['x-accepted-github-permissions'];
  const data = e.response?.data as { message?: unknown } | undefined;
  return {
    status: e.status,
    message: typeof data?.message === 'string' ? data.message : String(e.message ?? ''),
    acceptedPermissions: typeof header === 'string' && header !== '' ? header : null,
  };
}

/**
 * A token that may not do this: 403 "Resource not accessible by integration" (GITHUB_TOKEN
 * without the permission, or any fork pull request's read-only token), or the 404 GitHub answers
 * for what a token may not see.
 */
export function isPermissionFailure(error: unknown): boolean {
  const f = apiFailure(error);
  return !!f && (f.status === 403 || f.status === 404) && !/rate limit/i.test(f.message);
}

/**
 * Names the permission in the words a workflow file uses. GitHub's `x-accepted-github-permissions`
 * lists permission sets separated by `;`, each a `,`-separated list, so `issues=write;
 * pull_requests=write` becomes `issues: write or pull-requests: write`. Falls back to what the
 * caller knows the endpoint needs.
 */
export function missingPermission(error: unknown, fallback: string): string {
  const header = apiFailure(error)?.acceptedPermissions;
  if (!header) return fallback;
  const sets = header
    .split(';')
    .map((set) =>
      set
        .split(',')
        .map((p) => p.trim().split('='))
        .filter((p): p is [string, string] => p.length === 2 && p[0] !== '' && p[1] !== '')
        .map(([scope, level]) => `${scope.trim().replace(/_/g, '-')}: ${level.trim()}`)
        .join(' and '),
    )
    .filter((set) => set !== '');
  return sets.length > 0 ? sets.join(' or ') : fallback;
}
