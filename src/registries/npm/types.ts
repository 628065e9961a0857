import type { UnverifiedUpstream } from '../../checks/types.js';
import type { PackageMetadata } from '../package-metadata.js';

/** What the npm registry said about the JavaScript packages the repository names. */
export interface NpmUpstreams {
  /** Keyed by package name (`@scope/name` for scoped packages). */
  packages: Record<string, PackageMetadata>;
  /** Packages the registry did not describe (unreachable, unknown, or a surprising response). */
  unverified: UnverifiedUpstream[];
}
