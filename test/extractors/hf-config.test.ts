import { readFileSync } from 'node:fs';
import { extractor } from '../../src/extractors/hf-config/index.js';

const fixture = (path: string) =>
  readFileSync(new URL(`../fixtures/hf-config/${path}`, import.meta.url), 'utf8');
const extract = (path: string, text = fixture(path)) => extractor.extract({ path, text });

describe('hf-config extractor', () => {
  it('matches the transformers config file names only', () => {
    expect(extractor.match('config.json')).toBe(true);
    expect(extractor.match('models/llm/generation_config.json')).toBe(true);
    expect(extractor.match('tokenizer_config.json')).toBe(true);
    expect(extractor.match('a/preprocessor_config.json')).toBe(true);
    expect(extractor.match('a/processor_config.json')).toBe(true);
    expect(extractor.match('adapter_config.json')).toBe(false);
    expect(extractor.match('my_config.json')).toBe(false);
    expect(extractor.match('config.yaml')).toBe(false);
  });

  it('reads a merged Phi-3 config: base model, remote code repo and transformers version', () => {
    const r = extract('phi3-slerp/config.json');
    expect(r.problems).toEqual([]);
    expect(r.references).toEqual([
      {
        kind: 'model',
        ecosystem: 'huggingface',
        id: 'jpacifico/Chocolatine-3B-Instruct-DPO-Revised',
        revision: null,
        pinned: false,
        file: 'phi3-slerp/config.json',
        line: 2,
        column: 21,
        extractor: 'hf-config',
        via: '_name_or_path',
      },
      {
        kind: 'model',
        ecosystem: 'huggingface',
        id: 'microsoft/Phi-3-mini-4k-instruct',
        revision: null,
        pinned: false,
        file: 'phi3-slerp/config.json',
        line: 9,
        column: 20,
        extractor: 'hf-config',
        via: 'auto_map',
        trustRemoteCode: true,
      },
    ]);
    expect(r.facts).toEqual([
      {
        type: 'remote-code',
        via: 'auto_map',
        detail:
          'AutoConfig=microsoft/Phi-3-mini-4k-instruct--configuration_phi3.Phi3Config, ' +
          'AutoModelForCausalLM=microsoft/Phi-3-mini-4k-instruct--modeling_phi3.Phi3ForCausalLM',
        file: 'phi3-slerp/config.json',
        line: 8,
        column: 4,
      },
      {
        type: 'transformers-version',
        version: '4.44.2',
        file: 'phi3-slerp/config.json',
        line: 33,
        column: 28,
      },
    ]);
  });

  it('ignores a local _name_or_path but keeps the custom code of the repo itself', () => {
    const r = extract('qwen-7b-chat-cantonese/config.json');
    expect(r.references).toEqual([]);
    expect(r.facts).toEqual([
      {
        type: 'remote-code',
        via: 'auto_map',
        detail:
          'AutoConfig=configuration_qwen.QWenConfig, AutoModel=modeling_qwen.QWenLMHeadModel, ' +
          'AutoModelForCausalLM=modeling_qwen.QWenLMHeadModel',
        file: 'qwen-7b-chat-cantonese/config.json',
        line: 7,
        column: 4,
      },
      {
        type: 'transformers-version',
        version: '4.40.0',
        file: 'qwen-7b-chat-cantonese/config.json',
        line: 35,
        column: 28,
      },
    ]);
  });

  it('ignores an absolute local path with a trailing slash', () => {
    const r = extract('vicuna-7b-delta-v0/config.json');
    expect(r.references).toEqual([]);
    expect(r.facts).toEqual([
      {
        type: 'transformers-version',
        version: '4.28.0.dev0',
        file: 'vicuna-7b-delta-v0/config.json',
        line: 21,
        column: 28,
      },
    ]);
  });

  it('reads the tokenizer auto_map pair [slow, null]', () => {
    const r = extract('qwen-7b-chat-cantonese/tokenizer_config.json');
    expect(r.references).toEqual([]);
    expect(r.facts).toEqual([
      {
        type: 'remote-code',
        via: 'auto_map',
        detail: 'AutoTokenizer=tokenization_qwen.QWenTokenizer',
        file: 'qwen-7b-chat-cantonese/tokenizer_config.json',
        line: 3,
        column: 4,
      },
    ]);
  });

  it('reads generation_config.json', () => {
    const r = extract('qwen-7b-chat-cantonese/generation_config.json');
    expect(r).toEqual({
      references: [],
      weights: [],
      problems: [],
      facts: [
        {
          type: 'transformers-version',
          version: '4.40.0',
          file: 'qwen-7b-chat-cantonese/generation_config.json',
          line: 11,
          column: 28,
        },
      ],
    });
  });

  it('reads processor configs with custom code', () => {
    expect(extract('molmo/processor_config.json').facts).toEqual([
      {
        type: 'remote-code',
        via: 'auto_map',
        detail: 'AutoProcessor=preprocessing_molmo.MolmoProcessor',
        file: 'molmo/processor_config.json',
        line: 2,
        column: 4,
      },
    ]);
    const pre = extract('molmo/preprocessor_config.json');
    expect(pre.facts.map((f) => f.type === 'remote-code' && f.detail)).toEqual([
      'AutoImageProcessor=image_preprocessing_molmo.MolmoImageProcessor, ' +
        'AutoProcessor=preprocessing_molmo.MolmoProcessor',
    ]);
  });

  it('reads the top-level name and auto_map of a composite config, not a nested auto_map', () => {
    const r = extract('deepseek-ocr2/config.json');
    expect(r.references.map((x) => [x.id, x.via, x.line, x.column])).toEqual([
      ['deepseek-ai/DeepSeek-OCR-2', '_name_or_path', 2, 20],
    ]);
    expect(r.facts.map((f) => [f.type, f.line, f.column])).toEqual([
      ['remote-code', 13, 4],
      ['transformers-version', 62, 27],
    ]);
  });

  it('reads _name_or_path of nested text/vision configs and bare loader ids', () => {
    const text = [
      '{',
      '  "_name_or_path": "llava-hf/llava-1.5-7b-hf",',
      '  "text_config": {',
      '    "_name_or_path": "lmsys/vicuna-7b-v1.5",',
      '    "model_type": "llama"',
      '  },',
      '  "vision_config": { "_name_or_path": "openai/clip-vit-large-patch14-336" },',
      '  "encoder": { "_name_or_path": "gpt2" },',
      '  "quantization_config": { "_name_or_path": "./local" }',
      '}',
    ].join('\n');
    const r = extractor.extract({ path: 'config.json', text });
    expect(r.references.map((x) => [x.id, x.via, x.line, x.column])).toEqual([
      ['llava-hf/llava-1.5-7b-hf', '_name_or_path', 2, 21],
      ['lmsys/vicuna-7b-v1.5', 'text_config._name_or_path', 4, 23],
      ['openai/clip-vit-large-patch14-336', 'vision_config._name_or_path', 7, 40],
      ['gpt2', 'encoder._name_or_path', 8, 34],
    ]);
  });

  it('reads name_or_path as written by older tokenizers', () => {
    const text = '{\n  "model_max_length": 1024,\n  "name_or_path": "gpt2"\n}\n';
    const r = extractor.extract({ path: 'tokenizer_config.json', text });
    expect(r.references.map((x) => [x.id, x.via, x.line, x.column])).toEqual([
      ['gpt2', 'name_or_path', 3, 20],
    ]);
  });

  it('keeps line numbers of CRLF files', () => {
    const text = fixture('phi3-slerp/config.json').replace(/\n/g, '\r\n');
    const r = extract('phi3-slerp/config.json', text);
    expect(r.references.map((x) => [x.line, x.column])).toEqual([
      [2, 21],
      [9, 20],
    ]);
    expect(r.facts.map((f) => [f.line, f.column])).toEqual([
      [8, 4],
      [33, 28],
    ]);
  });

  it('reports malformed JSON at the error position and keeps what it could read', () => {
    const text = '{\n  "transformers_version": "4.40.0"\n  "top_k": 0\n}\n';
    const r = extractor.extract({ path: 'generation_config.json', text });
    expect(r.problems).toEqual([
      {
        file: 'generation_config.json',
        line: 3,
        column: 3,
        message: 'invalid JSON: CommaExpected',
      },
    ]);
    expect(r.facts).toEqual([
      {
        type: 'transformers-version',
        version: '4.40.0',
        file: 'generation_config.json',
        line: 2,
        column: 28,
      },
    ]);
  });

  it('stays quiet on an unrelated config.json, even a broken one', () => {
    const broken = '{\n  "compilerOptions": {\n    "strict": true\n  \n';
    expect(extractor.extract({ path: 'config.json', text: broken }).problems).toEqual([]);
    const other = '{ "port": 8080, "name": "server" }';
    expect(extractor.extract({ path: 'config.json', text: other }).references).toEqual([]);
  });
});
