import type { Fact, Finding, Fix, Reference } from '../types.js';
import {
  admitsAtLeast,
  bumpSpecText,
  compareVersions,
  exactVersion,
} from '../util/package-versions.js';
import type { Check, CheckContext } from './types.js';
import { referencePlace } from './place.js';

/** What in the repository makes an old loader dangerous. */
type Trigger = 'pickle-weights' | 'keras-files' | 'hub-models';

/**
 * Loader versions that are unsafe for a kind of input, with the public advisories that set the
 * boundary. `introduced` bounds a window; without it, every version below `fixed` is affected.
 */
interface LoaderRule {
  package: string;
  introduced?: string;
  fixed: string;
  advisories: string[];
  trigger: Trigger;
  why: string;
}

export const LOADER_RULES: readonly LoaderRule[] = [
  {
    package: 'torch',
    fixed: '2.6.0',
    advisories: ['CVE-2025-32434', 'GHSA-53q9-r3pm-6pq6'],
    trigger: 'pickle-weights',
    why: 'torch.load runs code from a crafted pickle even with weights_only=True',
  },
  {
    package: 'transformers',
    fixed: '4.48.0',
    advisories: ['CVE-2024-11392', 'CVE-2024-11393', 'CVE-2024-11394'],
    trigger: 'pickle-weights',
    why: 'several model classes deserialize untrusted pickle data while loading checkpoints',
  },
  {
    package: 'keras',
    fixed: '3.11.0',
    advisories: ['CVE-2025-1550', 'CVE-2025-8747'],
    trigger: 'keras-files',
    why: 'loading a .keras file can run code even with safe_mode=True',
  },
  {
    package: 'transformers',
    introduced: '4.56.0',
    fixed: '5.3.0',
    advisories: ['CVE-2026-4372', 'GHSA-29pf-2h5f-8g72'],
    trigger: 'hub-models',
    why: "a model's config.json can point _attn_implementation_internal at Hub code that runs even with trust_remote_code=False",
  },
  {
    package: 'transformers',
    introduced: '5.2.0',
    fixed: '5.5.0',
    advisories: ['CVE-2026-5241', 'GHSA-fgcw-684q-jj6r'],
    trigger: 'hub-models',
    why: "a LightGlue config.json turns trust_remote_code on for nested loads, overriding the caller's trust_remote_code=False",
  },
];

/**
 * Cross-file: the weights a repository declares combined with the loader versions it installs,
 * plus explicit unsafe loads in code. Needs no network: versions come from exact pins, lockfile
 * entries, or ranges that cannot reach the fixed release.
 */
export const unsafeLoadCombination: Check = {
  id: 'unsafe-load-combination',
  run(ctx) {
    const out: Finding[] = [];
    for (const rule of LOADER_RULES) {
      const inputs = triggerInputs(rule.trigger, ctx);
      if (inputs.length === 0) continue;
      for (const ref of ctx.references) {
        if (ref.kind !== 'package' || ref.ecosystem !== 'pypi' || ref.id !== rule.package) continue;
        const installed = affectedVersion(ref, rule);
        if (installed) out.push(loaderFinding(ref, rule, installed, inputs));
      }
    }
    for (const fact of ctx.facts) if (fact.type === 'unsafe-load') out.push(loadFinding(fact));
    return out;
  },
};

/** The names that trigger a rule: pickle or .keras weights, or Hub models loaded without remote code. */
function triggerInputs(trigger: Trigger, ctx: CheckContext): string[] {
  const names =
    trigger === 'pickle-weights'
      ? ctx.weights.filter((w) => w.format === 'pickle').map((w) => w.name)
      : trigger === 'keras-files'
        ? ctx.weights.filter((w) => /\.keras$/i.test(w.name)).map((w) => w.name)
        : ctx.references
            .filter(
              (r) => r.ecosystem === 'huggingface' && r.kind === 'model' && !r.trustRemoteCode,
            )
            .map((r) => r.id);
  return [...new Set(names)].sort();
}

/** The version text that falls in the rule, or null when the reference is safe or unknown. */
function affectedVersion(ref: Reference, rule: LoaderRule): string | null {
  const exact = exactVersion(ref);
  if (exact) {
    const v = exact.version;
    if (compareVersions('pypi', v, rule.fixed) >= 0) return null;
    if (rule.introduced && compareVersions('pypi', v, rule.introduced) < 0) return null;
    return v;
  }
  // A range only settles a rule without a lower bound: it must be unable to reach the fix.
  if (ref.locked || rule.introduced || admitsAtLeast('pypi', ref.revision, rule.fixed)) return null;
  return `"${ref.revision ?? ''}"`;
}

function loaderFinding(
  ref: Reference,
  rule: LoaderRule,
  installed: string,
  inputs: string[],
): Finding {
  const shown =
    inputs.slice(0, 3).join(', ') + (inputs.length > 3 ? `, … (${inputs.length} in all)` : '');
  const what =
    rule.trigger === 'pickle-weights'
      ? `pickle-based weights (${shown})`
      : rule.trigger === 'keras-files'
        ? `.keras files (${shown})`
        : `Hub models without trust_remote_code (${shown})`;
  const window = rule.introduced
    ? `${rule.introduced} up to ${rule.fixed}`
    : `before ${rule.fixed}`;
  const fix = specFix(ref, rule.fixed);
  return {
    rule: 'unsafe-load-combination',
    severity: 'high',
    message: `${ref.id} ${installed} is used with ${what}: in ${ref.id} ${window}, ${rule.why} (${rule.advisories.join(', ')}).`,
    remediation: `Require ${ref.id}>=${rule.fixed}${ref.locked ? ' and regenerate the lockfile' : ''}${rule.trigger === 'pickle-weights' ? ', and prefer .safetensors weights' : ''}.`,
    ...referencePlace(ref),
    ...(fix ? { fix } : {}),
    links: rule.advisories.map((id) => ({ title: id, url: `https://osv.dev/vulnerability/${id}` })),
    details: {
      package: ref.id,
      installed,
      introduced: rule.introduced ?? null,
      fixed: rule.fixed,
      advisories: rule.advisories,
      trigger: rule.trigger,
      inputs,
    },
  };
}

function specFix(ref: Reference, to: string): Fix | undefined {
  const exact = exactVersion(ref);
  if (!exact || ref.locked || !ref.revisionSpan) return undefined;
  const replacement = bumpSpecText('pypi', ref.revisionSpan.text, exact.version, to);
  if (!replacement) return undefined;
  return { description: `Upgrade ${ref.id} to ${to}`, span: ref.revisionSpan, replacement };
}

type UnsafeLoad = Extract<Fact, { type: 'unsafe-load' }>;

/**
 * An explicit unsafe load in code. `weights_only=False` switches off torch's only guard, so it is
 * high and gets a suggestion to flip it; plain pickle/joblib loads may read trusted local data,
 * so they are medium.
 */
function loadFinding(fact: UnsafeLoad): Finding {
  const flag = /^(weights_only)=False$|^(allow_pickle)=True$/.exec(fact.detail);
  const torch = fact.call === 'torch.load' && !!flag?.[1];
  const fix: Fix | undefined =
    flag && fact.span && /^(?:True|False)$/.test(fact.span.text)
      ? {
          description: flag[1] ? 'Load with weights_only=True' : 'Load with allow_pickle=False',
          span: fact.span,
          replacement: flag[1] ? 'True' : 'False',
        }
      : undefined;
  return {
    rule: 'unsafe-load-combination',
    severity: torch ? 'high' : 'medium',
    message: flag
      ? `${fact.call}(…, ${fact.detail}) unpickles whatever the file holds: a crafted file runs code.`
      : `${fact.detail}: a crafted file runs code when loaded.`,
    remediation: torch
      ? 'Use weights_only=True (the default since torch 2.6), or store the weights as .safetensors.'
      : 'Load only files you produced, or switch to a format that holds data only (safetensors, JSON, npz without pickle).',
    file: fact.file,
    line: fact.line,
    column: fact.column,
    ...(fix ? { fix } : {}),
    details: { call: fact.call, detail: fact.detail },
  };
}
