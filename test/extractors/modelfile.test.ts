import { readFileSync } from 'node:fs';
import { extractor } from '../../src/extractors/modelfile/index.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`../fixtures/modelfile/${name}`, import.meta.url), 'utf8');

const run = (text: string, path = 'Modelfile') => extractor.extract({ path, text });

describe('modelfile extractor', () => {
  it('matches Modelfile names only', () => {
    expect(extractor.match('Modelfile')).toBe(true);
    expect(extractor.match('models/llama3.Modelfile')).toBe(true);
    expect(extractor.match('ollama/Modelfile.qwen')).toBe(true);
    expect(extractor.match('Modelfile.md/README.md')).toBe(false);
    expect(extractor.match('Dockerfile')).toBe(false);
    expect(extractor.match('docs/modelfile.md')).toBe(false);
  });

  it('reads an Ollama library name and its tag', () => {
    const out = run(fixture('library-tag.Modelfile'), 'Modelfile');
    expect(out.references).toEqual([
      {
        kind: 'model',
        ecosystem: 'ollama',
        id: 'llama3.2',
        revision: '1b',
        pinned: false,
        file: 'Modelfile',
        line: 1,
        column: 6,
        extractor: 'modelfile',
        via: 'FROM',
        revisionSpan: { file: 'Modelfile', line: 1, column: 15, endColumn: 17, text: '1b' },
      },
    ]);
    expect(out.weights).toEqual([]);
    expect(out.problems).toEqual([]);
  });

  it('keeps a user namespace and treats :latest as an unpinned tag', () => {
    const [ref] = run(fixture('namespaced.Modelfile')).references;
    expect(ref).toMatchObject({
      ecosystem: 'ollama',
      id: 'igorls/gemma-4-12B-it-heretic-GGUF',
      revision: 'latest',
      pinned: false,
      line: 1,
      column: 6,
    });
  });

  it('turns a local GGUF into a weights file and does not scan the TEMPLATE body', () => {
    const out = run(fixture('local-gguf.Modelfile'), 'llm/Modelfile');
    expect(out.references).toEqual([]);
    expect(out.weights).toEqual([
      {
        file: 'llm/Modelfile',
        line: 1,
        column: 6,
        name: './experiments/2024-06-28/unsloth.Q5_K_M.gguf',
        format: 'gguf',
        origin: 'modelfile',
      },
    ]);
    expect(out.problems).toEqual([]);
  });

  it('reads a CRLF file with hf.co quant tags, Korean comments and an open TEMPLATE string', () => {
    const out = run(fixture('korean-crlf.Modelfile'));
    expect(out.problems).toEqual([]);
    expect(out.references).toEqual([
      {
        kind: 'model',
        ecosystem: 'huggingface',
        id: 'Qwen/Qwen3-VL-8B-Instruct-GGUF',
        revision: null,
        pinned: false,
        file: 'Modelfile',
        line: 10,
        column: 6,
        extractor: 'modelfile',
        via: 'FROM (quant Q4_K_M)',
      },
      {
        kind: 'model',
        ecosystem: 'ollama',
        id: 'Qwan3-VL-8B-Custom',
        revision: 'Q4_K_M',
        pinned: false,
        file: 'Modelfile',
        line: 29,
        column: 6,
        extractor: 'modelfile',
        via: 'FROM',
        revisionSpan: { file: 'Modelfile', line: 29, column: 25, endColumn: 31, text: 'Q4_K_M' },
      },
    ]);
  });

  it('pins only digests', () => {
    const digest = 'a'.repeat(64);
    const out = run(`from registry.ollama.ai/library/llama3@sha256:${digest}\n`);
    expect(out.references).toHaveLength(1);
    expect(out.references[0]).toMatchObject({
      id: 'llama3',
      revision: `sha256:${digest}`,
      pinned: true,
      revisionSpan: { line: 1, column: 40, endColumn: 111 },
    });
    expect(run('FROM mistral\n').references[0]).toMatchObject({
      id: 'mistral',
      revision: null,
      pinned: false,
    });
  });

  it('reads ADAPTER lines: local paths are weights, hf.co is a reference', () => {
    const text = [
      'FROM hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF',
      '# LoRA adapter next to this file',
      'adapter ./llama-3.2-1b-hermes-fc-adapter-f16.gguf',
      'ADAPTER /srv/adapters/sql-lora',
      'ADAPTER hf.co/org/sql-lora-gguf:Q8_0',
      '',
    ].join('\n');
    const out = run(text);
    expect(out.references.map((r) => [r.id, r.via, r.line, r.column])).toEqual([
      ['bartowski/Llama-3.2-1B-Instruct-GGUF', 'FROM', 1, 6],
      ['org/sql-lora-gguf', 'ADAPTER (quant Q8_0)', 5, 9],
    ]);
    expect(out.weights.map((w) => [w.name, w.format, w.line, w.column])).toEqual([
      ['./llama-3.2-1b-hermes-fc-adapter-f16.gguf', 'gguf', 3, 9],
      ['/srv/adapters/sql-lora', 'other', 4, 9],
    ]);
  });

  it('reads quoted Windows paths and ollama blob paths as local weights', () => {
    const text =
      'FROM "C:\\Users\\goodn\\OneDrive\\Desktop\\gh projects\\hausa_ai\\model\\hausa-ai.gguf"\r\n' +
      'DRAFT /Users/me/.ollama/models/blobs/sha256-00e1317cbf74d901080d7100f57580ba8dd8de57203072dc6f668324ba545f29\r\n';
    const out = run(text);
    expect(out.references).toEqual([]);
    expect(out.weights.map((w) => [w.format, w.line, w.column])).toEqual([
      ['gguf', 1, 7],
      ['gguf', 2, 7],
    ]);
    expect(out.weights[0]?.name).toBe(
      'C:\\Users\\goodn\\OneDrive\\Desktop\\gh projects\\hausa_ai\\model\\hausa-ai.gguf',
    );
  });

  it('does not read FROM inside a multi-line SYSTEM string', () => {
    const text = 'FROM llama3\nSYSTEM """\nFROM evil/model\n"""\nPARAMETER stop "FROM x"\n';
    expect(run(text).references.map((r) => r.id)).toEqual(['llama3']);
  });

  it('reports malformed instructions and unterminated strings with their line', () => {
    const out = run('FROM llama3\nFORM mistral\nTEMPLATE """{{ .Prompt }}\n');
    expect(out.references.map((r) => r.id)).toEqual(['llama3']);
    expect(out.problems).toEqual([
      { file: 'Modelfile', line: 2, column: 1, message: 'invalid Modelfile instruction "FORM"' },
      { file: 'Modelfile', line: 3, column: 1, message: 'unterminated string in TEMPLATE' },
    ]);
  });

  it('reports an instruction without a value', () => {
    expect(run('FROM\n').problems).toEqual([
      { file: 'Modelfile', line: 1, column: 1, message: 'FROM has no value' },
    ]);
  });
});
