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
    help: 'The pinned commit is behind `main`: the message gives the commits and days behind and the newest upstream titles, with links to the history and the diff. Low by default; medium from 10 commits or 180 days, high from 50 commits or 365 days. Review the upstream commits, then move the pin (the finding carries the head sha as a fix).',
    online: true,
  },
  'upstream-not-found': {
    id: 'upstream-not-found',
    severity: 'high',
    title: 'Upstream repository does not exist',
    help: 'The Hub has no repository by this id. High when the answer is definitive (a 404); medium without a token, because the Hub answers an anonymous caller the same 401 for a missing and a private repository. A deleted name is free for someone else to register.',
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
    help: 'The Hub disabled this repository, usually for a policy violation (a model still answers with `disabled: true`, a dataset with 403). Stop using it.',
    online: true,
  },
  'upstream-gated': {
    id: 'upstream-gated',
    severity: 'info',
    title: 'Gated upstream',
    help: 'The repository requires accepting its terms. Reported when no token was given, or when the token has no access and the commit history could not be read; provide a token (`hf-token` / `HF_TOKEN`) with access to verify it.',
    online: true,
  },
  'upstream-renamed': {
    id: 'upstream-renamed',
    severity: 'medium',
    title: 'Upstream was renamed or redirects',
    help: 'The id redirects to another repository (a 307 rename) or the Hub answers with another canonical id. Medium for a move; low for a letter-case difference or a legacy one-segment id (`gpt2`). Reference the new id; a redirect can lead to a different repository than the one you reviewed.',
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
    help: "The pattern of a deleted or moved namespace re-registered by someone else: high when the repository was created after the commit pinned in it (history copied into a new repository; repositories from before the Hub's 2022 migration are exempt), medium when the id now redirects to another owner, whose old name anyone may claim.",
    online: true,
  },
  'license-changed': {
    id: 'license-changed',
    severity: 'medium',
    title: 'Licence changed upstream',
    help: 'The licence in the model card at the pinned commit differs from the one on `main`: moving the pin would accept other terms.',
    online: true,
  },
  'upstream-security-scan': {
    id: 'upstream-security-scan',
    severity: 'high',
    title: 'Hub security scan flagged files',
    help: "The Hub's own scans (malware, pickle imports, Protect AI, JFrog) flag files in this repository: high for unsafe, medium for suspicious, low for caution or when no flagged file is in the referenced revision. Scans not finished yet (`scansDone: false`, queued, error) are reported as pending, at info.",
    online: true,
  },
  'weights-hash-mismatch': {
    id: 'weights-hash-mismatch',
    severity: 'high',
    title: 'Local weights hash differs from upstream',
    help: 'A local LFS pointer (sha256, size) or DVC entry (size) does not match the upstream file (`lfs.sha256`/`lfs.oid`, size) at the linked revision. Linked means declared (a DVC import, `hf_hub_download`) or a folder named after a referenced repo. High at a pinned commit; medium against `main`, where the local copy may only be older.',
    online: true,
  },
  'shard-index-inconsistent': {
    id: 'shard-index-inconsistent',
    severity: 'medium',
    title: 'Shard index is inconsistent',
    help: 'The shard index mixes pickle and safetensors shards (checked offline too), or, when its folder is linked to a Hub repo, names shards that repo does not have at that revision. Regenerate the index.',
    online: true,
  },
  'dependency-vulnerable': {
    id: 'dependency-vulnerable',
    severity: 'high',
    title: 'Dependency has a known vulnerability',
    help: 'An OSV advisory (GHSA, PYSEC, CVE ids merged) affects the version the repository installs: the exact pin or lockfile version, or for a range the newest release it admits. Severity follows the advisory (GHSA rating, else the CVSS v3 score; unrated: high; OSV malicious-package records: critical). Upgrade to the lowest fixed version; exact pins get a suggestion.',
    online: true,
  },
  'dependency-drift': {
    id: 'dependency-drift',
    severity: 'low',
    title: 'Dependency is behind the latest release',
    help: 'The installed version (pin, lock, or newest release a range admits) is behind the latest release. ML toolchain packages: medium for a major version, low for a minor, info for a patch; other packages: info for a major version only, and not from lockfiles. A release older than a year raises low to medium and info to low. Review the changelog and move the pin.',
    online: true,
  },
  'dependency-yanked': {
    id: 'dependency-yanked',
    severity: 'medium',
    title: 'Dependency version was yanked',
    help: 'The exact pin or lockfile version was yanked from PyPI by its maintainers (PEP 592), usually because it is broken or unsafe. Installers still honour the pin, so nothing fails. Move to the next release that is not yanked.',
    online: true,
  },
  'dependency-deprecated': {
    id: 'dependency-deprecated',
    severity: 'low',
    title: 'Dependency is deprecated',
    help: 'The npm version the repository installs carries a deprecation message; when the latest release is deprecated too, the whole package is. Lockfile entries outside the ML toolchain are info. Upgrade, or replace the package.',
    online: true,
  },
  'version-skew': {
    id: 'version-skew',
    severity: 'medium',
    title: 'Model needs a newer transformers',
    help: "A model config's `transformers_version` (the version that saved it) is newer than the transformers the repository pins or locks, or than any its range can reach: the model may not load, or load with settings ignored. Low when only the patch or dev build differs.",
    online: false,
  },
  'unsafe-load-combination': {
    id: 'unsafe-load-combination',
    severity: 'high',
    title: 'Unsafe loading combination',
    help: 'A loader version that is unsafe for inputs the repository has: pickle weights with torch < 2.6 (CVE-2025-32434) or transformers < 4.48 (CVE-2024-11392/3/4); `.keras` files with keras < 3.11 (CVE-2025-1550, CVE-2025-8747); Hub models loaded without trust_remote_code with transformers 4.56–5.2 (CVE-2026-4372) or 5.2–5.4 (CVE-2026-5241), where a config.json can run Hub code anyway. Also `torch.load(weights_only=False)` (high) and pickle/joblib loads (medium). Works offline from pins and lockfiles.',
    online: false,
  },
  'license-policy': {
    id: 'license-policy',
    severity: 'high',
    title: 'Licence not allowed by the policy',
    help: "The upstream's declared licence (`cardData.license`, with `license_name` for `other`) is on the policy's deny list (high), or not on its allow list (medium; also when no licence is declared). Lists take SPDX ids and expressions' parts, the Hub's own ids (`llama3.1`, `gemma`, `openrail++`), `other:<license_name>` and globs (`cc-by-nc-*`). Replace the upstream, or record a reviewed exception.",
    online: true,
  },
  'license-lineage': {
    id: 'license-lineage',
    severity: 'high',
    title: 'Derived model licensed more permissively than its base',
    help: "A model (an upstream, or the repository's own model card) declares a licence that drops obligations of its base model's licence: a non-commercial or no-derivatives clause, share-alike terms, use restrictions, or the Llama/Gemma terms. The base licence usually still binds the derivative. Medium when a custom (`other`) or unrecognised licence makes the comparison uncertain.",
    online: true,
  },
  'untrusted-publisher': {
    id: 'untrusted-publisher',
    severity: 'medium',
    title: 'Publisher not on the trusted list',
    help: 'The policy lists trusted Hub namespaces (`publishers.trusted`) and this model or dataset comes from another one. Review the publisher and add it, or load the model from a trusted namespace.',
    online: false,
  },
  'typosquat-suspect': {
    id: 'typosquat-suspect',
    severity: 'high',
    title: 'Name imitates a well-known publisher or model',
    help: 'The Hub namespace (or legacy model id) is a near miss of a well-known one: look-alike characters (`meta-Ilama`, `rn` for `m`, `0` for `o`) or one or two edits (`mistrall`). Check the id character by character; add your own organisations under `publishers.well-known`, and trusted near-namesakes under `publishers.trusted`.',
    online: false,
  },
  'exception-expired': {
    id: 'exception-expired',
    severity: 'medium',
    title: 'Policy exception has expired',
    help: 'An `ignore` entry of the policy file is past its `expires` date, so the findings it covered are reported again. Fix them, or review the accepted risk and renew the exception with a new date.',
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
