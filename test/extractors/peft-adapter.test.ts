import { readFileSync } from 'node:fs';
import { extractor } from '../../src/extractors/peft-adapter/index.js';

const fixture = (path: string) =>
  readFileSync(new URL(`../fixtures/peft-adapter/${path}`, import.meta.url), 'utf8');
const extract = (path: string, text = fixture(path)) => extractor.extract({ path, text });

const SHA = '7c3e5c4ec3b7a8e86d4bca3e0e7f5cd35d2cef9a';

describe('peft-adapter extractor', () => {
  it('matches adapter_config.json only', () => {
    expect(extractor.match('adapter_config.json')).toBe(true);
    expect(extractor.match('outputs/checkpoint-500/adapter_config.json')).toBe(true);
    expect(extractor.match('config.json')).toBe(false);
    expect(extractor.match('adapter_config.json.bak')).toBe(false);
  });

  it('reads the base model of a real adapter, unpinned (revision: null)', () => {
    const r = extract('smart-tutor-phi2/adapter_config.json');
    expect(r).toEqual({
      references: [
        {
          kind: 'model',
          ecosystem: 'huggingface',
          id: 'microsoft/phi-2',
          revision: null,
          pinned: false,
          file: 'smart-tutor-phi2/adapter_config.json',
          line: 6,
          column: 31,
          extractor: 'peft-adapter',
          via: 'base_model_name_or_path',
        },
      ],
      weights: [],
      facts: [],
      problems: [],
    });
  });

  it('ignores adapters trained from a local base model', () => {
    expect(extract('kangya-glm4/adapter_config.json').references).toEqual([]);
    expect(extract('internlm/adapter_config.json').references).toEqual([]);
  });

  it('reads a pinned revision with its exact span', () => {
    const text = [
      '{',
      '  "base_model_name_or_path": "meta-llama/Llama-3.1-8B",',
      `  "revision": "${SHA}",`,
      '  "peft_type": "LORA"',
      '}',
    ].join('\n');
    const [ref] = extractor.extract({ path: 'adapter_config.json', text }).references;
    expect(ref).toEqual({
      kind: 'model',
      ecosystem: 'huggingface',
      id: 'meta-llama/Llama-3.1-8B',
      revision: SHA,
      pinned: true,
      file: 'adapter_config.json',
      line: 2,
      column: 31,
      extractor: 'peft-adapter',
      via: 'base_model_name_or_path',
      revisionSpan: {
        file: 'adapter_config.json',
        line: 3,
        column: 16,
        endColumn: 56,
        text: SHA,
      },
    });
  });

  it('reads a branch revision as unpinned, with a span for the pin fix', () => {
    const text = '{\r\n  "revision": "main",\r\n  "base_model_name_or_path": "gpt2"\r\n}\r\n';
    const [ref] = extractor.extract({ path: 'a/adapter_config.json', text }).references;
    expect(ref).toMatchObject({
      id: 'gpt2',
      revision: 'main',
      pinned: false,
      line: 3,
      column: 31,
      revisionSpan: { line: 2, column: 16, endColumn: 20, text: 'main' },
    });
  });

  it('keeps line numbers of a CRLF file', () => {
    const text = fixture('smart-tutor-phi2/adapter_config.json').replace(/\n/g, '\r\n');
    const [ref] = extract('smart-tutor-phi2/adapter_config.json', text).references;
    expect([ref?.line, ref?.column]).toEqual([6, 31]);
  });

  it('reports malformed JSON at the error and still reads the base model', () => {
    const text = '{\n  "base_model_name_or_path": "microsoft/phi-2",\n  "r": 16,,\n}\n';
    const r = extractor.extract({ path: 'adapter_config.json', text });
    expect(r.problems).toEqual([
      {
        file: 'adapter_config.json',
        line: 3,
        column: 11,
        message: 'invalid JSON: PropertyNameExpected',
      },
    ]);
    expect(r.references.map((x) => x.id)).toEqual(['microsoft/phi-2']);
  });

  it('finds nothing in an adapter config without a base model', () => {
    const r = extractor.extract({
      path: 'adapter_config.json',
      text: '{"base_model_name_or_path": null, "revision": "main"}',
    });
    expect(r.references).toEqual([]);
    expect(r.problems).toEqual([]);
  });
});
