/**
 * The GitHub file source: one commit read through git trees and blobs, against the App stand-in
 * (OpenAPI-checked). Compared with the local folder source on the same files, so the bot and the
 * CLI see one repository the same way.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  GitHubFileSource,
  GitHubPolicySource,
  parseBlob,
  parseTree,
  resolveInside,
} from '../../src/files/github.js';
import { LocalFileSource } from '../../src/files/local.js';
import { isSkipped } from '../../src/files/source.js';
import { createGitHubClient, type GitHubClient } from '../../src/github/client.js';
import { loadPolicy } from '../../src/policy/load.js';
import { ShapeError } from '../../src/registries/json-shape.js';
import { scan } from '../../src/scan.js';
import { APP_ID, appKeys, SLUG } from './helpers.js';
import { AppStandIn, gitSha, type FileContent } from './stand-in.js';

const SHA = 'c'.repeat(40);
const ADAPTER =
  '{\n  "base_model_name_or_path": "meta-llama/Llama-3.1-8B-Instruct",\n  "peft_type": "LORA"\n}\n';
const FILES: Record<string, FileContent> = {
  'README.md': '---\nbase_model: mistralai/Mistral-7B-v0.1\n---\n# Card\n',
  'adapter/adapter_config.json': ADAPTER,
  'train/requirements.txt': 'torch==2.3.0\ntransformers\n',
  'docs/notes.txt': 'not for any extractor\n',
  'node_modules/x/config.json': '{"auto_map": {"AutoConfig": "a--b.C"}}\n',
  '.venv/pyvenv.cfg': 'home = /usr/bin\n',
  '.venv/lib/config.json': '{"auto_map": {"AutoConfig": "a--b.C"}}\n',
  'env/pyvenv.cfg': 'home = /usr/bin\n',
  'env/requirements.txt': 'evil==1\n',
  'linked/config.json': { link: '../adapter/adapter_config.json' },
  'linked/requirements.txt': { link: '../../outside/requirements.txt' },
  'linked/abs/requirements.txt': { link: '/etc/hostname' },
  'linked/folder': { link: '../train' },
};

let gh: AppStandIn;
let client: GitHubClient;
const warnings: string[] = [];

async function standIn(truncateTrees: boolean, files = FILES) {
  gh = await AppStandIn.start({
    appId: APP_ID,
    publicKey: appKeys().publicKey,
    slug: SLUG,
    installations: [{ id: 1, account: 'acme' }],
    repos: [
      {
        owner: 'acme',
        name: 'ml',
        id: 1,
        installationId: 1,
        head: SHA,
        commits: { [SHA]: files },
        truncateTrees,
      },
    ],
  });
  gh.tokens.set('ghs_test', { installation: 1, expires: Date.now() + 3600_000 });
  client = createGitHubClient({
    token: 'ghs_test',
    baseUrl: gh.url,
    warn: () => {},
    throttle: false,
  });
}

afterEach(async () => {
  warnings.length = 0;
  await gh.close();
});

const source = (options = {}) =>
  new GitHubFileSource(client, { owner: 'acme', repo: 'ml' }, SHA, {
    warn: (m) => warnings.push(m),
    ...options,
  });

async function listing(s: GitHubFileSource) {
  const files: string[] = [];
  const skipped: string[] = [];
  for await (const e of s.list()) {
    if (isSkipped(e)) skipped.push(`${e.file} (${e.reason})`);
    else files.push(e.path);
  }
  return { files: files.sort(), skipped: skipped.sort() };
}

const EXPECTED = {
  files: [
    'README.md',
    'adapter/adapter_config.json',
    'docs/notes.txt',
    'linked/config.json',
    'train/requirements.txt',
  ],
  skipped: ['linked/abs/requirements.txt (outside-root)', 'linked/requirements.txt (outside-root)'],
};

describe('GitHubFileSource', () => {
  it('lists the tree without installed folders or virtualenvs, resolving symlinks inside it', async () => {
    await standIn(false);
    expect(await listing(source())).toEqual(EXPECTED);
    expect(warnings).toEqual([]);
    expect(gh.violations).toEqual([]);
  });

  it('walks a truncated tree folder by folder and lists the same files', async () => {
    await standIn(true);
    expect(await listing(source())).toEqual(EXPECTED);
    expect(warnings).toEqual([
      `The tree of acme/ml@${SHA} is too large for one request; reading it folder by folder.`,
    ]);
    // Skipped folders are never asked for.
    const trees = gh.requests.filter((r) => r.path.includes('/git/trees/'));
    expect(
      trees.some((r) => r.path.endsWith(`/trees/${SHA}`) && r.query.recursive === undefined),
    ).toBe(true);
    expect(gh.violations).toEqual([]);
  });

  it('fetches only blobs an extractor reads, within the size caps', async () => {
    await standIn(false);
    const s = source({ maxFileBytes: 100 });
    await listing(s);
    expect(new TextDecoder().decode(await s.read('adapter/adapter_config.json'))).toBe(ADAPTER);
    expect(new TextDecoder().decode(await s.read('linked/config.json'))).toBe(ADAPTER);
    await expect(s.read('docs/notes.txt')).rejects.toThrow('no extractor reads it');
    await expect(s.read('train/requirements.txt')).resolves.toBeInstanceOf(Uint8Array);
    await expect(s.read('missing.json')).rejects.toMatchObject({ status: 404 });
    await expect(s.read('../outside/requirements.txt')).rejects.toMatchObject({ status: 404 });
    const big = source({ maxFileBytes: 10 });
    await expect(big.read('README.md')).rejects.toThrow('over the file size cap');
    const budget = source({ maxTotalBytes: ADAPTER.length + 10 });
    await budget.read('adapter/adapter_config.json');
    await expect(budget.read('train/requirements.txt')).rejects.toThrow('budget is spent');
    // Blob requests: the linked config's target (resolving the link) and the files read.
    const blobs = gh.requests
      .filter((r) => r.path.includes('/git/blobs/'))
      .map((r) => r.path.split('/').at(-1));
    expect(blobs).not.toContain(gitSha('blob', Buffer.from('not for any extractor\n')));
    expect(gh.violations).toEqual([]);
  });

  it('scans a commit as the local source scans the same files', async () => {
    await standIn(false);
    const tmp = mkdtempSync(path.join(tmpdir(), 'lscg-gh-files-'));
    // The link that leaves the root points at a file that exists, as it would on a runner.
    const dir = path.join(tmp, 'a', 'repo');
    mkdirSync(path.join(tmp, 'a', 'outside'), { recursive: true });
    writeFileSync(path.join(tmp, 'a', 'outside', 'requirements.txt'), 'secret==1\n');
    try {
      for (const [rel, content] of Object.entries(FILES)) {
        const abs = path.join(dir, rel);
        mkdirSync(path.dirname(abs), { recursive: true });
        if (typeof content === 'string') writeFileSync(abs, content);
        else symlinkSync(content.link, abs);
      }
      const local = await scan(new LocalFileSource(dir));
      const remote = await scan(source());
      const refs = (r: typeof local) => r.references.map((x) => `${x.file}:${x.line} ${x.id}`);
      expect(refs(remote)).toEqual(refs(local));
      expect(remote.findings.map((f) => `${f.rule} ${f.file}:${f.line}`)).toEqual(
        local.findings.map((f) => `${f.rule} ${f.file}:${f.line}`),
      );
      expect(remote.label).toBe(`acme/ml@${SHA}`);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe('GitHubPolicySource', () => {
  it('reads the policy at a commit; none is the default policy; a symlink is refused', async () => {
    await standIn(false, {
      '.github/llm-supply-chain.yml': 'version: 1\nrequire-pinned: true\n',
    });
    const repo = { owner: 'acme', repo: 'ml' };
    const policy = await loadPolicy(new GitHubPolicySource(client, repo, SHA));
    expect([policy.file, policy.requirePinned]).toEqual(['.github/llm-supply-chain.yml', true]);
    await gh.close();
    await standIn(false, { 'README.md': '# no policy\n' });
    expect((await loadPolicy(new GitHubPolicySource(client, repo, SHA))).file).toBeNull();
    await gh.close();
    await standIn(false, { '.github/llm-supply-chain.yml': { link: '../../secrets.yml' } });
    await expect(loadPolicy(new GitHubPolicySource(client, repo, SHA))).rejects.toThrow(
      'Cannot read policy file .github/llm-supply-chain.yml: .github/llm-supply-chain.yml at cccccccccccccccccccccccccccccccccccccccc is not a regular file',
    );
  });
});

describe('response validation and paths', () => {
  it('refuses tree entries that are not tree paths, and surprising blobs', () => {
    const entry = { path: 'a.json', mode: '100644', type: 'blob', sha: 'x', size: 1 };
    expect(parseTree({ tree: [entry], truncated: false }).entries).toHaveLength(1);
    for (const bad of ['../a.json', '/a.json', 'a//b.json', 'a/../b'])
      expect(() => parseTree({ tree: [{ ...entry, path: bad }], truncated: false })).toThrow(
        ShapeError,
      );
    expect(() => parseTree({ tree: [{ ...entry, type: 'tag' }], truncated: false })).toThrow(
      ShapeError,
    );
    expect(() => parseTree({ tree: [entry] })).toThrow('truncated is not a boolean');
    expect(() => parseBlob({ sha: 'y', content: '', encoding: 'base64' }, 'x')).toThrow(ShapeError);
    expect(() =>
      parseBlob({ sha: 'x', content: 'AA==', encoding: 'base64', size: 5 }, 'x'),
    ).toThrow('blob is 1 bytes, GitHub said 5');
    expect(() => parseBlob({ sha: 'x', content: '', encoding: 'none' }, 'x')).toThrow(ShapeError);
  });

  it('resolves symlink targets inside the tree only', () => {
    expect(resolveInside('a/b', '../c.json')).toBe('a/c.json');
    expect(resolveInside('a', './b/./c')).toBe('a/b/c');
    expect(resolveInside('a', '../../c')).toBeNull();
    expect(resolveInside('', '/etc/passwd')).toBeNull();
    expect(resolveInside('a', '..')).toBeNull();
  });
});
