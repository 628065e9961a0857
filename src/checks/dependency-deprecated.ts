import { metadataFor } from '../registries/package-metadata.js';
import type { Finding } from '../types.js';
import { findRelease, resolveReference } from '../util/package-versions.js';
import { isMlToolchain } from '../util/toolchain.js';
import { quoted } from '../util/text.js';
import type { Check } from './types.js';
import { referencePlace } from './place.js';

/**
 * npm deprecations (a per-version `deprecated` message). When the latest release is deprecated
 * too, the package as a whole is: no upgrade helps, only a replacement does. Lockfile entries
 * are mostly transitive, so outside the ML toolchain they are reported at info.
 */
export const dependencyDeprecated: Check = {
  id: 'dependency-deprecated',
  run(ctx) {
    const out: Finding[] = [];
    for (const ref of ctx.references) {
      if (ref.kind !== 'package' || ref.ecosystem !== 'npm') continue;
      const meta = metadataFor(ctx.upstreams.npm?.packages, ref.id);
      const used = meta ? resolveReference(ref, meta) : null;
      if (!meta || !used) continue;
      const message = findRelease(meta, used.version)?.deprecated;
      if (!message) continue;
      const latest = meta.latest ? findRelease(meta, meta.latest) : undefined;
      const whole = !!latest?.deprecated;
      const toolchain = isMlToolchain('npm', ref.id);
      const what =
        used.how === 'newest-admitted'
          ? `${ref.id} "${ref.revision ?? ''}" resolves to ${used.version}, which`
          : `${ref.id} ${used.version}${ref.locked ? ' (locked)' : ''}`;
      out.push({
        rule: 'dependency-deprecated',
        severity: ref.locked && !toolchain ? 'info' : 'low',
        message: `${what} is deprecated${whole ? ' (so is every release up to the latest)' : ''}: ${quoted(message)}`,
        remediation: whole
          ? `The package is deprecated as a whole: replace ${ref.id}.`
          : `Upgrade to ${meta.latest}, which is not deprecated.`,
        ...referencePlace(ref),
        details: {
          version: used.version,
          how: used.how,
          deprecated: message,
          packageDeprecated: whole,
          latest: meta.latest,
        },
      });
    }
    return out;
  },
};
