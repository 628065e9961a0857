import { LocalFileSource } from '../src/files/local.js';
import { scan } from '../src/scan.js';
import type { Extractor } from '../src/types.js';
import { emptyExtraction } from '../src/extractors/extraction.js';
import { tempRepo } from './helpers.js';

/** A tiny extractor: every `model: org/name` line in a `.cfg` file is a Hub reference. */
const cfg: Extractor = {
  id: 'test-cfg',
  description: 'test',
  match: (p) => p.endsWith('.cfg'),
  extract({ path, text }) {
    const out = emptyExtraction();
    text.split('\n').forEach((line, i) => {
      const m = /model: (\S+)/.exec(line);
      if (m) {
        out.references.push({
          kind: 'model',
          ecosystem: 'huggingface',
          id: m[1] as string,
          revision: null,
          pinned: false,
          file: path,
          line: i + 1,
          column: (m.index ?? 0) + 8,
          extractor: 'test-cfg',
          via: 'model',
        });
      }
      if (line.startsWith('boom')) throw new Error('extractor bug');
    });
    return out;
  },
};

const pointerOnly: Extractor = {
  id: 'test-pointer',
  description: 'test',
  match: (p) => p.endsWith('.bin'),
  maxBytes: 200,
  extract({ path, text }) {
    const out = emptyExtraction();
    if (text.startsWith('version https://git-lfs')) {
      out.weights.push({
        file: path,
        line: 1,
        column: 1,
        name: path,
        format: 'pickle',
        origin: 'lfs-pointer',
      });
    }
    return out;
  },
};

describe('scan', () => {
  it('reads matching files, dedupes what two extractors both report, and records stats', async () => {
    const repo = tempRepo({
      'a.cfg': 'model: org/one\nmodel: org/two\n',
      'b.txt': 'model: org/ignored',
    });
    try {
      const result = await scan(new LocalFileSource(repo.root), {
        extractors: [cfg, { ...cfg, id: 'dup' }],
        checks: [],
      });
      expect(result.references.map((r) => `${r.file}:${r.line}:${r.id}`)).toEqual([
        'a.cfg:1:org/one',
        'a.cfg:2:org/two',
      ]);
      expect(result.stats.filesListed).toBe(2);
      expect(result.stats.filesRead).toBe(1);
      expect(result.paths).toEqual(new Set(['a.cfg', 'b.txt']));
    } finally {
      repo.cleanup();
    }
  });

  it('turns an extractor crash into a parse-error finding instead of failing the run', async () => {
    const repo = tempRepo({ 'bad.cfg': 'model: org/ok\nboom\n' });
    try {
      const result = await scan(new LocalFileSource(repo.root), { extractors: [cfg] });
      expect(result.findings.map((f) => [f.rule, f.file, f.line, f.message])).toEqual([
        [
          'parse-error',
          'bad.cfg',
          1,
          'Could not parse this file, so references in it may be missed: test-cfg failed: extractor bug',
        ],
      ]);
    } finally {
      repo.cleanup();
    }
  });

  it('skips and reports files over the size limit and binary files of a text kind', async () => {
    const repo = tempRepo({
      'big.cfg': 'model: org/x\n'.repeat(100),
      'bin.cfg': new Uint8Array([109, 0, 1, 2]),
    });
    try {
      const result = await scan(new LocalFileSource(repo.root), {
        extractors: [cfg],
        maxFileBytes: 1000,
      });
      expect(result.skipped).toEqual([
        { file: 'big.cfg', reason: 'too-large', size: 1300 },
        { file: 'bin.cfg', reason: 'binary', size: 4 },
      ]);
      expect(result.findings.map((f) => `${f.rule}:${f.file}`)).toEqual([
        'file-skipped:big.cfg',
        'file-skipped:bin.cfg',
      ]);
    } finally {
      repo.cleanup();
    }
  });

  it('reads only included files but still lists every path', async () => {
    const repo = tempRepo({ 'a.cfg': 'model: org/a', 'b.cfg': 'model: org/b' });
    try {
      const result = await scan(new LocalFileSource(repo.root), {
        extractors: [cfg],
        include: (p) => p === 'b.cfg',
      });
      expect(result.references.map((r) => r.id)).toEqual(['org/b']);
      expect(result.paths.size).toBe(2);
    } finally {
      repo.cleanup();
    }
  });

  it('counts committed weights files, unless they are LFS pointers, without reading big ones', async () => {
    const pointer =
      'version https://git-lfs.github.com/spec/v1\noid sha256:' + 'a'.repeat(64) + '\nsize 10\n';
    const repo = tempRepo({
      'pointer/pytorch_model.bin': pointer,
      'real/pytorch_model.bin': new Uint8Array(5000).fill(1),
      'real/model.safetensors': new Uint8Array(10),
    });
    try {
      const result = await scan(new LocalFileSource(repo.root), {
        extractors: [pointerOnly],
        checks: [],
      });
      expect(result.weights.map((w) => `${w.file}:${w.origin}:${w.format}`)).toEqual([
        'pointer/pytorch_model.bin:lfs-pointer:pickle',
        'real/model.safetensors:file:safetensors',
        'real/pytorch_model.bin:file:pickle',
      ]);
      expect(result.stats.filesRead).toBe(1);
    } finally {
      repo.cleanup();
    }
  });

  it('passes extracted references to the online stage and its facts to the checks', async () => {
    const repo = tempRepo({ 'a.cfg': 'model: org/a' });
    try {
      const seen: string[] = [];
      const upstreams = {};
      const result = await scan(new LocalFileSource(repo.root), {
        extractors: [cfg],
        enrich: async (x) => {
          seen.push(...x.references.map((r) => r.id));
          return upstreams;
        },
        checks: [
          {
            id: 'upstream-unverified',
            run: (ctx) =>
              ctx.upstreams === upstreams
                ? [
                    {
                      rule: 'upstream-unverified',
                      severity: 'info',
                      message: 'got it',
                      file: 'a.cfg',
                      line: 1,
                      column: 1,
                    },
                  ]
                : [],
          },
        ],
      });
      expect(seen).toEqual(['org/a']);
      expect(result.findings.map((f) => f.message)).toEqual(['got it']);
    } finally {
      repo.cleanup();
    }
  });
});
