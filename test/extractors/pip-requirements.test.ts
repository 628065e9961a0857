import { readFileSync } from 'node:fs';
import { extractor, isDevRequirementsPath } from '../../src/extractors/pip-requirements/index.js';
import { parsePep508, parsePipLine } from '../../src/extractors/pip-requirements/pep508.js';
import type { Reference } from '../../src/types.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`../fixtures/pip-requirements/${name}`, import.meta.url), 'utf8');

const run = (text: string, path = 'requirements.txt') => extractor.extract({ path, text });

const byId = (refs: Reference[], id: string): Reference => {
  const ref = refs.find((r) => r.id === id);
  if (!ref) throw new Error(`no reference ${id}`);
  return ref;
};

/** Every reference's line/column must point at its name, and its span at its revision text. */
function expectPositionsInText(text: string, refs: Reference[]): void {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  for (const ref of refs) {
    const at = (lines[ref.line - 1] ?? '')
      .slice(ref.column - 1)
      .toLowerCase()
      .replace(/[-_.]+/g, '-');
    expect(at.startsWith(ref.id)).toBe(true);
    if (ref.revisionSpan) {
      const s = ref.revisionSpan;
      expect((lines[s.line - 1] ?? '').slice(s.column - 1, s.endColumn - 1)).toBe(s.text);
      expect(s.text).toBe(ref.revision);
    }
  }
}

describe('pip-requirements extractor', () => {
  it('matches requirements, constraints and requirements/ folders', () => {
    for (const p of [
      'requirements.txt',
      'requirements-dev.txt',
      'server/requirements_cuda.txt',
      'requirements/common.txt',
      'requirements/test/cuda.in',
      'dev-requirements.in',
      'requirements.in',
      'constraints.txt',
      'ci/constraints-py311.txt',
    ]) {
      expect(extractor.match(p)).toBe(true);
    }
    for (const p of [
      'README.txt',
      'docs/notes.txt',
      'requirements.md',
      'setup.cfg',
      'requirements/README.md',
      'requirements/README.txt',
      'requirements/LICENSE.txt',
    ]) {
      expect(extractor.match(p)).toBe(false);
    }
  });

  it('marks dev and test requirement files as dev', () => {
    expect(isDevRequirementsPath('requirements-dev.txt')).toBe(true);
    expect(isDevRequirementsPath('dev-requirements.in')).toBe(true);
    expect(isDevRequirementsPath('requirements/test.txt')).toBe(true);
    expect(isDevRequirementsPath('requirements/test/cuda.txt')).toBe(true);
    expect(isDevRequirementsPath('requirements/rocm-test.txt')).toBe(true);
    expect(isDevRequirementsPath('requirements/common.txt')).toBe(false);
    expect(isDevRequirementsPath('requirements-latest.txt')).toBe(false);
    expect(isDevRequirementsPath('requirements/devices.txt')).toBe(false);
    const out = run('pytest>=8\n', 'requirements/test.txt');
    expect(out.references[0]?.dev).toBe(true);
  });

  it('reads vLLM requirements/common.txt: specifiers with spaces, extras, markers, comments', () => {
    const text = fixture('vllm/requirements/common.txt');
    const out = run(text, 'requirements/common.txt');
    expect(out.problems).toEqual([]);
    expect(out.references).toHaveLength(54);
    expect(out.references[0]).toEqual({
      kind: 'package',
      ecosystem: 'pypi',
      id: 'regex',
      revision: null,
      pinned: false,
      file: 'requirements/common.txt',
      line: 1,
      column: 1,
      extractor: 'pip-requirements',
      via: 'requirement',
    });
    expect(byId(out.references, 'transformers')).toMatchObject({
      revision: '>= 4.56.0, < 5',
      pinned: false,
      line: 10,
      column: 1,
      revisionSpan: {
        file: 'requirements/common.txt',
        line: 10,
        column: 14,
        endColumn: 28,
        text: '>= 4.56.0, < 5',
      },
    });
    expect(byId(out.references, 'fastapi')).toMatchObject({ revision: '>= 0.115.0', line: 13 });
    expect(byId(out.references, 'lm-format-enforcer')).toMatchObject({
      revision: '== 0.11.3',
      pinned: true,
      version: '0.11.3',
      line: 21,
    });
    expect(byId(out.references, 'llguidance')).toMatchObject({
      revision: '>= 1.3.0, < 1.4.0',
      line: 22,
      marker:
        'platform_machine == "x86_64" or platform_machine == "arm64" or platform_machine == "aarch64" or platform_machine == "s390x" or platform_machine == "ppc64le"',
    });
    expect(byId(out.references, 'setuptools')).toMatchObject({
      revision: '>=77.0.3,<81.0.0',
      marker: "python_version > '3.11'",
      line: 38,
    });
    expect(byId(out.references, 'prometheus-client')).toMatchObject({
      line: 17,
      revision: '>= 0.18.0',
    });
    // The last line has no newline at the end of the file.
    expect(out.references[53]).toMatchObject({ id: 'grpcio-reflection', line: 55, column: 1 });
    expect(out.references.every((r) => !r.dev)).toBe(true);
    expectPositionsInText(text, out.references);
  });

  it('skips -r and --extra-index-url in vLLM requirements/cuda.txt and keeps extras', () => {
    const text = fixture('vllm/requirements/cuda.txt');
    const out = run(text, 'requirements/cuda.txt');
    expect(out.problems).toEqual([]);
    expect(out.references).toHaveLength(18);
    expect(out.references[0]).toMatchObject({
      id: 'numba',
      line: 4,
      revision: '== 0.65.0',
      pinned: true,
    });
    expect(byId(out.references, 'pynvvideocodec')).toMatchObject({
      line: 12,
      column: 1,
      revision: '==2.0.4',
    });
    expect(byId(out.references, 'nvidia-cutlass-dsl')).toMatchObject({
      line: 29,
      revision: '==4.7.1',
      revisionSpan: { line: 29, column: 25, endColumn: 32, text: '==4.7.1' },
    });
    expect(byId(out.references, 'tokenspeed-mla')).toMatchObject({
      line: 33,
      marker: 'platform_system == "Linux"',
    });
    expectPositionsInText(text, out.references);
  });

  it('reads an axolotl `name @ git+…@<sha>` requirement as a pinned VCS reference', () => {
    const text = fixture('axolotl/requirements.txt');
    const out = run(text);
    expect(out.problems).toEqual([]);
    expect(out.references).toHaveLength(56);
    expect(byId(out.references, 'transformers')).toEqual({
      kind: 'package',
      ecosystem: 'pypi',
      id: 'transformers',
      revision: '0fa2c2f06f91129b89462e0136c0a25618e1a31b',
      pinned: true,
      file: 'requirements.txt',
      line: 15,
      column: 1,
      extractor: 'pip-requirements',
      via: 'vcs',
      revisionSpan: {
        file: 'requirements.txt',
        line: 15,
        column: 68,
        endColumn: 108,
        text: '0fa2c2f06f91129b89462e0136c0a25618e1a31b',
      },
    });
    expect(byId(out.references, 'huggingface-hub')).toMatchObject({
      line: 12,
      revision: '>=1.1.7',
      pinned: false,
    });
    expectPositionsInText(text, out.references);
  });

  it('joins `\\` continuations of a hashed JAX lock and reports the name line', () => {
    const text = fixture('jax/build/requirements_lock_3_12.txt');
    const out = run(text, 'build/requirements_lock_3_12.txt');
    expect(out.problems).toEqual([]);
    expect(out.references.map((r) => [r.id, r.line])).toEqual([
      ['absl-py', 3],
      ['astunparse', 10],
      ['auditwheel', 14],
      ['build', 18],
      ['certifi', 22],
      ['colorama', 26],
      ['jax-cuda12-pjrt', 33],
      ['jax-cuda12-plugin', 39],
      ['libtpu', 49],
      ['ml-dtypes', 55],
      ['opt-einsum', 101],
      ['scipy', 107],
      ['setuptools', 152],
      ['wheel', 158],
    ]);
    expect(out.references.every((r) => r.pinned)).toBe(true);
    expect(byId(out.references, 'libtpu')).toMatchObject({
      revision: '==0.0.44.1',
      version: '0.0.44.1',
      marker: "platform_machine == 'x86_64' and sys_platform == 'linux'",
      revisionSpan: { line: 49, column: 7, endColumn: 17 },
    });
    expectPositionsInText(text, out.references);
  });

  it('counts pinned-by-hash requirements as pinned even with a range', () => {
    const out = run(
      'foo>=1.0 \\\n    --hash=sha256:0c996f25c0490700fadabe6351630f6111534fa0ae252cc6d2014ea3b141135f\nbar>=2\n',
    );
    expect(out.references.map((r) => [r.id, r.pinned, r.line])).toEqual([
      ['foo', true, 1],
      ['bar', false, 3],
    ]);
  });

  it('reads uv-compiled TGI requirements with `# via` comments and long markers', () => {
    const cuda = run(fixture('tgi/server/requirements_cuda.txt'), 'server/requirements_cuda.txt');
    expect(cuda.problems).toEqual([]);
    expect(cuda.references).toHaveLength(118);
    expect(byId(cuda.references, 'torch')).toMatchObject({
      line: 340,
      revision: '==2.7.0',
      pinned: true,
    });
    expect(byId(cuda.references, 'outlines-core')).toMatchObject({ line: 237, version: '0.1.26' });
    const gaudi = run(fixture('tgi/backends/gaudi/server/requirements.txt'));
    expect(gaudi.references).toHaveLength(86);
    expect(byId(gaudi.references, 'colorama')).toMatchObject({
      line: 8,
      revision: '==0.4.6',
      marker:
        'python_version >= "3.9" and python_version < "3.13" and platform_system == "Windows" or python_version >= "3.9" and python_version < "3.13" and sys_platform == "win32"',
    });
  });

  it('reads a .in file with markers and extras (JAX build/requirements.in)', () => {
    const text = fixture('jax/build/requirements.in');
    const out = run(text, 'build/requirements.in');
    expect(out.problems).toEqual([]);
    expect(out.references.map((r) => r.id)).toEqual([
      'scipy',
      'scipy',
      'ml-dtypes',
      'etils',
      'opt-einsum',
      'build',
      'setuptools',
      'wheel',
      'jaxlib',
      'jax-cuda12-plugin',
      'jax-cuda13-plugin',
      'jax-cuda12-pjrt',
      'jax-cuda13-pjrt',
      'libtpu',
      'colorama',
    ]);
    expect(out.references[0]).toMatchObject({
      line: 4,
      revision: '>=1.15.0',
      marker: 'python_version<="3.12"',
    });
    expect(byId(out.references, 'etils')).toMatchObject({ line: 8, revision: null });
    expectPositionsInText(text, out.references);
  });

  it('gives CRLF files the same lines, columns and spans', () => {
    const text = fixture('jax/build/requirements_lock_3_12.txt');
    const lf = run(text).references;
    const crlf = run(text.replace(/\n/g, '\r\n')).references;
    expect(crlf).toEqual(lf);
    expect(crlf[1]).toMatchObject({
      id: 'astunparse',
      line: 10,
      marker: "python_full_version < '3.14'",
    });
  });

  it('reads URLs, wheels and VCS refs; skips options and local paths', () => {
    const text = [
      '-r common.txt',
      '-c constraints.txt',
      '--index-url https://download.pytorch.org/whl/cu121',
      '-f https://data.pyg.org/whl/torch-2.1.0+cu121.html',
      '-e .',
      '-e ./packages/core[dev]',
      './local/pkg',
      '../wheels/mypkg-1.0-py3-none-any.whl',
      'file:///opt/wheels/x-1.0.tar.gz',
      'localpkg @ file:///opt/localpkg',
      'https://github.com/Dao-AILab/flash-attention/releases/download/v2.5.8/flash_attn-2.5.8+cu122torch2.3cxx11abiFALSE-cp310-cp310-linux_x86_64.whl',
      '-e git+https://github.com/openai/CLIP.git@main#egg=clip',
      'git+ssh://git@github.com/org/private-lib.git@a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0#egg=private_lib',
      'peft @ https://files.example.org/peft-0.11.1.tar.gz#sha256=0c996f25c0490700fadabe6351630f6111534fa0ae252cc6d2014ea3b141135f',
      'xformers==0.0.*',
      'torch==2.1.0+cu121 --index-url https://download.pytorch.org/whl/cu121',
      '${EXTRA_PACKAGE}',
    ].join('\n');
    const out = run(text);
    expect(out.problems).toEqual([]);
    expect(
      out.references.map((r) => [r.id, r.revision, r.pinned, r.via, r.line, r.column]),
    ).toEqual([
      [
        'flash-attn',
        'https://github.com/Dao-AILab/flash-attention/releases/download/v2.5.8/flash_attn-2.5.8+cu122torch2.3cxx11abiFALSE-cp310-cp310-linux_x86_64.whl',
        false,
        'url',
        11,
        71,
      ],
      ['clip', 'main', false, 'vcs', 12, 52],
      ['private-lib', 'a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0', true, 'vcs', 13, 91],
      [
        'peft',
        'https://files.example.org/peft-0.11.1.tar.gz#sha256=0c996f25c0490700fadabe6351630f6111534fa0ae252cc6d2014ea3b141135f',
        true,
        'url',
        14,
        1,
      ],
      ['xformers', '==0.0.*', false, 'requirement', 15, 1],
      ['torch', '==2.1.0+cu121', true, 'requirement', 16, 1],
    ]);
    expect(byId(out.references, 'clip').revisionSpan).toEqual({
      file: 'requirements.txt',
      line: 12,
      column: 43,
      endColumn: 47,
      text: 'main',
    });
  });

  it('reports malformed lines where they are and keeps the rest', () => {
    const text = [
      'numpy>=1.24',
      '[cuda]torch',
      'torch[cuda>=2',
      'transformers>=4..40',
      'accelerate==0.30.1',
    ].join('\n');
    const out = run(text);
    expect(out.problems).toEqual([
      { file: 'requirements.txt', line: 2, column: 1, message: 'expected a package name' },
      { file: 'requirements.txt', line: 3, column: 6, message: 'unclosed "[" in extras' },
      {
        file: 'requirements.txt',
        line: 4,
        column: 13,
        message: 'transformers: invalid version specifier ">=4..40"',
      },
    ]);
    expect(out.references.map((r) => [r.id, r.revision, r.line])).toEqual([
      ['numpy', '>=1.24', 1],
      ['transformers', '>=4..40', 4],
      ['accelerate', '==0.30.1', 5],
    ]);
  });

  it('locates a name and a specifier split across a continuation', () => {
    const out = run('# pinned by hand\ntransformers \\\n    >=4.40,<5  # range\n');
    expect(out.references).toEqual([
      expect.objectContaining({
        id: 'transformers',
        line: 2,
        column: 1,
        revision: '>=4.40,<5',
        revisionSpan: {
          file: 'requirements.txt',
          line: 3,
          column: 5,
          endColumn: 14,
          text: '>=4.40,<5',
        },
      }),
    ]);
  });
});

describe('pep508 parser', () => {
  it('parses names, extras, parenthesized specs, URLs and markers', () => {
    const a = parsePep508('requests[security, socks] (>=2.8.1, ==2.8.*) ; python_version < "2.7"');
    expect(a.ok && a.req).toMatchObject({
      name: 'requests',
      extras: ['security', 'socks'],
      kind: 'specifier',
      revision: { text: '>=2.8.1, ==2.8.*' },
      marker: 'python_version < "2.7"',
    });
    const b = parsePep508(
      'pip @ https://github.com/pypa/pip/archive/22.0.2.zip ; python_version >= "3.8"',
    );
    expect(b.ok && b.req).toMatchObject({
      name: 'pip',
      kind: 'url',
      marker: 'python_version >= "3.8"',
    });
    const c = parsePep508('name @ git+https://github.com/org/repo.git@v1.2.3');
    expect(c.ok && c.req).toMatchObject({
      kind: 'vcs',
      revision: { text: 'v1.2.3' },
      immutable: false,
    });
    expect(parsePep508('name; ')).toEqual({
      ok: false,
      message: 'empty environment marker after ";"',
      offset: 4,
    });
    expect(parsePep508('pkg @ ')).toEqual({
      ok: false,
      message: 'expected a URL after "@"',
      offset: 6,
    });
  });

  it('treats a VCS URL without a ref as unpinned and file: URLs as local', () => {
    const line = parsePipLine('git+https://github.com/huggingface/peft.git');
    expect(line.type === 'requirement' && line.req).toMatchObject({
      name: 'peft',
      revision: null,
      immutable: false,
    });
    const branch = parsePipLine('git+https://github.com/org/my-repo.git@feature/new-loader');
    expect(branch.type === 'requirement' && branch.req).toMatchObject({
      name: 'my-repo',
      nameStart: 27,
      revision: { text: 'feature/new-loader' },
    });
    expect(parsePipLine('-e file:///src/pkg#egg=pkg')).toEqual({ type: 'none' });
    expect(parsePipLine('   # only a comment')).toEqual({ type: 'none' });
  });
});
