import type { Upstreams } from '../checks/types.js';
import type { Extracted } from '../scan.js';

export interface OnlineOptions {
  hfEndpoint: string;
  hfToken?: string;
  pypiEndpoint: string;
  npmEndpoint: string;
  osvEndpoint: string;
  /** Injected in tests and the benchmark; the global fetch otherwise. */
  fetch?: typeof fetch;
  timeoutMs?: number;
  retries?: number;
  concurrency?: number;
  /** First backoff step between retries (doubles per attempt); tests make it tiny. */
  backoffMs?: number;
  /** Longest Retry-After / RateLimit wait honoured; a longer one gives up on the request. */
  maxRetryWaitMs?: number;
  /** How retries wait; tests inject one that records instead of sleeping. */
  sleep?: (ms: number) => Promise<void>;
  /** Counts every HTTP request sent, per registry. */
  onRequest?: (registry: string, method: string, url: string) => void;
}

export interface RegistryContext {
  options: OnlineOptions;
  warn: (message: string) => void;
}

/** One upstream: reads references, asks the network, returns its part of Upstreams. */
export interface Registry {
  /** Equals the folder name under src/registries/. */
  id: string;
  enrich(extracted: Extracted, ctx: RegistryContext): Promise<Partial<Upstreams>>;
}
