import { readFileSync } from 'node:fs';
import { extractor } from '../../src/extractors/serving-config/index.js';
import { extractor as trainingConfig } from '../../src/extractors/training-config/index.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`../fixtures/serving-config/${name}`, import.meta.url), 'utf8');

const run = (text: string, path: string) => extractor.extract({ path, text });

/** kind id@revision line:column via [trust] [file=…] — compact and exact. */
const summary = (text: string, path: string) =>
  run(text, path).references.map(
    (r) =>
      `${r.kind} ${r.id}@${r.revision ?? '-'}${r.pinned ? ' pinned' : ''} ${r.line}:${r.column} ${r.via}` +
      `${r.trustRemoteCode ? ' trust' : ''}${r.filename ? ` file=${r.filename}` : ''}`,
  );

const facts = (text: string, path: string) =>
  run(text, path).facts.map(
    (f) => `${f.type} ${'detail' in f ? f.detail : ''} ${f.line}:${f.column}`,
  );

describe('serving-config extractor', () => {
  it('matches deployment files by name', () => {
    for (const path of [
      'Dockerfile',
      'docker/Dockerfile.rocm',
      'Dockerfile_amd',
      'Containerfile',
      'deploy/tgi.dockerfile',
      'docker-compose.yml',
      'compose.yaml',
      'scripts/serve.sh',
      'run.bash',
      '.env',
      'config/prod.env',
      '.env.example',
      'k8s/vllm.yaml',
      'anything.yml',
    ]) {
      expect([path, extractor.match(path)]).toEqual([path, true]);
    }
    for (const path of [
      'Modelfile',
      'serve.py',
      'README.md',
      'env.json',
      'run.zsh',
      'docs/Dockerfile.md',
    ]) {
      expect([path, extractor.match(path)]).toEqual([path, false]);
    }
  });

  describe('Kubernetes', () => {
    it('resolves --model=$(MODEL_ID) to the env entry of a multi-document manifest', () => {
      const out = run(fixture('gke-vllm-gemma-2-2b-it.yaml'), 'k8s/vllm-2-2b-it.yaml');
      expect(out.references).toEqual([
        {
          kind: 'model',
          ecosystem: 'huggingface',
          id: 'google/gemma-2-2b-it',
          revision: null,
          pinned: false,
          file: 'k8s/vllm-2-2b-it.yaml',
          line: 57,
          column: 18,
          extractor: 'serving-config',
          via: 'MODEL_ID',
        },
      ]);
      expect(out.facts).toEqual([]);
      expect(out.problems).toEqual([]);
    });

    it('reads the TGI MODEL_ID env of a plain Deployment found by content', () => {
      expect(
        summary(
          fixture('gke-tgi-falcon-40b.yaml'),
          'ai-ml/falcon-40b/text-generation-inference.yaml',
        ),
      ).toEqual(['model tiiuae/falcon-40b-instruct@- 44:18 MODEL_ID']);
    });

    it('reads `sh -c` scripts inside multi-line YAML strings, with --trust-remote-code', () => {
      const out = run(fixture('gke-vllm-deepseek-r1-lws.yaml'), 'vllm-deepseek-r1-A3.yaml');
      expect(summary(fixture('gke-vllm-deepseek-r1-lws.yaml'), 'x.yaml')).toEqual([
        'model deepseek-ai/DeepSeek-R1@- 46:83 --model trust',
      ]);
      expect(out.facts).toEqual([
        {
          type: 'remote-code',
          via: 'trust_remote_code',
          detail: '--trust-remote-code',
          file: 'vllm-deepseek-r1-A3.yaml',
          line: 46,
          column: 159,
          span: {
            file: 'vllm-deepseek-r1-A3.yaml',
            line: 46,
            column: 159,
            endColumn: 178,
            text: '--trust-remote-code',
          },
        },
      ]);
    });

    it('reads huggingface-cli download in a Job, skipping --include patterns', () => {
      expect(summary(fixture('gke-deepseek-r1-download-job.yaml'), 'jobs/download.yaml')).toEqual([
        'model deepseek-ai/DeepSeek-R1@- 50:36 huggingface-cli download',
      ]);
    });

    it('reads flow-sequence args', () => {
      expect(summary(fixture('sglang-k8s-service.yaml'), 'docker/k8s-sglang-service.yaml')).toEqual(
        ['model meta-llama/Meta-Llama-3.1-8B-Instruct@- 35:35 --model-path'],
      );
    });

    it('reads env_vars and model_source inside a KubeRay serveConfigV2 string', () => {
      expect(summary(fixture('gke-rayservice-gemma-2b-it.yaml'), 'ray-service.yaml')).toEqual([
        'model google/gemma-2b-it@- 36:22 MODEL_ID',
      ]);
      const text = [
        'apiVersion: ray.io/v1',
        'kind: RayService',
        'spec:',
        '  serveConfigV2: |',
        '    applications:',
        '      - args:',
        '          llm_configs:',
        '            - model_loading_config:',
        '                model_id: qwen-0.5b',
        '                model_source: Qwen/Qwen2.5-0.5B-Instruct',
        '',
      ].join('\n');
      expect(summary(text, 'ray.yaml')).toEqual([
        'model Qwen/Qwen2.5-0.5B-Instruct@- 10:31 model_source',
      ]);
    });

    it('ties env REVISION and a --revision flag to the model; KServe storageUri is read', () => {
      const text = [
        'apiVersion: serving.kserve.io/v1beta1',
        'kind: InferenceService',
        'spec:',
        '  predictor:',
        '    model:',
        '      modelFormat:',
        '        name: huggingface',
        '      storageUri: hf://Qwen/Qwen2.5-0.5B-Instruct',
        '      args:',
        '        - --model_name=qwen',
        '---',
        'apiVersion: apps/v1',
        'kind: Deployment',
        'spec:',
        '  template:',
        '    spec:',
        '      containers:',
        '        - name: tgi',
        '          image: ghcr.io/huggingface/text-generation-inference:3.0',
        '          env:',
        '            - name: MODEL_ID',
        '              value: bigscience/bloom-560m',
        '            - name: REVISION',
        '              value: "4f42c91d806a19ae1a46af6c3fb5f4990d884cd6"',
        '        - name: vllm',
        '          image: vllm/vllm-openai:v0.8.5',
        '          args: ["--model", "gpt2", "--revision", "main", "--tokenizer=openai-community/gpt2", "--tokenizer-revision=v1"]',
        '',
      ].join('\n');
      expect(summary(text, 'manifests/serve.yaml')).toEqual([
        'model Qwen/Qwen2.5-0.5B-Instruct@- 8:24 storageUri',
        'model bigscience/bloom-560m@4f42c91d806a19ae1a46af6c3fb5f4990d884cd6 pinned 22:22 MODEL_ID',
        'model gpt2@main 27:30 --model',
        'model openai-community/gpt2@v1 27:72 --tokenizer',
      ]);
      const tgi = run(text, 'manifests/serve.yaml').references[1];
      expect(tgi?.revisionSpan).toEqual({
        file: 'manifests/serve.yaml',
        line: 24,
        column: 23,
        endColumn: 63,
        text: '4f42c91d806a19ae1a46af6c3fb5f4990d884cd6',
      });
    });
  });

  describe('docker compose', () => {
    it('reads a string entrypoint plus a multi-line command', () => {
      expect(summary(fixture('sglang-compose.yaml'), 'docker/compose.yaml')).toEqual([
        'model meta-llama/Meta-Llama-3.1-8B-Instruct@- 16:20 --model-path',
      ]);
    });

    it('reads list-form environment, ${VAR:-default} and list commands', () => {
      const text = [
        'services:',
        '  tei:',
        '    image: ghcr.io/huggingface/text-embeddings-inference:cpu-1.6',
        '    environment:',
        '      - MODEL_ID=${EMBEDDING_MODEL:-Qwen/Qwen3-Embedding-0.6B}',
        '      - REVISION=main',
        '    command: --model-id ${EMBEDDING_MODEL:-Qwen/Qwen3-Embedding-0.6B} --port 80',
        '  vllm:',
        '    image: vllm/vllm-openai:latest',
        '    command: ["--model", "$MODEL", "--trust-remote-code"]',
        '  llm:',
        '    image: vllm/vllm-openai:latest',
        '    environment:',
        '      HF_MODEL_ID: "mistralai/Mistral-7B-Instruct-v0.3"',
        '    command: >',
        '      --model mistralai/Mistral-7B-Instruct-v0.3',
        '      --code-revision 0123456789abcdef',
        '',
      ].join('\r\n');
      expect(summary(text, 'docker-compose.yml')).toEqual([
        'model Qwen/Qwen3-Embedding-0.6B@main 5:37 MODEL_ID',
        'model Qwen/Qwen3-Embedding-0.6B@- 7:44 --model-id',
        'model mistralai/Mistral-7B-Instruct-v0.3@- 14:21 HF_MODEL_ID',
        'model mistralai/Mistral-7B-Instruct-v0.3@- 16:15 --model',
        'model mistralai/Mistral-7B-Instruct-v0.3@0123456789abcdef pinned 16:15 --code-revision',
      ]);
      // An unresolvable $MODEL is not an id, but the trust flag is still a fact.
      expect(facts(text, 'docker-compose.yml')).toEqual(['remote-code --trust-remote-code 10:37']);
    });

    it('reports YAML syntax errors in compose files with their line', () => {
      const out = run(
        'services:\n  vllm:\n    image: vllm/vllm-openai\n    command: [--model, org/x\n',
        'compose.yaml',
      );
      expect(out.problems).toHaveLength(1);
      expect(out.problems[0]).toMatchObject({ file: 'compose.yaml', line: 5, column: 1 });
      expect(out.problems[0]?.message).toMatch(/^YAML syntax error: /);
    });

    it('reads literals from Helm templates without reporting template syntax as YAML errors', () => {
      const text = [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'spec:',
        '  template:',
        '    spec:',
        '      containers:',
        '        - name: {{ .Release.Name }}',
        '          image: "vllm/vllm-openai:{{ .Values.tag }}"',
        '          args: ["--model", "{{ .Values.model }}", "--tokenizer", "hf-internal-testing/llama-tokenizer"]',
        '          {{- with .Values.resources }}',
        '          resources: {{- toYaml . | nindent 12 }}',
        '          {{- end }}',
        '',
      ].join('\n');
      const out = run(text, 'charts/vllm/templates/deployment.yaml');
      expect(out.problems).toEqual([]);
      expect(out.references.map((r) => `${r.id} ${r.line}:${r.column}`)).toEqual([
        'hf-internal-testing/llama-tokenizer 9:68',
      ]);
    });

    it('leaves training configs and other YAML alone', () => {
      const axolotl =
        'base_model: NousResearch/Llama-3.2-1B\ndatasets:\n  - path: teknium/GPT4-LLM-Cleaned\n';
      expect(run(axolotl, 'examples/lora-1b.yml')).toEqual({
        references: [],
        weights: [],
        facts: [],
        problems: [],
      });
      expect(run('on: push\njobs: {}\nbroken: [\n', '.github/workflows/ci.yml').problems).toEqual(
        [],
      );
      // …and the training-config extractor leaves compose files and manifests alone.
      expect(
        trainingConfig.extract({
          path: 'docker/compose.yaml',
          text: fixture('sglang-compose.yaml'),
        }).references,
      ).toEqual([]);
      expect(
        trainingConfig.extract({ path: 'gke.yaml', text: fixture('gke-tgi-falcon-40b.yaml') })
          .references,
      ).toEqual([]);
    });
  });

  describe('Dockerfiles', () => {
    it('reads the default of ${MODEL_NAME:-org/model} in a shell-form ENTRYPOINT', () => {
      const out = run(fixture('koyeb-vllm.Dockerfile'), 'Dockerfile');
      expect(out.references).toEqual([
        {
          kind: 'model',
          ecosystem: 'huggingface',
          id: 'meta-llama/Meta-Llama-3.1-8B-Instruct',
          revision: null,
          pinned: false,
          file: 'Dockerfile',
          line: 4,
          column: 27,
          extractor: 'serving-config',
          via: '--model',
        },
      ]);
      expect(summary(fixture('koyeb-test.Dockerfile'), 'Dockerfile')).toEqual([
        'model google/gemma-2b-it@- 5:27 --model',
      ]);
    });

    it('finds nothing when the model only comes from build args', () => {
      expect(
        run(fixture('koyeb-vllm-bundled.Dockerfile'), 'Dockerfile.bundled_model').references,
      ).toEqual([]);
    });

    it('reads ENV, RUN downloads, exec-form ENTRYPOINT + CMD across continuation lines', () => {
      const text = [
        'FROM ghcr.io/huggingface/text-generation-inference:2.2.0',
        'ENV MODEL_ID=microsoft/Phi-3-mini-4k-instruct \\',
        '    REVISION=refs/pr/7',
        'ARG ADAPTER="org/sql-lora"',
        'RUN huggingface-cli download "${ADAPTER}" --revision 1a2b3c4 && \\',
        '    # datasets are fetched at build time too',
        '    hf download HuggingFaceH4/ultrachat_200k data/train.parquet --repo-type dataset',
        'RUN git clone -b v1.0 https://huggingface.co/datasets/org/eval-set /data/eval',
        'ENTRYPOINT ["text-generation-launcher"]',
        'CMD ["--model-id", "$MODEL_ID", \\',
        '     "--trust-remote-code"]',
        '',
      ].join('\n');
      expect(summary(text, 'Dockerfile')).toEqual([
        'model microsoft/Phi-3-mini-4k-instruct@refs/pr/7 2:14 MODEL_ID trust',
        'model org/sql-lora@1a2b3c4 pinned 4:14 huggingface-cli download',
        'dataset HuggingFaceH4/ultrachat_200k@- 7:17 hf download file=data/train.parquet',
        'dataset org/eval-set@v1.0 8:23 git clone',
      ]);
      expect(facts(text, 'Dockerfile')).toEqual(['remote-code --trust-remote-code 11:7']);
    });

    it('reads a legacy `ENV NAME value` and skips local model paths', () => {
      const text =
        'FROM vllm/vllm-openai\nENV MODEL_NAME /models/llama\nENV MODEL facebook/opt-125m\nCMD ["--model", "/models/llama"]\n';
      expect(summary(text, 'Containerfile')).toEqual(['model facebook/opt-125m@- 3:11 MODEL']);
    });
  });

  describe('shell scripts', () => {
    it('resolves a script variable and marks trust_remote_code on the model', () => {
      const out = run(fixture('serve_tgi.bash'), 'TC-Eval/serve_tgi.bash');
      expect(out.references).toEqual([
        {
          kind: 'model',
          ecosystem: 'huggingface',
          id: 'liswei/OpenELM-270M-zh-sft',
          revision: null,
          pinned: false,
          file: 'TC-Eval/serve_tgi.bash',
          line: 1,
          column: 7,
          extractor: 'serving-config',
          via: '--model-id',
          trustRemoteCode: true,
        },
      ]);
      expect(out.facts).toEqual([
        {
          type: 'remote-code',
          via: 'trust_remote_code',
          detail: '--trust-remote-code',
          file: 'TC-Eval/serve_tgi.bash',
          line: 7,
          column: 23,
          span: {
            file: 'TC-Eval/serve_tgi.bash',
            line: 7,
            column: 23,
            endColumn: 42,
            text: '--trust-remote-code',
          },
        },
      ]);
    });

    it('reads python -m vllm.entrypoints.openai.api_server behind nohup and redirects', () => {
      expect(summary(fixture('gpt-oss-start_gptoss.sh'), 'server/vllm/start_gptoss.sh')).toEqual([
        'model openai/gpt-oss-20b@- 21:10 --model',
      ]);
    });

    it('reads training launchers: --model_name_or_path and --trust_remote_code, not --dataset keys', () => {
      expect(summary(fixture('llamafactory-qwen3_lora_sft.sh'), 'train.sh')).toEqual([
        'model Qwen/Qwen3-4B-Instruct-2507@- 5:12 --model_name_or_path trust',
      ]);
      expect(facts(fixture('llamafactory-qwen3_lora_sft.sh'), 'train.sh')).toEqual([
        'remote-code --trust_remote_code 9:5',
      ]);
    });

    it('reads llama.cpp --hf-repo with its --hf-file', () => {
      expect(summary(fixture('gabber-qwen-omni-llamacpp.sh'), 'llamacpp.sh')).toEqual([
        'model unsloth/Qwen2.5-Omni-7B-GGUF@- 9:13 --hf-repo file=Qwen2.5-Omni-7B-Q4_K_M.gguf',
      ]);
    });

    it('reads MODEL="${MODEL:-org/x}" and prefix assignments', () => {
      expect(summary(fixture('gabber-_sglang.sh'), '_sglang.sh')).toEqual([
        'model Qwen/Qwen2.5-Omni-7B-AWQ@- 6:17 MODEL',
      ]);
      expect(summary(fixture('gabber-qwen-omni-7b-awq_vllm.sh'), 'x.sh')).toEqual([
        'model Qwen/Qwen2.5-Omni-7B-AWQ@- 5:8 MODEL',
      ]);
    });

    it('finds no ids in scripts that only pass variables along', () => {
      expect(
        run(fixture('tgi-sagemaker-entrypoint.sh'), 'sagemaker-entrypoint.sh').references,
      ).toEqual([]);
      expect(run(fixture('koyeb-model_downloader.sh'), 'model_downloader.sh').references).toEqual(
        [],
      );
    });

    it('reads vllm serve positionals, revisions, tokenizers and code revisions', () => {
      const text = [
        '#!/bin/bash',
        'vllm serve Qwen/Qwen2-VL-7B-Instruct \\',
        '  --revision="51c47430f97dd7c74aa1fa6825e68a813478097f" \\',
        '  --tokenizer Qwen/Qwen2-VL-7B-Instruct --tokenizer-revision main \\',
        '  --code-revision 51c4743 --trust-remote-code',
        'text-generation-launcher --model-id bigscience/bloom --revision refs/pr/1 &',
        'vllm serve gpt2; aider --model openai/gpt-4o; python eval.py --model ./ckpt',
        'sudo -E env CUDA_VISIBLE_DEVICES=0 python train.py --pretrained_model_name_or_path=gpt2 --dataset_name org/data',
        '',
      ].join('\r\n');
      expect(summary(text, 'serve.sh')).toEqual([
        'model Qwen/Qwen2-VL-7B-Instruct@51c47430f97dd7c74aa1fa6825e68a813478097f pinned 2:12 vllm serve trust',
        'model Qwen/Qwen2-VL-7B-Instruct@51c4743 pinned 2:12 --code-revision trust',
        'model Qwen/Qwen2-VL-7B-Instruct@main 4:15 --tokenizer',
        'model bigscience/bloom@refs/pr/1 6:37 --model-id',
        'model gpt2@- 7:12 vllm serve',
        'model gpt2@- 8:84 --pretrained_model_name_or_path',
        'dataset org/data@- 8:104 --dataset_name',
      ]);
      const [first] = run(text, 'serve.sh').references;
      expect(first?.revisionSpan).toEqual({
        file: 'serve.sh',
        line: 3,
        column: 15,
        endColumn: 55,
        text: '51c47430f97dd7c74aa1fa6825e68a813478097f',
      });
    });

    it('reads docker run -e entries and the image arguments', () => {
      const text =
        'docker run --gpus all -e MODEL_ID=BAAI/bge-m3 --env "REVISION=5617a9f" -p 8080:80 \\\n' +
        '  ghcr.io/huggingface/text-embeddings-inference:1.5 --model-id BAAI/bge-m3 --auto-truncate\n';
      expect(summary(text, 'tei.sh')).toEqual([
        'model BAAI/bge-m3@5617a9f pinned 1:35 MODEL_ID',
        'model BAAI/bge-m3@- 2:64 --model-id',
      ]);
    });
  });

  it('reads .env files', () => {
    const text =
      '# serving\nMODEL_ID="Qwen/Qwen2.5-7B-Instruct"\nREVISION=a1b2c3d\nTRUST_REMOTE_CODE=true\nPORT=8080\n';
    const out = run(text, '.env');
    expect(summary(text, '.env')).toEqual([
      'model Qwen/Qwen2.5-7B-Instruct@a1b2c3d pinned 2:11 MODEL_ID trust',
    ]);
    expect(out.facts).toMatchObject([
      { type: 'remote-code', detail: 'TRUST_REMOTE_CODE=true', line: 4, column: 19 },
    ]);
  });
});
