import type { RuleId, Severity } from './types.js';

export interface RuleInfo {
  id: RuleId;
  /** Default severity; some rules raise or lower it per finding (documented in `help`). */
  severity: Severity;
  title: string;
  /** Why it matters and how to fix it: SARIF help text and the README. */
  help: string;
  /** Needs upstream data (skipped with --offline). */
  online: boolean;
}

/**
 * Every rule the tool can report. Ids are public: users configure and ignore findings by them,
 * and code scanning keys alerts on them, so they never change meaning.
 */
export const RULES: Record<RuleId, RuleInfo> = {
  'unpinned-revision': {
    id: 'unpinned-revision',
    severity: 'medium',
    title: 'Hub reference not pinned to a commit',
    help: 'A model or dataset loaded from the Hugging Face Hub without `revision=<commit sha>` follows a branch or tag that its owner (or whoever controls the name later) can move. Pin the full commit sha. High when the same load also runs remote code; low for Ollama tags.',
    online: false,
  },
  'unsafe-weights-format': {
    id: 'unsafe-weights-format',
    severity: 'medium',
    title: 'Pickle-based weights',
    help: '`.bin`, `.pt`, `.pth`, `.ckpt` and `.pkl` files are Python pickles: loading one can run arbitrary code. Prefer `.safetensors`. High when a safetensors twin of the same weights exists, since nothing is lost by switching.',
    online: false,
  },
  'remote-code': {
    id: 'remote-code',
    severity: 'medium',
    title: 'Loads code from the model repository',
    help: '`trust_remote_code=True` (or a config `auto_map`) executes Python shipped with the model. Review that code and pin the revision you reviewed. High when the reference is not pinned to a commit.',
    online: false,
  },
  'dependency-unpinned': {
    id: 'dependency-unpinned',
    severity: 'low',
    title: 'ML toolchain package without an exact pin or lock',
    help: 'Packages that load weights and run models (torch, transformers, vllm…) change behaviour and security properties between releases. Pin an exact version (`==`) or commit a lockfile that covers the manifest.',
    online: false,
  },
  'parse-error': {
    id: 'parse-error',
    severity: 'info',
    title: 'File could not be parsed',
    help: 'The file is malformed for its kind, so references in it may be missed. Fix the syntax at the reported line.',
    online: false,
  },
  'file-skipped': {
    id: 'file-skipped',
    severity: 'info',
    title: 'File not scanned',
    help: 'The file matched a supported kind but was not read: larger than the size limit, binary, or a symlink that leaves the repository root.',
    online: false,
  },
  'revision-drift': {
    id: 'revision-drift',
    severity: 'low',
    title: 'Pinned revision is behind upstream',
    help: 'The pinned commit is behind the default branch. Review the upstream commits and move the pin. Severity grows with the distance.',
    online: true,
  },
  'upstream-not-found': {
    id: 'upstream-not-found',
    severity: 'high',
    title: 'Upstream repository does not exist',
    help: 'The Hub has no repository by this id (or it is private). It may have been deleted, which leaves the name free for someone else to register.',
    online: true,
  },
  'revision-not-found': {
    id: 'revision-not-found',
    severity: 'high',
    title: 'Pinned revision does not exist upstream',
    help: 'The revision is not in the repository: its history was rewritten, or the repository was deleted and recreated. Find out why before moving the pin.',
    online: true,
  },
  'upstream-disabled': {
    id: 'upstream-disabled',
    severity: 'high',
    title: 'Upstream repository is disabled',
    help: 'The Hub disabled this repository (usually for a policy violation).',
    online: true,
  },
  'upstream-gated': {
    id: 'upstream-gated',
    severity: 'info',
    title: 'Gated upstream',
    help: 'The repository requires accepting its terms; provide a token (`hf-token`) with access to verify it.',
    online: true,
  },
  'upstream-renamed': {
    id: 'upstream-renamed',
    severity: 'medium',
    title: 'Upstream was renamed or redirects',
    help: 'The id redirects to another repository. Reference the new id; a redirect can lead to a different repository than the one you reviewed.',
    online: true,
  },
  'upstream-unverified': {
    id: 'upstream-unverified',
    severity: 'info',
    title: 'Upstream could not be verified',
    help: 'The registry could not be reached or answered unexpectedly, so this reference was not checked.',
    online: true,
  },
  'namespace-reuse-suspect': {
    id: 'namespace-reuse-suspect',
    severity: 'high',
    title: 'Namespace may have been re-registered',
    help: 'The repository was created after the pinned commit, or its author changed: the pattern of a deleted namespace re-registered by someone else.',
    online: true,
  },
  'license-changed': {
    id: 'license-changed',
    severity: 'medium',
    title: 'Licence changed upstream',
    help: 'The licence at the pinned revision differs from the default branch.',
    online: true,
  },
  'upstream-security-scan': {
    id: 'upstream-security-scan',
    severity: 'high',
    title: 'Hub security scan flagged files',
    help: "The Hub's own malware and pickle scans flagged files in this repository.",
    online: true,
  },
  'weights-hash-mismatch': {
    id: 'weights-hash-mismatch',
    severity: 'high',
    title: 'Local weights hash differs from upstream',
    help: 'A local LFS pointer, shard index or DVC hash does not match the upstream file at the pinned revision.',
    online: true,
  },
  'shard-index-inconsistent': {
    id: 'shard-index-inconsistent',
    severity: 'medium',
    title: 'Shard index is inconsistent',
    help: 'The shard index names files missing upstream, or mixes pickle and safetensors shards.',
    online: true,
  },
  'dependency-vulnerable': {
    id: 'dependency-vulnerable',
    severity: 'high',
    title: 'Dependency has a known vulnerability',
    help: 'An advisory affects the pinned or admitted version. Upgrade to the lowest fixed version.',
    online: true,
  },
  'dependency-drift': {
    id: 'dependency-drift',
    severity: 'low',
    title: 'Dependency is behind the latest release',
    help: 'The pinned version is behind the latest release.',
    online: true,
  },
  'dependency-yanked': {
    id: 'dependency-yanked',
    severity: 'medium',
    title: 'Dependency version was yanked',
    help: 'The pinned version was yanked from the registry by its maintainers.',
    online: true,
  },
  'dependency-deprecated': {
    id: 'dependency-deprecated',
    severity: 'low',
    title: 'Dependency is deprecated',
    help: 'The package or version is marked deprecated in its registry.',
    online: true,
  },
  'version-skew': {
    id: 'version-skew',
    severity: 'medium',
    title: 'Model needs a newer transformers',
    help: "A model config's `transformers_version` is newer than the transformers the repository pins.",
    online: false,
  },
  'unsafe-load-combination': {
    id: 'unsafe-load-combination',
    severity: 'high',
    title: 'Unsafe loading combination',
    help: 'Pickle weights with a torch or transformers version that loads them unsafely, or `weights_only=False`.',
    online: false,
  },
};

const ORDER: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };

export function severityRank(severity: Severity): number {
  return ORDER[severity];
}

export function compareSeverity(a: Severity, b: Severity): number {
  return ORDER[b] - ORDER[a];
}

export function atLeast(severity: Severity, threshold: Severity): boolean {
  return ORDER[severity] >= ORDER[threshold];
}
