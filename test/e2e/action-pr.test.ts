/**
 * The Action end to end on pull requests, as the runner runs it (test/e2e/harness.ts), with real
 * `pull_request` payloads from @octokit/webhooks-examples. Offline: the registries are other
 * tests' business; the offline rules give findings enough.
 */
import { jest } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ROOT } from '../../scripts/bundle-options.mjs';
import { SUMMARY_MARKER } from '../../src/reporters/pr-comment.js';
import { markedFingerprints } from '../../src/reporters/review-comment.js';
import { validate, type Schema } from '../github/json-schema.js';
import {
  ACTIONS_BOT,
  GitHubStandIn,
  addedFilePatch,
  modifiedFilePatch,
  type PrFile,
} from '../github/stand-in.js';
import { OWNER, REPO, TOKEN, useBundledAction, type RunResult } from './harness.js';

jest.setTimeout(60_000);

const require = createRequire(import.meta.url);
const PULL = 2;
const PINNED = '0e9e39f249a16976918f6564b8830bc894c89659';
const { version: VERSION } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  version: string;
};

interface WebhookExample {
  action?: string;
  pull_request?: { number: number; head: { sha: string } };
}
const PR_EXAMPLES = (
  require('@octokit/webhooks-examples') as { name: string; examples: WebhookExample[] }[]
).find((e) => e.name === 'pull_request')!.examples;
const OPENED = PR_EXAMPLES.find((e) => e.action === 'opened')!;
const SYNCHRONIZE = PR_EXAMPLES.find((e) => e.action === 'synchronize')!;
const SARIF_SCHEMA = JSON.parse(
  readFileSync(path.join(ROOT, 'test/fixtures/sarif/sarif-schema-2.1.0-subset.json'), 'utf8'),
) as Schema;

// The pull request: a PEFT adapter whose base model changed (line 2), a new model config that maps
// classes to the repository's custom code (line 3), and a README edit. A pickle shard index that
// the pull request does not touch is already in the repository.
const ADAPTER = `{
  "base_model_name_or_path": "meta-llama/Llama-3.1-8B-Instruct",
  "peft_type": "LORA",
  "task_type": "CAUSAL_LM",
  "r": 16,
  "lora_alpha": 32,
  "target_modules": ["q_proj", "v_proj"]
}
`;
const ADAPTER_FIXED = ADAPTER.replace('"peft_type"', `"revision": "${PINNED}",\n  "peft_type"`);
const CONFIG = `{
  "architectures": ["Phi3ForCausalLM"],
  "auto_map": {
    "AutoConfig": "microsoft/Phi-3-mini-4k-instruct--configuration_phi3.Phi3Config",
    "AutoModelForCausalLM": "microsoft/Phi-3-mini-4k-instruct--modeling_phi3.Phi3ForCausalLM"
  },
  "model_type": "phi3",
  "transformers_version": "4.40.2"
}
`;
const CONFIG_FIXED = `{
  "architectures": ["Phi3ForCausalLM"],
  "model_type": "phi3",
  "transformers_version": "4.40.2"
}
`;
const SHARD_INDEX = `{
  "metadata": { "total_size": 14483464192 },
  "weight_map": {
    "lm_head.weight": "pytorch_model-00002-of-00002.bin",
    "model.embed_tokens.weight": "pytorch_model-00001-of-00002.bin"
  }
}
`;
const README = '# Support assistant\n\nFine-tuned adapter for the support bot.\n';

function prFiles(adapter: string, config: string): PrFile[] {
  return [
    {
      filename: 'adapter/adapter_config.json',
      status: 'modified',
      patch: modifiedFilePatch(adapter, 2, 2, [
        '  "base_model_name_or_path": "meta-llama/Llama-2-7b-hf",',
      ]),
    },
    { filename: 'model/config.json', status: 'added', patch: addedFilePatch(config) },
    {
      filename: 'README.md',
      status: 'modified',
      patch: modifiedFilePatch(README, 3, 3, ['Adapter for the support bot.']),
    },
  ];
}

const action = useBundledAction();
const workspace = action.workspace;

function runAction(options: {
  workspace: string;
  gh: GitHubStandIn;
  event: WebhookExample;
  eventName?: string;
  inputs?: Record<string, string>;
}): Promise<RunResult> {
  return action.run({ ...options, apiUrl: options.gh.url });
}

function startStandIn(files: PrFile[], canWrite = true) {
  return GitHubStandIn.start({
    owner: OWNER,
    repo: REPO,
    pull: PULL,
    files,
    tokens: { [TOKEN]: { ...ACTIONS_BOT, canWrite } },
  });
}

const writes = (gh: GitHubStandIn) => gh.writes().map((r) => `${r.method} ${r.path} ${r.status}`);
const API = `/api/v3/repos/${OWNER}/${REPO}`;

describe('the Action on a pull request (first run, re-run, fixed)', () => {
  let gh: GitHubStandIn;
  let ws: string;
  let first: RunResult;

  beforeAll(async () => {
    gh = await startStandIn(prFiles(ADAPTER, CONFIG));
    ws = workspace('pr', {
      'adapter/adapter_config.json': ADAPTER,
      'model/config.json': CONFIG,
      'merged/pytorch_model.bin.index.json': SHARD_INDEX,
      'README.md': README,
    });
    first = await runAction({ workspace: ws, gh, event: OPENED, inputs: { 'fail-on': 'medium' } });
  });
  afterAll(() => gh.close());

  it('first run: one summary comment, one review with a comment per changed-line finding', () => {
    expect(writes(gh)).toEqual([
      `POST ${API}/issues/${PULL}/comments 201`,
      `POST ${API}/pulls/${PULL}/reviews 200`,
    ]);
    const comment = String(gh.issueComments[0]!.body);
    expect(
      comment.startsWith(
        `${SUMMARY_MARKER}\n### 🛡️ LLM supply chain guard: 🟨 1 medium · 🟦 1 low`,
      ),
    ).toBe(true);
    expect(comment).toContain('2 findings, **2 on lines this pull request changes**.');
    // Changed files only (scope: changed): the untouched shard index was not read.
    expect(comment).not.toContain('pytorch_model.bin.index.json');
    expect(gh.reviewComments.map((c) => [c.path, c.line, c.side, c.commit_id])).toEqual([
      ['adapter/adapter_config.json', 2, 'RIGHT', OPENED.pull_request!.head.sha],
      ['model/config.json', 3, 'RIGHT', OPENED.pull_request!.head.sha],
    ]);
    expect(gh.reviewComments.every((c) => markedFingerprints(String(c.body)).length === 1)).toBe(
      true,
    );
    expect(gh.violations).toEqual([]);
  });

  it('first run: outputs, annotations, job summary, SARIF and JSON report', () => {
    expect(first.outputs).toEqual({
      'findings-count': '2',
      'highest-severity': 'medium',
      'report-file': expect.stringMatching(/llm-supply-chain-guard\/report\.json$/),
      'sarif-file': expect.stringMatching(/llm-supply-chain-guard\/results\.sarif$/),
      'comment-url': `https://github.com/${OWNER}/${REPO}/pull/${PULL}#issuecomment-${gh.issueComments[0]!.id}`,
    });
    expect(first.stdout).toContain(
      '::warning title=unpinned-revision,file=adapter/adapter_config.json,line=2,col=31::Model meta-llama/Llama-3.1-8B-Instruct has no revision.',
    );
    expect(first.stdout).toMatch(
      /^::warning title=remote-code,file=model\/config\.json,line=3,col=4::/m,
    );
    expect(first.summary).toContain('✏️ 2 on lines this pull request changes.');
    const report = JSON.parse(readFileSync(first.outputs['report-file']!, 'utf8')) as {
      summary: { findings: number };
    };
    expect(report.summary.findings).toBe(2);
    const sarif = JSON.parse(readFileSync(first.outputs['sarif-file']!, 'utf8')) as unknown;
    expect(validate(sarif, SARIF_SCHEMA, SARIF_SCHEMA)).toEqual([]);
  });

  it('first run: fail-on sets the exit status after everything was reported', () => {
    expect(first.code).toBe(1);
    const lines = first.stdout.trimEnd().split('\n');
    expect(lines.at(-1)).toBe('::error::2 findings; the most severe is medium (fail-on: medium).');
  });

  it('re-run: no duplicate comment, no duplicate review, no write at all', async () => {
    const before = gh.writes().length;
    const again = await runAction({
      workspace: ws,
      gh,
      event: OPENED,
      inputs: { 'fail-on': 'medium' },
    });
    expect(gh.writes()).toHaveLength(before);
    expect(gh.issueComments).toHaveLength(1);
    expect(gh.reviewComments).toHaveLength(2);
    expect(again.outputs['comment-url']).toBe(first.outputs['comment-url']);
    expect(again.stdout).toContain('The summary comment is up to date:');
    expect(again.stdout).toContain(
      'All 2 findings on changed lines already have a review comment.',
    );
    expect(gh.violations).toEqual([]);
  });

  it('findings fixed: the comment is edited to all clear, nothing else is written', async () => {
    writeFileSync(path.join(ws, 'adapter/adapter_config.json'), ADAPTER_FIXED);
    writeFileSync(path.join(ws, 'model/config.json'), CONFIG_FIXED);
    gh.options.files = prFiles(ADAPTER_FIXED, CONFIG_FIXED);
    // A new push: the same real payload with the new head commit.
    const pushed = structuredClone(SYNCHRONIZE);
    pushed.pull_request!.head.sha = '4b7a33e2f8a1c0d9e6b5a4f3e2d1c0b9a8f7e6d5';
    const before = gh.writes().length;
    const fixed = await runAction({
      workspace: ws,
      gh,
      event: pushed,
      inputs: { 'fail-on': 'medium' },
    });
    expect(fixed.code).toBe(0);
    expect(writes(gh).slice(before)).toEqual([
      `PATCH ${API}/issues/comments/${gh.issueComments[0]!.id} 200`,
    ]);
    expect(String(gh.issueComments[0]!.body)).toBe(
      [
        SUMMARY_MARKER,
        '### 🛡️ LLM supply chain guard: ✅ all clear',
        '',
        'No findings in the files this pull request changes: 1 reference to 1 upstream checked.',
        '',
        `<sub>llm-supply-chain-guard ${VERSION} · commit 4b7a33e · the job summary has the full report</sub>`,
        '',
      ].join('\n'),
    );
    expect(fixed.outputs['findings-count']).toBe('0');
    expect(fixed.outputs['highest-severity']).toBe('none');
    expect(fixed.outputs['comment-url']).toBe(first.outputs['comment-url']);
    expect(gh.violations).toEqual([]);
  });
});

describe('the Action with a read-only token (fork pull request)', () => {
  it('warns with the missing permission and still reports everything else', async () => {
    const gh = await startStandIn(prFiles(ADAPTER, CONFIG), false);
    try {
      const ws = workspace('fork', {
        'adapter/adapter_config.json': ADAPTER,
        'model/config.json': CONFIG,
        'README.md': README,
      });
      const run = await runAction({
        workspace: ws,
        gh,
        event: OPENED,
        inputs: { 'fail-on': 'none' },
      });
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(
        '::warning::Could not comment on pull request #2: the token lacks issues: write or pull-requests: write (pull requests from forks get a read-only GITHUB_TOKEN).',
      );
      expect(writes(gh)).toEqual([`POST ${API}/issues/${PULL}/comments 403`]);
      expect(run.outputs['findings-count']).toBe('2');
      expect(run.outputs['comment-url']).toBe('');
      expect(run.summary).toContain('## LLM supply chain report');
      expect(run.stdout).toContain(
        '::warning title=unpinned-revision,file=adapter/adapter_config.json',
      );
      expect(readFileSync(run.outputs['sarif-file']!, 'utf8')).toContain(
        '"ruleId": "unpinned-revision"',
      );
      expect(gh.violations).toEqual([]);
    } finally {
      await gh.close();
    }
  });
});

describe('the Action on a pull request with 250 changed files', () => {
  it('reads every page of the files API and comments on a file listed on the last page', async () => {
    const docs = Array.from(
      { length: 247 },
      (_, i) => `docs/guide-${String(i).padStart(3, '0')}.md`,
    );
    const files: PrFile[] = [
      ...docs.map((d) => ({
        filename: d,
        status: 'added' as const,
        patch: addedFilePatch(`# ${d}\n`),
      })),
      ...prFiles(ADAPTER, CONFIG),
    ];
    const gh = await startStandIn(files);
    try {
      const ws = workspace('big', {
        ...Object.fromEntries(docs.map((d) => [d, `# ${d}\n`])),
        'adapter/adapter_config.json': ADAPTER,
        'model/config.json': CONFIG,
        'merged/pytorch_model.bin.index.json': SHARD_INDEX,
        'README.md': README,
      });
      const run = await runAction({
        workspace: ws,
        gh,
        event: OPENED,
        inputs: { 'fail-on': 'none', scope: 'all' },
      });
      expect(run.code).toBe(0);
      const pages = gh.requests
        .filter((r) => r.path === `${API}/pulls/${PULL}/files`)
        .map((r) => r.query.page ?? '1');
      expect(pages).toEqual(['1', '2', '3']);
      expect(run.stdout).toContain('Pull request #2 changes 250 files.');
      // model/config.json is file 249 of 250: only the third page tells it is changed.
      expect(gh.reviewComments.map((c) => [c.path, c.line])).toEqual([
        ['adapter/adapter_config.json', 2],
        ['model/config.json', 3],
      ]);
      // scope: all reads the whole repository; the untouched shard index is listed apart.
      const comment = String(gh.issueComments[0]!.body);
      expect(comment).toContain('3 findings, **2 on lines this pull request changes**.');
      expect(comment).toContain('<details><summary>Already in the repository (1)</summary>');
      expect(comment).toContain('##### `merged/pytorch_model.bin.index.json`');
      expect(gh.violations).toEqual([]);
    } finally {
      await gh.close();
    }
  });
});

describe('the Action in a dry run', () => {
  it('writes nothing to GitHub and logs what it would have written', async () => {
    const gh = await startStandIn(prFiles(ADAPTER, CONFIG));
    try {
      const ws = workspace('dry', {
        'adapter/adapter_config.json': ADAPTER,
        'model/config.json': CONFIG,
      });
      const run = await runAction({
        workspace: ws,
        gh,
        event: OPENED,
        inputs: { 'fail-on': 'none', 'dry-run': 'true' },
      });
      expect(run.code).toBe(0);
      expect(gh.writes()).toEqual([]);
      expect(run.stdout).toMatch(
        /\[dry-run\] would have created a summary comment \(\d+ characters\)\./,
      );
      expect(run.stdout).toContain(
        '[dry-run] would have commented on adapter/adapter_config.json:2',
      );
      expect(run.stdout).toContain('[dry-run] would have commented on model/config.json:3');
    } finally {
      await gh.close();
    }
  });
});

describe('two runs on one pull request at once', () => {
  it('end with one summary comment (two pushes in quick succession)', async () => {
    const gh = await startStandIn(prFiles(ADAPTER, CONFIG));
    try {
      const ws = workspace('race', {
        'adapter/adapter_config.json': ADAPTER,
        'model/config.json': CONFIG,
      });
      const inputs = { 'fail-on': 'none', 'review-comments': 'false' };
      const runs = await Promise.all([
        runAction({ workspace: ws, gh, event: OPENED, inputs }),
        runAction({ workspace: ws, gh, event: SYNCHRONIZE, inputs }),
      ]);
      expect(runs.map((r) => r.code)).toEqual([0, 0]);
      const summaries = gh.issueComments.filter((c) => String(c.body).includes(SUMMARY_MARKER));
      expect(summaries).toHaveLength(1);
      // Whichever run created a second copy deleted it again (the other run may have tried too
      // and got 404), or the second run found the first one's comment.
      const creates = writes(gh).filter((w) => /^POST .*\/issues\/\d+\/comments 201$/.test(w));
      const deletes = writes(gh).filter((w) => /^DELETE .* 204$/.test(w));
      expect(deletes.length).toBe(creates.length - 1);
    } finally {
      await gh.close();
    }
  });
});

describe('the Action outside pull requests', () => {
  it('on push (mode auto) scans everything and reports without calling GitHub', async () => {
    const gh = await startStandIn([]);
    try {
      const ws = workspace('push', {
        'adapter/adapter_config.json': ADAPTER,
        'merged/pytorch_model.bin.index.json': SHARD_INDEX,
      });
      const run = await runAction({
        workspace: ws,
        gh,
        event: {},
        eventName: 'push',
        inputs: { 'fail-on': 'none' },
      });
      expect(run.code).toBe(0);
      expect(gh.requests).toEqual([]);
      expect(run.outputs['findings-count']).toBe('2');
      expect(run.outputs['comment-url']).toBe('');
      expect(run.summary).toContain('## LLM supply chain report');
    } finally {
      await gh.close();
    }
  });

  it('mode: pr on an event without a pull request fails naming the input', async () => {
    const gh = await startStandIn([]);
    try {
      const ws = workspace('push-pr', { 'README.md': README });
      const run = await runAction({
        workspace: ws,
        gh,
        event: {},
        eventName: 'push',
        inputs: { mode: 'pr' },
      });
      expect(run.code).toBe(1);
      expect(run.stdout.trimEnd().split('\n').at(-1)).toBe(
        '::error::Input "mode" is pr, but the push event carries no pull request; use mode: auto or drift.',
      );
    } finally {
      await gh.close();
    }
  });
});

describe('the Action with a policy exception', () => {
  it('folds the excepted finding: no review comment, no count, listed as suppressed', async () => {
    const gh = await startStandIn(prFiles(ADAPTER, CONFIG));
    try {
      const ws = workspace('policy', {
        'adapter/adapter_config.json': ADAPTER,
        'model/config.json': CONFIG,
        '.github/llm-supply-chain.yml': [
          'version: 1',
          'ignore:',
          '  - rule: unpinned-revision',
          '    id: meta-llama/*',
          '    reason: base model pinned by the serving image',
          '    expires: 2099-12-31',
          '',
        ].join('\n'),
      });
      const run = await runAction({
        workspace: ws,
        gh,
        event: OPENED,
        inputs: { 'fail-on': 'none' },
      });
      expect(run.code).toBe(0);
      expect(run.outputs['findings-count']).toBe('1');
      expect(gh.reviewComments.map((c) => [c.path, c.line])).toEqual([['model/config.json', 3]]);
      expect(run.stdout).not.toContain('title=unpinned-revision');
      const comment = String(gh.issueComments[0]!.body);
      expect(comment).toContain('1 finding, **1 on lines this pull request changes**.');
      expect(comment).toContain('<details><summary>1 suppressed by policy exceptions</summary>');
      expect(comment).toContain('base model pinned by the serving image');
      expect(gh.violations).toEqual([]);
    } finally {
      await gh.close();
    }
  });
});
