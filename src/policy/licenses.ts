import picomatch from 'picomatch';
import spdxExceptions from 'spdx-exceptions/index.json' with { type: 'json' };
import parseSpdx, { type SpdxLeaf, type SpdxNode } from 'spdx-expression-parse';
import deprecatedSpdxIds from 'spdx-license-ids/deprecated.json' with { type: 'json' };
import spdxIds from 'spdx-license-ids/index.json' with { type: 'json' };
import satisfies from 'spdx-satisfies';

/**
 * Licences as the Hub declares them and as policies name them, in one vocabulary: an SPDX
 * expression whose leaves are SPDX ids in their canonical case, or `LicenseRef-…` ids for what
 * SPDX does not know (the Hub's own ids such as `llama3.1`, and `license: other` with its
 * `license_name`). That lets spdx-satisfies do the matching, `+` ranges and `OR` included.
 */

/**
 * The Hub's licence ids, in the Hub's order: hub-docs `docs/hub/repositories-licenses.md`
 * (region "licenses"), as of commit 242f4a1 (August 2026).
 */
export const HUB_LICENSE_IDS = [
  'apache-2.0',
  'mit',
  'openrail',
  'bigscience-openrail-m',
  'creativeml-openrail-m',
  'bigscience-bloom-rail-1.0',
  'bigcode-openrail-m',
  'afl-3.0',
  'artistic-2.0',
  'bsl-1.0',
  'bsd',
  'bsd-2-clause',
  'bsd-3-clause',
  'bsd-3-clause-clear',
  'c-uda',
  'cc',
  'cc0-1.0',
  'cc-by-2.0',
  'cc-by-2.5',
  'cc-by-3.0',
  'cc-by-4.0',
  'cc-by-sa-3.0',
  'cc-by-sa-4.0',
  'cc-by-nc-2.0',
  'cc-by-nc-3.0',
  'cc-by-nc-4.0',
  'cc-by-nd-4.0',
  'cc-by-nc-nd-3.0',
  'cc-by-nc-nd-4.0',
  'cc-by-nc-sa-2.0',
  'cc-by-nc-sa-3.0',
  'cc-by-nc-sa-4.0',
  'cdla-sharing-1.0',
  'cdla-permissive-1.0',
  'cdla-permissive-2.0',
  'wtfpl',
  'ecl-2.0',
  'epl-1.0',
  'epl-2.0',
  'etalab-2.0',
  'eupl-1.1',
  'eupl-1.2',
  'agpl-3.0',
  'gfdl',
  'gpl',
  'gpl-2.0',
  'gpl-3.0',
  'lgpl',
  'lgpl-2.1',
  'lgpl-3.0',
  'isc',
  'h-research',
  'intel-research',
  'lppl-1.3c',
  'ms-pl',
  'apple-ascl',
  'apple-amlr',
  'mpl-2.0',
  'odc-by',
  'odbl',
  'openmdw-1.0',
  'openmdw-1.1',
  'openrail++',
  'osl-3.0',
  'postgresql',
  'ofl-1.1',
  'ncsa',
  'unlicense',
  'zlib',
  'pddl',
  'lgpl-lr',
  'deepfloyd-if-license',
  'fair-noncommercial-research-license',
  'llama2',
  'llama3',
  'llama3.1',
  'llama3.2',
  'llama3.3',
  'llama4',
  'grok2-community',
  'gemma',
  'unknown',
  'other',
] as const;

/** Hub ids whose SPDX id is not the same text in another case. */
const HUB_SPDX_ALIASES: Record<string, string> = {
  'c-uda': 'C-UDA-1.0',
  'odc-by': 'ODC-By-1.0',
  odbl: 'ODbL-1.0',
  pddl: 'PDDL-1.0',
  'lgpl-lr': 'LGPLLR',
};

const SPDX_BY_LOWER = new Map<string, string>();
for (const id of [...spdxIds, ...deprecatedSpdxIds])
  if (!SPDX_BY_LOWER.has(id.toLowerCase())) SPDX_BY_LOWER.set(id.toLowerCase(), id);
const EXCEPTION_BY_LOWER = new Map(spdxExceptions.map((id) => [id.toLowerCase(), id]));

/** A Hub id SPDX does not know, as a LicenseRef (`+` is not allowed in SPDX ids). */
function hubRef(hubId: string): string {
  return `LicenseRef-hf-${hubId.replace(/\+/g, 'p')}`;
}

const HUB_TO_CANONICAL = new Map<string, string>(
  HUB_LICENSE_IDS.map((id) => [id, HUB_SPDX_ALIASES[id] ?? SPDX_BY_LOWER.get(id) ?? hubRef(id)]),
);

export const UNKNOWN_LICENSE = hubRef('unknown');
const OTHER_PREFIX = 'LicenseRef-other-';
/** Free text that is neither SPDX nor a Hub id: kept, but nothing can be concluded from it. */
const DECLARED_PREFIX = 'LicenseRef-declared-';

function refText(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9.]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'unnamed'
  );
}

/** `license: other` with `license_name: qwen` → `LicenseRef-other-qwen`. */
export function otherRef(name: string | undefined): string {
  return name ? `${OTHER_PREFIX}${refText(name)}` : hubRef('other');
}

/** One licence id in any case (`mit`, `MIT`, `llama3.1`, `GPL-2.0+`) → canonical, or null. */
export function canonicalLicenseId(token: string): string | null {
  const lower = token.toLowerCase();
  const hub = HUB_TO_CANONICAL.get(lower);
  if (hub) return hub;
  if (lower.endsWith('+')) {
    const base = SPDX_BY_LOWER.get(lower.slice(0, -1));
    return base ? `${base}+` : null;
  }
  const spdx = SPDX_BY_LOWER.get(lower);
  if (spdx) return spdx;
  const ref = /^licenseref-([a-z0-9.-]+)$/i.exec(token);
  return ref ? `LicenseRef-${ref[1]}` : null;
}

/** A licence as an upstream or a card declares it. */
export interface DeclaredLicense {
  /** `cardData.license`: one id, or a list (which the Hub treats as alternatives). */
  license: string | readonly string[] | null | undefined;
  licenseName?: string | null;
  licenseLink?: string | null;
}

export interface NormalizedLicense {
  /** For messages: what was declared (`llama3.1`, `other (qwen)`), or `none`. */
  label: string;
  /** Canonical SPDX expression; null when nothing is declared. */
  expression: string | null;
  /** `license_link`, when the upstream gives one. */
  link?: string;
}

export function normalizeLicense(declared: DeclaredLicense | null | undefined): NormalizedLicense {
  const raw = declared?.license;
  const items = (typeof raw === 'string' ? [raw] : (raw ?? [])).filter((s) => s.trim() !== '');
  if (items.length === 0) return { label: 'none', expression: null };
  const name = declared?.licenseName?.trim() || undefined;
  const parts = items.map((item) => normalizeExpression(item.trim(), name));
  const label = items
    .map((i) => (i.trim().toLowerCase() === 'other' && name ? `other (${name})` : i.trim()))
    .join(' OR ');
  const link = declared?.licenseLink?.trim();
  return {
    label,
    expression: parts.length === 1 ? (parts[0] as string) : parts.map((p) => `(${p})`).join(' OR '),
    ...(link ? { link } : {}),
  };
}

function normalizeExpression(text: string, licenseName: string | undefined): string {
  const tokens = text.split(/(\s+|\(|\))/).filter((t) => t.trim() !== '');
  const out: string[] = [];
  for (const token of tokens) {
    const upper = token.toUpperCase();
    if (token === '(' || token === ')') out.push(token);
    else if (upper === 'AND' || upper === 'OR' || upper === 'WITH') out.push(upper);
    else if (out[out.length - 1] === 'WITH')
      out.push(EXCEPTION_BY_LOWER.get(token.toLowerCase()) ?? token);
    else if (token.toLowerCase() === 'other') out.push(otherRef(licenseName));
    else out.push(canonicalLicenseId(token) ?? `${DECLARED_PREFIX}${refText(token)}`);
  }
  const expression = out.join(' ');
  try {
    parseSpdx(expression);
    return expression;
  } catch {
    return `${DECLARED_PREFIX}${refText(text)}`;
  }
}

/** An allow or deny entry of a policy, resolved. */
export interface LicenseMatcher {
  /** As written in the policy, for messages. */
  text: string;
  /** Canonical ids (spdx-satisfies entries: `GPL-2.0+` and `WITH` allowed). */
  ids: string[];
  /** `other` without a name: any `license: other`. */
  anyOther?: boolean;
}

/** Every id a glob may expand to: SPDX ids (current and deprecated) and the Hub's ids. */
const CATALOGUE: readonly string[] = [
  ...new Set([...SPDX_BY_LOWER.keys(), ...HUB_LICENSE_IDS].map((id) => id.toLowerCase())),
];

/**
 * Parses one policy entry: an SPDX id (any case, `+` and `WITH` allowed), a Hub id, `other`,
 * `other:<license_name>`, a `LicenseRef-…`, or a glob such as `cc-by-nc-*`. Returns an error
 * message for the validator when the entry names nothing known.
 */
export function licenseMatcher(entry: string): LicenseMatcher | { error: string } {
  const text = entry.trim();
  if (/[*?[\]{}]/.test(text)) {
    const isMatch = picomatch(text.toLowerCase(), { nocase: true });
    const ids = [...new Set(CATALOGUE.filter((id) => isMatch(id)).map(canonicalOrRef))];
    if (ids.length === 0) return { error: `"${text}" matches no SPDX or Hub licence id` };
    return { text, ids };
  }
  if (text.toLowerCase() === 'other') return { text, ids: [hubRef('other')], anyOther: true };
  const other = /^other:(.+)$/i.exec(text);
  if (other) return { text, ids: [otherRef((other[1] as string).trim())] };
  const withMatch = /^(\S+)\s+with\s+(\S+)$/i.exec(text);
  if (withMatch) {
    const id = canonicalLicenseId(withMatch[1] as string);
    const exception = EXCEPTION_BY_LOWER.get((withMatch[2] as string).toLowerCase());
    if (id && exception) return { text, ids: [`${id} WITH ${exception}`] };
    return { error: `"${text}" is not a known licence with a known SPDX exception` };
  }
  if (/\s/.test(text))
    return { error: `"${text}" is an expression; list one licence per entry (OR is implied)` };
  const id = canonicalLicenseId(text);
  if (!id)
    return {
      error: `"${text}" is not an SPDX licence id, a Hub licence id, other:<license_name> or a LicenseRef-…`,
    };
  return { text, ids: [id] };
}

function canonicalOrRef(lowerId: string): string {
  return canonicalLicenseId(lowerId) ?? hubRef(lowerId);
}

export type LicenseVerdict =
  | { ok: true }
  /** `deniedBy`: the deny entries that matched, as the policy writes them. */
  | { ok: false; reason: 'denied'; deniedBy: string[] }
  | { ok: false; reason: 'not-allowed' };

/**
 * Whether a declared licence is acceptable: some way of satisfying the expression uses only
 * licences that no deny entry matches and (when there is an allow list) some allow entry matches.
 * So `MIT OR CC-BY-NC-4.0` passes a deny list of `CC-BY-NC-4.0` (take it under MIT), and
 * `MIT AND CC-BY-NC-4.0` does not. Nothing declared counts as `unknown`.
 */
export function checkLicense(
  license: NormalizedLicense,
  lists: { allow: readonly LicenseMatcher[] | null; deny: readonly LicenseMatcher[] },
): LicenseVerdict {
  const expression = license.expression ?? UNKNOWN_LICENSE;
  const leaves = leavesOf(expression).map(leafText);
  const deniedBy = lists.deny.filter((m) => leaves.some((l) => matches(l, m)));
  const acceptable = leaves.filter(
    (l) =>
      !deniedBy.some((m) => matches(l, m)) &&
      (!lists.allow || lists.allow.some((m) => matches(l, m))),
  );
  if (acceptable.length > 0 && safeSatisfies(expression, acceptable)) return { ok: true };
  if (deniedBy.length > 0)
    return { ok: false, reason: 'denied', deniedBy: deniedBy.map((m) => m.text) };
  return { ok: false, reason: 'not-allowed' };
}

function matches(leaf: string, matcher: LicenseMatcher): boolean {
  if (matcher.anyOther && (leaf.startsWith(OTHER_PREFIX) || leaf === hubRef('other'))) return true;
  return safeSatisfies(leaf, matcher.ids);
}

function safeSatisfies(expression: string, approved: string[]): boolean {
  try {
    return satisfies(expression, approved);
  } catch {
    // spdx-satisfies only throws on text it cannot parse; every expression here was parsed.
    return approved.includes(expression);
  }
}

function parseTree(expression: string): SpdxNode {
  try {
    return parseSpdx(expression);
  } catch {
    return { license: `${DECLARED_PREFIX}${refText(expression)}` };
  }
}

function leavesOf(expression: string): SpdxLeaf[] {
  const out: SpdxLeaf[] = [];
  const walk = (node: SpdxNode): void => {
    if ('license' in node) out.push(node);
    else {
      walk(node.left);
      walk(node.right);
    }
  };
  walk(parseTree(expression));
  return out;
}

function leafText(leaf: SpdxLeaf): string {
  return `${leaf.license}${leaf.plus ? '+' : ''}${leaf.exception ? ` WITH ${leaf.exception}` : ''}`;
}

/**
 * What a licence obliges a derivative to keep. `custom:<x>` stands for terms only that licence
 * family carries (the Llama or Gemma terms, a named `other` licence); `unknown` means nothing can
 * be concluded.
 */
export type Obligation =
  | 'non-commercial'
  | 'no-derivatives'
  | 'share-alike'
  | 'use-restrictions'
  | `custom:${string}`
  | 'unknown';

const NON_COMMERCIAL_REFS = new Set(
  [
    'deepfloyd-if-license',
    'fair-noncommercial-research-license',
    'h-research',
    'intel-research',
    'apple-amlr',
  ].map(hubRef),
);
const RAIL_REFS = new Set(
  [
    'openrail',
    'openrail++',
    'bigscience-openrail-m',
    'creativeml-openrail-m',
    'bigscience-bloom-rail-1.0',
    'bigcode-openrail-m',
  ].map(hubRef),
);
const SHARE_ALIKE =
  /^(?:CC-BY-(?:NC-)?SA|A?GPL|LGPL|MPL|EPL|EUPL|OSL|CDLA-Sharing|ODbL|GFDL|LGPLLR|LicenseRef-hf-(?:gpl|lgpl|gfdl)$)/;
/** Families whose terms a derivative must carry; versions within a family are interchangeable. */
const CUSTOM_FAMILIES: [RegExp, string][] = [
  [/^LicenseRef-hf-llama/, 'llama'],
  [/^LicenseRef-hf-gemma$/, 'gemma'],
  [/^LicenseRef-hf-grok/, 'grok'],
];

const FAMILY_NAMES: Record<string, string> = { llama: 'Llama', gemma: 'Gemma', grok: 'Grok' };

function isKnownFamily(o: Obligation): boolean {
  return CUSTOM_FAMILIES.some(([, name]) => o === `custom:${name}`);
}

function obligationsOfLeaf(leaf: SpdxLeaf): Obligation[] {
  const id = leaf.license;
  if (id === UNKNOWN_LICENSE || id === hubRef('other') || id === hubRef('cc')) return ['unknown'];
  if (id.startsWith(DECLARED_PREFIX)) return ['unknown'];
  const out: Obligation[] = [];
  if (/^CC-BY-NC/.test(id) || NON_COMMERCIAL_REFS.has(id)) out.push('non-commercial');
  if (/^CC-BY-(?:NC-)?ND/.test(id)) out.push('no-derivatives');
  if (SHARE_ALIKE.test(id)) out.push('share-alike');
  if (RAIL_REFS.has(id)) out.push('use-restrictions');
  const family = CUSTOM_FAMILIES.find(([re]) => re.test(id));
  if (family) out.push('use-restrictions', `custom:${family[1]}`);
  else if (id.startsWith(OTHER_PREFIX)) out.push(`custom:${id.slice(OTHER_PREFIX.length)}`);
  else if (id.startsWith('LicenseRef-') && !id.startsWith('LicenseRef-hf-'))
    out.push(`custom:${id.slice('LicenseRef-'.length).toLowerCase()}`);
  return out;
}

/** The ways a licensee may take an expression (its disjunctive normal form), capped. */
function alternatives(node: SpdxNode): SpdxLeaf[][] {
  if ('license' in node) return [[node]];
  const left = alternatives(node.left);
  const right = alternatives(node.right);
  if (node.conjunction === 'or') return [...left, ...right].slice(0, 64);
  return left.flatMap((l) => right.map((r) => [...l, ...r])).slice(0, 64);
}

function obligationSets(expression: string): Set<Obligation>[] {
  return alternatives(parseTree(expression)).map(
    (alt) => new Set(alt.flatMap((leaf) => obligationsOfLeaf(leaf))),
  );
}

export interface LineageGap {
  /** Obligations of the base that the derived licence does not carry. */
  dropped: Obligation[];
  /** False when a custom or unrecognised licence is involved: worth a look, not a verdict. */
  certain: boolean;
}

/**
 * Whether a derived model's licence drops obligations of its base model's licence: for every
 * way the derived licence may be taken, some way of taking the base licence must impose nothing
 * the derived one does not. A base that forbids derivatives always fails. Null when the derived
 * licence keeps everything, or when the base declares nothing to compare with.
 */
export function lineageGap(derived: NormalizedLicense, base: NormalizedLicense): LineageGap | null {
  if (base.expression === null) return null;
  const baseSets = obligationSets(base.expression).map(
    (s) => new Set([...s].filter((o) => o !== 'unknown')),
  );
  if (baseSets.every((s) => s.size === 0)) return null;
  if (baseSets.every((s) => s.has('no-derivatives')))
    return { dropped: ['no-derivatives'], certain: true };
  if (derived.expression === null) {
    const fewest = baseSets.reduce((a, b) => (b.size < a.size ? b : a));
    return { dropped: [...fewest], certain: false };
  }
  if (derived.expression === base.expression) return null;
  let worst: Obligation[] = [];
  let uncertain = false;
  for (const d of obligationSets(derived.expression)) {
    const gaps = baseSets.map((b) => [...b].filter((o) => !d.has(o)));
    const best = gaps.reduce((a, b) => (b.length < a.length ? b : a));
    if (best.length === 0) continue;
    if (best.length > worst.length) worst = best;
    // An unrecognised or unnamed-family derived licence may carry the base's terms in its text.
    if ([...d].some((o) => o === 'unknown' || (o.startsWith('custom:') && !isKnownFamily(o))))
      uncertain = true;
  }
  if (worst.length === 0) return null;
  const known = worst.some((o) => !o.startsWith('custom:') || isKnownFamily(o));
  return { dropped: worst, certain: known && !uncertain };
}

export function describeObligation(o: Obligation): string {
  switch (o) {
    case 'non-commercial':
      return 'its non-commercial clause';
    case 'no-derivatives':
      return 'its no-derivatives clause';
    case 'share-alike':
      return 'its share-alike (copyleft) terms';
    case 'use-restrictions':
      return 'its use restrictions';
    case 'unknown':
      return 'terms that could not be identified';
    default: {
      const name = o.slice('custom:'.length);
      return `the ${FAMILY_NAMES[name] ?? name} licence terms`;
    }
  }
}
