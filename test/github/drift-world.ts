/**
 * Upstreams that move, for drift runs: two stand-in repositories added to the Hub stand-in's
 * world (test/registries/huggingface/world.ts), whose history a test extends between runs the way
 * an upstream owner pushes. Everything else in the world (recorded samples) is untouched.
 */
import { LocalFileSource } from '../../src/files/local.js';
import { createEnricher } from '../../src/registries/index.js';
import { scan, type ScanResult } from '../../src/scan.js';
import {
  createWorld,
  sha1,
  sha256,
  type StandInRepo,
  type WireCommit,
  type World,
} from '../registries/huggingface/world.js';

export const MODEL = 'acme-labs/support-bot';
export const DATASET = 'acme-labs/support-tickets';

function commitsOf(seed: string, count: number, newest: string): WireCommit[] {
  return Array.from({ length: count }, (_, i) => ({
    id: sha1(`${seed}:${i}`),
    title: `Stand-in commit ${count - i} of ${seed}`,
    message: '',
    authors: [{ user: 'acme-dev' }],
    date: new Date(Date.parse(newest) - i * 10 * 86_400_000).toISOString(),
  }));
}

function repo(
  kind: 'model' | 'dataset',
  id: string,
  commits: WireCommit[],
  license: string,
): StandInRepo {
  return {
    kind,
    fields: {
      _id: sha1(id).slice(0, 24),
      id,
      author: 'acme-labs',
      private: false,
      gated: false,
      disabled: false,
      createdAt: commits[commits.length - 1]!.date,
      tags: [],
    },
    commits,
    snapshots: {
      [commits[commits.length - 1]!.id]: {
        files: [
          { path: 'model.safetensors', size: 1000, blobId: sha1(`blob:${id}`), sha256: sha256(id) },
        ],
        cardData: { license },
      },
    },
  };
}

export interface DriftWorld {
  world: World;
  /** The oldest commit of each repository: where the test repository pins them. */
  pins: { model: string; dataset: string };
  /** The current head of a repository. */
  head(id: string): string;
  /** Pushes a commit upstream (optionally with a new licence); returns its sha. */
  advance(id: string, title: string, license?: string): string;
}

export function driftWorld(): DriftWorld {
  const world = createWorld();
  const model = repo('model', MODEL, commitsOf(MODEL, 4, '2025-06-01T00:00:00.000Z'), 'apache-2.0');
  const dataset = repo(
    'dataset',
    DATASET,
    commitsOf(DATASET, 2, '2025-05-01T00:00:00.000Z'),
    'cc-by-4.0',
  );
  world.repos.set(`models/${MODEL}`, model);
  world.repos.set(`datasets/${DATASET}`, dataset);
  const find = (id: string) => (id === MODEL ? model : dataset);
  let pushes = 0;
  return {
    world,
    pins: { model: model.commits.at(-1)!.id, dataset: dataset.commits.at(-1)!.id },
    head: (id) => find(id).commits[0]!.id,
    advance(id, title, license) {
      const r = find(id);
      const last = Date.parse(r.commits[0]!.date);
      const c: WireCommit = {
        id: sha1(`${id}:push:${++pushes}`),
        title,
        message: '',
        authors: [{ user: 'acme-dev' }],
        date: new Date(last + 5 * 86_400_000).toISOString(),
      };
      r.commits.unshift(c);
      if (license) {
        const prev = Object.values(r.snapshots)[0]!;
        r.snapshots[c.id] = { files: prev.files, cardData: { license } };
      }
      return c.id;
    },
  };
}

/** The online scan the Action runs, in process: the files at `root`, the Hub at `hubUrl`. */
export function scanOnline(root: string, hubUrl: string): Promise<ScanResult> {
  const enrich = createEnricher(
    {
      hfEndpoint: hubUrl,
      pypiEndpoint: 'http://127.0.0.1:9',
      npmEndpoint: 'http://127.0.0.1:9',
      osvEndpoint: 'http://127.0.0.1:9',
      retries: 0,
    },
    { warn: () => {} },
  );
  return scan(new LocalFileSource(root), { enrich, today: '2026-01-15' });
}
