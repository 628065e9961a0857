import { metadataFor, type PackageMetadata } from '../registries/package-metadata.js';
import type { Finding, Fix, Reference } from '../types.js';
import {
  bumpSpecText,
  compareVersions,
  exactVersion,
  findRelease,
  isPrerelease,
} from '../util/package-versions.js';
import { quoted } from '../util/text.js';
import type { Check } from './types.js';
import { referencePlace } from './place.js';

/**
 * An exact pin or lockfile entry on a yanked PyPI release (PEP 592). Installers still honour an
 * exact pin to a yanked release, so nothing fails: the yank is the maintainers' only signal.
 * Ranges are not affected, since pip skips yanked releases when resolving them.
 */
export const dependencyYanked: Check = {
  id: 'dependency-yanked',
  run(ctx) {
    const out: Finding[] = [];
    for (const ref of ctx.references) {
      if (ref.kind !== 'package' || ref.ecosystem !== 'pypi') continue;
      const used = exactVersion(ref);
      const meta = metadataFor(ctx.upstreams.pypi?.packages, ref.id);
      if (!used || !meta) continue;
      const release = findRelease(meta, used.version);
      if (!release?.yanked) continue;
      const next = nextInstallable(meta, used.version);
      const reason = release.yankedReason
        ? `: ${quoted(release.yankedReason)}`
        : ' (no reason given).';
      const fix = next ? specFix(ref, used.version, next) : undefined;
      out.push({
        rule: 'dependency-yanked',
        severity: 'medium',
        message: `${ref.id} ${used.version}${ref.locked ? ' (locked)' : ''} was yanked from PyPI${reason}`,
        remediation: next
          ? `Move to ${next}, the next release that is not yanked${ref.locked ? ', and regenerate the lockfile' : ''}.`
          : 'No later release is available: pin an earlier release that is not yanked.',
        ...referencePlace(ref),
        ...(fix ? { fix } : {}),
        links: [
          {
            title: `${ref.id} ${used.version} on PyPI`,
            url: `https://pypi.org/project/${encodeURIComponent(ref.id)}/${encodeURIComponent(used.version)}/`,
          },
        ],
        details: { version: used.version, reason: release.yankedReason, next },
      });
    }
    return out;
  },
};

/** The lowest later release that installs; pre-releases only when the pin is one. */
function nextInstallable(meta: PackageMetadata, version: string): string | null {
  const pre = isPrerelease('pypi', version);
  const next = meta.releases.find(
    (r) =>
      !r.yanked &&
      !r.empty &&
      compareVersions('pypi', r.version, version) > 0 &&
      (pre || !isPrerelease('pypi', r.version)),
  );
  return next?.version ?? null;
}

function specFix(ref: Reference, from: string, to: string): Fix | undefined {
  if (ref.locked || !ref.revisionSpan) return undefined;
  const replacement = bumpSpecText('pypi', ref.revisionSpan.text, from, to);
  if (!replacement) return undefined;
  return {
    description: `Move ${ref.id} off the yanked ${from}`,
    span: ref.revisionSpan,
    replacement,
  };
}
