import { dependencyVulnerable } from '../../src/checks/dependency-vulnerable.js';
import { mergeAliases } from '../../src/registries/osv/index.js';
import { parseVulnerability, type OsvRecord } from '../../src/registries/osv/schema.js';
import {
  evaluationKey,
  type OsvEvaluation,
  type OsvUpstreams,
} from '../../src/registries/osv/types.js';
import type { Reference, TextSpan } from '../../src/types.js';
import { parsePypiProject } from '../../src/registries/pypi/schema.js';
import { fixture, pkg, pypiProject } from '../registries/package-stubs.js';
import { context } from './context.js';

const record = (file: string): OsvRecord => parseVulnerability(fixture(`osv/${file}`).body);

const RECORDS = new Map<string, OsvRecord | null>([
  ['GHSA-53q9-r3pm-6pq6', record('vuln-GHSA-53q9-r3pm-6pq6-torch-RECONSTRUCTED.json')],
  ['PYSEC-2025-41', record('vuln-PYSEC-2025-41-torch-SYNTHETIC.json')],
  ['GHSA-2g4f-4pwh-qvx6', record('vuln-GHSA-2g4f-4pwh-qvx6-npm-ajv.json')],
  ['PYSEC-2024-1', record('vuln-PYSEC-2024-1-pypi-versions-list.json')],
  ['PYSEC-2020-73', null], // details could not be fetched
]);

const span = (file: string, text: string): TextSpan => ({
  file,
  line: 3,
  column: 6,
  endColumn: 6 + text.length,
  text,
});

function upstreams(
  entries: [Reference, Omit<OsvEvaluation, 'ecosystem' | 'name' | 'spec' | 'locked'>][],
): OsvUpstreams {
  const { advisories } = mergeAliases(RECORDS);
  return {
    advisories,
    unverified: [],
    evaluations: Object.fromEntries(
      entries.map(([ref, ev]) => [
        evaluationKey(ref),
        {
          ecosystem: ref.ecosystem as 'pypi' | 'npm',
          name: ref.id,
          spec: ref.revision,
          locked: !!ref.locked,
          ...ev,
        },
      ]),
    ),
  };
}

describe('dependency-vulnerable', () => {
  it('reports an exact pin with id, aliases, severity, range, fix, and a suggestion', () => {
    const torch = pkg({
      ecosystem: 'pypi',
      id: 'torch',
      revision: '==2.5.1',
      version: '2.5.1',
      line: 3,
      column: 1,
      marker: 'platform_system != "Windows"',
      revisionSpan: span('requirements.txt', '==2.5.1'),
    });
    const ctx = context({
      references: [torch],
      upstreams: {
        osv: upstreams([
          [torch, { version: '2.5.1', how: 'pinned', advisories: ['GHSA-53q9-r3pm-6pq6'] }],
        ]),
      },
    });
    const [f, ...rest] = dependencyVulnerable.run(ctx);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      rule: 'dependency-vulnerable',
      severity: 'critical',
      file: 'requirements.txt',
      line: 3,
      message:
        'torch 2.5.1 is affected by GHSA-53q9-r3pm-6pq6 (BIT-pytorch-2025-32434, CVE-2025-32434, PYSEC-2025-41): PyTorch: `torch.load` with `weights_only=True` leads to remote code execution. Affected: <2.6.0; fixed in 2.6.0.',
      remediation: 'Upgrade to 2.6.0.',
      fix: {
        description: 'Upgrade torch to 2.6.0 (fixes GHSA-53q9-r3pm-6pq6)',
        span: span('requirements.txt', '==2.5.1'),
        replacement: '==2.6.0',
      },
      links: [
        { title: 'GHSA-53q9-r3pm-6pq6', url: 'https://osv.dev/vulnerability/GHSA-53q9-r3pm-6pq6' },
      ],
    });
    expect(f?.details).toMatchObject({
      severitySource: 'database severity CRITICAL',
      affected: '<2.6.0',
      fixed: '2.6.0',
      evaluated: '2.5.1',
      how: 'pinned',
      marker: 'platform_system != "Windows"',
    });
  });

  it('picks the affected range that contains the version (ajv lists two) and says a range was evaluated', () => {
    const ajv = pkg({
      ecosystem: 'npm',
      id: 'ajv',
      revision: '^8.12.0',
      revisionSpan: span('package.json', '^8.12.0'),
    });
    const old = pkg({
      ecosystem: 'npm',
      id: 'ajv',
      revision: '6.12.6',
      version: '6.12.6',
      locked: true,
      file: 'package-lock.json',
    });
    const ctx = context({
      references: [ajv, old],
      upstreams: {
        osv: upstreams([
          [ajv, { version: '8.17.1', how: 'newest-admitted', advisories: ['GHSA-2g4f-4pwh-qvx6'] }],
          [old, { version: '6.12.6', how: 'locked', advisories: ['GHSA-2g4f-4pwh-qvx6'] }],
        ]),
      },
    });
    const [ranged, locked] = dependencyVulnerable.run(ctx);
    expect(ranged?.severity).toBe('medium'); // GHSA "MODERATE"
    expect(ranged?.message).toBe(
      'ajv "^8.12.0" resolves to 8.17.1 (the newest release it admits), which is affected by GHSA-2g4f-4pwh-qvx6 (CVE-2025-69873): ajv has ReDoS when using `$data` option. Affected: >=7.0.0-alpha.0, <8.18.0; fixed in 8.18.0.',
    );
    expect(ranged?.remediation).toBe(
      'Change the constraint so it requires 8.18.0 or later: every release it admits today is affected.',
    );
    expect(ranged?.fix?.replacement).toBe('^8.18.0');
    expect(locked?.message).toBe(
      'ajv 6.12.6 (locked) is affected by GHSA-2g4f-4pwh-qvx6 (CVE-2025-69873): ajv has ReDoS when using `$data` option. Affected: <6.14.0; fixed in 6.14.0.',
    );
    expect(locked?.remediation).toBe(
      'Upgrade ajv to 6.14.0 or later in the manifest and regenerate the lockfile.',
    );
    expect(locked?.fix).toBeUndefined(); // lockfiles are regenerated, not edited
  });

  it('handles enumerated versions without a fix, and advisories whose details failed', () => {
    const gratient = pkg({
      ecosystem: 'pypi',
      id: 'gratient',
      revision: '0.5',
      version: '0.5',
      locked: true,
      file: 'uv.lock',
    });
    const pandas = pkg({
      ecosystem: 'pypi',
      id: 'pandas',
      revision: '==0.23.4',
      version: '0.23.4',
      revisionSpan: span('requirements.txt', '==0.23.4'),
    });
    const ctx = context({
      references: [gratient, pandas],
      upstreams: {
        osv: upstreams([
          [gratient, { version: '0.5', how: 'locked', advisories: ['PYSEC-2024-1'] }],
          [pandas, { version: '0.23.4', how: 'pinned', advisories: ['PYSEC-2020-73'] }],
        ]),
      },
    });
    const findings = dependencyVulnerable.run(ctx);
    expect(findings.map((f) => [f.id, f.severity, f.message, f.remediation, f.fix])).toEqual([
      [
        'gratient',
        'high',
        'gratient 0.5 (locked) is affected by PYSEC-2024-1: gratient 0.5 contains credential harvesting code. Affected: versions 0.5; no fixed version published.',
        'No release fixes this yet: follow the advisory for workarounds, or replace the package.',
        undefined,
      ],
      [
        'pandas',
        'high',
        'pandas 0.23.4 is affected by PYSEC-2020-73: details unavailable. Affected: 0.23.4 (per OSV); no fixed version published.',
        'No release fixes this yet: follow the advisory for workarounds, or replace the package.',
        undefined,
      ],
    ]);
  });

  it('names one upgrade target for several advisories and attaches the suggestion once', () => {
    const advisories = mergeAliases(
      new Map<string, OsvRecord | null>([
        [
          'GHSA-aaaa',
          {
            ...record('vuln-GHSA-53q9-r3pm-6pq6-torch-RECONSTRUCTED.json'),
            id: 'GHSA-aaaa',
            aliases: [],
            databaseSeverity: 'LOW',
            cvss: [],
          },
        ],
        [
          'GHSA-bbbb',
          {
            ...record('vuln-GHSA-53q9-r3pm-6pq6-torch-RECONSTRUCTED.json'),
            id: 'GHSA-bbbb',
            aliases: [],
            databaseSeverity: null,
            cvss: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H' }],
            affected: [
              {
                ecosystem: 'PyPI',
                name: 'Torch',
                versions: [],
                ranges: [
                  { type: 'ECOSYSTEM', events: [{ introduced: '2.0' }, { fixed: '2.5.0' }] },
                ],
              },
            ],
          },
        ],
      ]),
    ).advisories;
    const torch = pkg({
      ecosystem: 'pypi',
      id: 'torch',
      revision: '==2.4.1',
      version: '2.4.1',
      revisionSpan: span('requirements.txt', '==2.4.1'),
    });
    const osv: OsvUpstreams = {
      advisories,
      unverified: [],
      evaluations: {
        [evaluationKey(torch)]: {
          ecosystem: 'pypi',
          name: 'torch',
          spec: '==2.4.1',
          locked: false,
          version: '2.4.1',
          how: 'pinned',
          advisories: ['GHSA-aaaa', 'GHSA-bbbb'],
        },
      },
    };
    const findings = dependencyVulnerable.run(context({ references: [torch], upstreams: { osv } }));
    expect(
      findings.map((f) => [
        f.details?.advisory,
        f.severity,
        f.details?.severitySource,
        f.details?.fixed,
        f.remediation,
      ]),
    ).toEqual([
      [
        'GHSA-bbbb',
        'high',
        'CVSS 7.8',
        '2.5.0',
        'Upgrade to 2.6.0 (2.6.0 is the lowest version outside every advisory found for this version).',
      ],
      ['GHSA-aaaa', 'low', 'database severity LOW', '2.6.0', 'Upgrade to 2.6.0.'],
    ]);
    expect(findings[0]?.fix).toEqual({
      description: 'Upgrade torch to 2.6.0 (fixes GHSA-bbbb, GHSA-aaaa)',
      span: span('requirements.txt', '==2.4.1'),
      replacement: '==2.6.0',
    });
    expect(findings[1]?.fix).toBeUndefined();
  });

  it('offers no upgrade to a fixed version the registry does not have (or only yanked)', () => {
    const torch = pkg({
      ecosystem: 'pypi',
      id: 'torch',
      revision: '==2.5.1',
      version: '2.5.1',
      revisionSpan: span('requirements.txt', '==2.5.1'),
    });
    const meta = parsePypiProject(
      pypiProject('torch', [
        { version: '2.5.1', date: '2024-10-29' },
        { version: '2.6.0', date: '2025-01-29', yanked: 'bad wheel' },
      ]),
    );
    const ctx = context({
      references: [torch],
      upstreams: {
        osv: upstreams([
          [torch, { version: '2.5.1', how: 'pinned', advisories: ['GHSA-53q9-r3pm-6pq6'] }],
        ]),
        pypi: { packages: { torch: meta }, unverified: [] },
      },
    });
    const [f] = dependencyVulnerable.run(ctx);
    expect([f?.remediation, f?.fix, f?.details?.upgradeTo]).toEqual([
      'The fix (2.6.0) is not an installable release on the registry yet: follow the advisory for workarounds until it is.',
      undefined,
      null,
    ]);
  });

  it('says nothing offline or for clean evaluations', () => {
    const torch = pkg({ ecosystem: 'pypi', id: 'torch', revision: '==2.6.0', version: '2.6.0' });
    expect(dependencyVulnerable.run(context({ references: [torch] }))).toEqual([]);
    const osv = upstreams([[torch, { version: '2.6.0', how: 'pinned', advisories: [] }]]);
    expect(dependencyVulnerable.run(context({ references: [torch], upstreams: { osv } }))).toEqual(
      [],
    );
  });
});
