import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { extractor } from '../../src/extractors/js-source/index.js';
import type { Extraction, Reference } from '../../src/types.js';
import { LineIndex } from '../../src/util/text.js';

const DIR = fileURLToPath(new URL('../fixtures/js-source/', import.meta.url));

function fixture(name: string): string {
  return readFileSync(DIR + name, 'utf8');
}

function run(path: string, text = fixture(path)): Extraction {
  return extractor.extract({ path, text });
}

const row = (r: Reference) => [r.kind, r.id, r.revision, r.pinned, r.line, r.column, r.via];

/** 1-based line and column of the first `needle` in `text`. */
function where(text: string, needle: string): [number, number] {
  const p = new LineIndex(text).position(text.indexOf(needle));
  return [p.line, p.column];
}

const HEADER = 'import { pipeline, AutoModel } from "@huggingface/transformers";\n';

describe('js-source: match', () => {
  it.each([
    ['src/worker.js', true],
    ['a.mjs', true],
    ['a.cjs', true],
    ['index.ts', true],
    ['a.mts', true],
    ['a.cts', true],
    ['App.jsx', true],
    ['App.tsx', true],
    ['types/index.d.ts', false],
    ['dist/transformers.min.js', false],
    ['package.json', false],
  ])('%s → %s', (path, expected) => {
    expect(extractor.match(path)).toBe(expected);
  });
});

describe('js-source: real fixtures', () => {
  it('resolves a module constant in JSX (transformers.js-examples musicgen-web App.jsx)', () => {
    const out = run('musicgen-web-App.jsx');
    expect(out.references.map(row)).toEqual([
      ['model', 'Xenova/musicgen-small', null, false, 14, 19, 'from_pretrained'],
    ]);
    expect(out.references[0]?.extractor).toBe('js-source');
    expect(out.problems).toEqual([]);
  });

  it('reads literals, constants and pipelines, not comments (conversational-webgpu worker.js)', () => {
    const out = run('conversational-webgpu-worker.js');
    expect(out.references.map(row)).toEqual([
      ['model', 'onnx-community/Kokoro-82M-v1.0-ONNX', null, false, 29, 19, 'from_pretrained'],
      ['model', 'onnx-community/silero-vad', null, false, 46, 4, 'from_pretrained'],
      ['model', 'onnx-community/whisper-base', null, false, 68, 4, 'pipeline'],
      ['model', 'HuggingFaceTB/SmolLM2-1.7B-Instruct', null, false, 80, 23, 'from_pretrained'],
    ]);
  });

  it('resolves this.model_id to a static class field (smollm-webgpu worker.js)', () => {
    const out = run('smollm-webgpu-worker.js');
    expect(out.references.map(row)).toEqual([
      ['model', 'HuggingFaceTB/SmolLM2-1.7B-Instruct', null, false, 31, 22, 'from_pretrained'],
    ]);
  });

  it('reads @xenova/transformers static fields, not unrelated URLs (text-to-speech-client worker.js)', () => {
    const out = run('text-to-speech-client-worker.js');
    expect(out.references.map(row)).toEqual([
      ['model', 'Xenova/speecht5_tts', null, false, 14, 24, 'from_pretrained'],
      ['model', 'Xenova/speecht5_hifigan', null, false, 15, 26, 'from_pretrained'],
    ]);
  });

  it('reads a pipeline in TypeScript (transformers.js-examples bun/index.ts)', () => {
    const out = run('bun-index.ts');
    expect(out.references.map(row)).toEqual([
      ['model', 'Xenova/all-MiniLM-L6-v2', null, false, 6, 4, 'pipeline'],
    ]);
  });

  it('finds nothing when the model is null (code-completion worker.js)', () => {
    expect(run('code-completion-worker.js')).toEqual({
      references: [],
      weights: [],
      facts: [],
      problems: [],
    });
  });

  it('reads @huggingface/hub repo objects, pinned revisions and weights paths (file-download-info.spec.ts)', () => {
    const out = run('hub-file-download-info.spec.ts');
    expect(out.references.map((r) => [...row(r), r.filename])).toEqual([
      [
        'model',
        'google-bert/bert-base-uncased',
        'dd4bc8b21efa05ec961e3efc4ee5e3832a3679c7',
        true,
        8,
        12,
        'fileDownloadInfo',
        'tf_model.h5',
      ],
      [
        'model',
        'google-bert/bert-base-uncased',
        'dd4bc8b21efa05ec961e3efc4ee5e3832a3679c7',
        true,
        22,
        12,
        'fileDownloadInfo',
        'tf_model.h5',
      ],
      [
        'model',
        'google-bert/bert-base-uncased',
        '1a7dd4986e3dab699c24ca19b2afd0f5e1a80f37',
        true,
        37,
        12,
        'fileDownloadInfo',
        'tokenizer_config.json',
      ],
      [
        'model',
        'celinah/xet-experiments',
        null,
        false,
        52,
        12,
        'fileDownloadInfo',
        'large_text.txt',
      ],
    ]);
    expect(out.references[0]?.revisionSpan).toEqual({
      file: 'hub-file-download-info.spec.ts',
      line: 12,
      column: 15,
      endColumn: 55,
      text: 'dd4bc8b21efa05ec961e3efc4ee5e3832a3679c7',
    });
    expect(out.weights).toEqual(
      [11, 25].map((line) => ({
        file: 'hub-file-download-info.spec.ts',
        line,
        column: 11,
        name: 'tf_model.h5',
        format: 'keras',
        origin: 'source',
        upstream: {
          id: 'google-bert/bert-base-uncased',
          revision: 'dd4bc8b21efa05ec961e3efc4ee5e3832a3679c7',
          kind: 'model',
        },
      })),
    );
  });

  describe('every fixture position points at its id', () => {
    const files = readdirSync(DIR).filter((f) => extractor.match(f));
    it.each(files)('%s', (name) => {
      const text = fixture(name);
      const lines = new LineIndex(text);
      for (const r of run(name, text).references) {
        expect(r.file).toBe(name);
        expect(
          lines
            .lineText(r.line)
            .slice(r.column - 1)
            .startsWith(r.id),
        ).toBe(true);
        if (r.revisionSpan) {
          const s = r.revisionSpan;
          expect(lines.lineText(s.line).slice(s.column - 1, s.endColumn - 1)).toBe(r.revision);
        }
      }
    });
  });
});

describe('js-source: constants and call shapes', () => {
  const refs = (text: string, path = 'x.ts') => run(path, text).references;

  it('reads pipeline options and X.from_pretrained options, with shorthand revision', () => {
    const text = [
      HEADER,
      'const revision = "abc1234";',
      "const p = await pipeline('text-generation', 'org/pipe', { revision: 'v2', dtype: 'q4' });",
      'const m = await AutoModel.from_pretrained("org/model", { revision });',
    ].join('\n');
    const out = refs(text);
    expect(out.map(row)).toEqual([
      ['model', 'org/pipe', 'v2', false, ...where(text, 'org/pipe'), 'pipeline'],
      ['model', 'org/model', 'abc1234', true, ...where(text, 'org/model'), 'from_pretrained'],
    ]);
    const [line, column] = where(text, 'abc1234');
    expect(out[1]?.revisionSpan).toEqual({
      file: 'x.ts',
      line,
      column,
      endColumn: column + 7,
      text: 'abc1234',
    });
  });

  it('resolves typed, as-const, env-default and object constants', () => {
    const text = [
      HEADER,
      'const MODEL: string = "org/typed";',
      'const OTHER = "org/as-const" as const;',
      'const FROM_ENV = process.env.MODEL_ID ?? "org/env-default";',
      'const CONFIG = { models: { llm: "org/nested" } };',
      'await AutoModel.from_pretrained(MODEL);',
      'await AutoModel.from_pretrained(OTHER);',
      'await AutoModel.from_pretrained(FROM_ENV);',
      'await AutoModel.from_pretrained(CONFIG.models.llm);',
      'await AutoModel.from_pretrained(process.env.MODEL_ID);',
    ].join('\n');
    expect(refs(text).map((r) => [r.id, r.line, r.column])).toEqual([
      ['org/typed', ...where(text, 'org/typed')],
      ['org/as-const', ...where(text, 'org/as-const')],
      ['org/env-default', ...where(text, 'org/env-default')],
      ['org/nested', ...where(text, 'org/nested')],
    ]);
  });

  it('reads @huggingface/hub string, prefixed and object repos', () => {
    const text = [
      'import { downloadFile, listFiles, snapshotDownload, datasetInfo } from "@huggingface/hub";',
      'const repo = { type: "dataset", name: "org/ds-object" };',
      'await downloadFile({ repo: "org/model", path: "model.safetensors", revision: "main" });',
      'await listFiles({ repo: "datasets/org/ds-prefixed" });',
      'await listFiles({ repo });',
      'await snapshotDownload({ repo: { type: "space", name: "org/space" } });',
      'await snapshotDownload({ repo: "spaces/org/space" });',
      'await datasetInfo({ name: "org/ds-info" });',
      'await downloadFile({ fromUrl: "https://example.com/x", toFile: "/tmp/x" });',
    ].join('\n');
    const out = run('hub.mjs', text);
    expect(out.references.map((r) => [r.kind, r.id, r.revision, r.line, r.column, r.via])).toEqual([
      ['model', 'org/model', 'main', ...where(text, 'org/model'), 'downloadFile'],
      [
        'dataset',
        'org/ds-prefixed',
        null,
        4,
        where(text, 'datasets/org/ds-prefixed')[1] + 'datasets/'.length,
        'listFiles',
      ],
      ['dataset', 'org/ds-object', null, ...where(text, 'org/ds-object'), 'listFiles'],
      ['dataset', 'org/ds-info', null, ...where(text, 'org/ds-info'), 'datasetInfo'],
    ]);
    expect(out.weights).toEqual([
      {
        file: 'hub.mjs',
        line: 3,
        column: where(text, 'model.safetensors')[1],
        name: 'model.safetensors',
        format: 'safetensors',
        origin: 'source',
        upstream: { id: 'org/model', revision: 'main', kind: 'model' },
      },
    ]);
  });

  it('ignores templates with substitutions, local paths, definitions and foreign pipelines', () => {
    const text = [
      HEADER,
      'const name = "x";',
      'await AutoModel.from_pretrained(`org/${name}`);',
      'await AutoModel.from_pretrained("./models/local");',
      'await AutoModel.from_pretrained("/models/abs");',
      'class Detector { static async from_pretrained(model_id) { return new Detector(model_id); } }',
      'await AutoModel.from_pretrained(`org/template-ok`);',
    ].join('\n');
    expect(refs(text).map((r) => [r.id, r.line])).toEqual([['org/template-ok', 8]]);
    const stream =
      'import { pipeline } from "node:stream/promises";\nawait pipeline(src, "org/not-a-model", dest);\n';
    expect(refs(stream)).toEqual([]);
  });

  it('skips comments, regex literals and strings that merely look like calls', () => {
    const text = [
      HEADER,
      '// await AutoModel.from_pretrained("org/line-comment");',
      '/* await AutoModel.from_pretrained("org/block-comment"); */',
      'const re = /["\'`]/g; const s = "AutoModel.from_pretrained(\'org/in-string\')";',
      'const half = total / 2; const q = "it\'s";',
      'await AutoModel.from_pretrained("org/real");',
    ].join('\n');
    const out = run('x.js', text);
    expect(out.problems).toEqual([]);
    expect(out.references.map((r) => [r.id, r.line])).toEqual([['org/real', 7]]);
  });
});

describe('js-source: malformed input', () => {
  it('reports an unterminated block comment at its start', () => {
    const text = `${HEADER}await AutoModel.from_pretrained("org/before");\n\n/* never closed\nawait AutoModel.from_pretrained("org/after");\n`;
    const out = run('bad.js', text);
    expect(out.problems).toEqual([
      { file: 'bad.js', line: 4, column: 1, message: 'unterminated block comment' },
    ]);
    expect(out.references.map((r) => r.id)).toEqual(['org/before']);
  });

  it('reports an unterminated template literal at its start', () => {
    const text = `${HEADER}await AutoModel.from_pretrained("org/before");\nconst t = \`open \${x}\n`;
    const out = run('bad.ts', text);
    expect(out.problems).toEqual([
      { file: 'bad.ts', line: 3, column: 11, message: 'unterminated template literal' },
    ]);
    expect(out.references.map((r) => r.id)).toEqual(['org/before']);
  });

  it('never throws on unbalanced brackets or a stray quote', () => {
    const text = `${HEADER}await AutoModel.from_pretrained("org/a";\nconst x = 'oops\nfoo(((\n`;
    const out = run('bad.js', text);
    expect(out.references.map((r) => r.id)).toEqual(['org/a']);
  });

  it('gives CRLF files the same lines and columns', () => {
    const lf = fixture('conversational-webgpu-worker.js');
    const a = run('w.js', lf);
    const b = run('w.js', lf.replace(/\n/g, '\r\n'));
    expect(b.references.map(row)).toEqual(a.references.map(row));
    expect(b.references).toHaveLength(4);
  });
});
