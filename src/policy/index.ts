/** The policy's public surface: entry points load it, scan() applies it, checks read it. */
export { loadPolicy, loadPolicyFromDisk, type PolicySource } from './load.js';
export { parsePolicy, PolicyError, type PolicyProblem } from './schema.js';
export { applyPolicy, ruleSettingsFor, thresholdFor, todayOf, utcDate } from './apply.js';
export { DEFAULT_POLICY_PATH, defaultPolicy, THRESHOLD_KEYS, type Policy } from './types.js';
