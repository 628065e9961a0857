import { createGitHubClient } from '../../src/github/client.js';
import {
  listChangedFiles,
  parsePatch,
  PullRequestDiff,
  type ChangedFile,
} from '../../src/github/pull-request.js';
import { ACTIONS_BOT, GitHubStandIn, addedFilePatch } from './stand-in.js';

// A real two-hunk patch as the files API returns it (git diff body without the file header).
const TWO_HUNKS = [
  '@@ -1,5 +1,6 @@',
  ' import torch',
  '-from transformers import AutoModel',
  '+from transformers import AutoModel, AutoTokenizer',
  '+import os',
  ' ',
  ' MODEL = "org/model"',
  ' ',
  '@@ -40,4 +41,4 @@ def main():',
  '     model = AutoModel.from_pretrained(MODEL)',
  '-    tok = None',
  '+    tok = AutoTokenizer.from_pretrained(MODEL, revision="main")',
  '     return model',
  '\\ No newline at end of file',
].join('\n');

describe('parsePatch', () => {
  it('maps head-side line numbers of added and context lines across hunks', () => {
    const d = parsePatch(TWO_HUNKS);
    expect([...d.added.entries()]).toEqual([
      [2, 'from transformers import AutoModel, AutoTokenizer'],
      [3, 'import os'],
      [42, '    tok = AutoTokenizer.from_pretrained(MODEL, revision="main")'],
    ]);
    expect([...d.inDiff].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 41, 42, 43]);
  });

  it('counts lines by the hunk header, so content that looks like a header or marker is content', () => {
    const patch = [
      '@@ -1,2 +1,3 @@',
      '---- a yaml separator',
      '+@@ not a hunk @@',
      '++x',
      ' kept',
    ].join('\n');
    const d = parsePatch(patch);
    expect([...d.added.entries()]).toEqual([
      [1, '@@ not a hunk @@'],
      [2, '+x'],
    ]);
    expect([...d.inDiff]).toEqual([1, 2, 3]);
  });

  it('reads a new file, CRLF line endings and an empty context line', () => {
    const d = parsePatch('@@ -0,0 +1,3 @@\r\n+a: 1\r\n+\r\n+b: 2');
    expect([...d.added.entries()]).toEqual([
      [1, 'a: 1'],
      [2, ''],
      [3, 'b: 2'],
    ]);
    expect([...parsePatch('@@ -3,3 +3,3 @@\n a\n\n-b\n+c').inDiff]).toEqual([3, 4, 5]);
  });

  it('reads a one-line hunk header without counts', () => {
    expect([...parsePatch('@@ -7 +7 @@\n-old\n+new').added]).toEqual([[7, 'new']]);
  });
});

describe('PullRequestDiff', () => {
  const files: ChangedFile[] = [
    { path: 'src/train.py', status: 'modified', previousPath: null, patch: TWO_HUNKS },
    { path: 'weights/model.bin', status: 'added', previousPath: null, patch: null },
    { path: 'old.yml', status: 'removed', previousPath: null, patch: '@@ -1 +0,0 @@\n-x' },
    { path: 'big.json', status: 'modified', previousPath: null, patch: null },
  ];
  const diff = new PullRequestDiff({ files, truncated: false });

  it('tells changed lines from context and from untouched files', () => {
    expect(diff.isChanged('src/train.py', 42)).toBe(true);
    expect(diff.isChanged('src/train.py', 41)).toBe(false);
    expect(diff.isChanged('src/other.py', 2)).toBe(false);
    expect(diff.changedLineText('src/train.py', 3)).toBe('import os');
    expect(diff.changedLineText('src/train.py', 41)).toBeNull();
  });

  it('counts every line of a new file without a patch as changed, but not commentable', () => {
    expect(diff.isChanged('weights/model.bin', 1)).toBe(true);
    expect(diff.changedLineText('weights/model.bin', 1)).toBeNull();
    expect(diff.isChanged('big.json', 1)).toBe(false);
  });

  it('lists the files present at the head', () => {
    expect(diff.paths).toEqual(['src/train.py', 'weights/model.bin', 'big.json']);
    expect(diff.hasFile('old.yml')).toBe(false);
  });
});

describe('listChangedFiles', () => {
  let gh: GitHubStandIn;
  afterEach(() => gh.close());

  async function start(count: number) {
    gh = await GitHubStandIn.start({
      owner: 'Codertocat',
      repo: 'Hello-World',
      pull: 2,
      files: Array.from({ length: count }, (_, i) => ({
        filename: `docs/page-${String(i).padStart(3, '0')}.md`,
        status: 'added' as const,
        patch: addedFilePatch(`# Page ${i}\n`),
      })),
      tokens: { t: { ...ACTIONS_BOT, canWrite: true } },
    });
    return createGitHubClient({ token: 't', baseUrl: gh.url, warn: () => {}, throttle: false });
  }

  it('follows Link pagination 100 files a page', async () => {
    const client = await start(250);
    const out = await listChangedFiles(
      client,
      { owner: 'Codertocat', repo: 'Hello-World' },
      2,
      250,
    );
    expect(out.files).toHaveLength(250);
    expect(out.files[249]).toEqual({
      path: 'docs/page-249.md',
      status: 'added',
      previousPath: null,
      patch: '@@ -0,0 +1,1 @@\n+# Page 249',
    });
    expect(out.truncated).toBe(false);
    expect(gh.requests.map((r) => r.query.page ?? '1')).toEqual(['1', '2', '3']);
    expect(gh.violations).toEqual([]);
  });

  it('says the list is truncated when GitHub counts more files than it lists', async () => {
    const client = await start(120);
    const out = await listChangedFiles(
      client,
      { owner: 'Codertocat', repo: 'Hello-World' },
      2,
      3412,
    );
    expect(out.truncated).toBe(true);
  });
});
