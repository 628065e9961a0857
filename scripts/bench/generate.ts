import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { EXTRACTORS } from '../../src/extractors/index.js';
import { loadTemplates, render, type Fill, type Template, type TemplateKind } from './templates.js';
import {
  pick,
  random,
  sha256,
  type HubEntry,
  type PackageEntry,
  type Universe,
} from './universe.js';

/**
 * A synthetic ML monorepo of N files, made of real files (test/fixtures) whose Hub ids are
 * replaced by the benchmark's upstreams: Python sources and notebooks with Hub calls, JS
 * sources, Transformers configs, adapters, cards and docs, shard indexes, LFS pointers, training
 * and serving configs, Modelfiles, DVC files, requirements, pyproject files, uv/poetry locks over
 * 1,500 PyPI packages, an npm project with its 809-entry lock, local copies of upstream models,
 * and files no extractor reads (C, Rust, CSV, images…). About 3,000 Hub references to the 300
 * upstreams at every size; the rest of the slots hold local paths, as most code does.
 */

export const HUB_REFERENCES = 3000;

/** Share of the N files per kind; `filler` (never read) takes the rest. */
const MIX: Record<TemplateKind | 'requirements' | 'pyproject', number> = {
  python: 0.24,
  js: 0.05,
  config: 0.05,
  adapter: 0.015,
  card: 0.07,
  index: 0.01,
  lfs: 0.04,
  training: 0.03,
  serving: 0.02,
  modelfile: 0.003,
  dvc: 0.005,
  requirements: 0.006,
  pyproject: 0.004,
};

const FILLER_EXT = ['c', 'h', 'cpp', 'rs', 'csv', 'txt', 'png', 'proto', 'css', 'html', 'cfg'];

export interface CorpusStats {
  files: number;
  bytes: number;
  byKind: Record<string, { files: number; bytes: number }>;
  hubSlots: number;
  hubReferences: number;
  modelFolders: number;
  lockfiles: number;
  npmProjects: number;
}

interface Planned {
  kind: string;
  path: string;
  template?: Template;
  /** Slot index in the global pool of the template's first slot. */
  firstSlot?: number;
  content?: string | Uint8Array;
}

export function generateCorpus(
  root: string,
  dir: string,
  files: number,
  universe: Universe,
): CorpusStats {
  const rnd = random(files);
  const { templates } = loadTemplates(root);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const planned: Planned[] = [];
  const forced = new Map<number, Fill | null>();
  let pool = 0;

  // Local copies of upstream models (`hf download --local-dir models/<org>/<name>`).
  const folders = Math.max(4, Math.min(40, Math.round(files / 250)));
  const copies = universe.models.filter(
    (m) => m.shards.length > 0 && !m.gated && (m.pinAt === null || m.pinAt === 0),
  );
  // A config whose one Hub id is the model itself, a card whose one Hub id is its base model.
  const oneModel = (t: Template) => t.slots.length === 1 && t.slots[0]?.kind === 'model';
  const configT = templates.config.find(oneModel) as Template;
  const cardT = templates.card.find(oneModel) as Template;
  for (let i = 0; i < folders; i++) {
    const m = copies[(i * 17) % copies.length] as HubEntry;
    const base = `models/${m.id}`;
    forced.set(pool, { id: m.id, revision: m.revision });
    planned.push({
      kind: 'config',
      path: `${base}/config.json`,
      template: configT,
      firstSlot: pool,
    });
    pool += 1;
    forced.set(pool, m.baseModel ? { id: m.baseModel, revision: null } : null);
    planned.push({ kind: 'card', path: `${base}/README.md`, template: cardT, firstSlot: pool });
    pool += 1;
    planned.push({
      kind: 'index',
      path: `${base}/model.safetensors.index.json`,
      content: shardIndex(root, m),
    });
    for (const s of m.shards)
      planned.push({
        kind: 'lfs',
        path: `${base}/${s.path}`,
        content: `version https://git-lfs.github.com/spec/v1\noid sha256:${s.sha256}\nsize ${s.size}\n`,
      });
  }

  // Lockfiles: the root uv.lock pins all 1,500 packages; each service locks a subset.
  const services = Math.max(1, Math.round(files / 2500));
  planned.push({ kind: 'lock', path: 'uv.lock', content: uvLock(universe.pypi, rnd) });
  for (let s = 0; s < services; s++) {
    const subset = universe.pypi.filter(() => rnd() < 0.3);
    const lock = s % 2 === 0 ? uvLock(subset, rnd) : poetryLock(subset, rnd);
    planned.push({
      kind: 'lock',
      path: `services/svc-${s}/${s % 2 === 0 ? 'uv' : 'poetry'}.lock`,
      content: lock,
    });
  }
  const npmProjects = Math.max(1, Math.round(files / 10000));
  const nqa = 'test/fixtures/npm/node-question-answering';
  for (let p = 0; p < npmProjects; p++) {
    for (const name of ['package.json', 'package-lock.json'])
      planned.push({
        kind: 'npm',
        path: `web/app-${p}/${name}`,
        content: readFileSync(path.join(root, nqa, name)),
      });
  }
  planned.push({
    kind: 'other',
    path: '.gitignore',
    content: '__pycache__/\n*.pyc\n/outputs/\nwandb/\n.venv/\n',
  });

  // The mix.
  for (const [kind, share] of Object.entries(MIX)) {
    const count = Math.max(1, Math.round(files * share));
    for (let k = 0; k < count; k++) {
      if (kind === 'requirements' || kind === 'pyproject') {
        const subset = universe.pypi.filter(() => rnd() < 0.02);
        const content = kind === 'requirements' ? requirements(subset) : pyproject(subset, k);
        const name = kind === 'requirements' ? 'requirements.txt' : 'pyproject.toml';
        planned.push({ kind, path: `services/pkg-${k}/${name}`, content });
        continue;
      }
      const t = pick(rnd, templates[kind as TemplateKind]);
      planned.push({ kind, path: placeFile(kind, t, k), template: t, firstSlot: pool });
      pool += t.slots.length;
    }
  }
  const filler = Math.max(0, files - planned.length);
  const blob = fillerBlob(rnd);
  for (let k = 0; k < filler; k++) {
    const ext = FILLER_EXT[k % FILLER_EXT.length] as string;
    const size = 200 + Math.floor(rnd() * 3800);
    const content =
      ext === 'png'
        ? Uint8Array.from([
            0x89,
            0x50,
            0x4e,
            0x47,
            0x0d,
            0x0a,
            0x1a,
            0x0a,
            0,
            0,
            0,
            0x0d,
            ...Buffer.from(blob.slice(0, size)),
          ])
        : blob.slice(k % 997, (k % 997) + size);
    planned.push({
      kind: 'filler',
      path: `${fillerDir(ext)}/g${Math.floor(k / 40)}/f${k}.${ext}`,
      content,
    });
  }

  const fills = assignHub(planned, forced, pool, universe, rnd);
  const stats: CorpusStats = {
    files: 0,
    bytes: 0,
    byKind: {},
    hubSlots: pool,
    hubReferences: [...fills.values()].filter((f) => f !== null).length,
    modelFolders: folders,
    lockfiles: services + 1,
    npmProjects,
  };
  const made = new Set<string>();
  for (const p of planned) {
    const content =
      p.content ??
      render(
        p.template as Template,
        (k) => fills.get((p.firstSlot as number) + k) ?? null,
        `run-${p.firstSlot}`,
      );
    const abs = path.join(dir, p.path);
    const parent = path.dirname(abs);
    if (!made.has(parent)) {
      mkdirSync(parent, { recursive: true });
      made.add(parent);
    }
    writeFileSync(abs, content);
    const bytes = typeof content === 'string' ? Buffer.byteLength(content) : content.length;
    stats.files++;
    stats.bytes += bytes;
    const k = (stats.byKind[p.kind] ??= { files: 0, bytes: 0 });
    k.files++;
    k.bytes += bytes;
  }
  return stats;
}

/** Paths where each kind lives; the basename keeps what the extractors match on. */
function placeFile(kind: string, t: Template, k: number): string {
  const group = `g${Math.floor(k / 30)}`;
  const prefixed = (dir: string) => `${dir}/${group}/${k}-${t.name}`;
  const own = (dir: string) => `${dir}/${group}/${k}/${t.name}`;
  let candidate: string;
  switch (kind) {
    case 'python':
      candidate = t.name.endsWith('.ipynb') ? prefixed('notebooks') : prefixed('src/ml');
      break;
    case 'js':
      candidate = prefixed('web/shared/src');
      break;
    case 'card':
      candidate = k % 3 === 0 ? own('experiments') : prefixed('docs');
      break;
    case 'training':
      candidate = prefixed('training/configs');
      break;
    case 'serving':
      candidate = prefixed('deploy');
      break;
    case 'lfs':
      candidate = own('checkpoints');
      break;
    default:
      candidate = own(kind === 'config' || kind === 'adapter' ? `experiments/${kind}s` : kind);
  }
  return EXTRACTORS.some((e) => e.match(candidate)) ? candidate : own(`${kind}/own`);
}

function fillerDir(ext: string): string {
  if (['c', 'h', 'cpp', 'rs', 'proto'].includes(ext)) return 'native/src';
  if (['csv', 'txt'].includes(ext)) return 'data/raw';
  if (['png', 'css', 'html'].includes(ext)) return 'web/static';
  return 'etc';
}

/**
 * Which slots name a Hub upstream: HUB_REFERENCES of them (forced ones included), each of the
 * 300 upstreams at least once where there are enough slots of its kind, then a Zipf-like spread
 * (a few popular models are referenced everywhere).
 */
function assignHub(
  planned: Planned[],
  forced: Map<number, Fill | null>,
  pool: number,
  universe: Universe,
  rnd: () => number,
): Map<number, Fill | null> {
  const kinds: ('model' | 'dataset')[] = [];
  for (const p of planned) if (p.template) for (const s of p.template.slots) kinds.push(s.kind);
  const free = Array.from({ length: pool }, (_, i) => i).filter((i) => !forced.has(i));
  for (let i = free.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [free[i], free[j]] = [free[j] as number, free[i] as number];
  }
  const forcedHub = [...forced.values()].filter((f) => f !== null).length;
  const chosen = free.slice(0, Math.max(0, HUB_REFERENCES - forcedHub));
  const out = new Map(forced);
  const next = { model: picker(universe.models, rnd), dataset: picker(universe.datasets, rnd) };
  for (const slot of chosen) {
    const e = next[kinds[slot] ?? 'model']();
    out.set(slot, { id: e.id, revision: e.revision });
  }
  return out;
}

function picker(entries: HubEntry[], rnd: () => number): () => HubEntry {
  let covered = 0;
  const weights = entries.map((_, i) => 1 / (i + 1) ** 0.8);
  const total = weights.reduce((a, b) => a + b, 0);
  const cumulative: number[] = [];
  weights.reduce((sum, w) => (cumulative.push((sum + w) / total), sum + w), 0);
  return () => {
    if (covered < entries.length) return entries[covered++] as HubEntry;
    const r = rnd();
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cumulative[mid] as number) < r) lo = mid + 1;
      else hi = mid;
    }
    return entries[lo] as HubEntry;
  };
}

/** The phi3 shard index's tensor names, spread over the model's shards. */
function shardIndex(root: string, m: HubEntry): string {
  const real = JSON.parse(
    readFileSync(
      path.join(root, 'test/fixtures/weights-index/phi3-slerp/model.safetensors.index.json'),
      'utf8',
    ),
  ) as { weight_map: Record<string, string> };
  const names = Object.keys(real.weight_map);
  const weightMap = Object.fromEntries(
    names.map((n, i) => [
      n,
      (m.shards[Math.floor((i * m.shards.length) / names.length)] as HubEntry['shards'][number])
        .path,
    ]),
  );
  const total = m.shards.reduce((n, s) => n + s.size, 0);
  return JSON.stringify({ metadata: { total_size: total }, weight_map: weightMap }, null, 2) + '\n';
}

const hex = (seed: string) => sha256(seed);

/** A uv.lock in the shape of the real ones (test/fixtures/uv-lock): sdist, wheels, deps. */
function uvLock(packages: PackageEntry[], rnd: () => number): string {
  const blocks = packages.map((p) => {
    const file = p.name.replace(/-/g, '_');
    const url = (name: string) =>
      `https://files.pythonhosted.org/packages/${hex(name).slice(0, 2)}/${hex(name).slice(2, 4)}/${hex(name).slice(4, 64)}/${name}`;
    const deps = Array.from({ length: Math.floor(rnd() * 5) }, () => pick(rnd, packages).name);
    const wheels = [
      'py3-none-any',
      'cp311-cp311-manylinux_2_17_x86_64',
      'cp312-cp312-macosx_11_0_arm64',
    ]
      .slice(0, 1 + Math.floor(rnd() * 3))
      .map((tag) => {
        const name = `${file}-${p.version}-${tag}.whl`;
        return `    { url = "${url(name)}", hash = "sha256:${hex(`w:${name}`)}", size = ${10_000 + Math.floor(rnd() * 900_000)}, upload-time = "2025-0${1 + Math.floor(rnd() * 9)}-1${Math.floor(rnd() * 9)}T10:17:04.19Z" },`;
      });
    const sdist = `${file}-${p.version}.tar.gz`;
    return [
      '[[package]]',
      `name = "${p.name}"`,
      `version = "${p.version}"`,
      'source = { registry = "https://pypi.org/simple" }',
      ...(deps.length
        ? ['dependencies = [', ...[...new Set(deps)].map((d) => `    { name = "${d}" },`), ']']
        : []),
      `sdist = { url = "${url(sdist)}", hash = "sha256:${hex(`s:${sdist}`)}", size = ${20_000 + Math.floor(rnd() * 500_000)}, upload-time = "2025-01-28T10:17:05.322Z" }`,
      'wheels = [',
      ...wheels,
      ']',
    ].join('\n');
  });
  return `version = 1\nrevision = 3\nrequires-python = ">=3.10, <4.0"\n\n${blocks.join('\n\n')}\n`;
}

/** A poetry.lock in the shape of test/fixtures/poetry-lock (lock-version 1.1). */
function poetryLock(packages: PackageEntry[], rnd: () => number): string {
  const blocks = packages.map((p) => {
    const deps = [
      ...new Set(Array.from({ length: Math.floor(rnd() * 4) }, () => pick(rnd, packages).name)),
    ];
    return [
      '[[package]]',
      `name = "${p.name}"`,
      `version = "${p.version}"`,
      `description = "The ${p.name} package"`,
      'category = "main"',
      'optional = false',
      'python-versions = ">=3.8"',
      ...(deps.length ? ['', '[package.dependencies]', ...deps.map((d) => `${d} = "*"`)] : []),
    ].join('\n');
  });
  return `${blocks.join('\n\n')}\n\n[metadata]\nlock-version = "1.1"\npython-versions = "^3.9"\ncontent-hash = "${hex(String(packages.length))}"\n`;
}

/** A requirements file in the style of vLLM's requirements/common.txt. */
function requirements(packages: PackageEntry[]): string {
  return (
    '# Generated for the benchmark in the style of vllm/requirements/common.txt\n' +
    packages
      .map((p, i) =>
        i % 4 === 0
          ? `${p.name} >= ${p.version}  # needed by the trainer`
          : `${p.name}>=${p.version}`,
      )
      .join('\n') +
    '\n'
  );
}

/** A PEP 621 pyproject in the style of TGI's server/pyproject.toml. */
function pyproject(packages: PackageEntry[], k: number): string {
  const deps = packages.map((p) => `    "${p.name}>=${p.version}",`);
  return [
    '[project]',
    `name = "bench-service-${k}"`,
    'version = "0.1.0"',
    'requires-python = ">=3.10"',
    'dependencies = [',
    ...deps,
    ']',
    '',
    '[build-system]',
    'requires = ["hatchling"]',
    'build-backend = "hatchling.build"',
    '',
  ].join('\n');
}

function fillerBlob(rnd: () => number): string {
  const words = [
    'tensor',
    'batch',
    'layer',
    'grad',
    'step',
    'loss',
    'eval',
    'token',
    'cache',
    'shard',
  ];
  let s = '';
  while (s.length < 6000)
    s += `${pick(rnd, words)}_${Math.floor(rnd() * 1000)} = ${Math.floor(rnd() * 1e6)};\n`;
  return s;
}
