import { build } from 'esbuild';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { EXTRACTORS } from '../../src/extractors/index.js';
import { actionBuildOptions } from '../../scripts/bundle-options.mjs';

/**
 * Property-based fuzzing of every extractor on mutated real files (the fixtures each extractor
 * is tested on) and on random text: it never throws, every location it reports lies inside the
 * file, and no single input runs long. Each extractor runs in a worker thread so a hang is caught
 * and reported with the input that caused it instead of freezing the suite.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const fixtures = path.join(here, '..', 'fixtures');
const RUNS = Number(process.env.FUZZ_RUNS ?? 150);
const SEED = Number(process.env.FUZZ_SEED ?? 20261130);
/** A hang detector, not a speed target: no input of a few KB may take this long. */
const STALL_MS = 10_000;

let dir: string;
let bundle: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'lscg-fuzz-'));
  bundle = path.join(dir, 'extractors.mjs');
  // Built like the shipped bundle (same banner and resolution), from the extractors' entry.
  await build({
    ...actionBuildOptions(bundle),
    entryPoints: ['src/extractors/index.ts'],
    minify: false,
  });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Real files an extractor matches, from its own fixture folder: the seeds for mutation. */
function seedsFor(id: string): { path: string; text: string }[] {
  const root = path.join(fixtures, id);
  const out: { path: string; text: string }[] = [];
  const walk = (abs: string, rel: string) => {
    for (const name of readdirSync(abs)) {
      const a = path.join(abs, name);
      const r = rel ? `${rel}/${name}` : name;
      if (statSync(a).isDirectory()) walk(a, r);
      else if (statSync(a).size < 64 * 1024) out.push({ path: r, text: readFileSync(a, 'utf8') });
    }
  };
  walk(root, '');
  const extractor = EXTRACTORS.find((e) => e.id === id)!;
  // The top-level README.md of a fixture folder names sources; it is not a fixture.
  return out.filter((s) => s.path !== 'README.md' && extractor.match(s.path));
}

function fuzz(id: string, seeds: { path: string; text: string }[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(path.join(here, 'fuzz-worker.mjs'), {
      workerData: { bundle, extractorId: id, seeds, runs: RUNS, seed: SEED },
    });
    let last: { path: string; text: string } | null = null;
    let timer = setTimeout(stalled, STALL_MS);
    function stalled() {
      void worker.terminate();
      reject(
        new Error(
          `${id} ran over ${STALL_MS} ms on ${last?.path}: ${JSON.stringify(last?.text.slice(0, 2000))}`,
        ),
      );
    }
    worker.on('message', (m: { type: string; path: string; text: string; message: string }) => {
      if (m.type === 'input') {
        last = m;
        clearTimeout(timer);
        timer = setTimeout(stalled, STALL_MS);
      } else {
        clearTimeout(timer);
        void worker.terminate();
        if (m.type === 'done') resolve();
        else
          reject(
            new Error(
              `${id}: ${m.message}\nlast input (${last?.path}): ${JSON.stringify(last?.text.slice(0, 2000))}`,
            ),
          );
      }
    });
    worker.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

describe('every extractor on mutated real files and random text', () => {
  it.each(EXTRACTORS.map((e) => e.id))(
    '%s never throws and keeps locations inside the file',
    async (id) => {
      const seeds = seedsFor(id);
      expect(seeds.length).toBeGreaterThan(0);
      await fuzz(id, seeds);
    },
    120_000,
  );
});
