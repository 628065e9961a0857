import { readFileSync } from 'node:fs';
import path from 'node:path';
import { extractor as npmExtractor } from '../../src/extractors/npm/index.js';
import { startHub, type StandInHub } from '../../test/registries/huggingface/stand-in.js';
import {
  sampleBody,
  sha1,
  type RepoFile,
  type StandInRepo,
  type World,
  type WireCommit,
} from '../../test/registries/huggingface/world.js';
import {
  fixture,
  npmPackument,
  pypiProject,
  startStub,
  type ReleaseSpec,
  type Stub,
  type StubRequest,
  type StubResponse,
} from '../../test/registries/package-stubs.js';
import type { HubEntry, PackageEntry, Universe } from './universe.js';

/**
 * The test suite's loopback Hub, PyPI, npm and OSV stand-ins (same code, same recorded shapes),
 * serving the benchmark's universe, each answer held `latencyMs` to stand for the network.
 */

export interface StandIns {
  hub: StandInHub;
  pypi: Stub;
  npm: Stub;
  osv: Stub;
  /** Forgets the requests seen so far (between runs). */
  reset(): void;
  close(): Promise<void>;
}

export async function startStandIns(universe: Universe, latencyMs: number): Promise<StandIns> {
  const [hub, pypi, npm, osv] = await Promise.all([
    startHub({ world: benchWorld(universe), latencyMs }),
    startStub(pypiHandler(universe.pypi), { holdMs: latencyMs }),
    startStub(npmHandler(), { holdMs: latencyMs }),
    startStub(osvHandler(universe.pypi), { holdMs: latencyMs }),
  ]);
  return {
    hub,
    pypi,
    npm,
    osv,
    reset() {
      hub.requests.length = 0;
      for (const s of [pypi, npm, osv]) {
        s.requests.length = 0;
        s.maxInFlight = 0;
      }
    },
    close: async () => {
      await Promise.all([hub.close(), pypi.close(), npm.close(), osv.close()]);
    },
  };
}

/** Every universe entry as a Hub repository, shaped like the recorded bert-base-uncased one. */
function benchWorld(universe: Universe): World {
  const bert = sampleBody('model-info-bert-base-uncased.json');
  const repos = new Map<string, StandInRepo>();
  for (const e of universe.hub) repos.set(`${e.kind}s/${e.id}`, repo(e, bert));
  return { repos, redirects: new Map(), tokens: new Map(), treePageSize: 1000 };
}

function repo(e: HubEntry, sample: Record<string, unknown>): StandInRepo {
  const newest = Date.parse('2025-06-01T00:00:00Z');
  const commits: WireCommit[] = e.commits.map((id, i) => ({
    id,
    title: `Update weights (${e.commits.length - i})`,
    message: '',
    authors: [{ user: e.id.split('/')[0] as string }],
    date: new Date(newest - i * 9 * 86_400_000).toISOString(),
  }));
  const git = (p: string, size: number): RepoFile => ({
    path: p,
    size,
    blobId: sha1(`bench-blob:${e.id}:${p}`),
  });
  const files: RepoFile[] =
    e.kind === 'model'
      ? [
          git('.gitattributes', 1519),
          git('README.md', 8092),
          git('config.json', 826),
          ...e.shards.map((s) => ({
            path: s.path,
            size: s.size,
            blobId: sha1(`bench-pointer:${e.id}:${s.path}`),
            sha256: s.sha256,
          })),
          ...(e.shards.length > 1 ? [git('model.safetensors.index.json', 23950)] : []),
        ]
      : [
          git('README.md', 4096),
          {
            path: 'data/train-00000-of-00001.parquet',
            size: 14_458_314,
            blobId: sha1(`bench-pointer:${e.id}:train`),
            sha256: sha1(`bench:${e.id}:train`).padEnd(64, '0'),
          },
        ];
  return {
    kind: e.kind,
    fields: {
      _id: sha1(e.id).slice(0, 24),
      id: e.id,
      author: e.id.split('/')[0],
      private: false,
      gated: e.gated ? 'auto' : false,
      disabled: false,
      createdAt: commits[commits.length - 1]?.date,
      tags: [...((sample.tags as string[] | undefined) ?? []).slice(0, 6), `license:${e.license}`],
      pipeline_tag: e.kind === 'model' ? sample.pipeline_tag : undefined,
      library_name: e.kind === 'model' ? sample.library_name : undefined,
      likes: 100,
      downloads: 100_000,
    },
    commits,
    snapshots: {
      [e.commits[e.commits.length - 1] as string]: {
        files,
        cardData: { license: e.license, ...(e.baseModel ? { base_model: e.baseModel } : {}) },
      },
    },
  };
}

function pypiHandler(packages: PackageEntry[]) {
  const byName = new Map(packages.map((p) => [p.name, p]));
  return (req: StubRequest): StubResponse => {
    const name = decodeURIComponent(/^\/pypi\/([^/]+)\/json$/.exec(req.path)?.[1] ?? '');
    const p = byName.get(name);
    if (!p) return { status: 404, text: 'Not Found' };
    const releases: ReleaseSpec[] = [
      { version: '0.1.0', date: '2021-03-01' },
      { version: p.version, date: '2024-05-01' },
      ...(p.newer ? [{ version: p.newer, date: '2025-05-01' }] : []),
    ];
    return { status: 200, json: pypiProject(name, releases) };
  };
}

/** Packuments for every version in the real node-question-answering lock (as the e2e test). */
function npmHandler() {
  const lock = npmExtractor.extract({
    path: 'package-lock.json',
    text: readFileSync(
      path.join(process.cwd(), 'test/fixtures/npm/node-question-answering/package-lock.json'),
      'utf8',
    ),
  });
  const locked = new Map<string, Set<string>>();
  for (const r of lock.references)
    if (r.version) locked.set(r.id, (locked.get(r.id) ?? new Set()).add(r.version));
  return (req: StubRequest): StubResponse => {
    const name = decodeURIComponent(req.path.slice(1));
    const versions = [...(locked.get(name) ?? [])].sort((a, b) =>
      a.localeCompare(b, 'en', { numeric: true }),
    );
    if (versions.length === 0) return { status: 404, json: { error: 'Not found' } };
    return {
      status: 200,
      json: npmPackument(
        name,
        versions.map((version) => ({ version, date: '2020-06-01' })),
      ),
    };
  };
}

const RECORDS: Record<string, string> = {
  'GHSA-53q9-r3pm-6pq6': 'osv/vuln-GHSA-53q9-r3pm-6pq6-torch-RECONSTRUCTED.json',
  'PYSEC-2025-41': 'osv/vuln-PYSEC-2025-41-torch-SYNTHETIC.json',
  'PYSEC-2024-1': 'osv/vuln-PYSEC-2024-1-pypi-versions-list.json',
};

/** `{}` for a clean package (as OSV answers), `{vulns:[{id, modified}]}` otherwise. */
function osvHandler(packages: PackageEntry[]) {
  const affected = new Map(
    packages.filter((p) => p.advisories.length > 0).map((p) => [`${p.name}@${p.version}`, p]),
  );
  return (req: StubRequest): StubResponse => {
    if (req.method === 'POST') {
      const { queries } = JSON.parse(req.body) as {
        queries: { package: { ecosystem: string; name: string }; version: string }[];
      };
      return {
        status: 200,
        json: {
          results: queries.map((q) => {
            const p =
              q.package.ecosystem === 'PyPI' && affected.get(`${q.package.name}@${q.version}`);
            return p
              ? { vulns: p.advisories.map((id) => ({ id, modified: '2025-04-22T00:00:00Z' })) }
              : {};
          }),
        },
      };
    }
    const file = RECORDS[decodeURIComponent(req.path.replace('/v1/vulns/', ''))];
    return file
      ? { status: 200, json: fixture(file).body }
      : { status: 404, json: { code: 5, message: 'Bug not found.' } };
  };
}
