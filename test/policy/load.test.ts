import { symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigurationError } from '../../src/errors.js';
import { LocalFileSource } from '../../src/files/local.js';
import { loadPolicy, loadPolicyFromDisk } from '../../src/policy/load.js';
import { PolicyError } from '../../src/policy/schema.js';
import { defaultPolicy } from '../../src/policy/types.js';
import { tempRepo } from '../helpers.js';

describe('loadPolicy', () => {
  it('uses the default location, .yml then .yaml, and defaults when neither exists', async () => {
    const a = tempRepo({ '.github/llm-supply-chain.yml': 'require-pinned: true\n' });
    const b = tempRepo({ '.github/llm-supply-chain.yaml': 'require-safetensors: true\n' });
    const c = tempRepo({ 'README.md': '# x\n' });
    try {
      const pa = await loadPolicy(new LocalFileSource(a.root));
      expect([pa.file, pa.requirePinned]).toEqual(['.github/llm-supply-chain.yml', true]);
      const pb = await loadPolicy(new LocalFileSource(b.root));
      expect([pb.file, pb.requireSafetensors]).toEqual(['.github/llm-supply-chain.yaml', true]);
      expect(await loadPolicy(new LocalFileSource(c.root))).toEqual(defaultPolicy());
    } finally {
      a.cleanup();
      b.cleanup();
      c.cleanup();
    }
  });

  it('a named file must exist; an invalid one stops the run naming file and line', async () => {
    const repo = tempRepo({ 'policy/strict.yml': 'version: 1\nrequire-pinned: maybe\n' });
    try {
      const source = new LocalFileSource(repo.root);
      await expect(loadPolicy(source, 'policy/missing.yml')).rejects.toThrow(
        new ConfigurationError('Policy file not found: policy/missing.yml'),
      );
      const error = await loadPolicy(source, 'policy/strict.yml').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PolicyError);
      expect((error as PolicyError).message).toBe(
        'Invalid policy file:\n  policy/strict.yml:2:17: require-pinned: expected true or false, got "maybe"',
      );
    } finally {
      repo.cleanup();
    }
  });

  it('refuses a default policy that is a symlink out of the repository', async () => {
    const outside = tempRepo({ 'secret.yml': 'require-pinned: true\n' });
    const repo = tempRepo({ '.github/keep': '' });
    try {
      symlinkSync(
        path.join(outside.root, 'secret.yml'),
        path.join(repo.root, '.github/llm-supply-chain.yml'),
      );
      await expect(loadPolicy(new LocalFileSource(repo.root))).rejects.toThrow(
        /^Cannot read policy file \.github\/llm-supply-chain\.yml: refusing to read outside/,
      );
    } finally {
      repo.cleanup();
      outside.cleanup();
    }
  });
});

describe('loadPolicyFromDisk', () => {
  it('names a policy inside the scanned folder by its repository path, one outside as given', async () => {
    const repo = tempRepo({ 'ml/.github/llm-supply-chain.yml': '', 'ml/policy.yml': '' });
    try {
      const root = path.join(repo.root, 'ml');
      writeFileSync(path.join(repo.root, 'org-policy.yml'), 'require-pinned: true\n');
      expect((await loadPolicyFromDisk({ root, cwd: repo.root })).file).toBe(
        '.github/llm-supply-chain.yml',
      );
      expect(
        (await loadPolicyFromDisk({ root, config: 'ml/policy.yml', cwd: repo.root })).file,
      ).toBe('policy.yml');
      const outside = await loadPolicyFromDisk({ root, config: 'org-policy.yml', cwd: repo.root });
      expect([outside.file, outside.requirePinned]).toEqual(['org-policy.yml', true]);
    } finally {
      repo.cleanup();
    }
  });
});
