import { UpstreamError } from '../errors.js';

/** Requests in flight at once per registry, unless OnlineOptions says otherwise. */
export const DEFAULT_CONCURRENCY = 8;

export interface HttpOptions {
  /** Registry name for errors and logs (`huggingface`, `pypi`…). */
  registry: string;
  /** Base URL; the token is sent only to this origin, never to a host a redirect points at. */
  baseUrl: string;
  token?: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
  /** Attempts after the first, for 429, 5xx, timeouts and connection errors. */
  retries?: number;
  /** Requests in flight at once for this registry. */
  concurrency?: number;
  /** Longest wait a Retry-After / RateLimit header may impose before we give up on that request. */
  maxRetryWaitMs?: number;
  /** First backoff step; doubles per attempt, with jitter. */
  backoffMs?: number;
  userAgent?: string;
  /** Called once per HTTP request actually sent (tests and the benchmark count them). */
  onRequest?: (method: string, url: string) => void;
  sleep?: (ms: number) => Promise<void>;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  /** URL of the final response after same-origin redirects. */
  url: string;
  /** Every redirect hop followed (absolute URLs), empty when none. */
  redirects: string[];
  /** Body text; '' for HEAD. */
  text: string;
}

/**
 * The one HTTP path to every upstream: a concurrency limit, a timeout on every request, retries
 * with backoff that honours Retry-After and the IETF RateLimit header (the Hub sends
 * `RateLimit: "api";r=0;t=120`), redirects followed by hand so a token never leaves its origin,
 * and an in-run cache so each URL is asked once however many files reference it.
 */
export class HttpClient {
  readonly origin: string;
  private readonly opts: Required<Omit<HttpOptions, 'token' | 'onRequest' | 'userAgent'>> &
    Pick<HttpOptions, 'token' | 'onRequest' | 'userAgent'>;
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly cache = new Map<string, Promise<HttpResponse>>();
  /** Set once the origin refused a connection: later requests fail at once, unsent. */
  private unreachable: string | null = null;

  constructor(options: HttpOptions) {
    this.opts = {
      fetch: globalThis.fetch,
      timeoutMs: 15_000,
      retries: 3,
      concurrency: DEFAULT_CONCURRENCY,
      maxRetryWaitMs: 60_000,
      backoffMs: 500,
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
      // An option passed as undefined (OnlineOptions leaves most unset) keeps its default: an
      // undefined concurrency would admit no request at all, an undefined fetch would throw.
      ...(Object.fromEntries(
        Object.entries(options).filter(([, v]) => v !== undefined),
      ) as unknown as HttpOptions),
    };
    this.origin = new URL(options.baseUrl).origin;
  }

  /** Absolute URL under the base (the base may carry a path prefix, as a mirror's does). */
  url(pathAndQuery: string): string {
    return this.opts.baseUrl.replace(/\/+$/, '') + pathAndQuery;
  }

  /** GET through the in-run cache. */
  get(url: string, headers: Record<string, string> = {}): Promise<HttpResponse> {
    const key = `GET ${url} ${JSON.stringify(headers)}`;
    let hit = this.cache.get(key);
    if (!hit) {
      hit = this.request('GET', url, { headers });
      this.cache.set(key, hit);
      // A failure is not remembered as an answer: a later caller may try again.
      hit.catch(() => this.cache.delete(key));
    }
    return hit;
  }

  async getJson(
    url: string,
    headers: Record<string, string> = {},
  ): Promise<HttpResponse & { json: unknown }> {
    const res = await this.get(url, { accept: 'application/json', ...headers });
    return { ...res, json: parseJsonBody(res, this.opts.registry) };
  }

  async request(
    method: string,
    url: string,
    init: { headers?: Record<string, string>; body?: string } = {},
  ): Promise<HttpResponse> {
    const redirects: string[] = [];
    let current = url;
    for (let hop = 0; hop < 5; hop++) {
      const res = await this.withRetries(method, current, init);
      const location = res.headers.get('location');
      if (res.status < 300 || res.status >= 400 || !location)
        return { ...res, url: current, redirects };
      const next = new URL(location, current);
      if (next.origin !== this.origin) {
        // Not followed: the token must not travel to another host, and our APIs never need it.
        return { ...res, url: current, redirects };
      }
      redirects.push(next.href);
      current = next.href;
    }
    throw new UpstreamError(`too many redirects from ${url}`, this.opts.registry, null, false);
  }

  /** A fetch-compatible function with our limits, for clients such as @huggingface/hub. */
  readonly fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
    const headers = Object.fromEntries(new Headers(init?.headers).entries());
    const res = await this.withRetries(method, url, {
      headers,
      body: typeof init?.body === 'string' ? init.body : undefined,
    });
    return new Response(method === 'HEAD' || [204, 304].includes(res.status) ? null : res.text, {
      status: res.status,
      headers: res.headers,
    });
  };

  private async withRetries(
    method: string,
    url: string,
    init: { headers?: Record<string, string>; body?: string },
  ): Promise<Omit<HttpResponse, 'url' | 'redirects'>> {
    for (let attempt = 0; ; attempt++) {
      let res: Omit<HttpResponse, 'url' | 'redirects'> | null = null;
      let failure: unknown = null;
      try {
        res = await this.once(method, url, init);
      } catch (error) {
        failure = error;
      }
      if (!res && (this.unreachable || isUnreachable(failure))) {
        // Nobody listens there: retrying, or sending the other requests, only makes the run slow.
        this.unreachable ??= `${this.origin} is unreachable (${describe(failure)})`;
        throw new UpstreamError(
          `${method} ${redact(url)} failed: ${this.unreachable}`,
          this.opts.registry,
          null,
          true,
        );
      }
      const transient = res ? res.status === 429 || res.status >= 500 : true;
      if (!transient && res) return res;
      if (attempt >= this.opts.retries) {
        if (res) return res;
        throw new UpstreamError(
          `${method} ${redact(url)} failed: ${describe(failure)}`,
          this.opts.registry,
          null,
          true,
        );
      }
      const wait = res
        ? retryDelay(res.headers, attempt, this.opts.backoffMs)
        : backoff(attempt, this.opts.backoffMs);
      if (wait > this.opts.maxRetryWaitMs) {
        if (res) return res;
        throw new UpstreamError(
          `${method} ${redact(url)} failed: ${describe(failure)}`,
          this.opts.registry,
          null,
          true,
        );
      }
      await this.opts.sleep(wait);
    }
  }

  private async once(
    method: string,
    url: string,
    init: { headers?: Record<string, string>; body?: string },
  ): Promise<Omit<HttpResponse, 'url' | 'redirects'>> {
    await this.acquire();
    if (this.unreachable) {
      this.release();
      throw new Error('not sent');
    }
    const controller = new AbortController();
    const timer = setTimeout(
      () => controller.abort(new Error(`timed out after ${this.opts.timeoutMs} ms`)),
      this.opts.timeoutMs,
    );
    try {
      const headers: Record<string, string> = {
        'user-agent': this.opts.userAgent ?? 'llm-supply-chain-guard',
        ...init.headers,
      };
      if (this.opts.token && new URL(url).origin === this.origin)
        headers.authorization = `Bearer ${this.opts.token}`;
      else delete headers.authorization;
      this.opts.onRequest?.(method, url);
      const res = await this.opts.fetch(url, {
        method,
        headers,
        body: init.body,
        redirect: 'manual',
        signal: controller.signal,
      });
      // The body is read under the same timeout: a server that stalls mid-body is a timeout too.
      const text = method === 'HEAD' ? '' : await res.text();
      return { status: res.status, headers: res.headers, text };
    } finally {
      clearTimeout(timer);
      this.release();
    }
  }

  private async acquire(): Promise<void> {
    if (this.active < this.opts.concurrency) {
      this.active++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }
}

/**
 * How long to wait before retrying: Retry-After (seconds or a date), else the RateLimit header's
 * reset `t` when the remaining quota `r` is 0, else exponential backoff with jitter.
 */
export function retryDelay(
  headers: Headers,
  attempt: number,
  backoffMs: number,
  now = Date.now(),
): number {
  const retryAfter = headers.get('retry-after');
  if (retryAfter) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  const rateLimit = headers.get('ratelimit');
  if (rateLimit) {
    const r = /(?:^|;)\s*r=(\d+)/.exec(rateLimit);
    const t = /(?:^|;)\s*t=(\d+)/.exec(rateLimit);
    if (r && t && Number(r[1]) === 0) return Number(t[1]) * 1000;
  }
  return backoff(attempt, backoffMs);
}

function backoff(attempt: number, base: number): number {
  const exp = base * 2 ** attempt;
  return Math.round(exp / 2 + Math.random() * (exp / 2));
}

function parseJsonBody(res: HttpResponse, registry: string): unknown {
  if (!res.text) return null;
  try {
    return JSON.parse(res.text);
  } catch {
    if (res.status >= 400) return null; // plain-text error bodies (PyPI 404, Hub /resolve)
    throw new UpstreamError(
      `${registry} sent a response that is not JSON (status ${res.status})`,
      registry,
      res.status,
      false,
    );
  }
}

/** Connection-level failures that say the host is not there, as opposed to a slow answer. */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

function isUnreachable(error: unknown): boolean {
  for (let e = error, depth = 0; e && depth < 5; depth++) {
    const { code, errors, cause } = e as { code?: unknown; errors?: unknown; cause?: unknown };
    if (typeof code === 'string' && UNREACHABLE.has(code)) return true;
    if (Array.isArray(errors) && errors.some((x) => isUnreachable(x))) return true;
    e = cause;
  }
  return false;
}

/** Duck-typed: fetch's errors may come from another realm (a VM context), failing instanceof. */
function describe(error: unknown): string {
  const message = (e: unknown) =>
    typeof (e as { message?: unknown } | null)?.message === 'string'
      ? (e as { message: string }).message
      : null;
  const own = message(error);
  if (own === null) return String(error);
  const cause = message((error as { cause?: unknown }).cause);
  return cause === null ? own : `${own} (${cause})`;
}

/** URLs in errors and logs never carry credentials or signed query strings. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    for (const key of [...u.searchParams.keys()]) {
      if (/token|signature|sig|key|credential|auth/i.test(key)) u.searchParams.set(key, 'REDACTED');
    }
    return u.href;
  } catch {
    return '<invalid url>';
  }
}
