import { parsePypiProject } from '../../src/registries/pypi/schema.js';
import { parsePackument } from '../../src/registries/npm/schema.js';
import {
  admitsAtLeast,
  bumpSpecText,
  differenceLevel,
  publicVersion,
  releasesBetween,
  resolveReference,
  toRange,
} from '../../src/util/package-versions.js';
import { npmPackument, pkg, pypiProject } from '../registries/package-stubs.js';

const torch = parsePypiProject(
  pypiProject(
    'torch',
    [
      { version: '2.4.1', date: '2024-09-04' },
      { version: '2.5.0', date: '2024-10-17', files: 0 },
      { version: '2.5.1', date: '2024-10-29' },
      { version: '2.5.2', date: '2024-11-01', yanked: 'broken' },
      { version: '2.6.0', date: '2025-01-29' },
      { version: '2.7.0rc1', date: '2025-03-20' },
    ],
    '2.6.0',
  ),
);

describe('resolveReference', () => {
  it('uses the exact pin, dropping a PEP 440 local label', () => {
    expect(
      resolveReference(
        pkg({ ecosystem: 'pypi', id: 'torch', revision: '==2.1.0+cu118', version: '2.1.0+cu118' }),
        undefined,
      ),
    ).toEqual({
      version: '2.1.0',
      how: 'pinned',
    });
  });

  it('takes the newest admitted release, skipping yanked, empty and pre-releases', () => {
    const at = (revision: string | null) =>
      resolveReference(pkg({ ecosystem: 'pypi', id: 'torch', revision }), torch)?.version;
    expect(at('>=2.0,<2.6')).toBe('2.5.1'); // 2.5.2 is yanked
    expect(at('==2.5.*')).toBe('2.5.1');
    expect(at(null)).toBe('2.6.0');
    expect(at('>=2.7.0rc1')).toBe('2.7.0rc1'); // a range naming a pre-release admits them
    expect(at('<2.5')).toBe('2.4.1');
    expect(at('>=3')).toBeUndefined();
    expect(at('^2.4')).toBe('2.6.0'); // Poetry caret: >=2.4,<3
    expect(at('~2.4')).toBe('2.4.1'); // Poetry tilde: >=2.4,<2.5
    expect(at('git+https://github.com/pytorch/pytorch')).toBeUndefined();
  });

  it('prefers the npm latest tag when the range admits it, and resolves dist-tags', () => {
    const meta = parsePackument(
      npmPackument(
        'openai',
        [
          { version: '4.0.0', date: '2023-08-16' },
          { version: '4.1.0', date: '2023-08-20' },
          { version: '5.0.0-beta.1', date: '2025-01-01' },
        ],
        '4.0.0',
      ),
    );
    meta.tags.next = '5.0.0-beta.1';
    const at = (revision: string) =>
      resolveReference(pkg({ ecosystem: 'npm', id: 'openai', revision }), meta)?.version;
    expect(at('^4.0.0')).toBe('4.0.0');
    expect(at('>=4.1.0')).toBe('4.1.0');
    expect(at('next')).toBe('5.0.0-beta.1');
    expect(at('constructor')).toBeUndefined();
    expect(at('workspace:*')).toBeUndefined();
  });
});

describe('version helpers', () => {
  it('converts Poetry constraints and rejects what is not a range', () => {
    expect(toRange('pypi', '^0.2.3')).toBe('>=0.2.3,<0.3');
    expect(toRange('pypi', '^1.2')).toBe('>=1.2,<2');
    expect(toRange('pypi', '~1.2.3')).toBe('>=1.2.3,<1.3');
    expect(toRange('pypi', '1.2.*')).toBe('==1.2.*');
    expect(toRange('pypi', '>=4.40,<5')).toBe('>=4.40,<5');
    expect(toRange('pypi', 'abc123')).toBeNull();
    expect(toRange('npm', 'file:../x')).toBeNull();
    expect(toRange('npm', '')).toBe('*');
  });

  it('classifies the level of a difference', () => {
    expect(differenceLevel('pypi', '2.1.0', '2.6.0')).toBe('minor');
    expect(differenceLevel('pypi', '1.13.1', '2.0.0')).toBe('major');
    expect(differenceLevel('pypi', '4.41.0.dev0', '4.41.0')).toBe('patch');
    expect(differenceLevel('npm', '8.17.1', '8.18.0')).toBe('minor');
  });

  it('counts stable installable releases between two versions', () => {
    expect(releasesBetween(torch, '2.4.1', '2.6.0')).toBe(2); // 2.5.1, 2.6.0 (2.5.0 empty, 2.5.2 yanked)
  });

  it('decides offline whether a spec can reach a version', () => {
    expect(admitsAtLeast('pypi', '<2.6', '2.6.0')).toBe(false);
    expect(admitsAtLeast('pypi', '==2.5.*', '2.6.0')).toBe(false);
    expect(admitsAtLeast('pypi', '>=2.0', '2.6.0')).toBe(true);
    expect(admitsAtLeast('pypi', '>2.7', '2.6.0')).toBe(true);
    expect(admitsAtLeast('pypi', null, '2.6.0')).toBe(true);
    expect(admitsAtLeast('npm', '~8.17.0', '8.18.0')).toBe(false);
  });

  it('rewrites only spec texts that are exact pins or npm ^/~ ranges', () => {
    expect(bumpSpecText('pypi', '==2.4.1', '2.4.1', '2.6.0')).toBe('==2.6.0');
    expect(bumpSpecText('pypi', '== 2.4.1 ', '2.4.1', '2.6.0')).toBe('== 2.6.0 ');
    expect(bumpSpecText('pypi', '==2.1.0+cu118', '2.1.0', '2.6.0')).toBe('==2.6.0');
    expect(bumpSpecText('pypi', '2.4.1', '2.4.1', '2.6.0')).toBe('2.6.0');
    expect(bumpSpecText('pypi', '>=2.4', '2.5.1', '2.6.0')).toBeNull();
    expect(bumpSpecText('pypi', '~=2.4', '2.5.1', '2.6.0')).toBeNull();
    expect(bumpSpecText('pypi', '==2.4.1', '2.4.0', '2.6.0')).toBeNull();
    expect(bumpSpecText('npm', '^8.12.0', '8.17.1', '8.18.0')).toBe('^8.18.0');
    expect(bumpSpecText('npm', '1.3.0', '1.3.0', '1.3.1')).toBe('1.3.1');
    expect(bumpSpecText('npm', '>=1 <2', '1.3.0', '1.3.1')).toBeNull();
    expect(publicVersion('npm', 'v1.2.3')).toBe('1.2.3');
  });
});
