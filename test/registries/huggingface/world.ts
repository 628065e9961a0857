import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The repositories the Hub stand-in serves. Repository-level values (`_id`, `createdAt`,
 * `author`, `gated`, `disabled`, head `sha`, `lastModified`, tags, cards, commits, file hashes)
 * come from the recorded samples in test/fixtures/huggingface (see its README). Where a sample
 * holds no value (older commits, some file hashes, the `acme-labs/*` scenarios) the value is
 * derived from a seed with `sha1()`/`sha256()` below and titled "stand-in".
 */

const FIXTURES = path.join(process.cwd(), 'test/fixtures/huggingface');

export function fixture<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(path.join(FIXTURES, name), 'utf8')) as T;
}

/** Body of a sample: bare, or the `body` of a `{request, status, headers, body}` wrapper. */
export function sampleBody(name: string): Record<string, unknown> {
  const json = fixture(name);
  return (json.body ?? json) as Record<string, unknown>;
}

export const sha1 = (seed: string) => createHash('sha1').update(seed).digest('hex');
export const sha256 = (seed: string) => createHash('sha256').update(seed).digest('hex');

export interface WireCommit {
  id: string;
  title: string;
  message: string;
  authors: { user: string; avatar?: string }[];
  date: string;
}

export interface RepoFile {
  path: string;
  size: number;
  /** Git blob id (of the pointer, for LFS files). */
  blobId: string;
  /** Present for LFS files. */
  sha256?: string;
}

export interface Snapshot {
  files: RepoFile[];
  cardData: Record<string, unknown> | null;
}

export interface StandInRepo {
  kind: 'model' | 'dataset';
  /** Repository-level fields of the info body (`_id`, `id`, `author`, `createdAt`, `gated`…). */
  fields: Record<string, unknown>;
  /** Newest first. */
  commits: WireCommit[];
  /** Files and card from a commit on (older commits inherit the next older snapshot). */
  snapshots: Record<string, Snapshot>;
  private?: boolean;
  /** A disabled dataset answers 403 "Access to this resource is disabled.". */
  disabledDataset?: boolean;
  security?: { scansDone: boolean; filesWithIssues: { path: string; level: string }[] };
  /** `securityFileStatus` per path, for paths-info with `expand`. */
  fileStatus?: Record<string, unknown>;
}

export interface World {
  repos: Map<string, StandInRepo>;
  /** `models/<old id>` → new id: a 307 with a relative Location. */
  redirects: Map<string, string>;
  /** Valid tokens and the gated/private repos (`models/<id>`) each may read. */
  tokens: Map<string, Set<string>>;
  treePageSize: number;
}

const lfs = (p: string, size: number, sha?: string): RepoFile => ({
  path: p,
  size,
  blobId: sha1(`pointer:${p}:${sha ?? p}`),
  sha256: sha ?? sha256(`content:${p}`),
});
const git = (p: string, size: number, blobId?: string): RepoFile => ({
  path: p,
  size,
  blobId: blobId ?? sha1(`blob:${p}`),
});

function standInCommits(seed: string, count: number, newest: Date, stepDays: number): WireCommit[] {
  return Array.from({ length: count }, (_, i) => ({
    id: sha1(`${seed}:${i}`),
    title: `Stand-in commit ${count - i} of ${seed}`,
    message: '',
    authors: [{ user: 'stand-in' }],
    date: new Date(newest.getTime() - i * stepDays * 86_400_000).toISOString(),
  }));
}

function repoFields(sample: Record<string, unknown>): Record<string, unknown> {
  const keys = ['_id', 'id', 'author', 'private', 'gated', 'disabled', 'createdAt', 'tags'];
  keys.push('pipeline_tag', 'likes', 'downloads');
  return Object.fromEntries(keys.filter((k) => k in sample).map((k) => [k, sample[k]]));
}

export function createWorld(): World {
  const repos = new Map<string, StandInRepo>();
  const add = (r: StandInRepo) => repos.set(`${r.kind}s/${r.fields.id as string}`, r);

  // openai-community/gpt2: 26 commits (x-total-count in the sample); the 6 newest are recorded.
  const gpt2Recorded = (
    fixture<{ pages: { body: WireCommit[] }[] }>('commits-gpt2-paginated-reconstructed.json')
      .pages as { body: WireCommit[] }[]
  ).flatMap((p) => p.body);
  const gpt2Commits = [
    ...gpt2Recorded,
    ...standInCommits('openai-community/gpt2', 20, new Date('2022-10-01T00:00:00Z'), 7),
  ];
  const gpt2Card = { language: 'en', tags: ['exbert'], license: 'mit' };
  const gpt2Siblings = (
    (fixture<{ body_excerpt: { siblings: Record<string, unknown>[] } }>(
      'model-info-blobs-siblings-gpt2.json',
    ).body_excerpt.siblings ?? []) as {
      rfilename: string;
      blobId: string;
      size: number;
      lfs?: { sha256: string };
    }[]
  ).map((s) =>
    s.lfs
      ? { ...lfs(s.rfilename, s.size, s.lfs.sha256), blobId: s.blobId }
      : git(s.rfilename, s.size, s.blobId),
  );
  const gpt2Pickle = lfs('pytorch_model.bin', 548118077);
  add({
    kind: 'model',
    fields: repoFields(sampleBody('model-info-expand-gpt2.json')),
    commits: gpt2Commits,
    snapshots: {
      [gpt2Commits[25]!.id]: {
        files: [git('.gitattributes', 445), git('README.md', 8092), gpt2Pickle, gpt2Siblings[0]!],
        cardData: gpt2Card,
      },
      // "Upload model.safetensors with huggingface_hub (#12)"
      [gpt2Commits[5]!.id]: {
        files: [git('.gitattributes', 445), git('README.md', 8092), gpt2Pickle, ...gpt2Siblings],
        cardData: gpt2Card,
      },
      // "Adds the tokenizer configuration file (#80)"
      [gpt2Commits[0]!.id]: {
        files: [
          git('.gitattributes', 445),
          git('README.md', 8092),
          gpt2Pickle,
          ...gpt2Siblings,
          git('tokenizer_config.json', 26),
        ],
        cardData: gpt2Card,
      },
    },
  });

  // google-bert/bert-base-uncased: head from the default body, dd4bc8b… and older from the tree
  // sample's lastCommit values.
  const bert = sampleBody('model-info-bert-base-uncased.json');
  const bertTree = fixture<{ path: string; size: number; oid: string; lfs?: { oid: string } }[]>(
    'tree-bert-base-uncased-dd4bc8b.json',
  ).map((e) =>
    e.lfs ? { ...lfs(e.path, e.size, e.lfs.oid), blobId: e.oid } : git(e.path, e.size, e.oid),
  );
  const bertCommits: WireCommit[] = [
    commit(
      bert.sha as string,
      'Stand-in title for the head of main',
      bert.lastModified as string,
      'lysandre',
    ),
    commit(
      'dd4bc8b21efa05ec961e3efc4ee5e3832a3679c7',
      'Update tf_model.h5',
      '2019-09-23T19:48:44.000Z',
      'thomwolf',
    ),
    commit(
      'bb3c1c3256d2598217df9889a14a2e811587891d',
      'Update config.json',
      '2019-06-18T09:06:51.000Z',
      'thomwolf',
    ),
    commit(
      '3d2477d72b675a999d1b13ca822aaaf4908634ad',
      'Update pytorch_model.bin',
      '2019-06-18T09:06:34.000Z',
      'thomwolf',
    ),
    commit(
      '2f07d813ca87c8c709147704c87210359ccf2309',
      'Update vocab.txt',
      '2018-11-14T23:35:08.000Z',
      'thomwolf',
    ),
    commit(
      '504939aa53e8ce310dba3dd2296dbe266c575de4',
      'initial commit',
      '2018-11-14T23:35:08.000Z',
      'thomwolf',
    ),
  ];
  const bertHeadFiles = (bert.siblings as { rfilename: string }[]).map(
    (s) =>
      bertTree.find((t) => t.path === s.rfilename) ??
      (/\.(safetensors|msgpack|onnx|ot|mlmodel|bin)$/.test(s.rfilename)
        ? lfs(s.rfilename, 440000000)
        : git(s.rfilename, 1000)),
  );
  add({
    kind: 'model',
    fields: { ...repoFields(bert), library_name: bert.library_name },
    commits: bertCommits,
    snapshots: {
      [bertCommits[5]!.id]: { files: bertTree, cardData: bert.cardData as Record<string, unknown> },
      [bertCommits[0]!.id]: {
        files: bertHeadFiles,
        cardData: bert.cardData as Record<string, unknown>,
      },
    },
  });

  // meta-llama/Llama-3.1-8B: gated "manual", info public (sample fetched anonymously with 200).
  const llama = sampleBody('model-info-expand-gated-manual-llama-3.1-8b.json');
  const llamaCommits = [
    commit(
      llama.sha as string,
      'Stand-in title for the head of main',
      llama.lastModified as string,
      'meta-llama',
    ),
    ...standInCommits('meta-llama/Llama-3.1-8B', 3, new Date('2024-07-23T00:00:00Z'), 2),
  ];
  const llamaFiles = [
    git('config.json', 826),
    ...[1, 2, 3, 4].map((i) => lfs(`model-0000${i}-of-00004.safetensors`, 4_976_698_672 - i)),
    git('model.safetensors.index.json', 23950),
    lfs('original/consolidated.00.pth', 16_060_617_592),
  ];
  add({
    kind: 'model',
    fields: repoFields(llama),
    commits: llamaCommits,
    snapshots: { [llamaCommits[3]!.id]: { files: llamaFiles, cardData: { license: 'llama3.1' } } },
  });

  // ykilcher/gpt-4chan: disabled, yet model info answers 200 with disabled: true.
  const chan = sampleBody('model-info-expand-disabled-gpt-4chan.json');
  const chanCommits = [
    commit(chan.sha as string, 'Stand-in title', chan.lastModified as string, 'ykilcher'),
  ];
  add({
    kind: 'model',
    fields: repoFields(chan),
    commits: chanCommits,
    snapshots: {
      [chanCommits[0]!.id]: {
        files: [lfs('pytorch_model.bin', 24_000_000_000)],
        cardData: { license: 'apache-2.0' },
      },
    },
  });

  // stable-diffusion-v1-5/stable-diffusion-v1-5: created 2024-08-30 (sample), holding history
  // from 2022 (stand-in commits): the target of runwayml's redirect.
  const sd = sampleBody('model-info-expand-redirect-target-stable-diffusion-v1-5.json');
  const sdCommits = [
    commit(
      sd.sha as string,
      'Stand-in title for the head of main',
      sd.lastModified as string,
      'stable-diffusion-v1-5',
    ),
    ...standInCommits('runwayml/stable-diffusion-v1-5', 4, new Date('2022-10-19T00:00:00Z'), 30),
  ];
  add({
    kind: 'model',
    fields: repoFields(sd),
    commits: sdCommits,
    snapshots: {
      [sdCommits[4]!.id]: {
        files: [
          git('model_index.json', 541),
          lfs('v1-5-pruned-emaonly.safetensors', 4_265_146_304),
          lfs('v1-5-pruned-emaonly.ckpt', 4_265_380_512),
          lfs('unet/diffusion_pytorch_model.safetensors', 3_438_167_536),
          lfs('unet/diffusion_pytorch_model.bin', 3_438_354_725),
        ],
        cardData: { license: 'creativeml-openrail-m' },
      },
    },
  });

  // mcpotato/42-eicar-street: the recorded securityRepoStatus with four flagged files.
  const eicar = fixture<{
    cases: { body_excerpt?: { securityRepoStatus: StandInRepo['security'] } }[];
  }>('model-info-security-status.json').cases;
  const eicarCommits = standInCommits(
    'mcpotato/42-eicar-street',
    1,
    new Date('2024-03-01T00:00:00Z'),
    1,
  );
  add({
    kind: 'model',
    fields: {
      _id: sha1('mcpotato/42-eicar-street').slice(0, 24),
      id: 'mcpotato/42-eicar-street',
      author: 'mcpotato',
      private: false,
      gated: false,
      disabled: false,
      createdAt: '2024-02-29T00:00:00.000Z',
      tags: ['region:us'],
    },
    commits: eicarCommits,
    snapshots: {
      [eicarCommits[0]!.id]: {
        files: [
          'model_broken_X.pkl',
          'danger.dat',
          'build_pickles.py',
          'eicar_test_file',
          'README.md',
        ].map((p) => git(p, 100)),
        cardData: null,
      },
    },
    security: eicar[0]!.body_excerpt!.securityRepoStatus,
    fileStatus: {
      // Stand-in: the samples hold no flagged per-file status; the keys are the recorded ones.
      'model_broken_X.pkl': {
        status: 'unsafe',
        avScan: { status: 'safe', message: 'No security issues detected' },
        pickleImportScan: {
          status: 'unsafe',
          pickleImports: [
            { module: 'builtins', name: 'exec', safety: 'dangerous' },
            { module: 'collections', name: 'OrderedDict', safety: 'innocuous' },
          ],
          version: '0.0.32',
        },
        protectAiScan: {
          status: 'unsafe',
          message: 'This file is vulnerable to arbitrary code execution.',
        },
      },
    },
  });

  // openai/whisper-tiny: scansDone false although nothing is flagged (recorded).
  const whisperCommits = standInCommits(
    'openai/whisper-tiny',
    1,
    new Date('2024-02-29T00:00:00Z'),
    1,
  );
  add({
    kind: 'model',
    fields: {
      _id: sha1('openai/whisper-tiny').slice(0, 24),
      id: 'openai/whisper-tiny',
      author: 'openai',
      private: false,
      gated: false,
      disabled: false,
      createdAt: '2022-09-26T06:50:30.000Z',
      tags: ['license:apache-2.0'],
    },
    commits: whisperCommits,
    snapshots: {
      [whisperCommits[0]!.id]: {
        files: [lfs('model.safetensors', 151_061_672), lfs('pytorch_model.bin', 151_098_921)],
        cardData: { license: 'apache-2.0' },
      },
    },
    security: eicar[1]!.body_excerpt!.securityRepoStatus,
  });

  // acme-labs/*: stand-in scenarios (licence change, lineage with a cycle, a private repo).
  const relicensed = standInCommits(
    'acme-labs/relicensed',
    3,
    new Date('2025-06-01T00:00:00Z'),
    60,
  );
  add(
    acme('relicensed', relicensed, {
      [relicensed[2]!.id]: {
        files: [lfs('model.safetensors', 1000)],
        cardData: { license: 'apache-2.0' },
      },
      [relicensed[0]!.id]: {
        files: [lfs('model.safetensors', 1000)],
        cardData: { license: 'other', license_name: 'acme-research-only', license_link: 'LICENSE' },
      },
    }),
  );
  const ft = standInCommits('acme-labs/chat-ft', 1, new Date('2025-03-01T00:00:00Z'), 1);
  add(
    acme('chat-ft', ft, {
      [ft[0]!.id]: {
        files: [lfs('model.safetensors', 1000)],
        cardData: {
          license: 'apache-2.0',
          base_model: 'acme-labs/base-merge',
          base_model_relation: 'finetune',
        },
      },
    }),
  );
  const merge = standInCommits('acme-labs/base-merge', 1, new Date('2025-02-01T00:00:00Z'), 1);
  add(
    acme('base-merge', merge, {
      [merge[0]!.id]: {
        files: [lfs('model.safetensors', 1000)],
        cardData: {
          license: 'mit',
          base_model: ['openai-community/gpt2', 'acme-labs/chat-ft'],
          base_model_relation: 'merge',
        },
      },
    }),
  );
  const priv = standInCommits('acme-labs/private-model', 1, new Date('2025-01-01T00:00:00Z'), 1);
  const privateRepo = acme('private-model', priv, { [priv[0]!.id]: { files: [], cardData: null } });
  add({ ...privateRepo, fields: { ...privateRepo.fields, private: true }, private: true });

  // wzshiming/gpt2: a duplicate with a single commit and no Link header (recorded).
  const wz = sampleBody(
    'commits-single-commit-no-link-wzshiming-gpt2.json',
  ) as unknown as WireCommit[];
  add({
    kind: 'model',
    fields: {
      _id: sha1('wzshiming/gpt2').slice(0, 24),
      id: 'wzshiming/gpt2',
      author: 'wzshiming',
      private: false,
      gated: false,
      disabled: false,
      createdAt: '2026-09-22T17:25:09.000Z',
      tags: ['license:mit'],
    },
    commits: wz,
    snapshots: { [wz[0]!.id]: { files: gpt2Siblings, cardData: gpt2Card } },
  });

  // Datasets: squad (licence in the card, legacy id `squad`), BiasShades (gated auto, no
  // licence), laion/laion-art (disabled: 403).
  const squad = sampleBody('dataset-info-squad-trimmed.json');
  const squadCommits = [
    commit(squad.sha as string, 'Stand-in title', squad.lastModified as string, 'rajpurkar'),
  ];
  add({
    kind: 'dataset',
    fields: { ...repoFields(squad), private: false, gated: false, disabled: false },
    commits: squadCommits,
    snapshots: {
      [squadCommits[0]!.id]: {
        files: [
          git('.gitattributes', 2400),
          git('README.md', 7720),
          lfs('plain_text/train-00000-of-00001.parquet', 14_458_314),
          lfs('plain_text/validation-00000-of-00001.parquet', 1_819_667),
          lfs('plain_text/test-00000-of-00001.parquet', 1_000_000),
        ],
        cardData: squad.cardData as Record<string, unknown>,
      },
    },
  });
  // acme-labs/checkpoints: a stand-in dataset holding checkpoints in a folder (tree paging).
  const ckpt = standInCommits('acme-labs/checkpoints', 2, new Date('2025-04-01T00:00:00Z'), 10);
  add({
    ...acme('checkpoints', ckpt, {
      [ckpt[1]!.id]: {
        files: [
          git('README.md', 120),
          lfs('ckpt/epoch-1.pt', 2_000_001),
          lfs('ckpt/epoch-2.pt', 2_000_002),
          lfs('ckpt/final.safetensors', 1_999_000),
        ],
        cardData: { license: 'cc-by-4.0' },
      },
    }),
    kind: 'dataset',
  });
  const bias = sampleBody('dataset-info-biasshades-gated-auto.json');
  const biasCommits = [
    commit(bias.sha as string, 'Stand-in title', bias.lastModified as string, 'LanguageShades'),
  ];
  add({
    kind: 'dataset',
    fields: repoFields(bias),
    commits: biasCommits,
    snapshots: {
      [biasCommits[0]!.id]: {
        files: (bias.siblings as { rfilename: string }[]).map((s) => git(s.rfilename, 1000)),
        cardData: bias.cardData as Record<string, unknown>,
      },
    },
  });
  add({
    kind: 'dataset',
    fields: {
      id: 'laion/laion-art',
      author: 'laion',
      gated: false,
      disabled: true,
      private: false,
    },
    commits: standInCommits('laion/laion-art', 1, new Date('2023-01-01T00:00:00Z'), 1),
    snapshots: {},
    disabledDataset: true,
  });

  const redirects = new Map<string, string>();
  for (const c of fixture<{
    cases: { request: string; status: number; headers: { location: string } }[];
  }>('redirects-307.json').cases) {
    const from = /^GET \/api\/models\/([^?]+?)(?:\/commits\/.*)?(?:\?.*)?$/.exec(c.request)?.[1];
    const to = /^\/api\/models\/([^?]+?)(?:\/commits\/.*)?(?:\?.*)?$/.exec(c.headers.location)?.[1];
    // Case mismatches are served by the generic case-insensitive rule in the stand-in.
    if (from && to && from.toLowerCase() !== to.toLowerCase()) redirects.set(`models/${from}`, to);
  }
  redirects.set('datasets/squad', 'rajpurkar/squad');

  return {
    repos,
    redirects,
    tokens: new Map([
      ['hf_granted', new Set(['models/meta-llama/Llama-3.1-8B', 'models/acme-labs/private-model'])],
      ['hf_nogrant', new Set<string>()],
    ]),
    treePageSize: 1000,
  };
}

function commit(id: string, title: string, date: string, user: string): WireCommit {
  return { id, title, message: '', authors: [{ user }], date };
}

function acme(
  name: string,
  commits: WireCommit[],
  snapshots: Record<string, Snapshot>,
): StandInRepo {
  const id = `acme-labs/${name}`;
  return {
    kind: 'model',
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
    snapshots,
  };
}
