import { createDependencyDrift, dependencyDrift } from '../../src/checks/dependency-drift.js';
import { dependencyDeprecated } from '../../src/checks/dependency-deprecated.js';
import { dependencyYanked } from '../../src/checks/dependency-yanked.js';
import { parsePackument } from '../../src/registries/npm/schema.js';
import { parsePypiProject } from '../../src/registries/pypi/schema.js';
import type { TextSpan } from '../../src/types.js';
import { fixture, npmPackument, pkg, pypiProject } from '../registries/package-stubs.js';
import { context } from './context.js';
import { parsePolicy } from '../../src/policy/schema.js';

const NOW = Date.parse('2025-06-01T00:00:00Z');
const drift = createDependencyDrift({ now: () => NOW });

const transformers = parsePypiProject(
  pypiProject('transformers', [
    { version: '4.30.2', date: '2023-06-13' },
    { version: '4.46.3', date: '2024-11-18' },
    { version: '4.47.0', date: '2024-12-05' },
    { version: '4.52.4', date: '2025-05-30' },
  ]),
);
const torch = parsePypiProject(
  pypiProject(
    'torch',
    [
      { version: '1.13.1', date: '2022-12-15' },
      { version: '2.7.0', date: '2025-04-23' },
      { version: '2.7.1', date: '2025-06-04' },
    ],
    '2.7.0',
  ),
);
const requests = parsePypiProject(
  pypiProject('requests', [
    { version: '2.31.0', date: '2023-05-22' },
    { version: '2.32.3', date: '2024-05-29' },
  ]),
);
const pypi = { packages: { transformers, torch, requests }, unverified: [] };

describe('dependency-drift', () => {
  it('takes stale-days from the policy file, per upstream', () => {
    const ref = pkg({
      ecosystem: 'pypi',
      id: 'transformers',
      revision: '==4.47.0',
      version: '4.47.0',
      line: 3,
    });
    const run = (yaml: string) =>
      drift
        .run(
          context({ references: [ref], upstreams: { pypi }, policy: parsePolicy(yaml, 'p.yml') }),
        )
        .map((f) => f.severity);
    // 4.47.0 is 178 days old on NOW: below the default 365, above a stale-days of 90.
    expect(run('version: 1\n')).toEqual(['low']);
    expect(
      run(
        'upstreams:\n  - match: transformers\n    rules:\n      dependency-drift:\n        thresholds: { stale-days: 90 }\n',
      ),
    ).toEqual(['medium']);
  });

  it('weights the ML toolchain: major → medium, minor → low (raised when stale), others only at major', () => {
    const refs = [
      pkg({
        ecosystem: 'pypi',
        id: 'transformers',
        revision: '==4.30.2',
        version: '4.30.2',
        line: 2,
      }),
      pkg({
        ecosystem: 'pypi',
        id: 'transformers',
        revision: '==4.47.0',
        version: '4.47.0',
        line: 3,
      }),
      pkg({
        ecosystem: 'pypi',
        id: 'torch',
        revision: '1.13.1',
        version: '1.13.1',
        locked: true,
        file: 'uv.lock',
        line: 40,
      }),
      pkg({ ecosystem: 'pypi', id: 'requests', revision: '==2.31.0', version: '2.31.0', line: 4 }),
      pkg({ ecosystem: 'pypi', id: 'torch', revision: '>=2.0', line: 5 }),
    ];
    const findings = drift.run(context({ references: refs, upstreams: { pypi } }));
    expect(findings.map((f) => [f.file, f.line, f.severity, f.message])).toEqual([
      [
        'requirements.txt',
        2,
        'medium',
        'transformers 4.30.2 is a minor version behind the latest release 4.52.4, 3 releases behind; 4.30.2 was released 2023-06-13, 718 days ago.',
      ],
      [
        'requirements.txt',
        3,
        'low',
        'transformers 4.47.0 is a minor version behind the latest release 4.52.4, 1 release behind; 4.47.0 was released 2024-12-05, 177 days ago.',
      ],
      [
        'uv.lock',
        40,
        'medium',
        'torch 1.13.1 (locked) is a major version behind the latest release 2.7.0, 1 release behind; 1.13.1 was released 2022-12-15, 898 days ago.',
      ],
    ]);
    expect(findings[0]?.details).toEqual({
      used: '4.30.2',
      how: 'pinned',
      latest: '4.52.4',
      level: 'minor',
      releasesBehind: 3,
      usedPublished: '2023-06-13T10:00:00.000000Z',
      latestPublished: '2025-05-30T10:00:00.000000Z',
      ageDays: 718,
      stale: true,
      toolchain: true,
    });
    expect(findings[2]?.remediation).toBe(
      'Review the torch changelog up to 2.7.0, then update the lockfile.',
    );
  });

  it('reports a range capped below the latest by the newest version it admits', () => {
    const ref = pkg({ ecosystem: 'pypi', id: 'transformers', revision: '>=4.30,<4.47' });
    const [f] = drift.run(context({ references: [ref], upstreams: { pypi } }));
    expect(f?.message).toBe(
      'transformers ">=4.30,<4.47" admits at most 4.46.3, which is a minor version behind the latest release 4.52.4, 2 releases behind; 4.46.3 was released 2024-11-18, 194 days ago.',
    );
    expect(f?.remediation).toBe(
      'Review the transformers changelog up to 4.52.4 and move the constraint.',
    );
  });

  it('reports other packages only at a major difference, at info, and never from lockfiles by default', () => {
    const flask = parsePypiProject(
      pypiProject('flask', [
        { version: '1.0.0', date: '2018-04-26' },
        { version: '3.1.1', date: '2025-05-13' },
      ]),
    );
    const refs = [
      pkg({ ecosystem: 'pypi', id: 'flask', revision: '==1.0.0', version: '1.0.0' }),
      pkg({
        ecosystem: 'pypi',
        id: 'flask',
        revision: '1.0.0',
        version: '1.0.0',
        locked: true,
        file: 'uv.lock',
      }),
    ];
    const findings = drift.run(
      context({ references: refs, upstreams: { pypi: { packages: { flask }, unverified: [] } } }),
    );
    expect(findings.map((f) => [f.file, f.severity])).toEqual([['requirements.txt', 'low']]); // info, raised: 7 years old
    const custom = createDependencyDrift({
      now: () => NOW,
      staleAfterDays: null,
      lockedOther: true,
    });
    expect(
      custom
        .run(
          context({
            references: refs,
            upstreams: { pypi: { packages: { flask }, unverified: [] } },
          }),
        )
        .map((f) => f.severity),
    ).toEqual(['info', 'info']);
  });

  it('is silent offline and for up-to-date pins', () => {
    const ref = pkg({
      ecosystem: 'pypi',
      id: 'transformers',
      revision: '==4.52.4',
      version: '4.52.4',
    });
    expect(dependencyDrift.run(context({ references: [ref] }))).toEqual([]);
    expect(drift.run(context({ references: [ref], upstreams: { pypi } }))).toEqual([]);
  });
});

describe('dependency-yanked', () => {
  const black = (() => {
    const release = fixture('pypi/release-black-21.11b0-yanked.json').body as {
      info: object;
      urls: unknown[];
    };
    const later = (
      pypiProject('black', [{ version: '21.11b1', date: '2021-11-17' }]) as {
        releases: Record<string, unknown[]>;
      }
    ).releases;
    return parsePypiProject({
      info: release.info,
      releases: { '21.11b0': release.urls, ...later },
    });
  })();

  it('reports a yanked exact pin with the reason and a suggestion to the next release', () => {
    const span: TextSpan = {
      file: 'requirements-dev.txt',
      line: 1,
      column: 6,
      endColumn: 15,
      text: '==21.11b0',
    };
    const refs = [
      pkg({
        ecosystem: 'pypi',
        id: 'black',
        revision: '==21.11b0',
        version: '21.11b0',
        file: 'requirements-dev.txt',
        revisionSpan: span,
        dev: true,
      }),
      pkg({
        ecosystem: 'pypi',
        id: 'black',
        revision: '21.11b0',
        version: '21.11b0',
        locked: true,
        file: 'poetry.lock',
        line: 12,
      }),
      pkg({ ecosystem: 'pypi', id: 'black', revision: '>=21', file: 'pyproject.toml' }),
    ];
    const findings = dependencyYanked.run(
      context({ references: refs, upstreams: { pypi: { packages: { black }, unverified: [] } } }),
    );
    expect(findings.map((f) => [f.file, f.severity, f.message, f.remediation])).toEqual([
      [
        'requirements-dev.txt',
        'medium',
        'black 21.11b0 was yanked from PyPI: "Broken regex dependency. Use 21.11b1 instead."',
        'Move to 21.11b1, the next release that is not yanked.',
      ],
      [
        'poetry.lock',
        'medium',
        'black 21.11b0 (locked) was yanked from PyPI: "Broken regex dependency. Use 21.11b1 instead."',
        'Move to 21.11b1, the next release that is not yanked, and regenerate the lockfile.',
      ],
    ]);
    expect(findings[0]?.fix).toEqual({
      description: 'Move black off the yanked 21.11b0',
      span,
      replacement: '==21.11b1',
    });
    expect(findings[1]?.fix).toBeUndefined();
  });
});

describe('dependency-deprecated', () => {
  const leftPad = parsePackument(
    fixture<{ cases: { body: unknown }[] }>('npm/packument-deprecated-ASSEMBLED.json').cases[0]
      ?.body,
  );
  const openai = parsePackument(
    npmPackument('openai', [
      {
        version: '3.3.0',
        date: '2023-06-12',
        deprecated: 'v3 is no longer maintained, upgrade to v4',
      },
      { version: '4.0.0', date: '2023-08-16' },
    ]),
  );
  const npm = { packages: { 'left-pad': leftPad, openai }, unverified: [] };

  it('reports deprecated versions and tells a deprecated package from a deprecated release', () => {
    const refs = [
      pkg({ ecosystem: 'npm', id: 'left-pad', revision: '^1.3.0', line: 4 }),
      pkg({
        ecosystem: 'npm',
        id: 'left-pad',
        revision: '1.3.0',
        version: '1.3.0',
        locked: true,
        file: 'package-lock.json',
        line: 90,
      }),
      pkg({ ecosystem: 'npm', id: 'openai', revision: '3.3.0', version: '3.3.0', line: 5 }),
      pkg({ ecosystem: 'npm', id: 'openai', revision: '^4.0.0', line: 6 }),
    ];
    const findings = dependencyDeprecated.run(context({ references: refs, upstreams: { npm } }));
    expect(findings.map((f) => [f.file, f.line, f.severity, f.message, f.remediation])).toEqual([
      [
        'package.json',
        4,
        'low',
        'left-pad "^1.3.0" resolves to 1.3.0, which is deprecated (so is every release up to the latest): "use String.prototype.padStart()".',
        'The package is deprecated as a whole: replace left-pad.',
      ],
      [
        'package-lock.json',
        90,
        'info',
        'left-pad 1.3.0 (locked) is deprecated (so is every release up to the latest): "use String.prototype.padStart()".',
        'The package is deprecated as a whole: replace left-pad.',
      ],
      [
        'package.json',
        5,
        'low',
        'openai 3.3.0 is deprecated: "v3 is no longer maintained, upgrade to v4".',
        'Upgrade to 4.0.0, which is not deprecated.',
      ],
    ]);
  });
});
