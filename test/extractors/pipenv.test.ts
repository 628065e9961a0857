import { readFileSync } from 'node:fs';
import { extractor } from '../../src/extractors/pipenv/index.js';

const fixture = (name: string): string =>
  readFileSync(
    new URL(`../fixtures/pipenv/openai-gpt-embedding-db-app/${name}`, import.meta.url),
    'utf8',
  );

const run = (text: string, path: string) => extractor.extract({ path, text });

describe('pipenv extractor', () => {
  it('matches Pipfile and Pipfile.lock only', () => {
    expect(extractor.match('Pipfile')).toBe(true);
    expect(extractor.match('api/Pipfile.lock')).toBe(true);
    expect(extractor.match('Pipfile.txt')).toBe(false);
    expect(extractor.match('pipfile')).toBe(false);
  });

  it('reads a Pipfile: "*" is unpinned, dev-packages are dev', () => {
    const out = run(fixture('Pipfile'), 'Pipfile');
    expect(out.problems).toEqual([]);
    expect(
      out.references.map((r) => [r.id, r.revision, r.pinned, r.line, r.column, r.dev ?? false]),
    ).toEqual([
      ['openai', '*', false, 7, 1, false],
      ['pandas', '*', false, 8, 1, false],
      ['python-dotenv', '*', false, 9, 1, false],
      ['langchain', '*', false, 10, 1, false],
      ['tiktoken', '*', false, 11, 1, false],
      ['mysql-connector-python', '*', false, 12, 1, false],
      ['flask', '*', false, 13, 1, false],
      ['ipykernel', '*', false, 16, 1, true],
    ]);
    expect(out.references[0]).toMatchObject({
      via: 'packages',
      revisionSpan: { file: 'Pipfile', line: 7, column: 11, endColumn: 12, text: '*' },
    });
  });

  it('reads a Pipfile.lock: locked versions, markers, develop as dev', () => {
    const out = run(fixture('Pipfile.lock'), 'Pipfile.lock');
    expect(out.problems).toEqual([]);
    expect(out.references.filter((r) => !r.dev)).toHaveLength(49);
    expect(out.references.filter((r) => r.dev)).toHaveLength(30);
    expect(out.references.find((r) => r.id === 'langchain')).toEqual({
      kind: 'package',
      ecosystem: 'pypi',
      id: 'langchain',
      revision: '0.0.268',
      pinned: true,
      version: '0.0.268',
      locked: true,
      file: 'Pipfile.lock',
      line: 155,
      column: 10,
      extractor: 'pipenv',
      via: 'default',
      revisionSpan: { file: 'Pipfile.lock', line: 161, column: 27, endColumn: 34, text: '0.0.268' },
    });
    const colorama = out.references.filter((r) => r.id === 'colorama');
    expect(colorama.map((r) => [r.line, r.via, r.dev ?? false, r.marker])).toEqual([
      [91, 'default', false, "platform_system == 'Windows' and platform_system == 'Windows'"],
      [425, 'develop', true, "platform_system == 'Windows' and platform_system == 'Windows'"],
    ]);
  });

  it('reads Pipfile tables: version, git ref, remote file; skips local paths', () => {
    const text = [
      '[packages]',
      'torch = {version = "==2.1.0", index = "pytorch"}',
      'transformers = {extras = ["ja"], version = ">=4.30"}',
      'peft = {git = "https://github.com/huggingface/peft.git", ref = "0123456789abcdef0123456789abcdef01234567"}',
      'wheel-pkg = {file = "https://download.pytorch.org/whl/cu111/torchvision-0.10.0%2Bcu111-cp37-cp37m-linux_x86_64.whl"}',
      'local = {path = "./libs/local", editable = true}',
      'markers-pkg = {version = "*", markers = "sys_platform == \'linux\'"}',
      'bad = "=>1.0"',
    ].join('\r\n');
    const out = run(text, 'Pipfile');
    expect(out.references.map((r) => [r.id, r.revision, r.pinned, r.line])).toEqual([
      ['torch', '==2.1.0', true, 2],
      ['transformers', '>=4.30', false, 3],
      ['peft', '0123456789abcdef0123456789abcdef01234567', true, 4],
      [
        'wheel-pkg',
        'https://download.pytorch.org/whl/cu111/torchvision-0.10.0%2Bcu111-cp37-cp37m-linux_x86_64.whl',
        false,
        5,
      ],
      ['markers-pkg', '*', false, 7],
      ['bad', '=>1.0', false, 8],
    ]);
    expect(out.references[4]?.marker).toBe("sys_platform == 'linux'");
    expect(out.problems).toEqual([
      { file: 'Pipfile', line: 8, column: 8, message: 'bad: invalid version specifier "=>1.0"' },
    ]);
  });

  it('reads git and editable entries of a lock', () => {
    const text = JSON.stringify(
      {
        default: {
          mylib: { editable: true, path: '.' },
          peft: {
            git: 'https://github.com/huggingface/peft.git',
            ref: 'abcdef0123456789abcdef0123456789abcdef01',
          },
        },
        develop: {},
      },
      null,
      4,
    );
    const out = run(text, 'Pipfile.lock');
    expect(out.references).toEqual([
      expect.objectContaining({
        id: 'peft',
        revision: 'abcdef0123456789abcdef0123456789abcdef01',
        pinned: true,
        line: 7,
        column: 10,
        revisionSpan: expect.objectContaining({ line: 9, column: 21 }),
      }),
    ]);
  });

  it('reports malformed TOML and JSON with lines', () => {
    expect(run('[packages]\ntorch = "*\n', 'Pipfile').problems).toEqual([
      expect.objectContaining({ file: 'Pipfile', line: 2 }),
    ]);
    const lock = run(
      '{\n  "default": {\n    "torch": {"version": "==2.1.0"},\n    oops\n  }\n}\n',
      'Pipfile.lock',
    );
    expect(lock.problems[0]).toMatchObject({ file: 'Pipfile.lock', line: 4, column: 5 });
    expect(lock.references.map((r) => [r.id, r.version, r.line])).toEqual([['torch', '2.1.0', 3]]);
  });
});
