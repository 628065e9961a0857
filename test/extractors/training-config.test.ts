import { readFileSync } from 'node:fs';
import { extractor } from '../../src/extractors/training-config/index.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`../fixtures/training-config/${name}`, import.meta.url), 'utf8');

const run = (text: string, path = 'configs/train.yaml') => extractor.extract({ path, text });

/** id@revision (line:column via) — compact and exact. */
const summary = (text: string, path?: string) =>
  run(text, path).references.map(
    (r) =>
      `${r.kind} ${r.id}@${r.revision ?? '-'}${r.pinned ? ' pinned' : ''} ${r.line}:${r.column} ${r.via}`,
  );

describe('training-config extractor', () => {
  it('matches YAML files', () => {
    expect(extractor.match('examples/llama-3/lora-1b.yml')).toBe(true);
    expect(extractor.match('recipes/configs/llama3_2/1B_lora.YAML')).toBe(true);
    expect(extractor.match('train.py')).toBe(false);
  });

  describe('axolotl', () => {
    it('reads base_model and datasets[].path, ignoring type, outputs and local dirs', () => {
      const out = run(fixture('axolotl-lora-1b.yml'), 'examples/llama-3/lora-1b.yml');
      expect(out.references).toEqual([
        {
          kind: 'model',
          ecosystem: 'huggingface',
          id: 'NousResearch/Llama-3.2-1B',
          revision: null,
          pinned: false,
          file: 'examples/llama-3/lora-1b.yml',
          line: 1,
          column: 13,
          extractor: 'training-config',
          via: 'base_model',
        },
        {
          kind: 'dataset',
          ecosystem: 'huggingface',
          id: 'teknium/GPT4-LLM-Cleaned',
          revision: null,
          pinned: false,
          file: 'examples/llama-3/lora-1b.yml',
          line: 6,
          column: 11,
          extractor: 'training-config',
          via: 'datasets[].path',
        },
      ]);
      expect(out.facts).toEqual([]);
      expect(out.problems).toEqual([]);
    });

    it('pins base_model with revision_of_model and records trust_remote_code', () => {
      const out = run(fixture('axolotl-mimo-7b-qlora.yaml'), 'mimo.yaml');
      expect(out.references[0]).toEqual({
        kind: 'model',
        ecosystem: 'huggingface',
        id: 'XiaomiMiMo/MiMo-7B-RL',
        revision: '6299b5a',
        pinned: true,
        file: 'mimo.yaml',
        line: 1,
        column: 13,
        extractor: 'training-config',
        via: 'base_model',
        revisionSpan: { file: 'mimo.yaml', line: 3, column: 20, endColumn: 27, text: '6299b5a' },
        trustRemoteCode: true,
      });
      expect(out.facts).toEqual([
        {
          type: 'remote-code',
          via: 'trust_remote_code',
          detail: 'trust_remote_code: true',
          file: 'mimo.yaml',
          line: 2,
          column: 20,
          span: { file: 'mimo.yaml', line: 2, column: 20, endColumn: 24, text: 'true' },
        },
      ]);
      expect(out.references[1]).toMatchObject({
        kind: 'dataset',
        id: 'fozziethebeat/alpaca_messages_2k_test',
      });
      expect(out.references[1]).not.toHaveProperty('trustRemoteCode');
    });

    it('reads tokenizer_config as a model repo', () => {
      expect(summary(fixture('axolotl-mamba.yml'))).toEqual([
        'model state-spaces/mamba-2.8b@- 1:13 base_model',
        'model EleutherAI/gpt-neox-20b@- 5:19 tokenizer_config',
        'dataset mhenrichsen/alpaca_2k_test@- 10:11 datasets[].path',
      ]);
    });

    it('does not take a bare dataset path such as `wikitext` for a Hub id', () => {
      expect(summary(fixture('axolotl-diffusion-pretrain-1b.yaml'))).toEqual([
        'model meta-llama/Llama-3.2-1B@- 1:13 base_model',
      ]);
    });

    it('reads test_datasets, pretraining_dataset strings and dataset revisions', () => {
      const text = [
        'base_model: gpt2',
        'hub_model_id: me/my-finetune',
        'lora_model_dir: org/adapter-from-elsewhere',
        'datasets:',
        '  - path: org/chat',
        '    revision: 0a1b2c3d4e5f60718293a4b5c6d7e8f901234567',
        '    type: chat_template',
        '  - path: json',
        '    ds_type: json',
        '    data_files: org/not-a-repo.jsonl',
        '  - path: s3://bucket/data',
        '  - path: ./data/local',
        'test_datasets:',
        '  - path: org/eval',
        '    split: test',
        'pretraining_dataset: org/web-text',
        '',
      ].join('\n');
      expect(summary(text)).toEqual([
        'model gpt2@- 1:13 base_model',
        'dataset org/chat@0a1b2c3d4e5f60718293a4b5c6d7e8f901234567 pinned 5:11 datasets[].path',
        'dataset org/eval@- 14:11 test_datasets[].path',
        'dataset org/web-text@- 16:22 pretraining_dataset',
      ]);
    });
  });

  describe('LLaMA-Factory', () => {
    it('reads model_name_or_path with trust_remote_code; `dataset` names are dataset_info keys, not Hub ids', () => {
      const out = run(fixture('llamafactory-qwen3-lora-sft.yaml'));
      expect(summary(fixture('llamafactory-qwen3-lora-sft.yaml'))).toEqual([
        'model Qwen/Qwen3-4B-Instruct-2507@- 2:21 model_name_or_path',
      ]);
      expect(out.references[0]?.trustRemoteCode).toBe(true);
      expect(out.facts.map((f) => [f.type, f.line, f.column])).toEqual([['remote-code', 3, 20]]);
    });

    it('ignores a local adapter directory and eval_dataset keys', () => {
      expect(summary(fixture('llamafactory-llama3-lora-predict.yaml'))).toEqual([
        'model meta-llama/Meta-Llama-3-8B-Instruct@- 5:21 model_name_or_path',
      ]);
    });

    it('splits comma-separated adapters and applies model_revision to the model only', () => {
      const text = [
        'model_name_or_path: meta-llama/Llama-3.1-8B',
        'model_revision: 0123abc',
        'adapter_name_or_path: org/lora-a, org/lora-b,saves/llama3/lora/sft',
        'dataset: alpaca_en_demo,org/looks_like_hub',
        '',
      ].join('\n');
      expect(summary(text)).toEqual([
        'model meta-llama/Llama-3.1-8B@0123abc pinned 1:21 model_name_or_path',
        'model org/lora-a@- 3:23 adapter_name_or_path',
        'model org/lora-b@- 3:35 adapter_name_or_path',
      ]);
    });
  });

  describe('torchtune', () => {
    it('reads `source` of a dataset component and ignores checkpoint and tokenizer paths', () => {
      const out = run(fixture('torchtune-mistral-7b-ppo.yaml'));
      expect(out.references).toEqual([
        {
          kind: 'dataset',
          ecosystem: 'huggingface',
          id: 'trl-internal-testing/sentiment-trl-style',
          revision: null,
          pinned: false,
          file: 'configs/train.yaml',
          line: 38,
          column: 11,
          extractor: 'training-config',
          via: 'source',
        },
      ]);
    });

    it('finds nothing in a config that only names local paths', () => {
      const out = run(fixture('torchtune-llama3_2-1b-lora.yaml'));
      expect(out).toEqual({ references: [], weights: [], facts: [], problems: [] });
    });

    it('reads a dataset revision and skips builder names such as `json`', () => {
      const text = [
        'dataset:',
        '  - _component_: torchtune.datasets.chat_dataset',
        '    source: json',
        '    data_files: data/chat.jsonl',
        '  - _component_: torchtune.datasets.instruct_dataset',
        '    source: org/instructions',
        '    revision: v1.0',
        'model:',
        '  _component_: torchtune.models.llama3_2.lora_llama3_2_1b',
        '  source: org/not-a-dataset',
        '',
      ].join('\n');
      expect(summary(text)).toEqual(['dataset org/instructions@v1.0 6:13 source']);
      expect(run(text).references[0]?.revisionSpan).toEqual({
        file: 'configs/train.yaml',
        line: 7,
        column: 15,
        endColumn: 19,
        text: 'v1.0',
      });
    });
  });

  describe('alignment-handbook / TRL', () => {
    it('reads model_revision and dataset_mixture ids; hub_model_id is an output', () => {
      expect(summary(fixture('handbook-zephyr-sft.yaml'))).toEqual([
        'model mistralai/Mistral-7B-v0.1@main 2:21 model_name_or_path',
        'dataset HuggingFaceH4/ultrachat_200k@- 11:11 datasets[].id',
        'dataset HuggingFaceH4/ultrachat_200k@- 17:11 datasets[].id',
      ]);
    });

    it('reads the keys of an older dataset_mixer', () => {
      expect(summary(fixture('handbook-zephyr-sft-2024.yaml'))).toEqual([
        'model mistralai/Mistral-7B-v0.1@main 2:21 model_name_or_path',
        'dataset HuggingFaceH4/ultrachat_200k@- 10:3 dataset_mixer',
      ]);
    });

    it('reads generic keys anywhere, with their own revision keys', () => {
      const text = [
        'model:',
        '  pretrained_model_name_or_path: "google/gemma-2-2b"',
        '  revision: refs/pr/3',
        'tokenizer_name: gpt2',
        'distill:',
        '  teacher_model: Qwen/Qwen2.5-7B-Instruct',
        '  teacher_model_revision: 1234567',
        '  ref_model: gpt2',
        'data:',
        '  dataset_name: imdb',
        '  dataset_revision: main',
        'eval:',
        '  dataset_id: org/eval-set',
        '  revision: v2',
        '',
      ].join('\n');
      expect(summary(text)).toEqual([
        'model google/gemma-2-2b@refs/pr/3 2:35 pretrained_model_name_or_path',
        'model gpt2@- 4:17 tokenizer_name',
        'model Qwen/Qwen2.5-7B-Instruct@1234567 pinned 6:18 teacher_model',
        'dataset imdb@main 10:17 dataset_name',
        'dataset org/eval-set@v2 13:15 dataset_id',
      ]);
    });
  });

  it('ignores local paths and templates', () => {
    const text = [
      'base_model: ./models/llama',
      'model_name_or_path: /mnt/ckpt/llama-3',
      'tokenizer_name: outputs',
      'base_model_config: ${oc.env:BASE_MODEL}',
      'dataset_name: data/train.jsonl',
      '',
    ].join('\n');
    expect(run(text).references).toEqual([]);
  });

  it('keeps line numbers right in CRLF files', () => {
    const text =
      'base_model: org/model\r\nrevision_of_model: v0.2\r\ndatasets:\r\n  - path: org/data\r\n';
    const out = run(text);
    expect(summary(text)).toEqual([
      'model org/model@v0.2 1:13 base_model',
      'dataset org/data@- 4:11 datasets[].path',
    ]);
    expect(out.references[0]?.revisionSpan).toEqual({
      file: 'configs/train.yaml',
      line: 2,
      column: 20,
      endColumn: 24,
      text: 'v0.2',
    });
  });

  it('reports a YAML syntax error at its line and keeps what it could read', () => {
    const text = [
      'base_model: org/model',
      'datasets:',
      '  - path: org/data',
      '    type: [alpaca',
      'val_set_size: 0.1',
      '',
    ].join('\n');
    const out = run(text);
    expect(out.problems).toHaveLength(1);
    expect(out.problems[0]).toMatchObject({ file: 'configs/train.yaml', line: 5, column: 1 });
    expect(out.problems[0]?.message).toMatch(/^YAML syntax error: /);
    expect(out.references.map((r) => r.id)).toContain('org/model');
  });

  describe('YAML that is not a training config', () => {
    it('skips GitHub workflows by path and by content', () => {
      expect(run(fixture('koyeb-workflow.yaml'), '.github/workflows/main.yaml').references).toEqual(
        [],
      );
      const workflow =
        'on: push\njobs:\n  train:\n    steps:\n      - with:\n          model_name_or_path: org/model\n';
      expect(run(workflow, 'ci/train.yml').references).toEqual([]);
    });

    it('skips compose files and Kubernetes manifests even when they carry model keys', () => {
      const compose =
        'services:\n  trainer:\n    image: axolotl\n    environment:\n      base_model: org/model\n';
      expect(run(compose, 'stack.yaml').references).toEqual([]);
      expect(run(compose, 'docker-compose.yml').references).toEqual([]);
      const k8s = 'apiVersion: v1\nkind: ConfigMap\ndata:\n  model_id: org/model\n';
      expect(run(k8s, 'cm.yaml').references).toEqual([]);
      expect(run('base_model: org/model\n', 'deploy/values.yaml').references).toEqual([]);
    });

    it('skips conda environments, dvc.yaml and YAML without training keys', () => {
      const conda =
        'name: env\nchannels: [conda-forge]\ndependencies:\n  - pip:\n    - datasets\nmodel_id: org/x\n';
      expect(run(conda, 'env.yml').references).toEqual([]);
      expect(
        run('stages:\n  train:\n    cmd: python train.py --model_name_or_path org/x\n', 'dvc.yaml')
          .references,
      ).toEqual([]);
      const broken = 'site_name: docs\nnav: [\n';
      expect(run(broken, 'mkdocs-like.yaml')).toEqual({
        references: [],
        weights: [],
        facts: [],
        problems: [],
      });
    });
  });
});
