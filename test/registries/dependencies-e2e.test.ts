import { readFileSync } from 'node:fs';
import path from 'node:path';
import { runCli } from '../../src/cli-main.js';
import { extractor as npmExtractor } from '../../src/extractors/npm/index.js';
import { tempRepo } from '../helpers.js';
import {
  fixture,
  npmPackument,
  pypiProject,
  startStub,
  type ReleaseSpec,
  type Stub,
  type StubRequest,
  type StubResponse,
} from './package-stubs.js';

/**
 * The CLI end to end against loopback PyPI, npm and OSV: real dependency files from public
 * projects (LLaVA's pyproject.toml, huggingface/node-question-answering's 809-entry
 * package-lock.json), a real Phi-3 model config, a pickle weights file and LLaMA-Factory code.
 */

const read = (p: string) => readFileSync(path.join(process.cwd(), 'test/fixtures', p), 'utf8');
const NQA = 'npm/node-question-answering';

/** Every version each npm package is locked at, so the stand-in packuments contain them. */
function lockedVersions(): Map<string, Set<string>> {
  const lock = npmExtractor.extract({
    path: 'package-lock.json',
    text: read(`${NQA}/package-lock.json`),
  });
  const out = new Map<string, Set<string>>();
  for (const r of lock.references) {
    if (!r.version) continue;
    out.set(r.id, (out.get(r.id) ?? new Set()).add(r.version));
  }
  return out;
}

function npmHandler(locked: Map<string, Set<string>>) {
  return (req: StubRequest): StubResponse => {
    const name = decodeURIComponent(req.path.slice(1));
    const versions = [...(locked.get(name) ?? [])];
    if (versions.length === 0) return { status: 404, json: { error: 'Not found' } };
    const releases: ReleaseSpec[] = versions.map((version) => ({
      version,
      date: '2020-06-01',
      ...(name === 'request' && version === '2.88.2'
        ? {
            deprecated:
              'request has been deprecated, see https://github.com/request/request/issues/3142',
          }
        : {}),
    }));
    if (name === '@tensorflow/tfjs-node') releases.push({ version: '4.22.0', date: '2024-10-21' });
    const sorted = releases.sort((a, b) =>
      a.version.localeCompare(b.version, 'en', { numeric: true }),
    );
    return { status: 200, json: npmPackument(name, sorted) };
  };
}

function pypiHandler(req: StubRequest): StubResponse {
  const name = /^\/pypi\/([^/]+)\/json$/.exec(req.path)?.[1] ?? '';
  if (name === 'black') {
    const release = fixture('pypi/release-black-21.11b0-yanked.json').body as {
      info: object;
      urls: unknown[];
    };
    const later = (
      pypiProject('black', [{ version: '21.11b1', date: '2021-11-17' }]) as { releases: object }
    ).releases;
    return {
      status: 200,
      json: {
        info: { ...release.info, version: '21.11b1' },
        releases: { '21.11b0': release.urls, ...later },
      },
    };
  }
  const specific: Record<string, ReleaseSpec[]> = {
    torch: [
      { version: '2.4.1', date: '2024-09-04' },
      { version: '2.5.1', date: '2024-10-29' },
    ],
    transformers: [
      { version: '4.30.2', date: '2023-06-13' },
      { version: '4.52.4', date: '2025-05-30' },
    ],
  };
  const releases = specific[name] ?? [{ version: '0.1.0', date: '2020-01-01' }];
  return { status: 200, json: pypiProject(name, releases) };
}

const OSV_RESULTS: Record<string, string[]> = {
  'PyPI/torch@2.5.1': ['GHSA-53q9-r3pm-6pq6', 'PYSEC-2025-41'],
  'npm/ajv@6.12.2': ['GHSA-2g4f-4pwh-qvx6'],
};
const OSV_RECORDS: Record<string, string> = {
  'GHSA-53q9-r3pm-6pq6': 'osv/vuln-GHSA-53q9-r3pm-6pq6-torch-RECONSTRUCTED.json',
  'PYSEC-2025-41': 'osv/vuln-PYSEC-2025-41-torch-SYNTHETIC.json',
  'GHSA-2g4f-4pwh-qvx6': 'osv/vuln-GHSA-2g4f-4pwh-qvx6-npm-ajv.json',
};

function osvHandler(req: StubRequest): StubResponse {
  if (req.method === 'POST') {
    const { queries } = JSON.parse(req.body) as {
      queries: { package: { ecosystem: string; name: string }; version: string }[];
    };
    return {
      status: 200,
      json: {
        results: queries.map((q) => {
          const ids = OSV_RESULTS[`${q.package.ecosystem}/${q.package.name}@${q.version}`];
          return ids ? { vulns: ids.map((id) => ({ id, modified: '2025-04-22T00:00:00Z' })) } : {};
        }),
      },
    };
  }
  const file = OSV_RECORDS[decodeURIComponent(req.path.replace('/v1/vulns/', ''))];
  return file
    ? { status: 200, json: fixture(file).body }
    : { status: 404, json: { code: 5, message: 'Bug not found.' } };
}

interface JsonFinding {
  rule: string;
  severity: string;
  message: string;
  file: string;
  line: number;
  remediation?: string;
  fix?: { replacement: string };
}

describe('dependency rules end to end (CLI, loopback registries)', () => {
  const stubs: Stub[] = [];
  afterAll(async () => {
    await Promise.all(stubs.map((s) => s.close()));
  });

  it('reports every dependency rule with file and line, at bounded request costs', async () => {
    const [pypiStub, npmStub, osvStub, hubStub] = await Promise.all([
      startStub(pypiHandler),
      startStub(npmHandler(lockedVersions()), { holdMs: 1 }),
      startStub(osvHandler),
      // The Hub's answer to anonymous callers for a repository it will not show.
      startStub(() => ({ status: 401, json: { error: 'Invalid username or password.' } })),
    ]);
    stubs.push(pypiStub as Stub, npmStub as Stub, osvStub as Stub, hubStub as Stub);
    const repo = tempRepo({
      'pyproject.toml': read('registries/repos/llava/pyproject.toml'),
      'requirements-dev.txt': 'black==21.11b0\n',
      'web/package.json': read(`${NQA}/package.json`),
      'web/package-lock.json': read(`${NQA}/package-lock.json`),
      'model/config.json': read('hf-config/phi3-slerp/config.json'),
      'model/pytorch_model.bin': new Uint8Array([0x80, 0x02, 0x7d, 0x71, 0x00, 0x00, 0x2e]),
      'src/checkpoint.py': read('python-source/llamafactory_checkpoint.py'),
    });
    let stdout = '';
    const stderr: string[] = [];
    try {
      const code = await runCli(
        [
          'scan',
          repo.root,
          '--format',
          'json',
          '--fail-on',
          'none',
          '--hf-endpoint',
          hubStub?.url ?? '',
          '--pypi-endpoint',
          pypiStub?.url ?? '',
          '--npm-endpoint',
          npmStub?.url ?? '',
          '--osv-endpoint',
          osvStub?.url ?? '',
        ],
        {
          stdout: (t) => (stdout += t),
          stderr: (t) => stderr.push(t),
          isTTY: false,
          env: {},
          cwd: process.cwd(),
        },
      );
      expect(code).toBe(0);
    } finally {
      repo.cleanup();
    }
    // The generic stand-in project has only 0.1.0, which ">=0.12.1" does not admit.
    expect(stderr).toContain(
      'warning: OSV: tokenizers not verified: no release of tokenizers satisfies ">=0.12.1", so its vulnerabilities were not checked.\n',
    );
    const report = JSON.parse(stdout) as { findings: JsonFinding[] };
    const dependencyRules = new Set([
      'dependency-vulnerable',
      'dependency-drift',
      'dependency-yanked',
      'dependency-deprecated',
      'version-skew',
      'unsafe-load-combination',
    ]);
    const mine = report.findings
      .filter((f) => dependencyRules.has(f.rule))
      .map((f) => `${f.rule} ${f.severity} ${f.file}:${f.line}`)
      .sort();
    expect(mine).toEqual([
      'dependency-deprecated info web/package-lock.json:5637',
      'dependency-drift medium pyproject.toml:22',
      'dependency-drift medium web/package-lock.json:964',
      'dependency-drift medium web/package.json:22',
      'dependency-vulnerable critical pyproject.toml:18',
      'dependency-vulnerable medium web/package-lock.json:1333',
      'dependency-yanked medium requirements-dev.txt:1',
      'unsafe-load-combination high pyproject.toml:22',
      'unsafe-load-combination high src/checkpoint.py:136',
      'unsafe-load-combination high src/checkpoint.py:334',
      'version-skew medium model/config.json:33',
    ]);
    const torch = report.findings.find(
      (f) => f.rule === 'dependency-vulnerable' && f.file === 'pyproject.toml',
    );
    expect(torch?.message).toBe(
      'torch (no version constraint) resolves to 2.5.1 (the newest release it admits), which is affected by GHSA-53q9-r3pm-6pq6 (BIT-pytorch-2025-32434, CVE-2025-32434, PYSEC-2025-41): PyTorch: `torch.load` with `weights_only=True` leads to remote code execution. Affected: <2.6.0; fixed in 2.6.0.',
    );
    // The stand-in PyPI has no 2.6.0 yet: no suggestion to pin a release that does not exist.
    expect([torch?.remediation, torch?.fix]).toEqual([
      'The fix (2.6.0) is not an installable release on the registry yet: follow the advisory for workarounds until it is.',
      undefined,
    ]);
    const yanked = report.findings.find((f) => f.rule === 'dependency-yanked');
    expect(yanked?.fix?.replacement).toBe('==21.11b1');

    // Request costs: one OSV batch for 644 locked versions and the manifests' ranges, one GET per
    // advisory, one metadata request per distinct package, never more than the limit at once.
    const posts = osvStub?.requests.filter((r) => r.method === 'POST') ?? [];
    expect(posts).toHaveLength(1);
    expect(
      osvStub?.requests
        .filter((r) => r.method === 'GET')
        .map((r) => r.path)
        .sort(),
    ).toEqual([
      '/v1/vulns/GHSA-2g4f-4pwh-qvx6',
      '/v1/vulns/GHSA-53q9-r3pm-6pq6',
      '/v1/vulns/PYSEC-2025-41',
    ]);
    const npmPaths = npmStub?.requests.map((r) => r.path) ?? [];
    expect(npmPaths).toHaveLength(555);
    expect(new Set(npmPaths).size).toBe(555);
    expect(npmStub?.maxInFlight).toBeLessThanOrEqual(8);
    const accept = (p: string) => npmStub?.requests.find((r) => r.path === p)?.headers.accept;
    expect(accept('/yargs')).toBe('application/json'); // named in package.json
    expect(accept('/minimist')).toBe('application/vnd.npm.install-v1+json'); // only in the lock
    expect(accept('/@tensorflow%2Ftfjs-node')).toBe('application/json');
    const pypiPaths = pypiStub?.requests.map((r) => r.path) ?? [];
    expect(pypiPaths.length).toBe(new Set(pypiPaths).size);
    expect(pypiPaths).toContain('/pypi/markdown2/json'); // "markdown2[all]": extras are not part of the name
    expect(pypiPaths).toContain('/pypi/gradio-client/json'); // "gradio_client": asked by its normalized name
  });
});
