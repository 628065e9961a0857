import { dependencyUnpinned } from '../../src/checks/dependency-unpinned.js';
import { pkg } from '../registries/package-stubs.js';
import { context } from './context.js';

describe('dependency-unpinned and lockfiles', () => {
  it('treats a pip-tools .in entry as pinned by the compiled .txt that pins it', () => {
    const refs = [
      pkg({ ecosystem: 'pypi', id: 'torch', revision: '>=2.4', file: 'requirements/base.in' }),
      pkg({
        ecosystem: 'pypi',
        id: 'torch',
        revision: '==2.6.0',
        version: '2.6.0',
        file: 'requirements/base.txt',
      }),
      pkg({ ecosystem: 'pypi', id: 'vllm', revision: null, file: 'requirements/base.in', line: 2 }),
      pkg({
        ecosystem: 'pypi',
        id: 'vllm',
        revision: '>=0.6',
        file: 'requirements/base.txt',
        line: 9,
      }),
      pkg({ ecosystem: 'pypi', id: 'peft', revision: null, file: 'requirements/extra.in' }),
      pkg({
        ecosystem: 'pypi',
        id: 'peft',
        revision: '==0.13.2',
        version: '0.13.2',
        file: 'requirements/base.txt',
      }),
    ];
    const findings = dependencyUnpinned.run(context({ references: refs }));
    expect(findings.map((f) => `${f.file}:${f.line}:${f.id}`)).toEqual([
      'requirements/base.in:2:vllm',
      'requirements/base.txt:9:vllm',
      'requirements/extra.in:1:peft',
    ]);
  });

  it('counts bun and PEP 751 lockfiles, which are not parsed, as pinning their manifest', () => {
    const refs = [
      pkg({ ecosystem: 'npm', id: 'openai', revision: '^4', file: 'web/package.json' }),
      pkg({
        ecosystem: 'pypi',
        id: 'transformers',
        revision: '>=4.48',
        file: 'svc/pyproject.toml',
      }),
      pkg({ ecosystem: 'pypi', id: 'transformers', revision: '>=4.48', file: 'pyproject.toml' }),
    ];
    const paths = new Set([
      'web/package.json',
      'web/bun.lock',
      'svc/pyproject.toml',
      'svc/pylock.toml',
      'pyproject.toml',
    ]);
    expect(dependencyUnpinned.run(context({ references: refs, paths })).map((f) => f.file)).toEqual(
      ['pyproject.toml'],
    );
  });
});
