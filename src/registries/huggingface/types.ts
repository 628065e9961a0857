import type { UnverifiedUpstream } from '../../checks/types.js';

export type HubKind = 'model' | 'dataset';

/** `cardData.license` (an SPDX-like id, `other`, or a list), with the `other` details. */
export interface HubLicense {
  /** Ids as the card gives them, lower-cased; several when the card lists more than one. */
  ids: string[];
  name?: string;
  link?: string;
}

/** A file at one revision, from `siblings` (model info with `blobs=true`) or the tree. */
export interface HubFile {
  path: string;
  size?: number;
  /** sha256 of the content: `lfs.sha256` in siblings, `lfs.oid` in the tree. LFS files only. */
  sha256?: string;
  /** Git blob id (the pointer's, for LFS files). */
  blobId?: string;
}

/** Repository-level facts: the same at every revision. */
export interface HubRepo {
  kind: HubKind;
  /** The id the reference names. */
  requestedId: string;
  /** The id the Hub answered with (differs after a rename, a legacy id or a case mismatch). */
  id: string;
  /** `_id`: the repository object; a recreated repository under the same name gets a new one. */
  objectId: string | null;
  author: string | null;
  createdAt: string | null;
  private: boolean;
  gated: false | 'auto' | 'manual';
  disabled: boolean;
  /** Redirect hops followed to reach the answer (absolute URLs), empty when none. */
  redirects: string[];
}

/** One revision of a repository as model or dataset info describes it. */
export interface HubRevision {
  /** What was asked: `main`, a tag or branch, or a (possibly short) commit sha. */
  requested: string;
  /** The commit it resolves to. */
  sha: string;
  /** `lastModified`: the date of that commit. */
  date: string | null;
  license: HubLicense | null;
  /** `cardData.base_model`, as ids. */
  baseModels: string[];
  baseModelRelation: string | null;
  /** Every file at this revision; null when the Hub did not list them. */
  files: HubFile[] | null;
}

export interface HubCommit {
  sha: string;
  title: string;
  date: string;
  authors: string[];
}

/** How far a pinned commit is behind the default branch. */
export interface HubDrift {
  /** Commits on `main` after the pin; null when the history could not be read. */
  behind: number | null;
  daysBehind: number | null;
  headSha: string;
  headDate: string | null;
  pinDate: string | null;
  /** Newest commits on `main` (at most five), newest first. */
  newest: HubCommit[];
  /** The upstream history page and the diff between the pin and the head. */
  historyUrl: string;
  compareUrl: string;
}

export type HubScanLevel =
  'unscanned' | 'safe' | 'queued' | 'error' | 'caution' | 'suspicious' | 'unsafe' | 'unknown';

export interface HubScanFile {
  path: string;
  level: HubScanLevel;
  /** Imports the pickle scan judged dangerous or suspicious (`module.name`). */
  pickleImports?: string[];
  /** Messages of the scanners that flagged it. */
  messages?: string[];
}

/** `securityRepoStatus` (model info with `securityStatus=true`), with per-file details. */
export interface HubSecurity {
  scansDone: boolean;
  filesWithIssues: HubScanFile[];
}

/** One ancestor reached through `base_model` in the upstream cards. */
export interface HubLineageLink {
  id: string;
  /** The model whose card names this one. */
  parent: string;
  depth: number;
  relation: string | null;
  license: HubLicense | null;
  /** `cycle`: already on the path; `depth-limit`: not followed further. */
  state: 'ok' | 'not-found' | 'disabled' | 'unverified' | 'cycle' | 'depth-limit';
}

export type HubState = 'ok' | 'not-found' | 'revision-not-found' | 'disabled' | 'unverified';

/** Everything known about one referenced upstream (kind + id + revision as written). */
export interface HubUpstream {
  kind: HubKind;
  id: string;
  revision: string | null;
  state: HubState;
  /** not-found: false when an anonymous 401 could also mean private. */
  definitive?: boolean;
  /** Why: the Hub's message for disabled / not found, our reason for unverified. */
  reason?: string;
  repo: HubRepo | null;
  /** The referenced revision, resolved. */
  at: HubRevision | null;
  /** The default branch, when it was read (the same object as `at` when they coincide). */
  head: HubRevision | null;
  /** Gated repos: whether a request that needs access got it. */
  access: 'granted' | 'denied' | 'unknown';
  drift: HubDrift | null;
  /** Why drift could not be measured for a pinned reference. */
  driftUnknown?: string;
  security: HubSecurity | null;
  lineage: HubLineageLink[];
}

export interface HubUpstreams {
  endpoint: string;
  /** A token was sent: a 404 is then definitive and gated answers reflect its access. */
  authenticated: boolean;
  /** Keyed by `hubKey(kind, id, revision)` (see key.ts). */
  upstreams: Record<string, HubUpstream>;
  unverified: UnverifiedUpstream[];
  /** HTTP requests sent, redirect hops and retries included. */
  requests: number;
}
