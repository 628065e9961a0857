import { readFileSync } from 'node:fs';
import { extractor } from '../../src/extractors/dvc/index.js';
import { parseHubUrl } from '../../src/extractors/dvc/hub-url.js';

const fixture = (path: string) =>
  readFileSync(new URL(`../fixtures/dvc/${path}`, import.meta.url), 'utf8');
const extract = (path: string, text = fixture(path)) => extractor.extract({ path, text });
const EMPTY = { references: [], weights: [], facts: [], problems: [] };

const IMDB_SHA = 'e6281661ce1c48d982bc483cf8a173c1bbeb5d31';

describe('dvc extractor', () => {
  it('matches .dvc files, dvc.yaml and dvc.lock', () => {
    expect(extractor.match('data/data.xml.dvc')).toBe(true);
    expect(extractor.match('model.pt.dvc')).toBe(true);
    expect(extractor.match('dvc.lock')).toBe(true);
    expect(extractor.match('pipelines/train/dvc.yaml')).toBe(true);
    expect(extractor.match('.dvc')).toBe(false);
    expect(extractor.match('.dvc/config')).toBe(false);
    expect(extractor.match('dvc.yml')).toBe(false);
    expect(extractor.match('params.yaml')).toBe(false);
  });

  it('reads a tracked model from a current .dvc file', () => {
    expect(extract('stomata/model.pt.dvc')).toEqual({
      ...EMPTY,
      weights: [
        {
          file: 'stomata/model.pt.dvc',
          line: 4,
          column: 9,
          name: 'model.pt',
          format: 'pickle',
          origin: 'dvc',
          md5: '7b603629c43f6052fba66b11cc74745e',
          size: 76248816,
        },
      ],
    });
  });

  it('reads a DVC 0.x stage file (md5 without size, cmd, deps)', () => {
    expect(extract('bert-to-the-rescue/model.pt.dvc')).toEqual({
      ...EMPTY,
      weights: [
        {
          file: 'bert-to-the-rescue/model.pt.dvc',
          line: 9,
          column: 9,
          name: 'model.pt',
          format: 'pickle',
          origin: 'dvc',
          md5: '6cef1915affcc76707fef5cc518075fa',
        },
      ],
    });
  });

  it('reads weights from dvc.lock once, at the stage that produces them', () => {
    expect(extract('example-get-started/dvc.lock')).toEqual({
      ...EMPTY,
      weights: [
        {
          file: 'example-get-started/dvc.lock',
          line: 64,
          column: 13,
          name: 'model.pkl',
          format: 'pickle',
          origin: 'dvc',
          md5: 'd1f6e055f7f5e2827fcfae68d9b64d4c',
          size: 1958115,
        },
      ],
    });
  });

  it('ignores an import from a git repo that is not on the Hub, and plain pipelines', () => {
    expect(extract('example-get-started/data/data.xml.dvc')).toEqual(EMPTY);
    expect(extract('example-get-started/dvc.yaml')).toEqual(EMPTY);
  });

  it('reads `dvc import` of a Hub dataset, pinned by rev_lock', () => {
    const text = [
      'md5: 0a7f6c1f0e9b7d1e5c7a1b2c3d4e5f60',
      'frozen: true',
      'deps:',
      '- path: plain_text/train-00000-of-00001.parquet',
      '  repo:',
      '    url: https://huggingface.co/datasets/stanfordnlp/imdb',
      '    rev: main',
      `    rev_lock: ${IMDB_SHA}`,
      'outs:',
      '- md5: 5c3e2f1a0b9d8e7f6a5b4c3d2e1f0a9b',
      '  size: 20979968',
      '  hash: md5',
      '  path: train-00000-of-00001.parquet',
    ].join('\n');
    expect(extractor.extract({ path: 'data/imdb.dvc', text })).toEqual({
      ...EMPTY,
      references: [
        {
          kind: 'dataset',
          ecosystem: 'huggingface',
          id: 'stanfordnlp/imdb',
          revision: IMDB_SHA,
          pinned: true,
          file: 'data/imdb.dvc',
          line: 6,
          column: 10,
          extractor: 'dvc',
          via: 'repo.url',
          revisionSpan: {
            file: 'data/imdb.dvc',
            line: 8,
            column: 15,
            endColumn: 55,
            text: IMDB_SHA,
          },
          filename: 'plain_text/train-00000-of-00001.parquet',
        },
      ],
    });
  });

  it('reads `dvc import-url` of Hub weights and ties the out to its upstream', () => {
    const url =
      'https://huggingface.co/TheBloke/Llama-2-7B-GGUF/resolve/main/llama-2-7b.Q4_K_M.gguf';
    const text = [
      'md5: 9d3c1f0e0b1a2c3d4e5f60718293a4b5',
      'frozen: true',
      'deps:',
      `- path: ${url}`,
      `  etag: '"a6a3bb0ee9f7c2d5b0b5e4c0e1b8f5c3"'`,
      '  size: 4081004224',
      'outs:',
      '- md5: 3a0f2cbd1f2f6b1a6cdb1b24b3f8e5a1',
      '  size: 4081004224',
      '  hash: md5',
      '  path: llama-2-7b.Q4_K_M.gguf',
    ].join('\r\n');
    const r = extractor.extract({ path: 'models/llama.dvc', text });
    expect(r.references).toEqual([
      {
        kind: 'model',
        ecosystem: 'huggingface',
        id: 'TheBloke/Llama-2-7B-GGUF',
        revision: 'main',
        pinned: false,
        file: 'models/llama.dvc',
        line: 4,
        column: 9,
        extractor: 'dvc',
        via: 'deps',
        revisionSpan: {
          file: 'models/llama.dvc',
          line: 4,
          column: 65,
          endColumn: 69,
          text: 'main',
        },
        filename: 'llama-2-7b.Q4_K_M.gguf',
      },
    ]);
    expect(r.weights).toEqual([
      {
        file: 'models/llama.dvc',
        line: 11,
        column: 9,
        name: 'llama-2-7b.Q4_K_M.gguf',
        format: 'gguf',
        origin: 'dvc',
        md5: '3a0f2cbd1f2f6b1a6cdb1b24b3f8e5a1',
        size: 4081004224,
        upstream: { id: 'TheBloke/Llama-2-7B-GGUF', revision: 'main', kind: 'model' },
      },
    ]);
  });

  it('reads hf:// URLs in dvc.yaml stages, including foreach bodies, and skips other remotes', () => {
    const text = [
      'stages:',
      '  download:',
      '    cmd: python src/fetch.py',
      '    deps:',
      '    - hf://datasets/HuggingFaceFW/fineweb-edu@3c452cb/sample/10BT',
      '    - s3://my-bucket/raw/corpus.parquet',
      '    - https://example.com/model.safetensors',
      '    - src/fetch.py',
      '    outs:',
      '    - data/raw',
      '  tokenize:',
      '    foreach: [train, test]',
      '    do:',
      '      cmd: python src/tokenize.py ${item}',
      '      deps:',
      '      - hf://openai-community/gpt2/tokenizer.json:',
      '          cache: false',
      '      outs:',
      '      - data/${item}.bin',
    ].join('\n');
    const r = extractor.extract({ path: 'dvc.yaml', text });
    expect(r.problems).toEqual([]);
    expect(r.weights).toEqual([]);
    expect(
      r.references.map((x) => [x.kind, x.id, x.revision, x.pinned, x.line, x.column, x.filename]),
    ).toEqual([
      ['dataset', 'HuggingFaceFW/fineweb-edu', '3c452cb', true, 5, 7, 'sample/10BT'],
      ['model', 'openai-community/gpt2', null, false, 16, 9, 'tokenizer.json'],
    ]);
    expect(r.references[0]?.revisionSpan).toEqual({
      file: 'dvc.yaml',
      line: 5,
      column: 47,
      endColumn: 54,
      text: '3c452cb',
    });
  });

  it('reads a DVC 1.x lock file with stages at the top level', () => {
    const text = [
      'train:',
      '  cmd: python train.py',
      '  deps:',
      '  - path: data/features',
      '    md5: f35d4cc2c552ac959ae602162b8543f3.dir',
      '  outs:',
      '  - path: models/classifier.h5',
      '    md5: 0123456789ABCDEF0123456789ABCDEF',
      '    size: 524288',
    ].join('\n');
    const r = extractor.extract({ path: 'dvc.lock', text });
    expect(r.weights).toEqual([
      {
        file: 'dvc.lock',
        line: 7,
        column: 11,
        name: 'models/classifier.h5',
        format: 'keras',
        origin: 'dvc',
        md5: '0123456789abcdef0123456789abcdef',
        size: 524288,
      },
    ]);
  });

  it('keeps line numbers of a CRLF file', () => {
    const text = fixture('stomata/model.pt.dvc').replace(/\n/g, '\r\n');
    const r = extract('stomata/model.pt.dvc', text);
    expect(r.weights.map((w) => [w.line, w.column, w.size])).toEqual([[4, 9, 76248816]]);
  });

  it('reports malformed YAML at the error line and keeps what it read', () => {
    const text = 'outs:\n- md5: 7b603629c43f6052fba66b11cc74745e\n  path: model.pt\n size: 3\n';
    const r = extractor.extract({ path: 'model.pt.dvc', text });
    expect(r.problems).toEqual([
      {
        file: 'model.pt.dvc',
        line: 4,
        column: 1,
        message: 'invalid YAML: Sequence item without - indicator',
      },
    ]);
    expect(r.weights.map((w) => [w.name, w.md5])).toEqual([
      ['model.pt', '7b603629c43f6052fba66b11cc74745e'],
    ]);
  });

  it('finds nothing in an empty or non-mapping file', () => {
    expect(extractor.extract({ path: 'x.dvc', text: '' })).toEqual(EMPTY);
    expect(extractor.extract({ path: 'x.dvc', text: '- a\n- b\n' })).toEqual(EMPTY);
  });
});

describe('parseHubUrl', () => {
  it.each([
    ['hf://datasets/org/name/data/x.parquet', 'org/name', 'dataset', null, 'data/x.parquet'],
    ['hf://org/name@v1.0/model.safetensors', 'org/name', 'model', 'v1.0', 'model.safetensors'],
    [
      'hf://datasets/org/name@refs%2Fconvert%2Fparquet',
      'org/name',
      'dataset',
      'refs/convert/parquet',
      undefined,
    ],
    ['https://huggingface.co/org/name.git', 'org/name', 'model', null, undefined],
    ['https://huggingface.co/datasets/org/name/tree/dev', 'org/name', 'dataset', 'dev', undefined],
    [
      'https://hf.co/org/name/resolve/abc1234/a/b.bin?download=true',
      'org/name',
      'model',
      'abc1234',
      'a/b.bin',
    ],
  ])('%s', (raw, id, kind, revision, filename) => {
    const hub = parseHubUrl(raw);
    expect([hub?.id, hub?.kind, hub?.revision, hub?.filename]).toEqual([
      id,
      kind,
      revision,
      filename,
    ]);
  });

  it.each([
    'hf://spaces/org/demo/app.py',
    's3://bucket/model.bin',
    'https://github.com/iterative/dataset-registry',
    'hf://gpt2',
    'data/raw',
  ])('%s is not a Hub model or dataset', (raw) => {
    expect(parseHubUrl(raw)).toBeNull();
  });
});
