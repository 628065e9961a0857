import { createRevisionDrift } from '../../src/checks/revision-drift.js';
import { licenseChanged } from '../../src/checks/license-changed.js';
import { namespaceReuseSuspect } from '../../src/checks/namespace-reuse-suspect.js';
import { revisionDrift } from '../../src/checks/revision-drift.js';
import { revisionNotFound } from '../../src/checks/revision-not-found.js';
import { shardIndexInconsistent } from '../../src/checks/shard-index-inconsistent.js';
import type { Check, Upstreams } from '../../src/checks/types.js';
import { unpinnedRevision } from '../../src/checks/unpinned-revision.js';
import { unsafeWeightsFormat } from '../../src/checks/unsafe-weights-format.js';
import { upstreamDisabled } from '../../src/checks/upstream-disabled.js';
import { upstreamGated } from '../../src/checks/upstream-gated.js';
import { upstreamNotFound } from '../../src/checks/upstream-not-found.js';
import { upstreamRenamed } from '../../src/checks/upstream-renamed.js';
import { upstreamSecurityScan } from '../../src/checks/upstream-security-scan.js';
import { upstreamUnverified } from '../../src/checks/upstream-unverified.js';
import { weightsHashMismatch } from '../../src/checks/weights-hash-mismatch.js';
import { runChecks } from '../../src/scan.js';
import type { Finding, Reference, WeightsFile } from '../../src/types.js';
import { enrich, extracted, hubRef } from '../registries/huggingface/helpers.js';
import { startHub, type StandInHub } from '../registries/huggingface/stand-in.js';
import { sha1 } from '../registries/huggingface/world.js';
import { context } from './context.js';
import { parsePolicy } from '../../src/policy/schema.js';

const GPT2_HEAD = '607a30d783dfa663caf39e06633721c8d4cfcd7e';
const BERT_HEAD = '86b5e0934494bd15c9632b12f734a8a67f723594';
const BERT_PIN = 'dd4bc8b21efa05ec961e3efc4ee5e3832a3679c7';
const LLAMA = 'meta-llama/Llama-3.1-8B';
const SD = 'stable-diffusion-v1-5/stable-diffusion-v1-5';

let hub: StandInHub;
beforeAll(async () => {
  hub = await startHub();
});
afterAll(async () => {
  await hub.close();
});

/** Enrich against the stand-in, then run the given checks on the same extraction. */
async function check(
  checks: Check[],
  references: Reference[],
  weights: WeightsFile[] = [],
  hfToken?: string,
): Promise<Finding[]> {
  const ex = extracted(references, weights);
  const r = await enrich(hub.url, ex, hfToken ? { hfToken } : {});
  const upstreams: Upstreams = r.hub ? { huggingface: r.hub } : {};
  return runChecks(context({ ...ex, upstreams }), checks);
}

const at = (line: number, extra: Partial<Reference> = {}) => ({ line, ...extra });

describe('unpinned-revision, online', () => {
  it('names the commit the reference resolves to and offers it as a fix', async () => {
    const span = { file: 'train.py', line: 3, column: 50, endColumn: 54, text: 'main' };
    const findings = await check(
      [unpinnedRevision],
      [
        hubRef('openai-community/gpt2', 'main', at(3, { revisionSpan: span })),
        hubRef('google-bert/bert-base-uncased', null, at(7)),
      ],
    );
    expect(findings).toEqual([
      {
        rule: 'unpinned-revision',
        severity: 'medium',
        message: `Model openai-community/gpt2 follows "main", which can move; it resolves to ${GPT2_HEAD} now.`,
        remediation: `Pin the commit you reviewed: revision="${GPT2_HEAD}" is what it loads today.`,
        file: 'train.py',
        line: 3,
        column: 1,
        id: 'openai-community/gpt2',
        ecosystem: 'huggingface',
        kind: 'model',
        details: { revision: 'main', via: 'from_pretrained', resolvedSha: GPT2_HEAD },
        fix: {
          description: 'Pin openai-community/gpt2 to 607a30d783df, the commit "main" points at now',
          span,
          replacement: GPT2_HEAD,
        },
      },
      {
        rule: 'unpinned-revision',
        severity: 'medium',
        message: `Model google-bert/bert-base-uncased has no revision; it resolves to ${BERT_HEAD} now.`,
        remediation: `Pin the commit you reviewed: revision="${BERT_HEAD}" is what it loads today.`,
        file: 'train.py',
        line: 7,
        column: 1,
        id: 'google-bert/bert-base-uncased',
        ecosystem: 'huggingface',
        kind: 'model',
        details: { revision: null, via: 'from_pretrained', resolvedSha: BERT_HEAD },
      },
    ]);
  });
});

describe('revision-drift', () => {
  it('reports a pin behind main with the distance, titles, links and a fix', async () => {
    const span = { file: 'train.py', line: 2, column: 60, endColumn: 100, text: BERT_PIN };
    const [f] = await check(
      [revisionDrift],
      [hubRef('google-bert/bert-base-uncased', BERT_PIN, at(2, { revisionSpan: span }))],
    );
    expect(f).toEqual({
      rule: 'revision-drift',
      severity: 'high',
      message:
        'Model google-bert/bert-base-uncased is pinned to dd4bc8b21efa, 1 commit (1609 days) behind main (86b5e0934494); newest: "Stand-in title for the head of main".',
      remediation: `Review the upstream commits since dd4bc8b21efa, then move the pin to ${BERT_HEAD}.`,
      file: 'train.py',
      line: 2,
      column: 1,
      id: 'google-bert/bert-base-uncased',
      ecosystem: 'huggingface',
      kind: 'model',
      fix: {
        description:
          'Move the pin to the head of main (86b5e0934494) after reviewing the commits in between',
        span,
        replacement: BERT_HEAD,
      },
      links: [
        { title: 'Upstream history', url: `${hub.url}/google-bert/bert-base-uncased/commits/main` },
        {
          title: 'Diff from the pin to main',
          url: `${hub.url}/api/models/google-bert/bert-base-uncased/compare/${BERT_PIN}..${BERT_HEAD}`,
        },
      ],
      details: {
        pinSha: BERT_PIN,
        headSha: BERT_HEAD,
        behind: 1,
        daysBehind: 1609,
        pinDate: '2019-09-23T19:48:44.000Z',
        headDate: '2024-02-19T11:06:12.000Z',
        newest: [
          {
            sha: BERT_HEAD,
            title: 'Stand-in title for the head of main',
            date: '2024-02-19T11:06:12.000Z',
            authors: ['lysandre'],
          },
        ],
      },
    });
  });

  it('counts a pin older than the newest page and names three titles', async () => {
    const old = sha1('openai-community/gpt2:16');
    const [f] = await check([revisionDrift], [hubRef('openai-community/gpt2', old, at(1))]);
    expect(f?.message).toBe(
      'Model openai-community/gpt2 is pinned to 434728559fbc, 22 commits (618 days) behind main (607a30d783df); newest: "Adds the tokenizer configuration file (#80)", "Adding ONNX file of this model (#60)", "Update generation_config.json", ….',
    );
    expect(f?.fix).toBeUndefined(); // no revisionSpan: nothing to replace
  });

  it('grows with the distance by configurable thresholds, and is silent at the head', async () => {
    const pin = sha1(`${LLAMA}:1`);
    const refs = [hubRef(LLAMA, pin, at(1)), hubRef('openai-community/gpt2', GPT2_HEAD, at(2))];
    const low = await check([revisionDrift], refs, [], 'hf_granted');
    expect(low.map((f) => [f.id, f.severity, f.details?.behind, f.details?.daysBehind])).toEqual([
      [LLAMA, 'low', 2, 87],
    ]);
    const strict = createRevisionDrift({
      medium: { commits: 2, days: 10_000 },
      high: { commits: 100, days: 100_000 },
    });
    const medium = await check([strict], refs, [], 'hf_granted');
    expect(medium.map((f) => f.severity)).toEqual(['medium']);
  });
});

describe('revision-drift thresholds from the policy file', () => {
  it('reads rules: thresholds, and upstreams: entries override them for matching ids', async () => {
    const pin = sha1(`${LLAMA}:1`);
    const ex = extracted([hubRef(LLAMA, pin, at(1))], []);
    const r = await enrich(hub.url, ex, { hfToken: 'hf_granted' });
    const run = (yaml: string) =>
      runChecks(
        context({ ...ex, upstreams: { huggingface: r.hub! }, policy: parsePolicy(yaml, 'p.yml') }),
        [revisionDrift],
      ).map((f) => f.severity);
    expect(run('version: 1\n')).toEqual(['low']);
    expect(run('rules:\n  revision-drift:\n    thresholds:\n      medium-commits: 2\n')).toEqual([
      'medium',
    ]);
    expect(
      run(
        [
          'rules:',
          '  revision-drift:',
          '    thresholds: { medium-commits: 2 }',
          'upstreams:',
          '  - match: meta-llama/*',
          '    rules:',
          '      revision-drift:',
          '        thresholds: { high-commits: 2 }',
        ].join('\n'),
      ),
    ).toEqual(['high']);
  });
});

describe('upstream existence rules', () => {
  it('upstream-not-found: definitive with a token, "or private" without', async () => {
    const ref = hubRef('openai-community/no-such-model', null, at(4));
    const anonymous = await check([upstreamNotFound], [ref]);
    expect(anonymous.map((f) => [f.severity, f.message, f.remediation])).toEqual([
      [
        'medium',
        'Model openai-community/no-such-model was not found on the Hub, or it is private: without a token the Hub answers both the same way.',
        'Check the id; if the repository is private, set HF_TOKEN (the hf-token input) so it can be verified.',
      ],
    ]);
    const signed = await check([upstreamNotFound], [ref], [], 'hf_nogrant');
    expect(signed.map((f) => [f.severity, f.message])).toEqual([
      [
        'high',
        'Model openai-community/no-such-model does not exist on the Hub (404 RepoNotFound).',
      ],
    ]);
  });

  it('revision-not-found: a vanished commit is high', async () => {
    const gone = 'c0ffee0000000000000000000000000000000000';
    const findings = await check(
      [revisionNotFound],
      [hubRef('openai-community/gpt2', gone, at(5))],
    );
    expect(findings.map((f) => [f.severity, f.message, f.details])).toEqual([
      [
        'high',
        `Model openai-community/gpt2 has no commit ${gone}: its history was rewritten, or the repository was deleted and recreated.`,
        {
          revision: gone,
          reason: `404 RevisionNotFound: Invalid rev id: ${gone}`,
          headSha: GPT2_HEAD,
          createdAt: '2022-03-02T23:29:04.000Z',
        },
      ],
    ]);
  });

  it('upstream-disabled: a disabled model and a disabled dataset', async () => {
    const findings = await check(
      [upstreamDisabled],
      [
        hubRef('ykilcher/gpt-4chan', null, at(1)),
        hubRef('laion/laion-art', null, at(2, { kind: 'dataset', via: 'load_dataset' })),
      ],
    );
    expect(findings.map((f) => [f.severity, f.message])).toEqual([
      ['high', 'Model ykilcher/gpt-4chan is disabled on the Hub (the Hub marks it disabled).'],
      [
        'high',
        'Dataset laion/laion-art is disabled on the Hub (Access to this resource is disabled.).',
      ],
    ]);
  });

  it('upstream-gated: info without a token, silent with a granted one', async () => {
    const pin = sha1(`${LLAMA}:1`);
    const refs = [hubRef(LLAMA, null, at(1)), hubRef(LLAMA, pin, at(2))];
    const anonymous = await check([upstreamGated], refs);
    expect(anonymous.map((f) => [f.line, f.severity, f.message])).toEqual([
      [
        1,
        'info',
        'Model meta-llama/Llama-3.1-8B is gated (manual approval): downloading it needs a token with access, and its licence terms apply.',
      ],
      [
        2,
        'info',
        'Model meta-llama/Llama-3.1-8B is gated (manual approval) and no token was given, so its commit history could not be verified.',
      ],
    ]);
    const denied = await check([upstreamGated], refs, [], 'hf_nogrant');
    expect(denied.map((f) => [f.line, f.message])).toEqual([
      [
        2,
        'Model meta-llama/Llama-3.1-8B is gated (manual approval) and the token has no access, so its commit history could not be verified.',
      ],
    ]);
    expect(await check([upstreamGated], refs, [], 'hf_granted')).toEqual([]);
  });
});

describe('renames and namespace reuse', () => {
  const old = sha1('runwayml/stable-diffusion-v1-5:2');
  const refs = [
    hubRef('runwayml/stable-diffusion-v1-5', old, at(1)),
    hubRef('runwayml/stable-diffusion-v1-5', null, at(2)),
    hubRef('meta-llama/Meta-Llama-3.1-8B', null, at(3)),
    hubRef('gpt2', null, at(4)),
    hubRef('OpenAI-Community/GPT2', null, at(5)),
    hubRef('openai-community/gpt2', null, at(6)),
    // Created 2022-03-02 like every repo older than the Hub's migration; its 2019 pin is fine.
    hubRef('google-bert/bert-base-uncased', BERT_PIN, at(7)),
  ];

  it('upstream-renamed: a move is medium, a legacy id or a case difference low', async () => {
    const findings = await check([upstreamRenamed], refs);
    expect(findings.map((f) => [f.line, f.severity, f.message])).toEqual([
      [
        1,
        'medium',
        `Model runwayml/stable-diffusion-v1-5 was renamed or moved; the Hub now redirects it to ${SD}.`,
      ],
      [
        2,
        'medium',
        `Model runwayml/stable-diffusion-v1-5 was renamed or moved; the Hub now redirects it to ${SD}.`,
      ],
      [
        3,
        'medium',
        'Model meta-llama/Meta-Llama-3.1-8B was renamed or moved; the Hub now redirects it to meta-llama/Llama-3.1-8B.',
      ],
      [4, 'low', 'Model gpt2 is a legacy id for openai-community/gpt2.'],
      [
        5,
        'low',
        'Model OpenAI-Community/GPT2 differs only in letter case from openai-community/gpt2.',
      ],
    ]);
    expect(findings[0]?.details).toEqual({
      requested: 'runwayml/stable-diffusion-v1-5',
      canonical: SD,
      redirects: [`/api/models/${SD}/revision/main`],
      objectId: '66d19580e2632490a6bc5829',
      createdAt: '2024-08-30T09:48:48.000Z',
    });
  });

  it('namespace-reuse-suspect: a repo younger than its pinned commit, an id now owned by another', async () => {
    const findings = await check([namespaceReuseSuspect], refs);
    expect(findings.map((f) => [f.line, f.severity, f.message])).toEqual([
      [
        1,
        'high',
        `Model ${SD} was created on 2024-08-30, after its pinned commit ${old.slice(0, 12)} (2022-08-20): the name may have been deleted and registered again with copied history. runwayml/stable-diffusion-v1-5 now redirects to another owner (${SD}); whoever registers "runwayml" next takes over this reference.`,
      ],
      [
        2,
        'medium',
        `runwayml/stable-diffusion-v1-5 now redirects to another owner (${SD}); whoever registers "runwayml" next takes over this reference.`,
      ],
    ]);
  });
});

describe('license-changed', () => {
  it('compares the licence at the pin with main', async () => {
    const pin = sha1('acme-labs/relicensed:2');
    const head = sha1('acme-labs/relicensed:0');
    const findings = await check(
      [licenseChanged],
      [hubRef('acme-labs/relicensed', pin, at(1)), hubRef('acme-labs/relicensed', head, at(2))],
    );
    expect(findings.map((f) => [f.line, f.severity, f.message, f.details])).toEqual([
      [
        1,
        'medium',
        `Licence of model acme-labs/relicensed changed upstream: apache-2.0 at the pinned commit ${pin.slice(0, 12)}, other (acme-research-only) on main (${head.slice(0, 12)}).`,
        {
          pinned: { ids: ['apache-2.0'] },
          head: { ids: ['other'], name: 'acme-research-only', link: 'LICENSE' },
          pinSha: pin,
          headSha: head,
        },
      ],
    ]);
  });
});

describe('upstream-security-scan', () => {
  it("reports the Hub's flagged files with the pickle imports, and pending scans as info", async () => {
    const findings = await check(
      [upstreamSecurityScan],
      [
        hubRef('mcpotato/42-eicar-street', null, at(1)),
        hubRef('openai/whisper-tiny', null, at(2)),
        hubRef('openai-community/gpt2', null, at(3)),
      ],
    );
    expect(findings.map((f) => [f.line, f.severity, f.message])).toEqual([
      [
        1,
        'high',
        'Hub security scans flag 4 files in mcpotato/42-eicar-street: model_broken_X.pkl (unsafe: imports builtins.exec; This file is vulnerable to arbitrary code execution.); danger.dat (unsafe); build_pickles.py (caution); and 1 more.',
      ],
      [
        2,
        'info',
        'Hub security scans of model openai/whisper-tiny are pending (not finished); nothing is flagged so far.',
      ],
    ]);
    expect(findings[0]?.links).toEqual([
      { title: 'Hub repository', url: `${hub.url}/mcpotato/42-eicar-street` },
    ]);
  });
});

describe('unsafe-weights-format, online', () => {
  it('reads the upstream file list when the repository holds no manifest', async () => {
    const old = sha1('openai-community/gpt2:16');
    const findings = await check(
      [unsafeWeightsFormat],
      [
        hubRef('openai-community/gpt2', old, at(1)),
        hubRef('openai-community/gpt2', null, at(2)),
        hubRef('openai-community/gpt2', old, at(3, { extractor: 'model-card', via: 'base_model' })),
      ],
    );
    expect(findings.map((f) => [f.line, f.severity, f.message, f.details])).toEqual([
      [
        1,
        'medium',
        `Model openai-community/gpt2 at ${old.slice(0, 12)} ships only pickle-based weights (pytorch_model.bin); loading it unpickles them, which can run arbitrary code.`,
        { files: ['pytorch_model.bin'], origin: 'upstream', revision: old, safetensorsTwin: false },
      ],
    ]);
  });

  it('counts an upstream safetensors file as the twin of a downloaded pickle', async () => {
    const ref = hubRef('openai-community/gpt2', null, at(1, { filename: 'pytorch_model.bin' }));
    const weights: WeightsFile = {
      file: 'train.py',
      line: 1,
      column: 40,
      name: 'pytorch_model.bin',
      format: 'pickle',
      origin: 'source',
      upstream: { id: 'openai-community/gpt2', revision: null, kind: 'model' },
    };
    const findings = await check([unsafeWeightsFormat], [ref], [weights]);
    expect(findings.map((f) => [f.severity, f.message])).toEqual([
      [
        'high',
        'Declares pickle-based weights pytorch_model.bin from openai-community/gpt2; loading a pickle can run arbitrary code. A safetensors version exists.',
      ],
    ]);
  });
});

describe('weights-hash-mismatch and shard-index-inconsistent', () => {
  const pointer = (file: string, sha256: string, size: number): WeightsFile => ({
    file,
    line: 1,
    column: 1,
    name: file,
    format: 'pickle',
    origin: 'lfs-pointer',
    sha256,
    size,
  });
  const BERT_BIN = '097417381d6c7230bd9e3557456d726de6e83245ec8b24f529f60198a67b203a';

  it('compares a pointer in a folder named after a repo with that repo', async () => {
    const tampered = 'e'.repeat(64);
    const refs = [hubRef('google-bert/bert-base-uncased', BERT_PIN, at(1))];
    const findings = await check([weightsHashMismatch], refs, [
      pointer('models/bert-base-uncased/pytorch_model.bin', tampered, 440473133),
      pointer('vendor/google-bert/bert-base-uncased/pytorch_model.bin', BERT_BIN, 440473133),
    ]);
    expect(findings.map((f) => [f.file, f.severity, f.message, f.details])).toEqual([
      [
        'models/bert-base-uncased/pytorch_model.bin',
        'high',
        'LFS pointer models/bert-base-uncased/pytorch_model.bin does not match pytorch_model.bin in google-bert/bert-base-uncased@dd4bc8b21efa: sha256 eeeeeeeeeeee… locally, 097417381d6c… upstream.',
        {
          local: {
            name: 'models/bert-base-uncased/pytorch_model.bin',
            sha256: tampered,
            md5: null,
            size: 440473133,
          },
          upstream: { path: 'pytorch_model.bin', sha256: BERT_BIN, size: 440473133 },
          revision: BERT_PIN,
          link: 'folder',
        },
      ],
    ]);
    // Against main (no pin names the repo), a difference may only mean an older copy: medium.
    const loose = await check(
      [weightsHashMismatch],
      [hubRef('google-bert/bert-base-uncased', null, at(1))],
      [pointer('models/bert-base-uncased/pytorch_model.bin', tampered, 440473133)],
    );
    expect(loose.map((f) => f.severity)).toEqual(['medium']);
  });

  it('compares a DVC import from a dataset by size, listing its folder', async () => {
    hub.world.treePageSize = 2;
    const ref = hubRef('acme-labs/checkpoints', null, {
      kind: 'dataset',
      file: 'dvc.lock',
      line: 4,
      extractor: 'dvc',
      via: 'repo.url',
      filename: 'ckpt/epoch-2.pt',
    });
    const weights: WeightsFile = {
      file: 'dvc.lock',
      line: 9,
      column: 11,
      name: 'models/epoch-2.pt',
      format: 'pickle',
      origin: 'dvc',
      md5: 'f'.repeat(32),
      size: 2_000_000,
      upstream: { id: 'acme-labs/checkpoints', revision: null, kind: 'dataset' },
    };
    const findings = await check([weightsHashMismatch], [ref], [weights]);
    expect(findings.map((f) => [f.line, f.severity, f.message])).toEqual([
      [
        9,
        'high',
        `DVC entry models/epoch-2.pt does not match ckpt/epoch-2.pt in acme-labs/checkpoints@${sha1('acme-labs/checkpoints:0').slice(0, 12)}: 2000000 bytes locally, 2000002 bytes upstream.`,
      ],
    ]);
  });

  it('finds shards an index names that the linked repo lacks, and mixed formats', async () => {
    const shard = (name: string, line: number, index: string): WeightsFile => ({
      file: index,
      line,
      column: 20,
      name,
      format: name.endsWith('.safetensors') ? 'safetensors' : 'pickle',
      origin: 'weights-index',
      index,
    });
    const llamaIndex = 'checkpoints/Llama-3.1-8B/model.safetensors.index.json';
    const mixedIndex = 'local/mixed/pytorch_model.bin.index.json';
    const findings = await check(
      [shardIndexInconsistent],
      [hubRef(LLAMA, null, at(1))],
      [
        ...[1, 2, 3, 4, 5].map((i) =>
          shard(`model-0000${i}-of-00004.safetensors`, i + 2, llamaIndex),
        ),
        shard('pytorch_model-00001-of-00002.bin', 3, mixedIndex),
        shard('model-00002-of-00002.safetensors', 4, mixedIndex),
      ],
    );
    expect(findings.map((f) => [f.file, f.severity, f.message])).toEqual([
      [
        llamaIndex,
        'medium',
        `Shard index ${llamaIndex} names 1 shard that ${LLAMA}@d04e592bb4f6 does not have: model-00005-of-00004.safetensors.`,
      ],
      [
        mixedIndex,
        'medium',
        `Shard index ${mixedIndex} mixes 1 pickle shard (pytorch_model-00001-of-00002.bin) with 1 safetensors shard (model-00002-of-00002.safetensors); the pickle shards still run code on load.`,
      ],
    ]);
  });
});

describe('upstream-unverified', () => {
  it('merges what two registries could not check about one package into one finding', () => {
    const torch = {
      ...hubRef('torch', '==2.3.1'),
      kind: 'package' as const,
      ecosystem: 'pypi' as const,
      file: 'requirements.txt',
      line: 2,
    };
    const upstreams = {
      pypi: {
        packages: {},
        unverified: [{ ecosystem: 'pypi' as const, id: 'torch', reason: 'PyPI answered 503.' }],
      },
      osv: {
        unverified: [
          {
            ecosystem: 'pypi' as const,
            id: 'torch',
            revision: '==2.3.1',
            reason: 'vulnerabilities of torch 2.3.1 not checked: OSV answered HTTP 400',
          },
        ],
      },
    } as unknown as Upstreams;
    const findings = upstreamUnverified.run(context({ references: [torch], upstreams }));
    expect(findings.map((f) => f.message)).toEqual([
      'Could not verify package torch@==2.3.1 on PyPI: PyPI answered 503; vulnerabilities of torch 2.3.1 not checked: OSV answered HTTP 400.',
    ]);
  });

  it('reports every registry’s unverified upstreams once, at the first reference', () => {
    const refs: Reference[] = [
      hubRef('openai-community/gpt2', null, { file: 'a.py', line: 3 }),
      hubRef('openai-community/gpt2', null, { file: 'b.py', line: 8 }),
      hubRef('openai-community/gpt2', 'main', { file: 'c.py', line: 1 }),
      {
        ...hubRef('torch', '==2.3.1'),
        kind: 'package',
        ecosystem: 'pypi',
        file: 'requirements.txt',
        line: 2,
      },
    ];
    const upstreams = {
      huggingface: {
        endpoint: 'https://huggingface.co',
        authenticated: false,
        upstreams: {},
        requests: 1,
        unverified: [
          {
            ecosystem: 'huggingface' as const,
            kind: 'model' as const,
            id: 'openai-community/gpt2',
            revision: null,
            reason: 'timed out after 15000 ms',
          },
        ],
      },
      pypi: {
        packages: {},
        unverified: [{ ecosystem: 'pypi' as const, id: 'torch', reason: 'PyPI answered 503.' }],
      },
    } as unknown as Upstreams;
    const findings = upstreamUnverified.run(context({ references: refs, upstreams }));
    expect(findings.map((f) => [f.file, f.line, f.severity, f.message, f.details])).toEqual([
      [
        'a.py',
        3,
        'info',
        'Could not verify model openai-community/gpt2 on the Hugging Face Hub: timed out after 15000 ms. Also referenced in 1 other place.',
        { reason: 'timed out after 15000 ms', references: ['a.py:3:1', 'b.py:8:1'] },
      ],
      [
        'requirements.txt',
        2,
        'info',
        'Could not verify package torch on PyPI: PyPI answered 503.',
        { reason: 'PyPI answered 503.', references: ['requirements.txt:2:1'] },
      ],
    ]);
  });
});
