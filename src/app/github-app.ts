import { App, Octokit } from 'octokit';
import type { GitHubClient } from '../github/client.js';
import type { Logger } from './log.js';

/** What the server needs of GitHub as an App: installation clients and signature checks. */
export interface GitHubApp {
  /** A client acting as the installation; its token is cached and renewed by octokit. */
  installationClient(installationId: number): Promise<GitHubClient>;
  /** Every installation of the App (`GET /app/installations`, as the App). */
  installations(): AsyncIterable<{ id: number; account: string; suspended: boolean }>;
  /** Every repository an installation may see (`GET /installation/repositories`). */
  repositories(
    installationId: number,
  ): AsyncIterable<{ owner: string; repo: string; archived: boolean }>;
  /** `X-Hub-Signature-256` against the webhook secret, in constant time. */
  verify(body: string, signature: string): Promise<boolean>;
}

export interface GitHubAppOptions {
  appId: string;
  privateKey: string;
  webhookSecret: string;
  apiUrl: string;
  log: Logger;
  /** Space requests as GitHub asks integrations to (default); tests turn it off. */
  throttle?: boolean;
}

/** Rate-limited requests are tried again this many times before a job gives up (and retries). */
const RATE_LIMIT_RETRIES = 2;

interface RequestInfo {
  method: string;
  url: string;
}

/**
 * octokit's App: JWTs for the App, installation tokens fetched on first use and cached (octokit's
 * auth-app keeps each for 59 minutes of its 60, in an LRU of 15,000) and shared by every client of
 * that installation. Each installation gets its own throttling key, so one busy organisation
 * waiting out a secondary rate limit does not slow the others down.
 */
export function createGitHubApp(options: GitHubAppOptions): GitHubApp {
  const log = options.log;
  /** Handlers that say which installation hit the limit; `id` keys plugin-throttling's limiters. */
  const throttleFor = (installation: number | null) => ({
    enabled: options.throttle ?? true,
    ...(installation !== null ? { id: `installation-${installation}` } : {}),
    onRateLimit: (retryAfter: number, req: RequestInfo, _o: unknown, n: number) => {
      log.warn('GitHub rate limit hit', {
        installation,
        request: `${req.method} ${req.url}`,
        retryAfter,
        n,
      });
      return n < RATE_LIMIT_RETRIES;
    },
    onSecondaryRateLimit: (retryAfter: number, req: RequestInfo, _o: unknown, n: number) => {
      log.warn('GitHub secondary rate limit hit', {
        installation,
        request: `${req.method} ${req.url}`,
        retryAfter,
        n,
      });
      return n < RATE_LIMIT_RETRIES;
    },
  });
  const Base = Octokit.defaults({
    baseUrl: options.apiUrl,
    throttle: throttleFor(null),
    log: {
      debug: () => {},
      info: () => {},
      warn: (m: string) => log.warn(m),
      error: (m: string) => log.error(m),
    },
  });
  // One throttling key per installation (plugin-throttling groups its limiters by `throttle.id`).
  class InstallationKeyed extends Base {
    constructor(...args: ConstructorParameters<typeof Base>) {
      const o = args[0] ?? {};
      const id = (o.auth as { installationId?: unknown } | undefined)?.installationId;
      super(typeof id === 'number' ? { ...o, throttle: throttleFor(id) } : o);
    }
  }
  const app = new App({
    appId: options.appId,
    privateKey: options.privateKey,
    webhooks: { secret: options.webhookSecret },
    Octokit: InstallationKeyed,
  });
  return {
    // octokit's Octokit and @actions/github's are the same core and plugins; the types differ
    // only in plugin versions, and src/github/* is written against the latter.
    installationClient: async (id) =>
      (await app.getInstallationOctokit(id)) as unknown as GitHubClient,
    async *installations() {
      const pages = app.octokit.paginate.iterator('GET /app/installations', { per_page: 100 });
      for await (const { data } of pages)
        for (const i of data)
          yield {
            id: i.id,
            account: i.account && 'login' in i.account ? i.account.login : String(i.id),
            suspended: !!i.suspended_at,
          };
    },
    async *repositories(installationId) {
      const client = await app.getInstallationOctokit(installationId);
      const pages = client.paginate.iterator('GET /installation/repositories', { per_page: 100 });
      for await (const { data } of pages)
        for (const r of data)
          yield { owner: r.owner.login, repo: r.name, archived: r.archived === true };
    },
    verify: async (body, signature) => {
      try {
        return await app.webhooks.verify(body, signature);
      } catch {
        return false; // a malformed header is a bad signature, not a server error
      }
    },
  };
}
