import { readFileSync } from 'node:fs';
import { extractor } from '../../src/extractors/model-card/index.js';

const fixture = (path: string) =>
  readFileSync(new URL(`../fixtures/model-card/${path}`, import.meta.url), 'utf8');
const extract = (path: string, text = fixture(path)) => extractor.extract({ path, text });
const brief = (path: string, text?: string) =>
  extract(path, text).references.map((r) => [r.kind, r.id, r.via, r.line, r.column]);

describe('model-card extractor', () => {
  it('matches Markdown files', () => {
    expect(extractor.match('README.md')).toBe(true);
    expect(extractor.match('models/adapter/README.md')).toBe(true);
    expect(extractor.match('docs/CARD.MD')).toBe(true);
    expect(extractor.match('README.rst')).toBe(false);
    expect(extractor.match('README')).toBe(false);
  });

  it('reads base_model (list) and license from a real card, with file line numbers', () => {
    const r = extract('granite/README.md');
    expect(r.references).toEqual([
      {
        kind: 'model',
        ecosystem: 'huggingface',
        id: 'ibm-granite/granite-3.1-1b-a400m-base',
        revision: null,
        pinned: false,
        file: 'granite/README.md',
        line: 10,
        column: 3,
        extractor: 'model-card',
        via: 'base_model',
      },
    ]);
    expect(r.facts).toEqual([
      { type: 'license', license: 'apache-2.0', file: 'granite/README.md', line: 4, column: 10 },
    ]);
    expect(r.problems).toEqual([]);
  });

  it('reads every base model of a merge', () => {
    expect(brief('phi3-slerp/README.md')).toEqual([
      ['model', 'jpacifico/Chocolatine-3B-Instruct-DPO-Revised', 'base_model', 3, 3],
      ['model', 'microsoft/Phi-3-mini-4k-instruct', 'base_model', 4, 3],
    ]);
    expect(extract('phi3-slerp/README.md').facts).toEqual([
      { type: 'license', license: 'apache-2.0', file: 'phi3-slerp/README.md', line: 9, column: 10 },
    ]);
  });

  it('reads datasets as dataset references', () => {
    const r = extract('dolly-v1-6b/README.md');
    expect(brief('dolly-v1-6b/README.md')).toEqual([
      ['dataset', 'tatsu-lab/alpaca', 'datasets', 4, 3],
    ]);
    expect(r.facts).toEqual([
      {
        type: 'license',
        license: 'cc-by-nc-4.0',
        file: 'dolly-v1-6b/README.md',
        line: 2,
        column: 10,
      },
    ]);
  });

  it('keeps file line numbers in a CRLF card', () => {
    expect(fixture('molmo/README.md')).toContain('\r\n');
    expect(brief('molmo/README.md')).toEqual([
      ['model', 'allenai/Molmo-7B-D-0924', 'base_model', 5, 3],
    ]);
    expect(extract('molmo/README.md').facts).toEqual([
      { type: 'license', license: 'apache-2.0', file: 'molmo/README.md', line: 3, column: 10 },
    ]);
  });

  it('ignores a local base_model path', () => {
    const r = extract('internlm-adapter/README.md');
    expect(r).toEqual({ references: [], weights: [], facts: [], problems: [] });
  });

  it('reads a card with only a license', () => {
    expect(extract('vicuna-7b-delta-v0/README.md').facts).toEqual([
      {
        type: 'license',
        license: 'apache-2.0',
        file: 'vicuna-7b-delta-v0/README.md',
        line: 2,
        column: 10,
      },
    ]);
  });

  it('skips Markdown without front matter', () => {
    const r = extract('qwen-7b-chat-cantonese/README.md');
    expect(r).toEqual({ references: [], weights: [], facts: [], problems: [] });
  });

  it('reads license_name, license_link and a single dataset string', () => {
    const text = [
      '---',
      'license: other',
      'license_name: research-only',
      'license_link: LICENSE',
      "base_model: 'unsloth/qwen2.5-7b-instruct-unsloth-bnb-4bit'",
      'datasets: squad',
      '---',
      '# Card',
    ].join('\n');
    const r = extractor.extract({ path: 'README.md', text });
    expect(r.references.map((x) => [x.kind, x.id, x.line, x.column])).toEqual([
      ['model', 'unsloth/qwen2.5-7b-instruct-unsloth-bnb-4bit', 5, 14],
      ['dataset', 'squad', 6, 11],
    ]);
    expect(r.facts).toEqual([
      {
        type: 'license',
        license: 'other',
        licenseName: 'research-only',
        licenseLink: 'LICENSE',
        file: 'README.md',
        line: 2,
        column: 10,
      },
    ]);
  });

  it('reports malformed front matter at its file line', () => {
    const text = [
      '---',
      'license: mit',
      'base_model: meta-llama/Llama-3.1-8B',
      'datasets:',
      '  - tatsu-lab/alpaca',
      ' - bad: [indent',
      '---',
      'body',
    ].join('\n');
    const r = extractor.extract({ path: 'README.md', text });
    expect(r.problems).toEqual([
      {
        file: 'README.md',
        line: 6,
        column: 1,
        message:
          'invalid YAML front matter: A block sequence may not be used as an implicit map key',
      },
    ]);
    // What parsed before the error is still read.
    expect(r.references.map((x) => [x.id, x.line, x.column])).toEqual([
      ['meta-llama/Llama-3.1-8B', 3, 13],
      ['tatsu-lab/alpaca', 5, 5],
    ]);
  });

  it('ignores front matter that is not a card, even a broken one', () => {
    const post = '---\ntitle: Release notes\nlayout: post\n---\n\nText\n';
    expect(extractor.extract({ path: 'blog/post.md', text: post })).toEqual({
      references: [],
      weights: [],
      facts: [],
      problems: [],
    });
    const broken = '---\ntitle: [unclosed\n---\n';
    expect(extractor.extract({ path: 'blog/post.md', text: broken }).problems).toEqual([]);
  });

  it('ignores an unclosed front matter block and a rule that is not at the start', () => {
    const unclosed = '---\nbase_model: gpt2\n\n# Title\n';
    expect(extractor.extract({ path: 'README.md', text: unclosed }).references).toEqual([]);
    const later = '\n---\nbase_model: gpt2\n---\n';
    expect(extractor.extract({ path: 'README.md', text: later }).references).toEqual([]);
  });
});
