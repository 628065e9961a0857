import type { Fact, Finding, Reference } from '../types.js';
import {
  admitsAtLeast,
  compareVersions,
  differenceLevel,
  exactVersion,
  validVersion,
} from '../util/package-versions.js';
import type { Check } from './types.js';

type VersionFact = Extract<Fact, { type: 'transformers-version' }>;

/**
 * A model config saved by a newer transformers than the repository installs. `transformers_version`
 * is the version that wrote the config: an older library may not know the architecture or its
 * newer config keys, and then fails to load the model or silently ignores settings. Offline: the
 * installed version is the repository's exact pin or lockfile entry, or a range that cannot
 * reach the config's version.
 */
export const versionSkew: Check = {
  id: 'version-skew',
  run(ctx) {
    const pins = ctx.references.filter(
      (r) => r.kind === 'package' && r.ecosystem === 'pypi' && r.id === 'transformers',
    );
    if (pins.length === 0) return [];
    const out: Finding[] = [];
    // Thousands of configs name a handful of versions: compare each version with the pins once.
    const olderThan = new Map<string, Reference[]>();
    for (const fact of ctx.facts) {
      if (fact.type !== 'transformers-version') continue;
      let older = olderThan.get(fact.version);
      if (!older) {
        older = validVersion('pypi', fact.version)
          ? pins.filter((ref) => below(ref, fact.version))
          : [];
        olderThan.set(fact.version, older);
      }
      if (older.length) out.push(finding(fact, older));
    }
    return out;
  },
};

function below(ref: Reference, needed: string): boolean {
  const exact = exactVersion(ref);
  if (exact) return compareVersions('pypi', exact.version, needed) < 0;
  return !ref.locked && !admitsAtLeast('pypi', ref.revision, needed);
}

function describe(ref: Reference): string {
  const what = exactVersion(ref)?.version ?? `"${ref.revision ?? ''}"`;
  return `${what} (${ref.file}:${ref.line}${ref.locked ? ', locked' : ''})`;
}

function finding(fact: VersionFact, older: Reference[]): Finding {
  // A config written by a newer patch or dev build of the same minor line rarely matters.
  const levels = older.map((ref) => {
    const v = exactVersion(ref)?.version;
    return v ? differenceLevel('pypi', v, fact.version) : 'minor';
  });
  const minorOrMore = levels.some((l) => l !== 'patch');
  return {
    rule: 'version-skew',
    severity: minorOrMore ? 'medium' : 'low',
    message: `This model config was written by transformers ${fact.version}, newer than the repository's transformers ${older.map(describe).join(', ')}; the model may fail to load or load with settings ignored.`,
    remediation: `Require transformers>=${fact.version} where the model is loaded, or use a model revision saved with the version you pin.`,
    file: fact.file,
    line: fact.line,
    column: fact.column,
    id: 'transformers',
    ecosystem: 'pypi',
    kind: 'package',
    details: {
      configVersion: fact.version,
      pins: older.map((ref) => ({
        file: ref.file,
        line: ref.line,
        spec: ref.revision,
        version: exactVersion(ref)?.version ?? null,
        locked: !!ref.locked,
      })),
    },
  };
}
