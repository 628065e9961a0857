import { readFileSync } from 'node:fs';
import { extractor } from '../../src/extractors/uv-lock/index.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`../fixtures/uv-lock/${name}/uv.lock`, import.meta.url), 'utf8');

const run = (text: string, path = 'uv.lock') => extractor.extract({ path, text });

describe('uv-lock extractor', () => {
  it('matches uv.lock only', () => {
    expect(extractor.match('uv.lock')).toBe(true);
    expect(extractor.match('server/uv.lock')).toBe(true);
    expect(extractor.match('poetry.lock')).toBe(false);
  });

  it('reads TransformerLens uv.lock: skips the editable root, finds dev-only packages from the graph', () => {
    const out = run(fixture('TransformerLens'));
    expect(out.problems).toEqual([]);
    expect(out.references.map((r) => [r.id, r.version, r.line, r.dev ?? false])).toEqual([
      ['absl-py', '2.4.0', 18, false],
      ['accelerate', '1.9.0', 27, false],
      ['bitsandbytes', '0.49.2', 45, true],
      ['black', '23.12.1', 61, true],
      ['iniconfig', '2.1.0', 91, true],
      ['networkx', '3.4.2', 100, false],
      ['networkx', '3.5', 113, false],
      ['numpy', '1.26.4', 132, false],
      ['packaging', '25.0', 164, false],
      ['pluggy', '1.6.0', 173, true],
      ['pytest', '8.4.1', 182, true],
    ]);
    expect(out.references[1]).toEqual({
      kind: 'package',
      ecosystem: 'pypi',
      id: 'accelerate',
      revision: '1.9.0',
      pinned: true,
      version: '1.9.0',
      locked: true,
      file: 'uv.lock',
      line: 27,
      column: 9,
      extractor: 'uv-lock',
      via: 'package',
      revisionSpan: { file: 'uv.lock', line: 28, column: 12, endColumn: 17, text: '1.9.0' },
    });
  });

  it('skips a virtual root (TGI integration tests)', () => {
    const out = run(fixture('tgi-integration-tests'));
    expect(out.problems).toEqual([]);
    expect(out.references.map((r) => [r.id, r.line])).toEqual([
      ['aiohappyeyeballs', 5],
      ['annotated-types', 14],
      ['docker', 23],
      ['pytest', 37],
      ['syrupy', 54],
    ]);
  });

  it('gives CRLF files the same positions', () => {
    const text = fixture('TransformerLens');
    expect(run(text.replace(/\n/g, '\r\n')).references).toEqual(run(text).references);
  });

  it('reports a TOML syntax error with its line', () => {
    const out = run(
      'version = 1\n\n[[package]]\nname = "a"\nversion = "1.0"\nsource = { registry = "x" \n',
    );
    expect(out.references).toEqual([]);
    // smol-toml notices the unclosed inline table at the end of the text.
    expect(out.problems).toEqual([
      {
        file: 'uv.lock',
        line: 7,
        column: 1,
        message: 'invalid TOML: expected comma or end of structure',
      },
    ]);
  });

  it('reads a 700-package lock (synthetic, in the shape of a uv lock) quickly and exactly', () => {
    const blocks = Array.from({ length: 700 }, (_, i) =>
      [
        '[[package]]',
        `name = "pkg-${i}"`,
        `version = "2.${i}"`,
        'source = { registry = "https://pypi.org/simple" }',
        'dependencies = [',
        `    { name = "pkg-${i + 1}" },`,
        ']',
        `sdist = { url = "https://files.pythonhosted.org/p/pkg-${i}.tar.gz", hash = "sha256:${'c'.repeat(64)}", size = 1 }`,
        'wheels = [',
        `    { url = "https://files.pythonhosted.org/p/pkg_${i}-py3-none-any.whl", hash = "sha256:${'d'.repeat(64)}", size = 2 },`,
        ']',
        '',
      ].join('\n'),
    );
    const root =
      '[[package]]\nname = "app"\nversion = "0.1.0"\nsource = { editable = "." }\ndependencies = [\n    { name = "pkg-0" },\n]\n';
    const text = `version = 1\nrequires-python = ">=3.10"\n\n${blocks.join('\n')}\n${root}`;
    const out = run(text);
    expect(out.references).toHaveLength(700);
    expect(out.references[699]).toMatchObject({
      id: 'pkg-699',
      version: '2.699',
      line: 5 + 699 * 12,
    });
    expect(out.references.some((r) => r.dev)).toBe(false);
  });
});
