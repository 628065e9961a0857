import { exceptionExpired } from '../../src/checks/exception-expired.js';
import { licenseLineage } from '../../src/checks/license-lineage.js';
import { licensePolicy } from '../../src/checks/license-policy.js';
import { typosquatSuspect } from '../../src/checks/typosquat-suspect.js';
import { untrustedPublisher } from '../../src/checks/untrusted-publisher.js';
import { parsePolicy } from '../../src/policy/schema.js';
import { hubKey } from '../../src/registries/huggingface/key.js';
import type {
  HubLicense,
  HubLineageLink,
  HubUpstream,
  HubUpstreams,
} from '../../src/registries/huggingface/types.js';
import type { Fact, Reference } from '../../src/types.js';
import { context, ref } from './context.js';

const POLICY_FILE = '.github/llm-supply-chain.yml';
const policy = (text: string) => parsePolicy(text, POLICY_FILE);

const license = (ids: string[], name?: string): HubLicense => ({
  ids,
  ...(name ? { name } : {}),
});

/** The Hub registry's answer for one reference: found, at a licence, with a lineage. */
function upstream(
  r: Reference,
  lic: HubLicense | null,
  lineage: HubLineageLink[] = [],
): [string, HubUpstream] {
  const kind = r.kind === 'dataset' ? 'dataset' : 'model';
  const at = {
    requested: r.revision ?? 'main',
    sha: 'd04e592bb4f6aa9cfee91e2e20afa771667e1d4b',
    date: '2024-10-16T22:00:37.000Z',
    license: lic,
    baseModels: lineage.filter((l) => l.depth === 1).map((l) => l.id),
    baseModelRelation: null,
    files: null,
  };
  return [
    hubKey(kind, r.id, r.revision),
    {
      kind,
      id: r.id,
      revision: r.revision,
      state: 'ok',
      repo: {
        kind,
        requestedId: r.id,
        id: r.id,
        objectId: '66944f1fe0c5c2e493a804f5',
        author: r.id.split('/')[0] ?? null,
        createdAt: '2024-07-14T22:20:15.000Z',
        private: false,
        gated: false,
        disabled: false,
        redirects: [],
      },
      at,
      head: at,
      access: 'granted',
      drift: null,
      security: null,
      lineage,
    },
  ];
}

function hub(...entries: [string, HubUpstream][]): { huggingface: HubUpstreams } {
  return {
    huggingface: {
      endpoint: 'https://huggingface.co',
      authenticated: false,
      upstreams: Object.fromEntries(entries),
      unverified: [],
      requests: entries.length,
    } as HubUpstreams,
  };
}

const link = (
  id: string,
  parent: string,
  depth: number,
  lic: HubLicense | null,
  state: HubLineageLink['state'] = 'ok',
): HubLineageLink => ({ id, parent, depth, relation: 'finetune', license: lic, state });

describe('license-policy', () => {
  // Real cardData licences: meta-llama/Llama-3.1-8B (llama3.1), google-bert/bert-base-uncased
  // (apache-2.0), rajpurkar/squad (cc-by-sa-4.0); see test/fixtures/policy/README.md.
  const llama = ref({ id: 'meta-llama/Llama-3.1-8B', line: 3 });
  const bert = ref({ id: 'google-bert/bert-base-uncased', line: 4 });
  const alpaca = ref({ id: 'tatsu-lab/alpaca', kind: 'dataset', line: 5 });
  const squad = ref({ id: 'rajpurkar/squad', kind: 'dataset', line: 6 });
  const anon = ref({ id: 'someone/untitled', line: 7 });
  const upstreams = hub(
    upstream(llama, license(['llama3.1'])),
    upstream(bert, license(['apache-2.0'])),
    upstream(alpaca, license(['cc-by-nc-4.0'])),
    upstream(squad, license(['cc-by-sa-4.0'])),
    upstream(anon, null),
  );
  const references = [llama, bert, alpaca, squad, anon];

  it('checks models and datasets against their own lists', () => {
    const p = policy(
      [
        'licenses:',
        '  deny: [cc-by-nc-*]',
        '  models:',
        '    allow: [Apache-2.0, MIT]',
        '  datasets:',
        '    allow: [cc-by-*]',
      ].join('\n'),
    );
    const findings = licensePolicy.run(context({ references, upstreams, policy: p }));
    expect(findings.map((f) => [f.line, f.severity, f.message, f.details])).toEqual([
      [
        3,
        'medium',
        "Model meta-llama/Llama-3.1-8B is licensed llama3.1, which is not on the policy's allow list for models.",
        {
          license: 'llama3.1',
          expression: 'LicenseRef-hf-llama3.1',
          verdict: 'not-allowed',
        },
      ],
      [
        5,
        'high',
        'Dataset tatsu-lab/alpaca is licensed cc-by-nc-4.0, which the policy denies for datasets (cc-by-nc-*).',
        {
          license: 'cc-by-nc-4.0',
          expression: 'CC-BY-NC-4.0',
          verdict: 'denied',
          deniedBy: ['cc-by-nc-*'],
        },
      ],
      [
        7,
        'medium',
        "Model someone/untitled declares no licence; the policy's allow list for models needs one.",
        { license: 'none', expression: null, verdict: 'not-allowed' },
      ],
    ]);
    expect(findings[0]).toMatchObject({
      rule: 'license-policy',
      id: 'meta-llama/Llama-3.1-8B',
      ecosystem: 'huggingface',
      kind: 'model',
      file: 'train.py',
    });
  });

  it('says nothing without lists, without a policy, or offline', () => {
    expect(licensePolicy.run(context({ references, upstreams }))).toEqual([]);
    expect(
      licensePolicy.run(context({ references, upstreams, policy: policy('require-pinned: true') })),
    ).toEqual([]);
    expect(
      licensePolicy.run(context({ references, policy: policy('licenses: { allow: [MIT] }') })),
    ).toEqual([]);
  });

  it('links the licence text when the upstream names one', () => {
    const qwen = ref({ id: 'Qwen/Qwen2.5-7B-Instruct' });
    const findings = licensePolicy.run(
      context({
        references: [qwen],
        upstreams: hub(
          upstream(qwen, {
            ids: ['other'],
            name: 'qwen',
            link: 'https://huggingface.co/Qwen/Qwen2.5-7B-Instruct/blob/main/LICENSE',
          }),
        ),
        policy: policy('licenses: { allow: [Apache-2.0] }'),
      }),
    );
    expect(findings.map((f) => [f.message, f.links])).toEqual([
      [
        "Model Qwen/Qwen2.5-7B-Instruct is licensed other (qwen), which is not on the policy's allow list for models.",
        [
          {
            title: 'Licence',
            url: 'https://huggingface.co/Qwen/Qwen2.5-7B-Instruct/blob/main/LICENSE',
          },
        ],
      ],
    ]);
  });
});

describe('license-lineage', () => {
  it("compares the repository's own card with its base model's upstream licence", () => {
    const base = ref({
      id: 'meta-llama/Llama-3.1-8B',
      file: 'README.md',
      line: 4,
      column: 13,
      extractor: 'model-card',
      via: 'base_model',
    });
    const fact: Fact = {
      type: 'license',
      license: 'apache-2.0',
      file: 'README.md',
      line: 2,
      column: 10,
    };
    const findings = licenseLineage.run(
      context({
        references: [base],
        facts: [fact],
        upstreams: hub(upstream(base, license(['llama3.1']))),
      }),
    );
    expect(findings).toEqual([
      {
        rule: 'license-lineage',
        severity: 'high',
        message:
          'This model card declares apache-2.0, but its base model meta-llama/Llama-3.1-8B is licensed llama3.1: the derived licence drops its use restrictions and the Llama licence terms.',
        remediation:
          "Check the base model's licence terms: the derivative usually has to keep them. Correct the derived licence, or use a base model whose licence allows it.",
        file: 'README.md',
        line: 2,
        column: 10,
        id: 'meta-llama/Llama-3.1-8B',
        ecosystem: 'huggingface',
        kind: 'model',
        details: {
          license: 'apache-2.0',
          base: 'meta-llama/Llama-3.1-8B',
          baseLicense: 'llama3.1',
          dropped: ['use-restrictions', 'custom:llama'],
        },
      },
    ]);
  });

  it('a card without a licence on a restricted base is worth a look (medium, at base_model)', () => {
    const base = ref({
      id: 'google/gemma-2-9b',
      file: 'model/README.md',
      line: 3,
      extractor: 'model-card',
      via: 'base_model',
    });
    const findings = licenseLineage.run(
      context({ references: [base], upstreams: hub(upstream(base, license(['gemma']))) }),
    );
    expect(findings.map((f) => [f.file, f.line, f.severity, f.message])).toEqual([
      [
        'model/README.md',
        3,
        'medium',
        'This model card declares no licence, but its base model google/gemma-2-9b is licensed gemma: nothing carries over its use restrictions and the Gemma licence terms.',
      ],
    ]);
  });

  it("walks an upstream's lineage, each step against its own base", () => {
    const merged = ref({ id: 'someone/llama-merge', line: 9 });
    const findings = licenseLineage.run(
      context({
        references: [merged],
        upstreams: hub(
          upstream(merged, license(['mit']), [
            link('acme/llama-sft', 'someone/llama-merge', 1, license(['llama3.1'])),
            link('meta-llama/Llama-3.1-8B', 'acme/llama-sft', 2, license(['llama3.1'])),
            link('other/nc-adapter', 'someone/llama-merge', 1, license(['cc-by-nc-4.0'])),
            link('lost/base', 'other/nc-adapter', 2, null, 'not-found'),
          ]),
        ),
      }),
    );
    expect(findings.map((f) => [f.line, f.severity, f.message, f.details?.dropped])).toEqual([
      [
        9,
        'high',
        'Model someone/llama-merge is licensed mit but derives from acme/llama-sft, licensed llama3.1: the derived licence drops its use restrictions and the Llama licence terms.',
        ['use-restrictions', 'custom:llama'],
      ],
      [
        9,
        'high',
        'Model someone/llama-merge is licensed mit but derives from other/nc-adapter, licensed cc-by-nc-4.0: the derived licence drops its non-commercial clause.',
        ['non-commercial'],
      ],
    ]);
  });

  it('reports a deeper step with the path that reaches it', () => {
    const app = ref({ id: 'acme/chat', line: 2 });
    const findings = licenseLineage.run(
      context({
        references: [app],
        upstreams: hub(
          upstream(app, license(['llama3.1']), [
            link('acme/sft', 'acme/chat', 1, license(['apache-2.0'])),
            link('meta-llama/Llama-3.1-8B', 'acme/sft', 2, license(['llama3.1'])),
          ]),
        ),
      }),
    );
    expect(findings.map((f) => [f.message, f.details?.via])).toEqual([
      [
        'In the lineage of acme/chat, acme/sft is licensed apache-2.0 but derives from meta-llama/Llama-3.1-8B, licensed llama3.1: the derived licence drops its use restrictions and the Llama licence terms.',
        ['acme/sft'],
      ],
    ]);
  });

  it('is silent offline and when licences keep their obligations', () => {
    const ft = ref({ id: 'acme/ft' });
    expect(licenseLineage.run(context({ references: [ft] }))).toEqual([]);
    expect(
      licenseLineage.run(
        context({
          references: [ft],
          upstreams: hub(
            upstream(ft, license(['llama3.2']), [
              link('meta-llama/Llama-3.2-1B', 'acme/ft', 1, license(['llama3.2'])),
            ]),
          ),
        }),
      ),
    ).toEqual([]);
  });
});

describe('untrusted-publisher', () => {
  const refs = [
    ref({ id: 'meta-llama/Llama-3.1-8B', line: 1 }),
    ref({ id: 'Acme-Research/chat', line: 2 }),
    ref({ id: 'TheBloke/Llama-2-7B-GGUF', line: 3 }),
    ref({ id: 'tatsu-lab/alpaca', kind: 'dataset', line: 4 }),
    ref({ id: 'gpt2', line: 5 }),
    ref({ id: 'torch', kind: 'package', ecosystem: 'pypi', line: 6 }),
  ];

  it('flags Hub namespaces missing from publishers.trusted (globs, any case)', () => {
    const p = policy('publishers:\n  trusted: [meta-llama, acme-*]\n');
    const findings = untrustedPublisher.run(context({ references: refs, policy: p }));
    expect(findings.map((f) => [f.line, f.severity, f.message])).toEqual([
      [
        3,
        'medium',
        "Model TheBloke/Llama-2-7B-GGUF is published by TheBloke, which is not on the policy's trusted list.",
      ],
      [
        4,
        'medium',
        "Dataset tatsu-lab/alpaca is published by tatsu-lab, which is not on the policy's trusted list.",
      ],
    ]);
  });

  it('says nothing when the list is not set', () => {
    expect(untrustedPublisher.run(context({ references: refs }))).toEqual([]);
    expect(
      untrustedPublisher.run(context({ references: refs, policy: policy('version: 1') })),
    ).toEqual([]);
  });
});

describe('typosquat-suspect', () => {
  it('flags look-alike and near-miss namespaces and legacy ids, not the real ones', () => {
    const findings = typosquatSuspect.run(
      context({
        references: [
          ref({ id: 'meta-llama/Llama-3.1-8B', line: 1 }),
          ref({ id: 'meta-Ilama/Llama-3.1-8B', line: 2 }),
          ref({ id: 'mistrali/Mistral-7B-v0.1', line: 3 }),
          ref({ id: 'gtp2', line: 4 }),
          ref({ id: 'HuggingFaceH4/ultrachat_200k', kind: 'dataset', line: 5 }),
          ref({ id: 'TheBloke/Llama-2-7B-GGUF', line: 6 }),
          ref({ id: 'deepseek-al/DeepSeek-R1', line: 7 }),
        ],
      }),
    );
    expect(findings.map((f) => [f.line, f.severity, f.message, f.remediation])).toEqual([
      [
        2,
        'high',
        'Model meta-Ilama/Llama-3.1-8B: the publisher "meta-Ilama" imitates the well-known "meta-llama" (with look-alike characters).',
        'If you meant meta-llama/Llama-3.1-8B, reference that. If meta-Ilama is intended, check it and add it to publishers.trusted.',
      ],
      [
        3,
        'medium',
        'Model mistrali/Mistral-7B-v0.1: the publisher "mistrali" imitates the well-known "mistralai" (1 edit away).',
        'If you meant mistralai/Mistral-7B-v0.1, reference that. If mistrali is intended, check it and add it to publishers.trusted.',
      ],
      [
        4,
        'medium',
        'Model gtp2: the model id "gtp2" imitates the well-known "gpt2" (1 edit away).',
        'If you meant gpt2, reference that. If gtp2 is intended, check it and add it to publishers.trusted.',
      ],
      [
        7,
        'high',
        'Model deepseek-al/DeepSeek-R1: the publisher "deepseek-al" imitates the well-known "deepseek-ai" (with look-alike characters).',
        'If you meant deepseek-ai/DeepSeek-R1, reference that. If deepseek-al is intended, check it and add it to publishers.trusted.',
      ],
    ]);
  });

  it('extends the list from the policy and trusts near-namesakes it lists', () => {
    const references = [
      ref({ id: 'acrne-prod/assistant', line: 1 }),
      ref({ id: 'mistrali/Mistral-7B-v0.1', line: 2 }),
    ];
    const p = policy('publishers:\n  well-known: [acme-prod]\n  trusted: [mistrali]\n');
    expect(
      typosquatSuspect.run(context({ references, policy: p })).map((f) => [f.line, f.details]),
    ).toEqual([
      [1, { name: 'acrne-prod', wellKnown: 'acme-prod', how: 'look-alike', distance: 2 }],
    ]);
  });
});

describe('exception-expired', () => {
  const p = policy(
    [
      'ignore:',
      '  - rule: unpinned-revision',
      '    path: notebooks/**',
      '    reason: demo notebooks',
      '    expires: 2026-06-30',
      '  - rule: license-policy',
      '    id: tatsu-lab/alpaca',
      '    reason: evaluation only',
      '    expires: 2026-01-31',
    ].join('\n'),
  );

  it('reports exceptions past their last day, at their line in the policy file', () => {
    expect(exceptionExpired.run(context({ policy: p, today: '2026-01-31' }))).toEqual([]);
    expect(exceptionExpired.run(context({ policy: p, today: '2026-02-01' }))).toEqual([
      {
        rule: 'exception-expired',
        severity: 'medium',
        message:
          'The exception to license-policy for tatsu-lab/alpaca expired on 2026-01-31 ("evaluation only"); its findings are reported again.',
        remediation:
          'Fix what it covered, or review the accepted risk and renew the exception with a new expires date.',
        file: POLICY_FILE,
        line: 6,
        column: 5,
        id: 'tatsu-lab/alpaca',
        details: {
          rule: 'license-policy',
          id: 'tatsu-lab/alpaca',
          reason: 'evaluation only',
          expires: '2026-01-31',
        },
      },
    ]);
    expect(
      exceptionExpired.run(context({ policy: p, today: '2027-01-01' })).map((f) => f.message),
    ).toEqual([
      'The exception to unpinned-revision in notebooks/** expired on 2026-06-30 ("demo notebooks"); its findings are reported again.',
      'The exception to license-policy for tatsu-lab/alpaca expired on 2026-01-31 ("evaluation only"); its findings are reported again.',
    ]);
  });
});
