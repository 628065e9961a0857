import type { Check } from './types.js';
import { unpinnedRevision } from './unpinned-revision.js';
import { unsafeWeightsFormat } from './unsafe-weights-format.js';
import { remoteCode } from './remote-code.js';
import { dependencyUnpinned } from './dependency-unpinned.js';
import { parseError } from './parse-error.js';
import { fileSkipped } from './file-skipped.js';
import { dependencyVulnerable } from './dependency-vulnerable.js';
import { dependencyDrift } from './dependency-drift.js';
import { dependencyYanked } from './dependency-yanked.js';
import { dependencyDeprecated } from './dependency-deprecated.js';
import { versionSkew } from './version-skew.js';
import { unsafeLoadCombination } from './unsafe-load-combination.js';
import { licensePolicy } from './license-policy.js';
import { licenseLineage } from './license-lineage.js';
import { untrustedPublisher } from './untrusted-publisher.js';
import { typosquatSuspect } from './typosquat-suspect.js';
import { exceptionExpired } from './exception-expired.js';
import { revisionDrift } from './revision-drift.js';
import { upstreamNotFound } from './upstream-not-found.js';
import { revisionNotFound } from './revision-not-found.js';
import { upstreamDisabled } from './upstream-disabled.js';
import { upstreamGated } from './upstream-gated.js';
import { upstreamRenamed } from './upstream-renamed.js';
import { upstreamUnverified } from './upstream-unverified.js';
import { namespaceReuseSuspect } from './namespace-reuse-suspect.js';
import { licenseChanged } from './license-changed.js';
import { upstreamSecurityScan } from './upstream-security-scan.js';
import { weightsHashMismatch } from './weights-hash-mismatch.js';
import { shardIndexInconsistent } from './shard-index-inconsistent.js';

/** Every rule the engine runs. Adding one is a file and a line here. */
export const CHECKS: readonly Check[] = [
  unpinnedRevision,
  unsafeWeightsFormat,
  remoteCode,
  dependencyUnpinned,
  parseError,
  fileSkipped,
  dependencyVulnerable,
  dependencyDrift,
  dependencyYanked,
  dependencyDeprecated,
  versionSkew,
  unsafeLoadCombination,
  licensePolicy,
  licenseLineage,
  untrustedPublisher,
  typosquatSuspect,
  exceptionExpired,
  revisionDrift,
  upstreamNotFound,
  revisionNotFound,
  upstreamDisabled,
  upstreamGated,
  upstreamRenamed,
  upstreamUnverified,
  namespaceReuseSuspect,
  licenseChanged,
  upstreamSecurityScan,
  weightsHashMismatch,
  shardIndexInconsistent,
];
