import { readFileSync } from 'node:fs';
import {
  extractor,
  poetryExact,
  validPoetryConstraint,
} from '../../src/extractors/pyproject/index.js';
import { TomlPositions } from '../../src/util/toml.js';
import type { Reference } from '../../src/types.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`../fixtures/pyproject/${name}/pyproject.toml`, import.meta.url), 'utf8');

const run = (text: string, path = 'pyproject.toml') => extractor.extract({ path, text });

const find = (refs: Reference[], id: string, via: string): Reference[] =>
  refs.filter((r) => r.id === id && r.via === via);

/** Every reference's position must be its name in the text, every span its revision text. */
function expectPositionsInText(text: string, refs: Reference[]): void {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  for (const ref of refs) {
    const at = (lines[ref.line - 1] ?? '')
      .slice(ref.column - 1)
      .toLowerCase()
      .replace(/[-_.]+/g, '-');
    expect([ref.id, at.slice(0, ref.id.length)]).toEqual([ref.id, ref.id]);
    if (ref.revisionSpan) {
      const s = ref.revisionSpan;
      expect((lines[s.line - 1] ?? '').slice(s.column - 1, s.endColumn - 1)).toBe(s.text);
      expect(s.text).toBe(ref.revision);
    }
  }
}

describe('pyproject extractor', () => {
  it('matches pyproject.toml only', () => {
    expect(extractor.match('pyproject.toml')).toBe(true);
    expect(extractor.match('server/pyproject.toml')).toBe(true);
    expect(extractor.match('pyproject.toml.bak')).toBe(false);
    expect(extractor.match('setup.cfg')).toBe(false);
  });

  it('reads TRL: PEP 621 dependencies and extras, the same string in several groups', () => {
    const text = fixture('trl');
    const out = run(text);
    expect(out.problems).toEqual([]);
    expect(out.references).toHaveLength(54);
    expect(out.references[0]).toEqual({
      kind: 'package',
      ecosystem: 'pypi',
      id: 'accelerate',
      revision: '>=1.4.0',
      pinned: false,
      file: 'pyproject.toml',
      line: 32,
      column: 6,
      extractor: 'pyproject',
      via: 'project.dependencies',
      revisionSpan: {
        file: 'pyproject.toml',
        line: 32,
        column: 16,
        endColumn: 23,
        text: '>=1.4.0',
      },
    });
    // "scikit-learn" appears in three lists; each reference sits on its own line.
    expect(
      out.references
        .filter((r) => r.id === 'scikit-learn')
        .map((r) => [r.via, r.line, r.dev ?? false]),
    ).toEqual([
      ['project.optional-dependencies.bco', 48, false],
      ['project.optional-dependencies.scikit', 73, false],
      ['project.optional-dependencies.dev', 106, true],
    ]);
    expect(
      find(out.references, 'transformers', 'project.optional-dependencies.kernels').map(
        (r) => r.line,
      ),
    ).toEqual([56, 57]);
    expect(
      find(out.references, 'pytest-rerunfailures', 'project.optional-dependencies.test')[0],
    ).toMatchObject({
      line: 78,
      revision: '==15.1',
      pinned: true,
      version: '15.1',
      dev: true,
    });
    expect(
      find(out.references, 'openreward', 'project.optional-dependencies.dev')[0],
    ).toMatchObject({
      line: 116,
      revision: '>=0.1.109',
      marker: "python_version >= '3.11'",
    });
    expect(find(out.references, 'jmespath', 'project.optional-dependencies.dev')[0]).toMatchObject({
      line: 137,
      column: 6,
    });
    // `quality` (pre-commit, doc-builder) is a dev group; `vllm` is a runtime extra.
    expect(
      find(out.references, 'pre-commit', 'project.optional-dependencies.quality')[0]?.dev,
    ).toBe(true);
    expect(
      find(out.references, 'vllm', 'project.optional-dependencies.vllm')[0]?.dev,
    ).toBeUndefined();
    expectPositionsInText(text, out.references);
  });

  it('reads lm-evaluation-harness: one-line arrays, PEP 735 groups, self references skipped', () => {
    const text = fixture('lm-evaluation-harness');
    const out = run(text);
    expect(out.problems).toEqual([]);
    expect(out.references.some((r) => r.id === 'lm-eval')).toBe(false);
    const dev = out.references.filter((r) => r.via === 'project.optional-dependencies.dev');
    expect(dev.map((r) => [r.id, r.line, r.column])).toEqual([
      ['pytest', 78, 9],
      ['pytest-cov', 78, 24],
      ['pytest-xdist', 78, 38],
      ['requests', 78, 54],
      ['aiohttp', 78, 66],
      ['tenacity', 78, 77],
      ['tqdm', 78, 89],
      ['tiktoken', 78, 97],
      ['sentencepiece', 78, 109],
    ]);
    expect(dev.every((r) => r.dev === true)).toBe(true);
    expect(
      find(out.references, 'tarski', 'project.optional-dependencies.acpbench')[0],
    ).toMatchObject({
      line: 76,
      column: 29,
      revision: '==0.8.2',
      pinned: true,
      revisionSpan: { line: 76, column: 43, endColumn: 50 },
    });
    // dependency-groups: `{include-group = "dev1"}` is skipped, lm_eval[…] is the project itself.
    expect(out.references.filter((r) => r.via.startsWith('dependency-groups'))).toEqual([
      expect.objectContaining({
        id: 'sentencepiece',
        via: 'dependency-groups.dev1',
        line: 108,
        column: 52,
        revision: null,
      }),
    ]);
    expectPositionsInText(text, out.references);
  });

  it('reads TransformerLens: indented tables, markers, [dependency-groups] on one line', () => {
    const text = fixture('TransformerLens');
    const out = run(text);
    expect(out.problems).toEqual([]);
    expect(find(out.references, 'numpy', 'project.dependencies')).toEqual([
      expect.objectContaining({
        line: 12,
        column: 10,
        marker: "python_version >= '3.10' and python_version < '3.12'",
      }),
      expect.objectContaining({
        line: 13,
        column: 10,
        revision: '>=1.26',
        revisionSpan: {
          file: 'pyproject.toml',
          line: 13,
          column: 15,
          endColumn: 21,
          text: '>=1.26',
        },
      }),
    ]);
    expect(find(out.references, 'isort', 'dependency-groups.dev')[0]).toMatchObject({
      line: 50,
      revision: '==5.8.0',
      pinned: true,
      dev: true,
    });
    expect(
      out.references
        .filter((r) => r.via === 'dependency-groups.multimodal')
        .map((r) => [r.id, r.line, r.column]),
    ).toEqual([
      ['timm', 88, 18],
      ['torchvision', 88, 34],
    ]);
    expect(find(out.references, 'timm', 'dependency-groups.multimodal')[0]?.dev).toBeUndefined();
    expectPositionsInText(text, out.references);
  });

  it('reads Poetry dependencies, groups, constraint arrays and inline tables (TransformerLens 2025)', () => {
    const text = fixture('TransformerLens-poetry');
    const out = run(text);
    expect(out.problems).toEqual([]);
    expect(out.references).toHaveLength(43);
    expect(out.references.some((r) => r.id === 'python')).toBe(false);
    expect(find(out.references, 'numpy', 'tool.poetry.dependencies')).toEqual([
      expect.objectContaining({
        line: 23,
        column: 9,
        revision: '>=1.24',
        revisionSpan: {
          file: 'pyproject.toml',
          line: 24,
          column: 23,
          endColumn: 29,
          text: '>=1.24',
        },
      }),
      expect.objectContaining({
        line: 23,
        column: 9,
        revision: '>=1.26',
        revisionSpan: expect.objectContaining({ line: 25 }),
      }),
    ]);
    expect(find(out.references, 'beartype', 'tool.poetry.dependencies')[0]).toMatchObject({
      line: 17,
      revision: '^0.14.1',
      pinned: false,
    });
    // Poetry's bare version is an exact pin.
    expect(find(out.references, 'isort', 'tool.poetry.group.dev.dependencies')[0]).toMatchObject({
      line: 43,
      column: 13,
      revision: '5.8.0',
      pinned: true,
      version: '5.8.0',
      dev: true,
    });
    expect(find(out.references, 'furo', 'tool.poetry.group.docs.dependencies')[0]).toMatchObject({
      line: 59,
      column: 13,
      revision: '>=2023.3.27,<2024.0.0',
      revisionSpan: { line: 59, column: 28, endColumn: 49 },
      dev: true,
    });
    expect(
      find(out.references, 'ipywidgets', 'tool.poetry.group.jupyter.dependencies')[0]?.dev,
    ).toBeUndefined();
    expect(find(out.references, 'sentencepiece', 'tool.poetry.dependencies')[0]).toMatchObject({
      revision: '*',
      pinned: false,
    });
    expectPositionsInText(text, out.references);
  });

  it('reads a Poetry 2 client (TGI clients/python) and skips build-system requires', () => {
    const out = run(fixture('tgi-clients-python'));
    expect(out.problems).toEqual([]);
    expect(out.references.map((r) => [r.id, r.revision, r.line, r.dev ?? false])).toEqual([
      ['pydantic', '> 2, < 3', 15, false],
      ['aiohttp', '^3.11', 16, false],
      ['huggingface-hub', '>= 0.12, < 1.0', 17, false],
      ['pytest', '^8', 20, true],
      ['pytest-asyncio', '^0.26', 21, true],
      ['pytest-cov', '^6.0.0', 22, true],
    ]);
  });

  it('reads TGI server: comments inside arrays, exact pins in an extra, no build-system', () => {
    const text = fixture('tgi-server');
    const out = run(text);
    expect(out.problems).toEqual([]);
    expect(out.references[0]).toMatchObject({ id: 'click', line: 13, revision: '<8.2.0' });
    expect(out.references.filter((r) => r.id === 'kernels')).toHaveLength(1);
    expect(find(out.references, 'torch', 'project.optional-dependencies.torch')[0]).toMatchObject({
      line: 98,
      pinned: true,
      version: '2.7.0',
    });
    expect(find(out.references, 'grpcio-tools', 'project.optional-dependencies.dev')[0]?.dev).toBe(
      true,
    );
    expectPositionsInText(text, out.references);
  });

  it('reports a TOML syntax error at the line smol-toml gives', () => {
    const out = run('[project]\nname = "x"\ndependencies = [\n  "torch>=2",\n  = 3\n]\n');
    expect(out.references).toEqual([]);
    expect(out.problems).toEqual([
      { file: 'pyproject.toml', line: 5, column: 3, message: 'invalid TOML: invalid value' },
    ]);
  });

  it('reports invalid specifiers and keeps the reference', () => {
    const text = [
      '[project]',
      'dependencies = ["torch>=2..1", "[oops]"]',
      '[tool.poetry.dependencies]',
      'peft = "~>1.2"',
    ].join('\n');
    const out = run(text);
    expect(out.problems).toEqual([
      {
        file: 'pyproject.toml',
        line: 2,
        column: 23,
        message: 'torch: invalid version specifier ">=2..1"',
      },
      {
        file: 'pyproject.toml',
        line: 2,
        column: 33,
        message: 'invalid requirement "[oops]": expected a package name',
      },
      {
        file: 'pyproject.toml',
        line: 4,
        column: 9,
        message: 'peft: invalid version constraint "~>1.2"',
      },
    ]);
    expect(out.references.map((r) => [r.id, r.revision, r.line])).toEqual([
      ['torch', '>=2..1', 2],
      ['peft', '~>1.2', 4],
    ]);
  });

  it('gives CRLF files the same positions', () => {
    const text = fixture('TransformerLens-poetry');
    expect(run(text.replace(/\n/g, '\r\n')).references).toEqual(run(text).references);
  });

  it('handles quoted keys, escapes, git/url/path sources and uv/PDM dev lists', () => {
    const text = [
      '[project]',
      'name = "demo"',
      'dependencies = [',
      '  "local @ file:///${PROJECT_ROOT}/libs/local",',
      '  "vcs @ git+https://github.com/org/vcs.git@0123456789abcdef0123456789abcdef01234567",',
      '  "marked; python_version < \\"3.11\\"",',
      "  'literal>=1',",
      '  """multi>=2""",',
      ']',
      '[tool.poetry.dependencies]',
      '"Quoted.Name" = "==1.0"',
      'gitdep = { git = "https://github.com/org/gitdep.git", rev = "v1.0" }',
      'urldep = { url = "https://example.org/urldep-1.0.tar.gz" }',
      'pathdep = { path = "../pathdep", develop = true }',
      'marked2 = { version = "^2.0", markers = "sys_platform == \'linux\'" }',
      '[tool.uv]',
      'dev-dependencies = ["ruff==0.6.9"]',
      '[tool.pdm.dev-dependencies]',
      'lint = ["black>=24"]',
    ].join('\n');
    const out = run(text);
    expect(out.problems).toEqual([]);
    expect(
      out.references.map((r) => [
        r.id,
        r.revision,
        r.pinned,
        r.line,
        r.column,
        r.via,
        r.dev ?? false,
      ]),
    ).toEqual([
      [
        'vcs',
        '0123456789abcdef0123456789abcdef01234567',
        true,
        5,
        4,
        'project.dependencies',
        false,
      ],
      ['marked', null, false, 6, 4, 'project.dependencies', false],
      ['literal', '>=1', false, 7, 4, 'project.dependencies', false],
      ['multi', '>=2', false, 8, 6, 'project.dependencies', false],
      ['ruff', '==0.6.9', true, 17, 22, 'tool.uv.dev-dependencies', true],
      ['black', '>=24', false, 19, 10, 'tool.pdm.dev-dependencies.lint', true],
      ['quoted-name', '==1.0', true, 11, 2, 'tool.poetry.dependencies', false],
      ['gitdep', 'v1.0', false, 12, 1, 'tool.poetry.dependencies', false],
      [
        'urldep',
        'https://example.org/urldep-1.0.tar.gz',
        false,
        13,
        1,
        'tool.poetry.dependencies',
        false,
      ],
      ['marked2', '^2.0', false, 15, 1, 'tool.poetry.dependencies', false],
    ]);
    expect(out.references[1]?.marker).toBe('python_version < "3.11"');
    expect(out.references[9]?.marker).toBe("sys_platform == 'linux'");
    expect(out.references[7]?.revisionSpan).toEqual({
      file: 'pyproject.toml',
      line: 12,
      column: 62,
      endColumn: 66,
      text: 'v1.0',
    });
  });
});

describe('poetry constraints', () => {
  it('accepts Poetry and PEP 440 syntax and finds exact pins', () => {
    for (const ok of [
      '^1.2',
      '~1.2.3',
      '*',
      '1.2.*',
      '>=1.2,<2.0',
      '>= 1.2 < 2.0',
      '^1.0 || ^2.0',
      '==1.2.3',
      '>=0.53b0',
      '1.2.3',
    ]) {
      expect([ok, validPoetryConstraint(ok)]).toEqual([ok, true]);
    }
    for (const bad of ['~>1.2', 'latest', '>=1..2', '1.2.3.'])
      expect([bad, validPoetryConstraint(bad)]).toEqual([bad, false]);
    expect(poetryExact('1.2.3')).toBe('1.2.3');
    expect(poetryExact('^1.2.3')).toBeNull();
    expect(poetryExact('1.2.*')).toBeNull();
  });
});

describe('TOML positions', () => {
  it('resolves arrays of tables, sub-tables, dotted and quoted keys', () => {
    const text = [
      '[[package]]',
      'name = "a"',
      '[package.dependencies]',
      'x = "1"',
      '',
      '[[package]]',
      "name = 'b'",
      'site."google.com".x = 1',
      'arr = [ [1, 2], { k = "v" } ] # c',
    ].join('\n');
    const pos = TomlPositions.scan(text);
    expect(pos.get(['package', 0, 'name'])).toMatchObject({ start: 20, end: 21, isString: true });
    expect(pos.get(['package', 0, 'dependencies', 'x'])).toMatchObject({
      keyStart: text.indexOf('x = "1"'),
    });
    expect(pos.get(['package', 1, 'name'])).toMatchObject({ start: text.indexOf("'b'") + 1 });
    expect(pos.get(['site', 'google.com', 'x'])).toBeUndefined();
    expect(pos.get(['package', 1, 'site', 'google.com', 'x'])).toMatchObject({
      keyStart: text.indexOf('x = 1'),
    });
    expect(pos.get(['package', 1, 'arr', 0, 1])).toMatchObject({ start: text.indexOf('2]') });
    expect(pos.get(['package', 1, 'arr', 1, 'k'])).toMatchObject({
      start: text.indexOf('"v"') + 1,
    });
    expect(TomlPositions.scan(text, 2).get(['package', 1, 'name'])).toBeUndefined();
  });
});
