import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { extractor } from '../../src/extractors/python-source/index.js';
import type { Extraction, Fact, Reference } from '../../src/types.js';
import { LineIndex } from '../../src/util/text.js';

const DIR = fileURLToPath(new URL('../fixtures/python-source/', import.meta.url));

function fixture(name: string): string {
  return readFileSync(DIR + name, 'utf8');
}

function run(path: string, text = fixture(path)): Extraction {
  return extractor.extract({ path, text });
}

/** Type, trigger, detail, place and span text of a remote-code or unsafe-load fact. */
function factRow(f: Fact): unknown[] {
  if (f.type === 'remote-code') return [f.type, f.via, f.detail, f.line, f.column, f.span?.text];
  if (f.type === 'unsafe-load') return [f.type, f.call, f.detail, f.line, f.column, f.span?.text];
  return [f.type];
}

/** The fields a test pins down; the rest (file, extractor) is checked once below. */
function brief(r: Reference) {
  return {
    kind: r.kind,
    id: r.id,
    revision: r.revision,
    pinned: r.pinned,
    line: r.line,
    column: r.column,
    via: r.via,
    ...(r.trustRemoteCode && { trustRemoteCode: true }),
    ...(r.filename && { filename: r.filename }),
  };
}

describe('python-source: match', () => {
  it.each([
    ['train.py', true],
    ['notebooks/Fine_tune.ipynb', true],
    ['src/PKG/Mod.PY', true],
    ['setup.cfg', false],
    ['cache/x.pyc', false],
    ['types.pyi', false],
  ])('%s → %s', (path, expected) => {
    expect(extractor.match(path)).toBe(expected);
  });
});

describe('python-source: real fixtures', () => {
  it('resolves a model and a revision constant (slabstech/llm-recipes moondream.py)', () => {
    const out = run('llm_recipes_moondream.py');
    expect(out.references.map(brief)).toEqual([
      {
        kind: 'model',
        id: 'vikhyatk/moondream2',
        revision: '2024-05-20',
        pinned: false,
        line: 4,
        column: 13,
        via: 'from_pretrained',
        trustRemoteCode: true,
      },
    ]);
    expect(out.references[0]?.revisionSpan).toEqual({
      file: 'llm_recipes_moondream.py',
      line: 5,
      column: 13,
      endColumn: 23,
      text: '2024-05-20',
    });
    expect(out.references[0]?.extractor).toBe('python-source');
    expect(out.facts).toEqual([
      {
        type: 'remote-code',
        via: 'trust_remote_code',
        detail: 'trust_remote_code=True',
        file: 'llm_recipes_moondream.py',
        line: 7,
        column: 15,
        span: {
          file: 'llm_recipes_moondream.py',
          line: 7,
          column: 33,
          endColumn: 37,
          text: 'True',
        },
      },
    ]);
    expect(out.problems).toEqual([]);
  });

  it('ignores commented-out calls and flags (moondream download_model_v2.py)', () => {
    const out = run('moondream_download_model_v2.py');
    expect(out.references.map(brief)).toEqual([
      {
        kind: 'model',
        id: 'vikhyatk/moondream2',
        revision: '2025-04-14',
        pinned: false,
        line: 14,
        column: 14,
        via: 'snapshot_download',
      },
      {
        kind: 'model',
        id: 'vikhyatk/moondream2',
        revision: '2025-04-14',
        pinned: false,
        line: 38,
        column: 6,
        via: 'from_pretrained',
        trustRemoteCode: true,
      },
    ]);
    expect(out.references[0]?.revisionSpan).toMatchObject({ line: 15, column: 15, endColumn: 25 });
    expect(out.facts.map((f) => [f.type, f.line, f.column])).toEqual([['remote-code', 42, 5]]);
  });

  it('follows constants into hf_hub_download and vLLM (vllm gguf_inference.py)', () => {
    const out = run('vllm_gguf_inference.py');
    expect(out.references.map(brief)).toEqual([
      {
        kind: 'model',
        id: 'microsoft/Phi-3-medium-4k-instruct',
        revision: null,
        pinned: false,
        line: 32,
        column: 18,
        via: 'LLM(tokenizer=)',
      },
      {
        kind: 'model',
        id: 'bartowski/Phi-3-medium-4k-instruct-GGUF',
        revision: null,
        pinned: false,
        line: 30,
        column: 16,
        via: 'hf_hub_download',
        filename: 'Phi-3-medium-4k-instruct-IQ2_M.gguf',
      },
    ]);
    expect(out.weights).toEqual([
      {
        file: 'vllm_gguf_inference.py',
        line: 31,
        column: 17,
        name: 'Phi-3-medium-4k-instruct-IQ2_M.gguf',
        format: 'gguf',
        origin: 'source',
        upstream: { id: 'bartowski/Phi-3-medium-4k-instruct-GGUF', revision: null, kind: 'model' },
      },
    ]);
  });

  it('reads a module constant and trust_remote_code datasets (peft arrow_phi3_mini.py)', () => {
    const out = run('peft_arrow_phi3_mini.py');
    const models = out.references.filter((r) => r.kind === 'model').map(brief);
    expect(models).toEqual([
      {
        kind: 'model',
        id: 'microsoft/Phi-3-mini-4k-instruct',
        revision: null,
        pinned: false,
        line: 95,
        column: 15,
        via: 'from_pretrained',
      },
    ]);
    const datasets = out.references.filter((r) => r.kind === 'dataset');
    expect(datasets.map((r) => [r.id, r.line, r.column, r.trustRemoteCode])).toEqual([
      ['google/boolq', 122, 28, true],
      ['Rowan/hellaswag', 124, 28, true],
      ['allenai/ai2_arc', 126, 28, true],
      ['allenai/ai2_arc', 128, 28, true],
      ['allenai/openbookqa', 130, 28, true],
      ['allenai/winogrande', 132, 28, true],
    ]);
    expect(out.facts.map((f) => factRow(f))).toEqual(
      [
        [122, 63],
        [124, 66],
        [126, 83],
        [128, 78],
        [130, 69],
        [132, 86],
      ].map(([line, column]) => [
        'remote-code',
        'trust_remote_code',
        'trust_remote_code=True',
        line,
        column,
        'True',
      ]),
    );
  });

  it('resolves a function-local constant and skips local loaders and f-strings (peft zero3 script)', () => {
    const out = run('peft_lora_clm_accelerate_ds_zero3_offload.py');
    expect(out.references.map(brief)).toEqual([
      {
        kind: 'model',
        id: 'bigscience/bloomz-7b1',
        revision: null,
        pinned: false,
        line: 112,
        column: 27,
        via: 'from_pretrained',
      },
    ]);
    expect(out.facts).toEqual([]);
  });

  it('reads a pinned short sha and its span (axolotl test_dpo_chat_templates.py)', () => {
    const out = run('axolotl_test_dpo_chat_templates.py');
    expect(out.references.map(brief)).toEqual([
      {
        kind: 'model',
        id: 'microsoft/Phi-3-mini-4k-instruct',
        revision: null,
        pinned: false,
        line: 114,
        column: 48,
        via: 'from_pretrained',
      },
      {
        kind: 'model',
        id: 'unsloth/gemma-2b-it',
        revision: '703fb4a',
        pinned: true,
        line: 122,
        column: 48,
        via: 'from_pretrained',
      },
    ]);
    expect(out.references[1]?.revisionSpan).toEqual({
      file: 'axolotl_test_dpo_chat_templates.py',
      line: 122,
      column: 80,
      endColumn: 87,
      text: '703fb4a',
    });
  });

  it('keeps literal and bare ids and drops CLI arguments (trl bco.py)', () => {
    const out = run('trl_bco.py');
    expect(out.references.map((r) => [r.id, r.line, r.column])).toEqual([
      ['nomic-ai/nomic-embed-text-v1.5', 125, 10],
      ['bert-base-uncased', 131, 58],
    ]);
  });

  it('reads sentence-transformers loaders (training_gooaq_bce.py)', () => {
    const out = run('st_training_gooaq_bce.py');
    expect(out.references.map((r) => [r.kind, r.id, r.line, r.column, r.via])).toEqual([
      ['model', 'answerdotai/ModernBERT-base', 24, 19, 'CrossEncoder'],
      ['dataset', 'sentence-transformers/gooaq', 44, 34, 'load_dataset'],
      ['model', 'sentence-transformers/static-retrieval-mrl-en-v1', 52, 44, 'SentenceTransformer'],
    ]);
  });

  it('accepts a bare dataset id with trust_remote_code (semantic_search_usearch.py)', () => {
    const out = run('st_semantic_search_usearch.py');
    expect(out.references.map(brief)).toEqual([
      {
        kind: 'dataset',
        id: 'quora',
        revision: null,
        pinned: false,
        line: 9,
        column: 25,
        via: 'load_dataset',
        trustRemoteCode: true,
      },
      {
        kind: 'model',
        id: 'mixedbread-ai/mxbai-embed-large-v1',
        revision: null,
        pinned: false,
        line: 24,
        column: 30,
        via: 'SentenceTransformer',
      },
    ]);
    expect(out.facts.map((f) => [f.type, f.line, f.column])).toEqual([['remote-code', 9, 48]]);
  });

  it('reads hf_hub_download of a dataset file (peft orthogonal_subspace_learning/utils.py)', () => {
    const out = run('peft_osl_utils.py');
    expect(out.references.map(brief)).toEqual([
      {
        kind: 'dataset',
        id: 'derek-thomas/ScienceQA',
        revision: null,
        pinned: false,
        line: 32,
        column: 29,
        via: 'load_dataset',
      },
      {
        kind: 'dataset',
        id: 'metaeval/num-glue',
        revision: null,
        pinned: false,
        line: 60,
        column: 42,
        via: 'hf_hub_download',
        filename: 'NumGLUE_train.json',
      },
      {
        kind: 'dataset',
        id: 'TheFinAI/finben-fomc',
        revision: null,
        pinned: false,
        line: 106,
        column: 29,
        via: 'load_dataset',
      },
    ]);
    expect(out.weights).toEqual([]); // a JSON file is not weights
  });

  it('reports torch.load(weights_only=False) (LLaMA-Factory checkpoint.py)', () => {
    const out = run('llamafactory_checkpoint.py');
    expect(out.references).toEqual([]);
    expect(out.facts).toEqual([
      {
        type: 'unsafe-load',
        call: 'torch.load',
        detail: 'weights_only=False',
        file: 'llamafactory_checkpoint.py',
        line: 136,
        column: 54,
        span: {
          file: 'llamafactory_checkpoint.py',
          line: 136,
          column: 67,
          endColumn: 72,
          text: 'False',
        },
      },
      {
        type: 'unsafe-load',
        call: 'torch.load',
        detail: 'weights_only=False',
        file: 'llamafactory_checkpoint.py',
        line: 334,
        column: 99,
        span: {
          file: 'llamafactory_checkpoint.py',
          line: 334,
          column: 112,
          endColumn: 117,
          text: 'False',
        },
      },
    ]);
  });
});

describe('python-source: notebooks', () => {
  it('maps cell lines back to the JSON lines and resolves across cells (PaliGemma notebook)', () => {
    const out = run('notebooks_fine_tune_paligemma.ipynb');
    expect(out.references.map((r) => [r.kind, r.id, r.line, r.column, r.via])).toEqual([
      ['dataset', 'HuggingFaceM4/VQAv2', 77, 29, 'load_dataset'],
      ['model', 'google/paligemma-3b-pt-224', 133, 23, 'from_pretrained'],
    ]);
    expect(out.problems).toEqual([]);
  });

  it('skips markdown cells (huggingface/notebooks summarization.ipynb)', () => {
    const out = run('notebooks_summarization.ipynb');
    expect(out.references.map((r) => [r.kind, r.id, r.line, r.column])).toEqual([
      ['dataset', 'xsum', 172, 36],
      ['model', 't5-small', 128, 27],
    ]);
    expect(out.references.some((r) => r.id === 'sgugger/my-awesome-model')).toBe(false);
  });

  it('reads PeftModel adapters and ignores %%time magics (peft Multi-LoRA notebook)', () => {
    const out = run('peft_multi_lora_inference.ipynb');
    expect(out.references.map((r) => [r.id, r.line, r.column, r.via])).toEqual([
      ['meta-llama/Llama-2-7b-hf', 63, 21, 'from_pretrained'],
      ['tloen/alpaca-lora-7b', 82, 49, 'from_pretrained'],
      ['22h/cabrita-lora-v0-1', 95, 27, 'load_adapter'],
    ]);
    expect(out.problems).toEqual([]);
  });

  it('reports invalid notebook JSON with its line', () => {
    const text =
      '{\n "cells": [\n  {"cell_type": "code", "source": ["m = AutoModel.from_pretrained(\\"org/a\\")"]}\n ,,\n]}';
    const out = run('broken.ipynb', text);
    expect(out.problems[0]).toMatchObject({ file: 'broken.ipynb', line: 4 });
    expect(out.references.map((r) => [r.id, r.line, r.column])).toEqual([['org/a', 3, 69]]);
  });

  it('blanks shell and magic lines, skips foreign cell magics, decodes escapes', () => {
    const nb = {
      cells: [
        {
          cell_type: 'code',
          source: ['!pip install "transformers==4.40\n', '%env HF="x\n', 'MODEL = "org/m"\n'],
        },
        {
          cell_type: 'code',
          source: '%%bash\necho "unterminated\nhuggingface-cli download org/bash\n',
        },
        { cell_type: 'markdown', source: ['tok = AutoTokenizer.from_pretrained("org/markdown")'] },
        {
          cell_type: 'code',
          source: ['x = "tab\\t"; tok = AutoTokenizer.from_pretrained(MODEL, revision="v1.0")'],
        },
      ],
    };
    const text = JSON.stringify(nb, null, 1);
    const out = run('nb.ipynb', text);
    expect(out.problems).toEqual([]);
    expect(out.references.map(brief)).toEqual([
      {
        kind: 'model',
        id: 'org/m',
        revision: 'v1.0',
        pinned: false,
        line: 8,
        column: 16,
        via: 'from_pretrained',
      },
    ]);
    const lines = new LineIndex(text);
    expect(lines.lineText(8).slice(15)).toMatch(/^org\/m/);
    const span = out.references[0]?.revisionSpan;
    expect(span && lines.lineText(span.line).slice(span.column - 1, span.endColumn - 1)).toBe(
      'v1.0',
    );
  });
});

describe('python-source: nbformat 3', () => {
  it('reads code cells from worksheets and their input field', () => {
    const text = JSON.stringify({
      nbformat: 3,
      worksheets: [{ cells: [{ cell_type: 'code', input: ['load_dataset("org/v3-data")\n'] }] }],
    });
    expect(run('old.ipynb', text).references.map((r) => [r.kind, r.id, r.line, r.column])).toEqual([
      ['dataset', 'org/v3-data', 1, text.indexOf('org/v3-data') + 1],
    ]);
  });
});

describe('python-source: every fixture position points at its id', () => {
  const files = readdirSync(DIR).filter((f) => extractor.match(f));
  it.each(files)('%s', (name) => {
    const text = fixture(name);
    const out = run(name, text);
    const lines = new LineIndex(text);
    expect(out.references.length + out.facts.length).toBeGreaterThan(0);
    for (const r of out.references) {
      expect(r.file).toBe(name);
      expect(r.extractor).toBe('python-source');
      expect(lines.lineText(r.line).slice(r.column - 1)).toMatch(
        new RegExp(`^${r.id.replace(/[.]/g, '\\.')}`),
      );
      if (r.revisionSpan) {
        const s = r.revisionSpan;
        expect(lines.lineText(s.line).slice(s.column - 1, s.endColumn - 1)).toBe(s.text);
        expect(s.text).toBe(r.revision);
      }
    }
  });
});

describe('python-source: constants and call shapes', () => {
  const refs = (text: string) => run('x.py', text).references;

  it('resolves annotated, chained, attribute, dict, getenv, argparse and dataclass constants', () => {
    const text = [
      'import os, argparse', // 1
      'BASE: str = "org/annotated"', // 2
      'A = B = "org/chained"', // 3
      'CONFIG = {"model": "org/dict", "other": 1}', // 4
      'ENV_MODEL = os.getenv("MODEL_ID", "org/env-default")', // 5
      'parser = argparse.ArgumentParser()', // 6
      'parser.add_argument("--model-name", type=str, default="org/argparse")', // 7
      '@dataclass', // 8
      'class Args:', // 9
      '    dataset_name: str = field(default="org/field-ds", metadata={"help": "x"})', // 10
      'class Loader:', // 11
      '    def __init__(self):', // 12
      '        self.model_id = "org/attr"', // 13
      '    def load(self):', // 14
      '        return AutoModel.from_pretrained(self.model_id)', // 15
      'args = parser.parse_args()', // 16
      'AutoModel.from_pretrained(BASE)', // 17
      'AutoModel.from_pretrained(B)', // 18
      'AutoModel.from_pretrained(CONFIG["model"])', // 19
      'AutoModel.from_pretrained(ENV_MODEL)', // 20
      'AutoModel.from_pretrained(os.environ.get("X", "org/inline-env"))', // 21
      'AutoModel.from_pretrained(args.model_name)', // 22
      'load_dataset(script_args.dataset_name)', // 23
      'AutoModel.from_pretrained(os.environ["MODEL"])', // 24
    ].join('\n');
    expect(refs(text).map((r) => [r.kind, r.id, r.line, r.column])).toEqual([
      ['model', 'org/attr', 13, 26],
      ['model', 'org/annotated', 2, 14],
      ['model', 'org/chained', 3, 10],
      ['model', 'org/dict', 4, 21],
      ['model', 'org/env-default', 5, 36],
      ['model', 'org/inline-env', 21, 48],
      ['model', 'org/argparse', 7, 56],
      ['dataset', 'org/field-ds', 10, 40],
    ]);
  });

  it('resolves parameter defaults inside the function body', () => {
    const text = [
      'def main(model_name: str = "org/typed-default", revision="v3", *args, **kwargs):',
      '    return AutoModel.from_pretrained(model_name, revision=revision)',
      'def other(model_id):',
      '    return AutoModel.from_pretrained(model_id)',
    ].join('\n');
    const out = refs(text);
    expect(out.map((r) => [r.id, r.revision, r.line, r.column])).toEqual([
      ['org/typed-default', 'v3', 1, 29],
    ]);
    expect(out[0]?.revisionSpan).toMatchObject({ line: 1, column: 59, endColumn: 61, text: 'v3' });
  });

  it('uses the binding in force at the call, not a later reassignment', () => {
    const text =
      'M = "org/first"\nAutoModel.from_pretrained(M)\nM = "org/second"\nAutoTokenizer.from_pretrained(M)\n';
    expect(refs(text).map((r) => [r.id, r.line])).toEqual([
      ['org/first', 1],
      ['org/second', 3],
    ]);
  });

  it('does not resolve a name reassigned from a call', () => {
    const text =
      'model = "org/x"\nmodel = hf_hub_download("org/y", "model.safetensors")\nLLM(model=model)\nimport vllm\n';
    expect(refs(text).map((r) => [r.id, r.via])).toEqual([['org/y', 'hf_hub_download']]);
  });

  it('reads pipeline ids by keyword and as second positional, with the tokenizer', () => {
    const text = [
      'from transformers import pipeline',
      'p1 = pipeline("text-generation", "org/pos", revision="main")',
      'p2 = pipeline(task="ner", model="gpt2", tokenizer="org/tok")',
      'p3 = pipeline("sentiment-analysis")',
      'p4 = self.pipeline("x", "org/not-transformers")',
    ].join('\n');
    expect(refs(text).map((r) => [r.id, r.revision, r.via, r.line, r.column])).toEqual([
      ['org/pos', 'main', 'pipeline', 2, 35],
      ['gpt2', null, 'pipeline', 3, 34],
      ['org/tok', null, 'pipeline(tokenizer=)', 3, 52],
    ]);
  });

  it('takes the PeftModel adapter, diffusers pipelines and a revision constant', () => {
    const text = [
      'REV = "0123456789abcdef0123456789abcdef01234567"',
      'model = PeftModel.from_pretrained(base, "org/adapter", revision=REV)',
      'local = PeftModel.from_pretrained(base, "lora-out")',
      'pipe = StableDiffusionXLPipeline.from_pretrained("stabilityai/sdxl-base", commit_id="abc1234")',
      'pipe.load_lora_weights("nerijs/pixel-art-xl", weight_name="pixel-art-xl.safetensors")',
    ].join('\n');
    const out = run('x.py', text);
    expect(out.references.map(brief)).toEqual([
      {
        kind: 'model',
        id: 'org/adapter',
        revision: '0123456789abcdef0123456789abcdef01234567',
        pinned: true,
        line: 2,
        column: 42,
        via: 'from_pretrained',
      },
      {
        kind: 'model',
        id: 'stabilityai/sdxl-base',
        revision: 'abc1234',
        pinned: true,
        line: 4,
        column: 51,
        via: 'from_pretrained',
      },
      {
        kind: 'model',
        id: 'nerijs/pixel-art-xl',
        revision: null,
        pinned: false,
        line: 5,
        column: 25,
        via: 'load_lora_weights',
        filename: 'pixel-art-xl.safetensors',
      },
    ]);
    expect(out.references[0]?.revisionSpan).toMatchObject({ line: 1, column: 8, endColumn: 48 });
    expect(out.weights.map((w) => [w.name, w.format, w.line, w.column])).toEqual([
      ['pixel-art-xl.safetensors', 'safetensors', 5, 60],
    ]);
  });

  it('reads hf_hub_download and snapshot_download keyword and positional forms', () => {
    const text = [
      'hf_hub_download(repo_id="org/m", filename="pytorch_model.bin", revision="v2")',
      'hf_hub_download("org/d", "data/train.parquet", repo_type="dataset")',
      'snapshot_download("org/space", repo_type="space")',
      'snapshot_download(repo_id="org/snap", allow_patterns=["*.json"])',
      'hf_hub_url("org/u", "model.gguf", revision="main")',
    ].join('\n');
    const out = run('x.py', text);
    expect(
      out.references.map((r) => [r.kind, r.id, r.revision, r.filename ?? null, r.via]),
    ).toEqual([
      ['model', 'org/m', 'v2', 'pytorch_model.bin', 'hf_hub_download'],
      ['dataset', 'org/d', null, 'data/train.parquet', 'hf_hub_download'],
      ['model', 'org/snap', null, null, 'snapshot_download'],
      ['model', 'org/u', 'main', 'model.gguf', 'hf_hub_url'],
    ]);
    expect(out.weights.map((w) => [w.name, w.format, w.upstream])).toEqual([
      ['pytorch_model.bin', 'pickle', { id: 'org/m', revision: 'v2', kind: 'model' }],
      ['model.gguf', 'gguf', { id: 'org/u', revision: 'main', kind: 'model' }],
    ]);
  });

  it('reads hf-hub: prefixes for timm and open_clip only', () => {
    const text = [
      'm = timm.create_model("hf-hub:timm/vit_base_patch16_224.augreg2_in21k_ft_in1k", pretrained=True)',
      'r = timm.create_model("resnet50", pretrained=True)',
      "c, _, p = open_clip.create_model_and_transforms('hf-hub:imageomics/bioclip')",
      "t = open_clip.get_tokenizer('hf-hub:imageomics/bioclip')",
    ].join('\n');
    expect(refs(text).map((r) => [r.id, r.line, r.column, r.via])).toEqual([
      ['timm/vit_base_patch16_224.augreg2_in21k_ft_in1k', 1, 31, 'create_model'],
      ['imageomics/bioclip', 3, 57, 'create_model_and_transforms'],
      ['imageomics/bioclip', 4, 37, 'get_tokenizer'],
    ]);
  });

  it('reads vLLM only where vllm is imported', () => {
    const vllm =
      'from vllm import LLM\nllm = LLM(model="org/m", revision="abc1234", tokenizer="org/t", tokenizer_revision="v1")\n';
    expect(refs(vllm).map((r) => [r.id, r.revision, r.pinned, r.via])).toEqual([
      ['org/m', 'abc1234', true, 'LLM'],
      ['org/t', 'v1', false, 'LLM(tokenizer=)'],
    ]);
    expect(refs('from langchain import LLM\nLLM(model="org/m")\nfrom_pretrained = 1\n')).toEqual(
      [],
    );
  });

  it('ignores local paths, templates, byte strings and local dataset builders', () => {
    const text = [
      'AutoModel.from_pretrained("./ckpt")',
      'AutoModel.from_pretrained("/models/llama")',
      'AutoModel.from_pretrained("outputs/checkpoint-500")',
      'AutoModel.from_pretrained(f"{ORG}/{NAME}")',
      'AutoModel.from_pretrained(b"org/bytes")',
      'AutoModel.from_pretrained("s3://bucket/model")',
      'load_dataset("json", data_files="train.jsonl")',
      'load_dataset("parquet", data_files={"train": "hf://datasets/org/x/train.parquet"})',
      'load_dataset("imagefolder", data_dir="imgs")',
      'AutoModel.from_pretrained(model_args.model_name_or_path)',
      'def from_pretrained(cls, pretrained_model_name_or_path="org/def-default"): pass',
    ].join('\n');
    expect(refs(text)).toEqual([]);
  });

  it('accepts f-strings without fields and string prefixes', () => {
    const text =
      'AutoModel.from_pretrained(f"org/f")\nAutoModel.from_pretrained(r"org/r")\nAutoModel.from_pretrained(u\'org/u\')\n';
    expect(refs(text).map((r) => [r.id, r.column])).toEqual([
      ['org/f', 29],
      ['org/r', 29],
      ['org/u', 29],
    ]);
  });

  it('counts columns in UTF-16 code units', () => {
    const text = 'greeting = "héllo 🤗"; m = AutoModel.from_pretrained("org/emoji")\n';
    const ref = refs(text)[0];
    expect([ref?.line, ref?.column]).toEqual([1, text.indexOf('org/emoji') + 1]);
    expect(ref?.column).toBe(55); // the emoji counts as two code units
  });
});

describe('python-source: facts', () => {
  const facts = (text: string) => run('x.py', text).facts.map(factRow);

  it('flags trust_remote_code=True in any call and in kwargs dicts, not in defs or False', () => {
    const text = [
      'model = MyLoader.load(name, trust_remote_code=True)',
      'kw = dict(trust_remote_code=True)',
      'st = SentenceTransformer("org/x", model_kwargs={"trust_remote_code": True})',
      'def load(name, trust_remote_code=True): pass',
      'AutoModel.from_pretrained("org/y", trust_remote_code=False)',
      '# trust_remote_code=True',
      's = "trust_remote_code=True"',
    ].join('\n');
    expect(facts(text)).toEqual([
      ['remote-code', 'trust_remote_code', 'trust_remote_code=True', 1, 29, 'True'],
      ['remote-code', 'trust_remote_code', 'trust_remote_code=True', 2, 11, 'True'],
      ['remote-code', 'trust_remote_code', 'trust_remote_code=True', 3, 49, 'True'],
    ]);
  });

  it('flags pickle-based loads', () => {
    const text = [
      'import torch, pickle, joblib, numpy as np',
      'a = torch.load("x.pt")',
      'b = torch.load("x.pt", weights_only=False)',
      'c = pickle.load(open("x.pkl", "rb"))',
      'd = pickle.loads(blob)',
      'e = joblib.load("clf.joblib")',
      'f = np.load("x.npy", allow_pickle=True)',
      'g = np.load("x.npy")',
      'h = torch.load("x.pt", weights_only=True)',
    ].join('\n');
    expect(facts(text)).toEqual([
      ['unsafe-load', 'torch.load', 'weights_only=False', 3, 24, 'False'],
      ['unsafe-load', 'pickle.load', 'pickle.load deserializes with pickle', 4, 5, undefined],
      ['unsafe-load', 'pickle.loads', 'pickle.loads deserializes with pickle', 5, 5, undefined],
      ['unsafe-load', 'joblib.load', 'joblib.load deserializes with pickle', 6, 5, undefined],
      ['unsafe-load', 'np.load', 'allow_pickle=True', 7, 22, 'True'],
    ]);
  });
});

describe('python-source: malformed input', () => {
  it('reports an unterminated triple-quoted string at its start and keeps earlier references', () => {
    const text =
      'm = AutoModel.from_pretrained("org/before")\n\n\ndoc = """never closed\nAutoModel.from_pretrained("org/inside")\n';
    const out = run('bad.py', text);
    expect(out.problems).toEqual([
      { file: 'bad.py', line: 4, column: 7, message: 'unterminated triple-quoted string literal' },
    ]);
    expect(out.references.map((r) => r.id)).toEqual(['org/before']);
  });

  it('reports an unterminated single-line string and recovers on the next line', () => {
    const text = 'x = "oops\nm = AutoModel.from_pretrained("org/after")\n';
    const out = run('bad.py', text);
    expect(out.problems).toEqual([
      { file: 'bad.py', line: 1, column: 5, message: 'unterminated string literal' },
    ]);
    expect(out.references.map((r) => [r.id, r.line])).toEqual([['org/after', 2]]);
  });

  it('never throws on unbalanced brackets', () => {
    const text =
      'm = AutoModel.from_pretrained("org/a", revision="v1"\nx = [1, 2\ny = AutoModel.from_pretrained(\n';
    const out = run('bad.py', text);
    expect(out.problems).toEqual([]);
    // The unclosed call swallows the rest of the file, so its revision is not a plain literal.
    expect(out.references.map((r) => [r.id, r.revision])).toEqual([['org/a', null]]);
  });

  it('survives PEP 701 f-strings that reuse their quote inside fields', () => {
    const text =
      'msg = f"{cfg["name"]} and {f"{x!r}"}"\nm = AutoModel.from_pretrained("org/after-fstring")\n';
    const out = run('ok.py', text);
    expect(out.problems).toEqual([]);
    expect(out.references.map((r) => r.id)).toEqual(['org/after-fstring']);
  });

  it('gives CRLF files the same lines and columns', () => {
    const lf = fixture('llm_recipes_moondream.py');
    const crlf = lf.replace(/\n/g, '\r\n');
    const a = run('m.py', lf);
    const b = run('m.py', crlf);
    expect(b.references.map(brief)).toEqual(a.references.map(brief));
    expect(b.references[0]?.revisionSpan).toEqual(a.references[0]?.revisionSpan);
    expect(b.facts).toEqual(a.facts);
  });

  it('skips files that name no loader without tokenizing them', () => {
    const out = run('plain.py', 'x = """never closed\n');
    expect(out).toEqual({ references: [], weights: [], facts: [], problems: [] });
  });
});
