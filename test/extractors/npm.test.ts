import { readFileSync } from 'node:fs';
import { extractor } from '../../src/extractors/npm/index.js';
import type { Reference } from '../../src/types.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`../fixtures/npm/${name}`, import.meta.url), 'utf8');

const run = (text: string, path: string) => extractor.extract({ path, text });

/** Every reference's position must be its name in the text, every span its version text. */
function expectPositionsInText(text: string, refs: Reference[]): void {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  for (const ref of refs) {
    const at = (lines[ref.line - 1] ?? '').slice(ref.column - 1);
    expect([ref.id, at.startsWith(ref.id) || /^[\w@/.-]+-cjs"/.test(at)]).toEqual([ref.id, true]);
    const s = ref.revisionSpan;
    if (s)
      expect((lines[s.line - 1] ?? '').slice(s.column - 1, s.endColumn - 1)).toBe(ref.revision);
  }
}

describe('npm extractor', () => {
  it('matches manifests and lockfiles outside node_modules', () => {
    expect(extractor.match('package.json')).toBe(true);
    expect(extractor.match('packages/web/package.json')).toBe(true);
    expect(extractor.match('package-lock.json')).toBe(true);
    expect(extractor.match('npm-shrinkwrap.json')).toBe(true);
    expect(extractor.match('node_modules/react/package.json')).toBe(false);
    expect(extractor.match('web/node_modules/@scope/x/package.json')).toBe(false);
    expect(extractor.match('yarn.lock')).toBe(false);
    expect(extractor.match('tsconfig.json')).toBe(false);
  });

  it('reads the transformers.js package.json: prerelease pins, devDependencies as dev', () => {
    const text = fixture('transformers.js/package.json');
    const out = run(text, 'package.json');
    expect(out.problems).toEqual([]);
    expect(out.references.map((r) => [r.id, r.revision, r.pinned, r.line, r.dev ?? false])).toEqual(
      [
        ['@huggingface/jinja', '^0.5.3', false, 58, false],
        ['@huggingface/tokenizers', '^0.1.0', false, 59, false],
        ['onnxruntime-node', '1.24.0-dev.20251104-75d35474d5', true, 60, false],
        ['onnxruntime-web', '1.24.0-dev.20251104-75d35474d5', true, 61, false],
        ['sharp', '^0.34.3', false, 62, false],
        ['@types/jest', '^30.0.0', false, 65, true],
        ['@types/node', '^24.0.11', false, 66, true],
        ['@webgpu/types', '^0.1.64', false, 67, true],
        ['esbuild', '^0.27.2', false, 68, true],
        ['jest', '^30.0.4', false, 69, true],
        ['jest-environment-node', '^30.0.4', false, 70, true],
        ['jsdoc-to-markdown', '^9.1.1', false, 71, true],
        ['prettier', '3.4.2', true, 72, true],
        ['typescript', '^5.8.3', false, 73, true],
        ['wavefile', '11.0.0', true, 74, true],
      ],
    );
    expect(out.references[2]).toEqual({
      kind: 'package',
      ecosystem: 'npm',
      id: 'onnxruntime-node',
      revision: '1.24.0-dev.20251104-75d35474d5',
      pinned: true,
      version: '1.24.0-dev.20251104-75d35474d5',
      file: 'package.json',
      line: 60,
      column: 6,
      extractor: 'npm',
      via: 'dependencies',
      revisionSpan: {
        file: 'package.json',
        line: 60,
        column: 26,
        endColumn: 56,
        text: '1.24.0-dev.20251104-75d35474d5',
      },
    });
    expectPositionsInText(text, out.references);
  });

  it('reads a v3 monorepo lock: skips the root, workspace folders and links; aliases use the real name', () => {
    const text = fixture('transformers.js-monorepo/package-lock.json');
    const out = run(text, 'package-lock.json');
    expect(out.problems).toEqual([]);
    // 36 entries: the root, two workspace folders and two workspace links are not upstreams.
    expect(out.references).toHaveLength(31);
    expect(out.references.some((r) => r.id.startsWith('@huggingface/transformers'))).toBe(false);
    expect(out.references[0]).toEqual({
      kind: 'package',
      ecosystem: 'npm',
      id: '@babel/code-frame',
      revision: '7.27.1',
      pinned: true,
      version: '7.27.1',
      locked: true,
      dev: true,
      file: 'package-lock.json',
      line: 19,
      column: 19,
      extractor: 'npm',
      via: 'packages',
      revisionSpan: {
        file: 'package-lock.json',
        line: 20,
        column: 19,
        endColumn: 25,
        text: '7.27.1',
      },
    });
    expect(out.references.find((r) => r.id === 'onnxruntime-web')).toMatchObject({
      line: 330,
      version: '1.24.0-dev.20251104-75d35474d5',
    });
    expect(out.references.find((r) => r.id === 'onnxruntime-web')?.dev).toBeUndefined();
    // `node_modules/string-width-cjs` installs string-width under another name.
    expect(out.references.find((r) => r.line === 401)).toMatchObject({
      id: 'string-width',
      version: '4.2.3',
      column: 19,
    });
    // Nested installs: the name after the last node_modules/.
    expect(out.references.find((r) => r.line === 262)).toMatchObject({
      id: 'ansi-regex',
      version: '5.0.1',
      column: 53,
    });
    expect(out.references.find((r) => r.line === 509)).toMatchObject({
      id: '@jest/console',
      version: '29.7.0',
      column: 47,
    });
    expectPositionsInText(text, out.references);
  });

  it('reads the monorepo root package.json', () => {
    const out = run(fixture('transformers.js-monorepo/package.json'), 'package.json');
    expect(out.references.map((r) => [r.id, r.revision, r.line, r.dev])).toEqual([
      ['prettier', '3.4.2', 30, true],
      ['typescript', '^5.8.3', 31, true],
    ]);
  });

  it('reads a v2 lock from its packages map and does not double count the v1 section', () => {
    const text = fixture('transformers.js-2023/package-lock.json');
    const out = run(text, 'package-lock.json');
    expect(out.problems).toEqual([]);
    expect(out.references).toHaveLength(14);
    expect(out.references.every((r) => r.via === 'packages' && r.line < 154)).toBe(true);
    expect(out.references.find((r) => r.id === 'onnxruntime-web')).toMatchObject({
      line: 115,
      version: '1.14.0',
    });
    expectPositionsInText(text, out.references);
  });

  it('reads a real 809-package v1 lock (node-question-answering) with nested installs, quickly', () => {
    const text = fixture('node-question-answering/package-lock.json');
    const out = run(text, 'package-lock.json');
    expect(out.problems).toEqual([]);
    expect(out.references).toHaveLength(809);
    expect(out.references.filter((r) => r.dev)).toHaveLength(658);
    expect(
      out.references.filter((r) => r.id === 'tar').map((r) => [r.version, r.line, r.column]),
    ).toEqual([
      ['4.4.13', 980, 10],
      ['4.4.13', 5109, 10],
      ['5.0.5', 6546, 6],
    ]);
    expect(out.references.find((r) => r.id === 'tokenizers')).toMatchObject({
      version: '0.7.0',
      line: 6692,
      via: 'dependencies',
      revisionSpan: { line: 6693, column: 19, endColumn: 24, text: '0.7.0' },
    });
    expect(out.references.find((r) => r.id === 'node-notifier')).toMatchObject({
      line: 5058,
      dev: true,
    });
    expectPositionsInText(text, out.references);
  });

  it('reads a 5000-package v3 lock (synthetic) with one parse', () => {
    const packages: Record<string, unknown> = { '': { name: 'big', version: '1.0.0' } };
    for (let i = 0; i < 5000; i++) {
      packages[`node_modules/pkg-${i}`] = {
        version: `1.0.${i}`,
        resolved: `https://registry.npmjs.org/pkg-${i}/-/pkg-${i}-1.0.${i}.tgz`,
        integrity: `sha512-${'A'.repeat(86)}==`,
        dev: i % 2 === 0,
        license: 'MIT',
      };
    }
    const text = JSON.stringify(
      { name: 'big', version: '1.0.0', lockfileVersion: 3, requires: true, packages },
      null,
      2,
    );
    const out = run(text, 'package-lock.json');
    expect(out.references).toHaveLength(5000);
    expect(out.references[4999]).toMatchObject({
      id: 'pkg-4999',
      version: '1.0.4999',
      line: 11 + 4999 * 7,
    });
  });

  it('handles aliases, local and workspace specs in package.json', () => {
    const text = [
      '{',
      '  "dependencies": {',
      '    "string-width-cjs": "npm:string-width@^4.2.0",',
      '    "local": "file:../local",',
      '    "ws-lib": "workspace:*",',
      '    "linked": "link:../linked",',
      '    "relative": "./vendor/relative",',
      '    "gh": "github:xenova/transformers.js#2.17.2",',
      '    "latest": "latest"',
      '  },',
      '  "peerDependencies": { "react": ">=18" },',
      '  "optionalDependencies": { "sharp": "0.33.5" }',
      '}',
    ].join('\r\n');
    const out = run(text, 'package.json');
    expect(out.problems).toEqual([]);
    expect(
      out.references.map((r) => [r.id, r.revision, r.pinned, r.line, r.column, r.via]),
    ).toEqual([
      ['string-width', '^4.2.0', false, 3, 6, 'dependencies'],
      ['gh', 'github:xenova/transformers.js#2.17.2', false, 8, 6, 'dependencies'],
      ['latest', 'latest', false, 9, 6, 'dependencies'],
      ['sharp', '0.33.5', true, 12, 30, 'optionalDependencies'],
      ['react', '>=18', false, 11, 26, 'peerDependencies'],
    ]);
    expect(out.references[0]?.revisionSpan).toEqual({
      file: 'package.json',
      line: 3,
      column: 43,
      endColumn: 49,
      text: '^4.2.0',
    });
  });

  it('reports malformed JSON with its line and reads what parsed', () => {
    const out = run(
      '{\n  "dependencies": {\n    "a": "^1.0.0",\n    "b": \n  }\n}\n',
      'package.json',
    );
    expect(out.problems).toEqual([
      { file: 'package.json', line: 5, column: 3, message: 'invalid JSON: ValueExpected' },
    ]);
    expect(out.references.map((r) => [r.id, r.line])).toEqual([['a', 3]]);
  });
});
