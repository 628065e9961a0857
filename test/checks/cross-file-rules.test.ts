import { readFileSync } from 'node:fs';
import path from 'node:path';
import { unsafeLoadCombination } from '../../src/checks/unsafe-load-combination.js';
import { versionSkew } from '../../src/checks/version-skew.js';
import { LocalFileSource } from '../../src/files/local.js';
import { scan } from '../../src/scan.js';
import type { Fact, TextSpan, WeightsFile } from '../../src/types.js';
import { tempRepo } from '../helpers.js';
import { pkg } from '../registries/package-stubs.js';
import { context, ref } from './context.js';

const config = (version: string, line = 33): Fact => ({
  type: 'transformers-version',
  version,
  file: 'model/config.json',
  line,
  column: 27,
});
const pickle = (name: string): WeightsFile => ({
  file: 'model/pytorch_model.bin.index.json',
  line: 5,
  column: 3,
  name,
  format: 'pickle',
  origin: 'weights-index',
});

describe('version-skew', () => {
  it('flags a config written by a newer transformers than the pin, lock or capped range', () => {
    const refs = [
      pkg({
        ecosystem: 'pypi',
        id: 'transformers',
        revision: '==4.30.2',
        version: '4.30.2',
        file: 'pyproject.toml',
        line: 21,
      }),
      pkg({
        ecosystem: 'pypi',
        id: 'transformers',
        revision: '4.46.0',
        version: '4.46.0',
        locked: true,
        file: 'uv.lock',
        line: 300,
      }),
      pkg({
        ecosystem: 'pypi',
        id: 'transformers',
        revision: '>=4.20,<4.40',
        file: 'requirements.txt',
        line: 2,
      }),
      pkg({
        ecosystem: 'pypi',
        id: 'transformers',
        revision: '>=4.20',
        file: 'requirements-gpu.txt',
        line: 2,
      }),
    ];
    const findings = versionSkew.run(context({ references: refs, facts: [config('4.44.2')] }));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      rule: 'version-skew',
      severity: 'medium',
      file: 'model/config.json',
      line: 33,
      column: 27,
      message:
        'This model config was written by transformers 4.44.2, newer than the repository\'s transformers 4.30.2 (pyproject.toml:21), ">=4.20,<4.40" (requirements.txt:2); the model may fail to load or load with settings ignored.',
      remediation:
        'Require transformers>=4.44.2 where the model is loaded, or use a model revision saved with the version you pin.',
    });
  });

  it('rates a newer patch or dev build low, and stays silent without a pin or when current', () => {
    const pin = pkg({
      ecosystem: 'pypi',
      id: 'transformers',
      revision: '==4.28.0.dev0',
      version: '4.28.0.dev0',
    });
    expect(
      versionSkew
        .run(context({ references: [pin], facts: [config('4.28.0')] }))
        .map((f) => f.severity),
    ).toEqual(['low']);
    expect(versionSkew.run(context({ references: [pin], facts: [config('4.28.0.dev0')] }))).toEqual(
      [],
    );
    expect(versionSkew.run(context({ references: [], facts: [config('4.44.2')] }))).toEqual([]);
  });
});

describe('unsafe-load-combination', () => {
  const span: TextSpan = {
    file: 'requirements.txt',
    line: 1,
    column: 6,
    endColumn: 13,
    text: '==2.5.1',
  };

  it('flags torch < 2.6 and transformers < 4.48 next to pickle weights, with a fix for exact pins', () => {
    const refs = [
      pkg({
        ecosystem: 'pypi',
        id: 'torch',
        revision: '==2.5.1',
        version: '2.5.1',
        revisionSpan: span,
      }),
      pkg({
        ecosystem: 'pypi',
        id: 'transformers',
        revision: '4.47.1',
        version: '4.47.1',
        locked: true,
        file: 'uv.lock',
        line: 90,
      }),
      pkg({ ecosystem: 'pypi', id: 'torch', revision: '<2.6', file: 'requirements-cpu.txt' }),
      pkg({ ecosystem: 'pypi', id: 'torch', revision: '>=2.0', file: 'requirements-gpu.txt' }),
    ];
    const weights = ['pytorch_model-00001-of-00002.bin', 'pytorch_model-00002-of-00002.bin'].map(
      pickle,
    );
    const findings = unsafeLoadCombination.run(context({ references: refs, weights }));
    expect(findings.map((f) => [f.file, f.severity, f.message, f.remediation])).toEqual([
      [
        'requirements.txt',
        'high',
        'torch 2.5.1 is used with pickle-based weights (pytorch_model-00001-of-00002.bin, pytorch_model-00002-of-00002.bin): in torch before 2.6.0, torch.load runs code from a crafted pickle even with weights_only=True (CVE-2025-32434, GHSA-53q9-r3pm-6pq6).',
        'Require torch>=2.6.0, and prefer .safetensors weights.',
      ],
      [
        'requirements-cpu.txt',
        'high',
        'torch "<2.6" is used with pickle-based weights (pytorch_model-00001-of-00002.bin, pytorch_model-00002-of-00002.bin): in torch before 2.6.0, torch.load runs code from a crafted pickle even with weights_only=True (CVE-2025-32434, GHSA-53q9-r3pm-6pq6).',
        'Require torch>=2.6.0, and prefer .safetensors weights.',
      ],
      [
        'uv.lock',
        'high',
        'transformers 4.47.1 is used with pickle-based weights (pytorch_model-00001-of-00002.bin, pytorch_model-00002-of-00002.bin): in transformers before 4.48.0, several model classes deserialize untrusted pickle data while loading checkpoints (CVE-2024-11392, CVE-2024-11393, CVE-2024-11394).',
        'Require transformers>=4.48.0 and regenerate the lockfile, and prefer .safetensors weights.',
      ],
    ]);
    expect(findings[0]?.fix).toEqual({
      description: 'Upgrade torch to 2.6.0',
      span,
      replacement: '==2.6.0',
    });
    expect(findings[1]?.fix).toBeUndefined();
    expect(findings[2]?.fix).toBeUndefined();
  });

  it('needs the trigger: no pickle weights, no finding; .keras files need keras < 3.11', () => {
    const torch = pkg({ ecosystem: 'pypi', id: 'torch', revision: '==2.5.1', version: '2.5.1' });
    const keras = pkg({
      ecosystem: 'pypi',
      id: 'keras',
      revision: '==3.10.0',
      version: '3.10.0',
      line: 2,
    });
    const kerasFile: WeightsFile = {
      file: 'models/classifier.keras',
      line: 1,
      column: 1,
      name: 'models/classifier.keras',
      format: 'keras',
      origin: 'file',
    };
    expect(unsafeLoadCombination.run(context({ references: [torch, keras] }))).toEqual([]);
    const [f] = unsafeLoadCombination.run(
      context({ references: [torch, keras], weights: [kerasFile] }),
    );
    expect(f?.message).toBe(
      'keras 3.10.0 is used with .keras files (models/classifier.keras): in keras before 3.11.0, loading a .keras file can run code even with safe_mode=True (CVE-2025-1550, CVE-2025-8747).',
    );
  });

  it('flags transformers versions in which a model config overrides trust_remote_code, for Hub models loaded without it', () => {
    const refs = [
      pkg({ ecosystem: 'pypi', id: 'transformers', revision: '==5.2.0', version: '5.2.0' }),
      pkg({
        ecosystem: 'pypi',
        id: 'transformers',
        revision: '==4.55.4',
        version: '4.55.4',
        line: 2,
      }),
      pkg({ ecosystem: 'pypi', id: 'transformers', revision: '>=4.56', line: 3 }), // a range cannot settle a window
      ref({ id: 'ETH-CVG/lightglue_superpoint', kind: 'model' }),
      ref({ id: 'Qwen/Qwen-7B-Chat', kind: 'model', trustRemoteCode: true }),
    ];
    const findings = unsafeLoadCombination.run(context({ references: refs }));
    expect(findings.map((f) => f.message)).toEqual([
      "transformers 5.2.0 is used with Hub models without trust_remote_code (ETH-CVG/lightglue_superpoint): in transformers 4.56.0 up to 5.3.0, a model's config.json can point _attn_implementation_internal at Hub code that runs even with trust_remote_code=False (CVE-2026-4372, GHSA-29pf-2h5f-8g72).",
      "transformers 5.2.0 is used with Hub models without trust_remote_code (ETH-CVG/lightglue_superpoint): in transformers 5.2.0 up to 5.5.0, a LightGlue config.json turns trust_remote_code on for nested loads, overriding the caller's trust_remote_code=False (CVE-2026-5241, GHSA-fgcw-684q-jj6r).",
    ]);
  });

  it('reports explicit unsafe loads, with a suggestion to flip weights_only', () => {
    const flagSpan: TextSpan = {
      file: 'train.py',
      line: 136,
      column: 67,
      endColumn: 72,
      text: 'False',
    };
    const facts: Fact[] = [
      {
        type: 'unsafe-load',
        call: 'torch.load',
        detail: 'weights_only=False',
        file: 'train.py',
        line: 136,
        column: 54,
        span: flagSpan,
      },
      {
        type: 'unsafe-load',
        call: 'pickle.load',
        detail: 'pickle.load deserializes with pickle',
        file: 'data.py',
        line: 9,
        column: 12,
      },
    ];
    const findings = unsafeLoadCombination.run(context({ facts }));
    expect(findings.map((f) => [f.file, f.severity, f.message, f.fix])).toEqual([
      [
        'train.py',
        'high',
        'torch.load(…, weights_only=False) unpickles whatever the file holds: a crafted file runs code.',
        { description: 'Load with weights_only=True', span: flagSpan, replacement: 'True' },
      ],
      [
        'data.py',
        'medium',
        'pickle.load deserializes with pickle: a crafted file runs code when loaded.',
        undefined,
      ],
    ]);
  });
});

describe('cross-file rules on real repository files, offline', () => {
  const fixture = (p: string) => readFileSync(path.join(process.cwd(), 'test/fixtures', p));

  it('LLaVA pyproject + a Phi-3 config + pickle weights + LLaMA-Factory code', async () => {
    const repo = tempRepo({
      'pyproject.toml': fixture('registries/repos/llava/pyproject.toml'),
      'model/config.json': fixture('hf-config/phi3-slerp/config.json'),
      'model/pytorch_model.bin': new Uint8Array([0x80, 0x02, 0x7d, 0x71, 0x00, 0x00, 0x2e]),
      'src/checkpoint.py': fixture('python-source/llamafactory_checkpoint.py'),
    });
    try {
      const result = await scan(new LocalFileSource(repo.root));
      const mine = result.findings.filter(
        (f) => f.rule === 'version-skew' || f.rule === 'unsafe-load-combination',
      );
      expect(mine.map((f) => [f.rule, f.severity, f.file, f.line])).toEqual([
        ['unsafe-load-combination', 'high', 'pyproject.toml', 22],
        ['unsafe-load-combination', 'high', 'src/checkpoint.py', 136],
        ['unsafe-load-combination', 'high', 'src/checkpoint.py', 334],
        ['version-skew', 'medium', 'model/config.json', 33],
      ]);
      expect(mine[0]?.message).toBe(
        'transformers 4.30.2 is used with pickle-based weights (model/pytorch_model.bin): in transformers before 4.48.0, several model classes deserialize untrusted pickle data while loading checkpoints (CVE-2024-11392, CVE-2024-11393, CVE-2024-11394).',
      );
      expect(mine[0]?.fix?.replacement).toBe('==4.48.0');
      expect(mine[3]?.message).toContain(
        "transformers 4.44.2, newer than the repository's transformers 4.30.2 (pyproject.toml:22)",
      );
    } finally {
      repo.cleanup();
    }
  });

  it('taggui requirements (torch 2.6.0 and transformers 4.48.3, with markers) give no combination finding', async () => {
    const repo = tempRepo({
      'requirements.txt': fixture('registries/repos/taggui/requirements.txt'),
      'models/pytorch_model.bin': new Uint8Array([0x80, 0x02, 0x7d, 0x71, 0x00, 0x00, 0x2e]),
    });
    try {
      const result = await scan(new LocalFileSource(repo.root));
      expect(result.findings.filter((f) => f.rule === 'unsafe-load-combination')).toEqual([]);
      const torch = result.references.find((r) => r.id === 'torch' && r.version);
      expect([torch?.version, torch?.marker]).toEqual(['2.6.0', 'platform_system != "Windows"']);
    } finally {
      repo.cleanup();
    }
  });
});
