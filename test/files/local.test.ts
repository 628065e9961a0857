import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LocalFileSource } from '../../src/files/local.js';
import { isSkipped } from '../../src/files/source.js';
import { tempRepo } from '../helpers.js';

async function listAll(root: string) {
  const files: string[] = [];
  const skipped: string[] = [];
  for await (const e of new LocalFileSource(root).list()) {
    if (isSkipped(e)) skipped.push(`${e.file}:${e.reason}`);
    else files.push(e.path);
  }
  return { files, skipped };
}

describe('LocalFileSource', () => {
  it('honours nested .gitignore files and skips dependency folders and virtualenvs', async () => {
    const repo = tempRepo({
      '.gitignore': 'outputs/\n*.log\n',
      'train.py': 'x',
      'outputs/config.json': '{}',
      'run.log': 'x',
      'sub/.gitignore': 'private.yaml\n',
      'sub/private.yaml': 'a: 1',
      'sub/public.yaml': 'a: 1',
      'node_modules/pkg/package.json': '{}',
      '.git/config': 'x',
      'env1/pyvenv.cfg': 'home = /usr',
      'env1/lib/site.py': 'x',
    });
    try {
      const { files } = await listAll(repo.root);
      expect(files).toEqual(['.gitignore', 'sub/.gitignore', 'sub/public.yaml', 'train.py']);
    } finally {
      repo.cleanup();
    }
  });

  it('never follows a symlink out of the root, and refuses to read through one', async () => {
    const outside = mkdtempSync(path.join(tmpdir(), 'lscg-outside-'));
    writeFileSync(path.join(outside, 'secret.json'), '{"token": "x"}');
    mkdirSync(path.join(outside, 'dir'));
    writeFileSync(path.join(outside, 'dir', 'config.json'), '{}');
    const repo = tempRepo({ 'real/config.json': '{}' });
    try {
      symlinkSync('/etc/passwd', path.join(repo.root, 'passwd.txt'));
      symlinkSync(path.join(outside, 'secret.json'), path.join(repo.root, 'config.json'));
      symlinkSync(path.join(outside, 'dir'), path.join(repo.root, 'linked-dir'));
      symlinkSync(path.join(repo.root, 'real', 'config.json'), path.join(repo.root, 'inside.json'));
      const { files, skipped } = await listAll(repo.root);
      expect(files).toEqual(['inside.json', 'real/config.json']);
      expect(skipped).toEqual([
        'config.json:outside-root',
        'linked-dir:outside-root',
        'passwd.txt:outside-root',
      ]);
      const source = new LocalFileSource(repo.root);
      await expect(source.read('config.json')).rejects.toThrow(/outside the repository root/);
      await expect(source.read('../' + path.basename(outside) + '/secret.json')).rejects.toThrow(
        /outside/,
      );
      expect(new TextDecoder().decode(await source.read('inside.json'))).toBe('{}');
    } finally {
      repo.cleanup();
      rmSync(outside, { recursive: true, force: true });
    }
  });
});
