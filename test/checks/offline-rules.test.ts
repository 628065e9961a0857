import { dependencyUnpinned } from '../../src/checks/dependency-unpinned.js';
import { fileSkipped } from '../../src/checks/file-skipped.js';
import { parseError } from '../../src/checks/parse-error.js';
import { remoteCode } from '../../src/checks/remote-code.js';
import { unpinnedRevision } from '../../src/checks/unpinned-revision.js';
import { unsafeWeightsFormat } from '../../src/checks/unsafe-weights-format.js';
import type { WeightsFile } from '../../src/types.js';
import { context, ref } from './context.js';

describe('unpinned-revision', () => {
  it('flags Hub loads without a commit sha; medium, high with remote code', () => {
    const findings = unpinnedRevision.run(
      context({
        references: [
          ref({ id: 'org/a' }),
          ref({ id: 'org/b', revision: 'main', line: 2 }),
          ref({
            id: 'org/c',
            revision: '0e9e39f249a16976918f6564b8830bc894c89659',
            pinned: true,
            line: 3,
          }),
          ref({ id: 'org/d', trustRemoteCode: true, line: 4 }),
          ref({ id: 'squad', kind: 'dataset', revision: 'v1.0', line: 5 }),
        ],
      }),
    );
    expect(findings.map((f) => [f.id, f.severity, f.line, f.message])).toEqual([
      ['org/a', 'medium', 1, 'Model org/a has no revision.'],
      ['org/b', 'medium', 2, 'Model org/b follows "main", which can move.'],
      ['org/d', 'high', 4, 'Model org/d has no revision and runs remote code.'],
      ['squad', 'medium', 5, 'Dataset squad follows "v1.0", which can move.'],
    ]);
  });

  it('leaves cards and model configs alone (they record lineage, they cannot pin)', () => {
    const findings = unpinnedRevision.run(
      context({
        references: [
          ref({ id: 'org/a', extractor: 'model-card' }),
          ref({ id: 'org/b', extractor: 'hf-config' }),
        ],
      }),
    );
    expect(findings).toEqual([]);
  });

  it('flags Ollama tags as low', () => {
    const findings = unpinnedRevision.run(
      context({
        references: [
          ref({ id: 'llama3.1', ecosystem: 'ollama', revision: '8b', extractor: 'modelfile' }),
        ],
      }),
    );
    expect(findings.map((f) => [f.severity, f.message])).toEqual([
      ['low', 'Ollama model llama3.1:8b is a tag, which can be re-pushed.'],
    ]);
  });
});

describe('unsafe-weights-format', () => {
  const w = (partial: Partial<WeightsFile> & Pick<WeightsFile, 'name'>): WeightsFile => ({
    file: 'merged/pytorch_model.bin.index.json',
    line: 3,
    column: 5,
    format: 'pickle',
    origin: 'weights-index',
    ...partial,
  });

  it('reports one finding per shard index, medium without a safetensors twin', () => {
    const findings = unsafeWeightsFormat.run(
      context({
        weights: [
          w({ name: 'pytorch_model-00001-of-00002.bin' }),
          w({ name: 'pytorch_model-00002-of-00002.bin', line: 4 }),
        ],
      }),
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      severity: 'medium',
      line: 3,
      file: 'merged/pytorch_model.bin.index.json',
    });
    expect(findings[0]?.message).toBe(
      'Declares 2 pickle-based shards (pytorch_model-00001-of-00002.bin, pytorch_model-00002-of-00002.bin); loading a pickle can run arbitrary code.',
    );
  });

  it('is high when a safetensors twin exists in the same folder', () => {
    const findings = unsafeWeightsFormat.run(
      context({
        weights: [
          w({ name: 'pytorch_model-00001-of-00002.bin' }),
          w({
            file: 'merged/model.safetensors.index.json',
            name: 'model-00001-of-00002.safetensors',
            format: 'safetensors',
          }),
        ],
      }),
    );
    expect(findings.map((f) => f.severity)).toEqual(['high']);
  });

  it('keeps twins apart across folders and upstreams', () => {
    const findings = unsafeWeightsFormat.run(
      context({
        weights: [
          w({
            file: 'a/pytorch_model.bin',
            name: 'a/pytorch_model.bin',
            origin: 'file',
            line: 1,
            column: 1,
          }),
          w({
            file: 'b/model.safetensors',
            name: 'b/model.safetensors',
            origin: 'file',
            format: 'safetensors',
          }),
          w({
            file: 'x.py',
            name: 'pytorch_model.bin',
            origin: 'source',
            upstream: { id: 'org/m', revision: null, kind: 'model' },
          }),
        ],
      }),
    );
    expect(findings.map((f) => [f.file, f.severity, f.id ?? null])).toEqual([
      ['a/pytorch_model.bin', 'medium', null],
      ['x.py', 'medium', 'org/m'],
    ]);
  });
});

describe('remote-code', () => {
  it('is high for unpinned loads, medium when pinned, low for a local auto_map', () => {
    const findings = remoteCode.run(
      context({
        references: [
          ref({ id: 'org/unpinned', line: 10, trustRemoteCode: true }),
          ref({
            id: 'org/pinned',
            line: 20,
            trustRemoteCode: true,
            pinned: true,
            revision: 'abcdef1',
          }),
        ],
        facts: [
          {
            type: 'remote-code',
            via: 'trust_remote_code',
            detail: 'trust_remote_code=True',
            file: 'train.py',
            line: 11,
            column: 3,
          },
          {
            type: 'remote-code',
            via: 'trust_remote_code',
            detail: 'trust_remote_code=True',
            file: 'train.py',
            line: 21,
            column: 3,
          },
          {
            type: 'remote-code',
            via: 'auto_map',
            detail: 'AutoModel=modeling_x.X',
            file: 'config.json',
            line: 4,
            column: 3,
          },
        ],
      }),
    );
    expect(findings.map((f) => [f.file, f.line, f.severity, f.id ?? null])).toEqual([
      ['train.py', 11, 'high', 'org/unpinned'],
      ['train.py', 21, 'medium', 'org/pinned'],
      ['config.json', 4, 'low', null],
    ]);
  });
});

describe('dependency-unpinned', () => {
  const pkg = (id: string, partial: object = {}) =>
    ref({
      id,
      kind: 'package',
      ecosystem: 'pypi',
      file: 'requirements.txt',
      extractor: 'pip-requirements',
      via: 'requirement',
      ...partial,
    });

  it('flags floating ML toolchain packages only', () => {
    const findings = dependencyUnpinned.run(
      context({
        references: [
          pkg('torch', { revision: '>=2.4' }),
          pkg('transformers', { revision: '==4.46.2', pinned: true, version: '4.46.2' }),
          pkg('requests', { revision: '>=2' }),
          pkg('langchain-openai'),
          pkg('pytest', { dev: true }),
        ],
      }),
    );
    expect(findings.map((f) => [f.id, f.message])).toEqual([
      ['torch', 'torch is declared with ">=2.4", so installs can pick up any matching release.'],
      [
        'langchain-openai',
        'langchain-openai is declared with no version constraint, so installs can pick up any matching release.',
      ],
    ]);
  });

  it('treats a manifest entry as pinned by a lockfile in the same folder that locks it', () => {
    const findings = dependencyUnpinned.run(
      context({
        references: [
          pkg('torch', { file: 'pyproject.toml', revision: '>=2.4' }),
          pkg('torch', { file: 'uv.lock', revision: '2.4.1', pinned: true, locked: true }),
          pkg('peft', { file: 'pyproject.toml', revision: '>=0.13' }),
          pkg('vllm', { file: 'svc/pyproject.toml', revision: '>=0.6' }),
          pkg('openai', { file: 'web/package.json', ecosystem: 'npm', revision: '^4' }),
        ],
        paths: new Set([
          'pyproject.toml',
          'uv.lock',
          'svc/pyproject.toml',
          'web/package.json',
          'web/yarn.lock',
        ]),
      }),
    );
    expect(findings.map((f) => `${f.file}:${f.id}`)).toEqual([
      'pyproject.toml:peft',
      'svc/pyproject.toml:vllm',
    ]);
  });
});

describe('parse-error and file-skipped', () => {
  it('turns problems and skipped files into info findings at their place', () => {
    const ctx = context({
      problems: [{ file: 'a.yaml', line: 3, column: 2, message: 'bad indentation' }],
      skipped: [{ file: 'huge.json', reason: 'too-large', size: 20000000 }],
    });
    expect(parseError.run(ctx).map((f) => [f.severity, f.file, f.line, f.message])).toEqual([
      [
        'info',
        'a.yaml',
        3,
        'Could not parse this file, so references in it may be missed: bad indentation',
      ],
    ]);
    expect(fileSkipped.run(ctx).map((f) => [f.severity, f.file, f.message])).toEqual([
      [
        'info',
        'huge.json',
        'Not scanned because it is larger than the size limit (20000000 bytes).',
      ],
    ]);
  });
});
