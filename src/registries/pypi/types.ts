import type { UnverifiedUpstream } from '../../checks/types.js';
import type { PackageMetadata } from '../package-metadata.js';

/** What PyPI said about the Python packages the repository names. */
export interface PypiUpstreams {
  /** Keyed by the PEP 503 normalized name (the Reference id). */
  packages: Record<string, PackageMetadata>;
  /** Packages PyPI did not describe (unreachable, unknown, or a surprising response). */
  unverified: UnverifiedUpstream[];
}
