import type { UnverifiedUpstream } from '../checks/types.js';
import { UpstreamError } from '../errors.js';
import type { Reference } from '../types.js';
import { isResolvable } from '../util/package-versions.js';
import { HttpClient } from './http.js';
import type { OnlineOptions, RegistryContext } from './types.js';

export type PackageEcosystem = 'pypi' | 'npm';

/** One published version of a package, as the registry describes it. */
export interface PackageRelease {
  version: string;
  /** ISO 8601: first file upload (PyPI) or publish time (npm); null when the registry has none. */
  published: string | null;
  /** PyPI: every file of the release is yanked (PEP 592). */
  yanked: boolean;
  yankedReason: string | null;
  /** npm: the version's deprecation message. */
  deprecated: string | null;
  /** PyPI: the release has no files, so no installer can pick it. */
  empty: boolean;
}

/** What the package registries tell about one package, in a shape shared by PyPI and npm. */
export interface PackageMetadata {
  ecosystem: PackageEcosystem;
  name: string;
  /** PyPI `info.version`, npm `dist-tags.latest`. */
  latest: string | null;
  /** npm dist-tags (`latest`, `next`…); empty for PyPI. */
  tags: Record<string, string>;
  /** Every release, oldest first by the ecosystem's version order. */
  releases: PackageRelease[];
  /** PyPI `info.requires_python` of the latest release. */
  requiresPython: string | null;
}

/** A metadata lookup: the package, or why it could not be had. */
export type MetadataResult =
  { ok: true; metadata: PackageMetadata } | { ok: false; reason: string; notFound: boolean };

const clients = new WeakMap<OnlineOptions, Map<string, HttpClient>>();
const lookups = new WeakMap<OnlineOptions, Map<string, Promise<MetadataResult>>>();

/**
 * One HttpClient per registry per run. The PyPI and npm registries and OSV (which needs release
 * lists to evaluate ranges) share it, so its in-run cache and concurrency limit cover all three.
 */
export function clientFor(options: OnlineOptions, registry: string, baseUrl: string): HttpClient {
  let byRegistry = clients.get(options);
  if (!byRegistry) clients.set(options, (byRegistry = new Map()));
  let client = byRegistry.get(registry);
  if (!client) {
    const onRequest = options.onRequest;
    client = new HttpClient({
      registry,
      baseUrl,
      fetch: options.fetch,
      timeoutMs: options.timeoutMs,
      retries: options.retries,
      concurrency: options.concurrency,
      backoffMs: options.backoffMs,
      maxRetryWaitMs: options.maxRetryWaitMs,
      sleep: options.sleep,
      onRequest: onRequest && ((method, url) => onRequest(registry, method, url)),
    });
    byRegistry.set(registry, client);
  }
  return client;
}

/** Asks `load` once per package per run, however many references and registries want it. */
export function memoizedLookup(
  options: OnlineOptions,
  key: string,
  load: () => Promise<MetadataResult>,
): Promise<MetadataResult> {
  let byKey = lookups.get(options);
  if (!byKey) lookups.set(options, (byKey = new Map()));
  let hit = byKey.get(key);
  if (!hit) byKey.set(key, (hit = load()));
  return hit;
}

/** Why a request failed, in words for an `upstream-unverified` finding. */
export function failureReason(registry: string, error: unknown): string {
  // An UpstreamError with a status is an answer we could not use (a body cut short, not JSON).
  if (error instanceof UpstreamError && error.status === null)
    return `${registry} could not be reached: ${error.message}`;
  if (error instanceof Error) return `${registry} sent an unexpected response: ${error.message}`;
  return `${registry} failed: ${String(error)}`;
}

/** Distinct ids of the references in `ecosystem` whose version a registry can decide. */
export function resolvablePackageIds(
  references: readonly Reference[],
  ecosystem: PackageEcosystem,
): string[] {
  const ids = new Set<string>();
  for (const ref of references) {
    if (ref.ecosystem === ecosystem && isResolvable(ref)) ids.add(ref.id);
  }
  return [...ids].sort();
}

/** Splits lookups into the packages that answered and `unverified` entries for the rest. */
export async function lookupAll(
  ecosystem: PackageEcosystem,
  ids: string[],
  lookup: (id: string) => Promise<MetadataResult>,
): Promise<{ packages: Record<string, PackageMetadata>; unverified: UnverifiedUpstream[] }> {
  const results = await Promise.all(ids.map(async (id) => [id, await lookup(id)] as const));
  const found: [string, PackageMetadata][] = [];
  const unverified: UnverifiedUpstream[] = [];
  for (const [id, result] of results) {
    if (result.ok) found.push([id, result.metadata]);
    else unverified.push({ ecosystem, id, reason: result.reason });
  }
  // fromEntries defines own properties, so a hostile name such as `__proto__` stays a key.
  return { packages: Object.fromEntries(found), unverified };
}

/** The metadata of `id`, read safely from a record built from registry data. */
export function metadataFor(
  packages: Record<string, PackageMetadata> | undefined,
  id: string,
): PackageMetadata | undefined {
  return packages && Object.hasOwn(packages, id) ? packages[id] : undefined;
}

/** One warning per registry, not one per package: a registry that is down fails them all. */
export function warnUnverified(
  ctx: RegistryContext,
  registry: string,
  unverified: readonly UnverifiedUpstream[],
): void {
  const first = unverified[0];
  if (!first) return;
  const more = unverified.length > 1 ? ` (and ${unverified.length - 1} more)` : '';
  ctx.warn(`${registry}: ${first.id} not verified${more}: ${first.reason}`);
}
