import { symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { LocalFileSource } from '../../src/files/local.js';
import { logSafe } from '../../src/reporters/escape.js';
import { renderJson } from '../../src/reporters/json.js';
import { renderMarkdown } from '../../src/reporters/markdown.js';
import { renderSarif } from '../../src/reporters/sarif.js';
import { scan } from '../../src/scan.js';
import { tempRepo } from '../helpers.js';

/** A repository written by someone who can open a pull request. */
const HOSTILE_NAME = 'x`\n<!-- @octocat [a](javascript:b) ::error::pwned';

describe('a hostile repository', () => {
  let repo: ReturnType<typeof tempRepo>;
  beforeAll(() => {
    const aliasBomb = [
      'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
      'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
      'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
      'f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
      'g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]',
      'base_model: *g',
      'datasets:',
      '  - path: tatsu-lab/alpaca',
    ].join('\n');
    repo = tempRepo({
      'configs/bomb.yml': aliasBomb,
      'deep/config.json': '['.repeat(100_000) + ']'.repeat(100_000),
      'deep/adapter_config.json': '{"a":'.repeat(50_000) + '1' + '}'.repeat(50_000),
      'bom/adapter_config.json': '\ufeff{\n  "base_model_name_or_path": "org/bom-model"\n}\n',
      'crlf/train.py': 'import x\r\n\r\nm = AutoModel.from_pretrained("org/crlf-model")\r\n',
      'utf8/requirements.txt': Buffer.concat([
        Buffer.from('torch>=2\n\xff\xfe\n'),
        Buffer.from([0xc3, 0x28]),
        Buffer.from('\ntransformers>=4\n'),
      ]),
      'bin/config.json': new Uint8Array([0x7b, 0, 0, 0, 0x7d]),
      [`names/${HOSTILE_NAME}/adapter_config.json`]:
        '{"base_model_name_or_path": "org/hostile-dir"}',
      'names/requirements.txt': 'vllm>=0.6 # <!-- @octocat -->\n',
    });
    // A sparse 200 MB file: no disk used, and the walker must never read it.
    writeFileSync(path.join(repo.root, 'requirements-big.txt'), '');
    truncateSync(path.join(repo.root, 'requirements-big.txt'), 200 * 1024 * 1024);
    symlinkSync('/etc/passwd', path.join(repo.root, 'requirements-passwd.txt'));
    symlinkSync('/etc', path.join(repo.root, 'etc-link'));
  });
  afterAll(() => repo.cleanup());

  it('finishes, reads nothing outside the root and loses no finding', async () => {
    const result = await scan(new LocalFileSource(repo.root));
    const by = (rule: string) => result.findings.filter((f) => f.rule === rule).map((f) => f.file);
    expect(by('file-skipped').sort()).toEqual([
      'bin/config.json',
      'etc-link',
      'requirements-big.txt',
      'requirements-passwd.txt',
    ]);
    expect(result.skipped.find((s) => s.file === 'requirements-big.txt')).toEqual({
      file: 'requirements-big.txt',
      reason: 'too-large',
      size: 200 * 1024 * 1024,
    });
    expect(result.stats.bytesRead).toBeLessThan(2 * 1024 * 1024);
    // The alias bomb does not expand, and its file still yields what it plainly declares.
    expect(
      result.references.filter((r) => r.file === 'configs/bomb.yml').map((r) => r.id),
    ).toContain('tatsu-lab/alpaca');
    // BOM and CRLF files keep their line numbers; invalid UTF-8 does not hide the lines around it.
    const at = (id: string) => result.references.find((r) => r.id === id);
    expect(at('org/bom-model')).toMatchObject({ line: 2, column: 31 });
    expect(at('org/crlf-model')).toMatchObject({ line: 3, column: 32 });
    expect(
      result.references
        .filter((r) => r.file === 'utf8/requirements.txt')
        .map((r) => [r.id, r.line]),
    ).toEqual([
      ['torch', 1],
      ['transformers', 4],
    ]);
    expect(at('org/hostile-dir')?.file).toBe(`names/${HOSTILE_NAME}/adapter_config.json`);
  });

  it('escapes file names and file content in markdown, SARIF, JSON and logs', async () => {
    const result = await scan(new LocalFileSource(repo.root));
    const md = renderMarkdown(result);
    for (const line of md.split('\n')) {
      if (!line.includes('<!--')) continue;
      // Only inside a code span, where GitHub renders it as text.
      expect(line).toMatch(/^### (`+) .*\1$|^### (`+)[^`].*[^`]\2$/);
    }
    expect(md.replace(/^### .*$/gm, '')).not.toMatch(/<!--|@octocat|\]\(javascript/);
    const sarif = JSON.parse(renderSarif(result));
    const uris: string[] = sarif.runs[0].results.map(
      (r: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) =>
        r.locations[0]!.physicalLocation.artifactLocation.uri,
    );
    expect(uris).toContain(`names/${encodeURIComponent(HOSTILE_NAME)}/adapter_config.json`);
    expect(() => JSON.parse(renderJson(result))).not.toThrow();
    for (const f of result.findings) expect(logSafe(`${f.file} ${f.message}`)).not.toMatch(/\n|::/);
  });
});
