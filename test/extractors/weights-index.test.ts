import { readFileSync } from 'node:fs';
import { extractor } from '../../src/extractors/weights-index/index.js';

const fixture = (path: string) =>
  readFileSync(new URL(`../fixtures/weights-index/${path}`, import.meta.url), 'utf8');
const extract = (path: string, text = fixture(path)) => extractor.extract({ path, text });

describe('weights-index extractor', () => {
  it('matches *.index.json', () => {
    expect(extractor.match('model.safetensors.index.json')).toBe(true);
    expect(extractor.match('ckpt/pytorch_model.bin.index.json')).toBe(true);
    expect(extractor.match('diffusion_pytorch_model.safetensors.index.json')).toBe(true);
    expect(extractor.match('model.safetensors')).toBe(false);
    expect(extractor.match('index.json')).toBe(false);
  });

  it('lists each shard once, where its name first appears', () => {
    const path = 'granite/model.safetensors.index.json';
    expect(extract(path)).toEqual({
      references: [],
      facts: [],
      problems: [],
      weights: [
        {
          file: path,
          line: 6,
          column: 35,
          name: 'model-00001-of-00002.safetensors',
          format: 'safetensors',
          origin: 'weights-index',
          index: path,
        },
        {
          file: path,
          line: 18,
          column: 27,
          name: 'model-00002-of-00002.safetensors',
          format: 'safetensors',
          origin: 'weights-index',
          index: path,
        },
      ],
    });
  });

  it('reads a one-line index (mergekit) with exact columns', () => {
    const r = extract('phi3-slerp/model.safetensors.index.json');
    expect(r.weights.map((w) => [w.name, w.line, w.column])).toEqual([
      ['model-00001-of-00002.safetensors', 1, 107],
      ['model-00002-of-00002.safetensors', 1, 9987],
    ]);
  });

  it('classifies pickle shards of pytorch_model.bin.index.json', () => {
    const r = extract('vicuna-7b-delta-v0/pytorch_model.bin.index.json');
    expect(r.weights.map((w) => [w.name, w.format, w.line, w.column])).toEqual([
      ['pytorch_model-00002-of-00002.bin', 'pickle', 6, 24],
      ['pytorch_model-00001-of-00002.bin', 'pickle', 7, 35],
    ]);
  });

  it('keeps line numbers of a CRLF index', () => {
    const text = fixture('granite/model.safetensors.index.json').replace(/\n/g, '\r\n');
    const r = extract('granite/model.safetensors.index.json', text);
    expect(r.weights.map((w) => [w.line, w.column])).toEqual([
      [6, 35],
      [18, 27],
    ]);
  });

  it('reports malformed JSON at the error and keeps the shards before it', () => {
    const text = [
      '{',
      '  "metadata": { "total_size": 10 },',
      '  "weight_map": {',
      '    "a.weight": "model-00001-of-00002.safetensors"',
      '    "b.weight": "model-00002-of-00002.safetensors"',
      '  }',
      '}',
    ].join('\n');
    const r = extractor.extract({ path: 'model.safetensors.index.json', text });
    expect(r.problems).toEqual([
      {
        file: 'model.safetensors.index.json',
        line: 5,
        column: 5,
        message: 'invalid JSON: CommaExpected',
      },
    ]);
    expect(r.weights.map((w) => w.name)).toEqual([
      'model-00001-of-00002.safetensors',
      'model-00002-of-00002.safetensors',
    ]);
  });

  it('reports a shard index without a usable weight_map', () => {
    const missing = extractor.extract({
      path: 'model.safetensors.index.json',
      text: '{\n  "metadata": { "total_size": 10 }\n}\n',
    });
    expect(missing.problems).toEqual([
      {
        file: 'model.safetensors.index.json',
        line: 1,
        column: 1,
        message: 'shard index has no weight_map',
      },
    ]);
    const list = extractor.extract({
      path: 'pytorch_model.bin.index.json',
      text: '{\n  "weight_map": [\n    "pytorch_model.bin"\n  ]\n}\n',
    });
    expect(list.problems).toEqual([
      {
        file: 'pytorch_model.bin.index.json',
        line: 2,
        column: 17,
        message: 'weight_map is not an object',
      },
    ]);
    expect(list.weights).toEqual([]);
  });

  it('ignores other *.index.json files that are not shard indexes', () => {
    const r = extractor.extract({
      path: 'docs/search.index.json',
      text: '{"documents": [], "version": 2',
    });
    expect(r).toEqual({ references: [], weights: [], facts: [], problems: [] });
  });

  it('reads a custom *.index.json that has a weight_map', () => {
    const r = extractor.extract({
      path: 'unet/diffusion_pytorch_model.fp16.index.json',
      text: '{"weight_map": {"x": "diffusion_pytorch_model.fp16-00001-of-00002.safetensors"}}',
    });
    expect(r.weights.map((w) => [w.name, w.format, w.index])).toEqual([
      [
        'diffusion_pytorch_model.fp16-00001-of-00002.safetensors',
        'safetensors',
        'unet/diffusion_pytorch_model.fp16.index.json',
      ],
    ]);
  });
});
