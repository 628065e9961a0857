import type { Ecosystem, RuleId, Severity } from '../types.js';
import type { LicenseMatcher } from './licenses.js';

/** Where the policy file is looked for when no `config` input / `--config` flag names one. */
export const DEFAULT_POLICY_PATH = '.github/llm-supply-chain.yml';

/**
 * Numeric settings a rule reads through `thresholdFor`. Listed here so the loader can reject a
 * misspelt key; a check that wants a new threshold adds its key (and the JSON Schema entry).
 */
export const THRESHOLD_KEYS = {
  /**
   * The distance (commits behind `main`, or days between the pin and the head) at which drift
   * becomes medium, and high. Below the medium marks it is low.
   */
  'revision-drift': ['medium-commits', 'medium-days', 'high-commits', 'high-days'],
  /** Dependency age: a used release older than this many days raises the severity one step. */
  'dependency-drift': ['stale-days'],
} as const satisfies Partial<Record<RuleId, readonly string[]>>;

export type ThresholdRule = keyof typeof THRESHOLD_KEYS;
export type ThresholdKey<R extends ThresholdRule> = (typeof THRESHOLD_KEYS)[R][number];

export interface RuleSettings {
  /** False: the rule's findings are dropped (not suppressed: the rule is not wanted at all). */
  enabled?: boolean;
  severity?: Severity;
  thresholds?: Record<string, number>;
}

export type RuleSettingsMap = Partial<Record<RuleId, RuleSettings>>;

/** Settings for upstreams whose id matches `match` (a glob, case-insensitive). */
export interface UpstreamPolicy {
  match: string;
  ecosystem?: Ecosystem;
  rules: RuleSettingsMap;
  line: number;
}

export interface LicenseLists {
  /** Null: no allow list, every licence not denied is fine. */
  allow: LicenseMatcher[] | null;
  deny: LicenseMatcher[];
}

/** An accepted risk: findings it matches stay in the report, marked suppressed. */
export interface IgnoreEntry {
  rule: RuleId;
  /** Upstream id or glob (`org/*`), case-insensitive. */
  id?: string;
  /** Repository path glob (`notebooks/**`). */
  path?: string;
  reason: string;
  /** Last day (UTC, `YYYY-MM-DD`) the exception holds. */
  expires: string;
  /** Where the entry sits in the policy file, for `exception-expired`. */
  line: number;
  column: number;
}

export interface Policy {
  /** The file it was read from (repository-relative when inside the scanned folder); null: defaults. */
  file: string | null;
  requirePinned: boolean;
  requireSafetensors: boolean;
  licenses: { models: LicenseLists; datasets: LicenseLists };
  publishers: {
    /** Namespace globs; null when the list is not set (then nobody is "untrusted"). */
    trusted: string[] | null;
    /** Added to the shipped list of well-known names for `typosquat-suspect`. */
    wellKnown: string[];
  };
  rules: RuleSettingsMap;
  upstreams: UpstreamPolicy[];
  ignore: IgnoreEntry[];
  /** Settings only the GitHub App (`serve`) reads; absent when the file has no `app` key. */
  app?: AppSettings;
}

export interface AppSettings {
  /** False: the App's scheduled drift check skips this repository (default true). */
  drift?: boolean;
}

/** The policy in force when there is no policy file: every rule at its default. */
export function defaultPolicy(): Policy {
  return {
    file: null,
    requirePinned: false,
    requireSafetensors: false,
    licenses: {
      models: { allow: null, deny: [] },
      datasets: { allow: null, deny: [] },
    },
    publishers: { trusted: null, wellKnown: [] },
    rules: {},
    upstreams: [],
    ignore: [],
  };
}
