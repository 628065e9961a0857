import type { HubUpstreams } from '../registries/huggingface/types.js';
import type { NpmUpstreams } from '../registries/npm/types.js';
import type { OsvUpstreams } from '../registries/osv/types.js';
import type { PypiUpstreams } from '../registries/pypi/types.js';
import type { Policy } from '../policy/types.js';
import type {
  Ecosystem,
  Fact,
  Finding,
  ParseProblem,
  Reference,
  ReferenceKind,
  RuleId,
  SkippedFile,
  WeightsFile,
} from '../types.js';

/**
 * An upstream a registry could not check (unreachable, rate limited, a surprising answer). Every
 * registry lists them in its field's `unverified`; the upstream-unverified rule reports them all.
 */
export interface UnverifiedUpstream {
  ecosystem: Ecosystem;
  kind?: ReferenceKind;
  id: string;
  /** Only references with this revision/spec; absent: every reference to `id`. */
  revision?: string | null;
  reason: string;
}

/** The part of each registry's field that the generic upstream-unverified rule reads. */
export interface VerifiableUpstreams {
  unverified?: readonly UnverifiedUpstream[];
}

/**
 * Facts fetched from upstreams, keyed by registry. Empty in offline runs; each registry adds its
 * own field (see src/registries/) and checks that need it read only that field.
 */
export interface Upstreams {
  huggingface?: HubUpstreams;
  pypi?: PypiUpstreams;
  npm?: NpmUpstreams;
  osv?: OsvUpstreams;
}

export interface CheckContext {
  references: readonly Reference[];
  weights: readonly WeightsFile[];
  facts: readonly Fact[];
  problems: readonly ParseProblem[];
  skipped: readonly SkippedFile[];
  upstreams: Upstreams;
  /** Every file path the walk saw (not only the ones read), for "is there a lockfile here". */
  paths: ReadonlySet<string>;
  /** The repository's policy; absent means defaults. Read it through src/policy/apply.ts. */
  policy?: Policy;
  /** `YYYY-MM-DD` (UTC) that date rules compare with; absent means today. Tests inject it. */
  today?: string;
}

/** A rule: pure function of the context. One file per rule id. */
export interface Check {
  id: RuleId;
  run(ctx: CheckContext): Finding[];
}
