import type { HubUpstreams } from '../registries/huggingface/types.js';
import type { NpmUpstreams } from '../registries/npm/types.js';
import type { OsvUpstreams } from '../registries/osv/types.js';
import type { PypiUpstreams } from '../registries/pypi/types.js';
import type {
  Fact,
  Finding,
  ParseProblem,
  Reference,
  RuleId,
  SkippedFile,
  WeightsFile,
} from '../types.js';

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
}

/** A rule: pure function of the context. One file per rule id. */
export interface Check {
  id: RuleId;
  run(ctx: CheckContext): Finding[];
}
