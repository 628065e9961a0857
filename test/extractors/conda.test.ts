import { readFileSync } from 'node:fs';
import { condaExactVersion, extractor, parseCondaSpec } from '../../src/extractors/conda/index.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`../fixtures/conda/${name}/environment.yaml`, import.meta.url), 'utf8');

const run = (text: string, path = 'environment.yaml') => extractor.extract({ path, text });

describe('conda extractor', () => {
  it('matches environment files', () => {
    for (const p of [
      'environment.yml',
      'environment.yaml',
      'conda.yml',
      'envs/dev-environment.yaml',
      'environment-cuda.yml',
    ]) {
      expect([p, extractor.match(p)]).toEqual([p, true]);
    }
    for (const p of [
      'config.yml',
      'environment.json',
      '.github/workflows/ci.yml',
      'environments.txt',
    ]) {
      expect([p, extractor.match(p)]).toEqual([p, false]);
    }
  });

  it('reads the stable-diffusion environment: conda pins, the pip: list, VCS egg names', () => {
    const out = run(fixture('stable-diffusion'));
    expect(out.problems).toEqual([]);
    const conda = out.references.filter((r) => r.ecosystem === 'conda');
    expect(conda.map((r) => [r.id, r.revision, r.pinned, r.line, r.column])).toEqual([
      ['pip', '=20.3', false, 7, 5],
      ['cudatoolkit', '=11.3', false, 8, 5],
      ['pytorch', '=1.11.0', true, 9, 5],
      ['torchvision', '=0.12.0', true, 10, 5],
      ['numpy', '=1.19.2', true, 11, 5],
    ]);
    expect(conda[2]).toEqual({
      kind: 'package',
      ecosystem: 'conda',
      id: 'pytorch',
      revision: '=1.11.0',
      pinned: true,
      version: '1.11.0',
      file: 'environment.yaml',
      line: 9,
      column: 5,
      extractor: 'conda',
      via: 'dependencies',
      revisionSpan: {
        file: 'environment.yaml',
        line: 9,
        column: 12,
        endColumn: 19,
        text: '=1.11.0',
      },
    });
    const pip = out.references.filter((r) => r.ecosystem === 'pypi');
    expect(pip).toHaveLength(25);
    expect(pip[0]).toEqual({
      kind: 'package',
      ecosystem: 'pypi',
      id: 'albumentations',
      revision: '==0.4.3',
      pinned: true,
      version: '0.4.3',
      file: 'environment.yaml',
      line: 13,
      column: 7,
      extractor: 'conda',
      via: 'pip',
      revisionSpan: {
        file: 'environment.yaml',
        line: 13,
        column: 21,
        endColumn: 28,
        text: '==0.4.3',
      },
    });
    expect(pip.find((r) => r.id === 'test-tube')).toMatchObject({
      revision: '>=0.7.5',
      pinned: false,
      line: 21,
    });
    expect(pip.find((r) => r.id === 'flask-socketio')).toMatchObject({ line: 29 });
    // `-e git+…@master#egg=taming-transformers`: a branch is not a pin; the name is the egg.
    expect(pip.find((r) => r.id === 'taming-transformers')).toMatchObject({
      revision: 'master',
      pinned: false,
      via: 'pip',
      line: 35,
      column: 76,
      revisionSpan: { line: 35, column: 65, endColumn: 71, text: 'master' },
    });
    expect(pip.some((r) => r.id === '.')).toBe(false);
  });

  it('strips channel prefixes and skips python (MiDaS)', () => {
    const out = run(fixture('MiDaS'));
    expect(out.problems).toEqual([]);
    expect(out.references.map((r) => [r.ecosystem, r.id, r.revision, r.line, r.column])).toEqual([
      ['conda', 'cudatoolkit', '=11.7', 9, 5],
      ['conda', 'pytorch', '=1.13.0', 10, 14],
      ['conda', 'torchvision', '=0.14.0', 11, 5],
      ['conda', 'pip', '=22.3.1', 12, 5],
      ['conda', 'numpy', '=1.23.4', 13, 5],
      ['pypi', 'opencv-python', '==4.6.0.66', 15, 7],
      ['pypi', 'imutils', '==0.5.4', 16, 7],
      ['pypi', 'timm', '==0.6.12', 17, 7],
      ['pypi', 'einops', '==0.6.0', 18, 7],
    ]);
    expect(out.references[1]?.revisionSpan).toEqual({
      file: 'environment.yaml',
      line: 10,
      column: 21,
      endColumn: 28,
      text: '=1.13.0',
    });
  });

  it('gives CRLF files the same positions', () => {
    const text = fixture('MiDaS');
    expect(run(text.replace(/\n/g, '\r\n')).references).toEqual(run(text).references);
  });

  it('reads build strings, ranges, wildcards and quoted entries', () => {
    const text = [
      'name: exported',
      'channels: [pytorch, conda-forge]',
      'dependencies:',
      '  - pytorch=1.12.1=py3.8_cuda11.3_cudnn8.3.2_0',
      '  - conda-forge::numpy>=1.24,<2',
      '  - nvidia/label/cuda-11.8.0::cuda-toolkit',
      '  - scipy 1.11.4 py311h64a7726_0',
      '  - "pandas==2.1.*"',
      '  - libgcc-ng',
      '  - _libgcc_mutex=0.1=main',
      '  - pip:',
      '      - -r requirements.txt',
      '      - --extra-index-url https://download.pytorch.org/whl/cu118',
      '      - "transformers>=4.40,<5"',
    ].join('\n');
    const out = run(text);
    expect(out.problems).toEqual([]);
    expect(
      out.references.map((r) => [
        r.ecosystem,
        r.id,
        r.revision,
        r.pinned,
        r.version,
        r.line,
        r.column,
      ]),
    ).toEqual([
      ['conda', 'pytorch', '=1.12.1=py3.8_cuda11.3_cudnn8.3.2_0', true, '1.12.1', 4, 5],
      ['conda', 'numpy', '>=1.24,<2', false, undefined, 5, 18],
      ['conda', 'cuda-toolkit', null, false, undefined, 6, 31],
      ['conda', 'scipy', '1.11.4 py311h64a7726_0', true, '1.11.4', 7, 5],
      ['conda', 'pandas', '==2.1.*', false, undefined, 8, 6],
      ['conda', 'libgcc-ng', null, false, undefined, 9, 5],
      ['conda', '_libgcc_mutex', '=0.1=main', true, '0.1', 10, 5],
      ['pypi', 'transformers', '>=4.40,<5', false, undefined, 14, 10],
    ]);
  });

  it('reports malformed YAML and bad specs with lines, and keeps what it can read', () => {
    const out = run(
      'dependencies:\n  - numpy=1.26.0\n  - "!!bad spec"\n  - pip:\n    - torch>=2..0\n  key: [unclosed\n',
    );
    expect(out.problems.map((p) => [p.line, p.message.slice(0, 30)])).toEqual([
      [6, expect.any(String)],
      [3, 'invalid conda package spec "!!'],
      [5, 'torch: invalid version specifi'],
    ]);
    expect(out.references.map((r) => [r.id, r.line])).toEqual([
      ['numpy', 2],
      ['torch', 5],
    ]);
  });

  it('ignores files without a dependencies list', () => {
    expect(run('name: x\nchannels: [defaults]\n').references).toEqual([]);
    expect(run('- a\n- b\n').references).toEqual([]);
  });
});

describe('conda specs', () => {
  it('parses channel, name and version', () => {
    expect(parseCondaSpec('conda-forge::numpy>=1.24')).toEqual({
      channel: 'conda-forge',
      name: 'numpy',
      nameStart: 13,
      revision: { text: '>=1.24', start: 18, end: 24 },
    });
    expect(parseCondaSpec('numpy')?.revision).toBeNull();
    expect(parseCondaSpec('numpy foo')).toBeNull();
  });

  it('knows which specs allow one version', () => {
    expect(condaExactVersion('==1.2')).toBe('1.2');
    expect(condaExactVersion('=1.2.3')).toBe('1.2.3');
    expect(condaExactVersion('=1.2')).toBeNull();
    expect(condaExactVersion('=1.2=h123_0')).toBe('1.2');
    expect(condaExactVersion('1.2.3')).toBe('1.2.3');
    expect(condaExactVersion('1.2.*')).toBeNull();
    expect(condaExactVersion('>=1.2')).toBeNull();
    expect(condaExactVersion('=1.2.*')).toBeNull();
  });
});
