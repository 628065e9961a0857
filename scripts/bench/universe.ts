import { createHash } from 'node:crypto';

/**
 * The upstreams a benchmark monorepo references: about 300 Hub repositories and 1,500 PyPI
 * packages. The corpus generator and the stand-in registries both derive everything (commit
 * shas, shard hashes, versions) from this one description, so a local LFS pointer carries the
 * sha256 the stand-in Hub reports and a locked version is one the stand-in PyPI lists.
 */

export const sha1 = (seed: string) => createHash('sha1').update(seed).digest('hex');
export const sha256 = (seed: string) => createHash('sha256').update(seed).digest('hex');

/** Deterministic PRNG (mulberry32): the same seed gives the same monorepo. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(rnd: () => number, items: readonly T[]): T {
  return items[Math.floor(rnd() * items.length)] as T;
}

export interface HubEntry {
  kind: 'model' | 'dataset';
  id: string;
  /** Revision the repository's files ask for: null (unpinned) or a commit sha. */
  revision: string | null;
  /** Commits of `main`, newest first. */
  commits: string[];
  /** Index in `commits` of the pin (0: the head), null when unpinned. */
  pinAt: number | null;
  gated: boolean;
  license: string;
  baseModel: string | null;
  /** Model shards (`model-0000k-of-0000n.safetensors`), with the sha256 and size the Hub reports. */
  shards: { path: string; sha256: string; size: number }[];
}

export interface PackageEntry {
  name: string;
  /** The version every lockfile in the monorepo pins. */
  version: string;
  /** A newer release on PyPI, when there is one (drift). */
  newer: string | null;
  /** OSV advisory ids affecting the locked version. */
  advisories: string[];
}

export interface Universe {
  hub: HubEntry[];
  models: HubEntry[];
  datasets: HubEntry[];
  pypi: PackageEntry[];
}

export const HUB_MODELS = 240;
export const HUB_DATASETS = 60;
export const PYPI_PACKAGES = 1500;
/** Advisories served by the stand-in OSV (records in test/fixtures/registries/osv). */
export const ADVISORIES = ['GHSA-53q9-r3pm-6pq6', 'PYSEC-2025-41', 'PYSEC-2024-1'];
const COMMITS = 30;

const ORGS = [
  'meta-llama',
  'mistralai',
  'Qwen',
  'google',
  'microsoft',
  'EleutherAI',
  'bigscience',
  'tiiuae',
  'allenai',
  'HuggingFaceH4',
  'sentence-transformers',
  'BAAI',
  'intfloat',
  'nvidia',
  'deepseek-ai',
  'stabilityai',
  'facebook',
  'Salesforce',
  'ibm-granite',
  'acme-research',
];
const FAMILIES = ['llama', 'mistral', 'qwen2.5', 'gemma-2', 'phi-3', 'falcon', 'olmo', 'granite'];
const SIZES = ['0.5b', '1b', '1.5b', '3b', '7b', '8b', '13b', '34b', '70b'];
const VARIANTS = ['base', 'instruct', 'chat', 'sft', 'dpo', 'awq', 'gptq', 'embed'];
const TOPICS = ['qa', 'chat', 'code', 'math', 'summaries', 'reviews', 'instructions', 'prefs'];
const LICENSES = [
  'apache-2.0',
  'mit',
  'llama3.1',
  'cc-by-4.0',
  'gemma',
  'openrail',
  'bsd-3-clause',
];
const PKG_SUFFIXES = ['utils', 'core', 'client', 'plugin', 'extras', 'tools', 'cli', 'io', 'lite'];

/**
 * @param realHubIds Hub ids seen in the real fixtures, used first so the names look real.
 * @param realPypiNames PyPI names seen in the real fixtures, used first for the same reason.
 */
export function createUniverse(realHubIds: string[], realPypiNames: string[]): Universe {
  const rnd = random(42);
  const modelIds = fill(
    realHubIds.filter((id) => id.includes('/')),
    HUB_MODELS,
    (i) =>
      `${ORGS[i % ORGS.length]}/${pick(rnd, FAMILIES)}-${pick(rnd, SIZES)}-${pick(rnd, VARIANTS)}`,
  );
  const datasetIds = fill(
    [],
    HUB_DATASETS,
    (i) => `${ORGS[(i * 7) % ORGS.length]}/${pick(rnd, TOPICS)}-${1000 + i}`,
  );
  const models = modelIds.map((id, i) => hubEntry('model', id, i, rnd));
  const datasets = datasetIds.map((id, i) => hubEntry('dataset', id, i, rnd));
  // A fifth of the models name another as their base (lineage); never themselves.
  for (const [i, m] of models.entries()) {
    if (i % 5 === 3) m.baseModel = (models[(i * 13 + 1) % models.length] as HubEntry).id;
    if (m.baseModel === m.id) m.baseModel = null;
  }
  const names = fill(
    [...new Set(realPypiNames)],
    PYPI_PACKAGES,
    (i) =>
      `${realPypiNames[i % Math.max(1, realPypiNames.length)] ?? 'pkg'}-${PKG_SUFFIXES[i % PKG_SUFFIXES.length]}${Math.floor(i / 97)}`,
  );
  const pypi = names.map((name, i): PackageEntry => {
    const major = 1 + Math.floor(rnd() * 5);
    const minor = Math.floor(rnd() * 30);
    const version = `${major}.${minor}.${Math.floor(rnd() * 10)}`;
    return {
      name,
      version,
      newer: i % 5 === 0 ? `${major}.${minor + 1}.0` : null,
      advisories: i % 150 === 7 ? [ADVISORIES[((i / 150) % ADVISORIES.length) | 0] as string] : [],
    };
  });
  return { hub: [...models, ...datasets], models, datasets, pypi };
}

function fill(real: string[], count: number, make: (i: number) => string): string[] {
  const out = new Set(real.slice(0, Math.floor(count / 4)));
  for (let i = 0; out.size < count; i++) out.add(make(i));
  return [...out];
}

function hubEntry(kind: HubEntry['kind'], id: string, i: number, rnd: () => number): HubEntry {
  const commits = Array.from({ length: COMMITS }, (_, k) => sha1(`bench:${kind}:${id}:${k}`));
  // 75% unpinned, 15% pinned at the head, 10% pinned to an older commit (drift, a finding).
  const roll = i % 20;
  const pinAt = roll < 15 ? null : roll < 18 ? 0 : 3 + ((i * 7) % 25);
  const n = kind === 'model' ? 1 + (i % 4) : 0;
  const shards = Array.from({ length: n }, (_, k) => {
    const path = `model-${String(k + 1).padStart(5, '0')}-of-${String(n).padStart(5, '0')}.safetensors`;
    return {
      path,
      sha256: sha256(`bench:${id}:${path}`),
      size: 1_000_000_000 + ((i * 7919 + k) % 999_999),
    };
  });
  return {
    kind,
    id,
    revision: pinAt === null ? null : (commits[pinAt] as string),
    commits,
    pinAt,
    gated: kind === 'model' && pinAt === null && i % 25 === 4,
    license: pick(rnd, LICENSES),
    baseModel: null,
    shards,
  };
}
