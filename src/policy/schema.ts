import picomatch from 'picomatch';
import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  type Document,
  type LineCounter,
  type Node,
  type YAMLMap,
} from 'yaml';
import { ConfigurationError } from '../errors.js';
import { RULES } from '../rules.js';
import { SEVERITIES, type Ecosystem, type RuleId, type Severity } from '../types.js';
import { parseYaml } from '../util/yaml.js';
import { licenseMatcher, type LicenseMatcher } from './licenses.js';
import { editDistance } from './typosquat.js';
import {
  defaultPolicy,
  THRESHOLD_KEYS,
  type IgnoreEntry,
  type LicenseLists,
  type Policy,
  type RuleSettings,
  type RuleSettingsMap,
  type UpstreamPolicy,
} from './types.js';

/**
 * The policy file's validator. Hand-written over the YAML tree (not the plain object) so every
 * problem names its line; `schema/llm-supply-chain.schema.json` describes the same shape for
 * editors, and a test keeps the two in agreement. Every problem is collected, not just the first.
 */

export interface PolicyProblem {
  file: string;
  line: number;
  column: number;
  /** Dotted path of the key at fault: `ignore[1].expires`. */
  key: string;
  message: string;
}

/** A policy file that does not validate. A ConfigurationError: the run stops, exit code 2. */
export class PolicyError extends ConfigurationError {
  constructor(readonly problems: PolicyProblem[]) {
    super(
      `Invalid policy file:\n${problems
        .map((p) => `  ${p.file}:${p.line}:${p.column}: ${p.key ? `${p.key}: ` : ''}${p.message}`)
        .join('\n')}`,
    );
  }
}

const ECOSYSTEMS: readonly Ecosystem[] = ['huggingface', 'pypi', 'npm', 'ollama', 'conda', 'url'];
const ROOT_KEYS = [
  '$schema',
  'version',
  'require-pinned',
  'require-safetensors',
  'licenses',
  'publishers',
  'rules',
  'upstreams',
  'ignore',
  'app',
] as const;
const LICENSE_KEYS = ['allow', 'deny', 'models', 'datasets'] as const;
const LIST_KEYS = ['allow', 'deny'] as const;
const PUBLISHER_KEYS = ['trusted', 'well-known'] as const;
const RULE_KEYS = ['enabled', 'severity', 'thresholds'] as const;
const UPSTREAM_KEYS = ['match', 'ecosystem', 'rules'] as const;
const IGNORE_KEYS = ['rule', 'id', 'path', 'reason', 'expires'] as const;
const APP_KEYS = ['drift'] as const;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses and validates policy text. Throws PolicyError listing every problem. */
export function parsePolicy(text: string, file: string): Policy {
  const v = new Validator(file);
  const policy = v.policy(text);
  // In file order: unknown keys are found before the values next to them are checked.
  const sorted = [...v.problems].sort((a, b) => a.line - b.line || a.column - b.column);
  if (sorted.length > 0) throw new PolicyError(sorted);
  return policy;
}

class Validator {
  readonly problems: PolicyProblem[] = [];
  private lines: LineCounter | null = null;
  private doc: Document.Parsed | null = null;

  constructor(private readonly file: string) {}

  policy(text: string): Policy {
    const policy = defaultPolicy();
    policy.file = this.file;
    const yaml = parseYaml(text);
    this.lines = yaml.lineCounter;
    if (yaml.error) {
      this.problemAt(yaml.error.offset, '', `invalid YAML: ${yaml.error.message}`);
      return policy;
    }
    if (yaml.docs.length > 1) {
      this.problemAt(yaml.docs[1]?.range[0] ?? 0, '', 'expected one YAML document, found several');
      return policy;
    }
    this.doc = yaml.docs[0] ?? null;
    const root = this.doc?.contents ?? null;
    if (root === null || (isScalar(root) && root.value === null)) return policy;
    const map = this.map(root, '', ROOT_KEYS);
    if (!map) return policy;
    const version = map.get('version');
    if (version && this.scalar(version) !== 1)
      this.problem(version, 'version', 'only version 1 exists');
    const schema = map.get('$schema');
    if (schema) this.string(schema, '$schema');
    const pinned = map.get('require-pinned');
    if (pinned) policy.requirePinned = this.boolean(pinned, 'require-pinned') ?? false;
    const safetensors = map.get('require-safetensors');
    if (safetensors)
      policy.requireSafetensors = this.boolean(safetensors, 'require-safetensors') ?? false;
    const licenses = map.get('licenses');
    if (licenses) policy.licenses = this.licenses(licenses);
    const publishers = map.get('publishers');
    if (publishers) policy.publishers = this.publishers(publishers);
    const rules = map.get('rules');
    if (rules) policy.rules = this.rules(rules, 'rules');
    const upstreams = map.get('upstreams');
    if (upstreams)
      policy.upstreams = this.list(upstreams, 'upstreams', (n, k) => this.upstream(n, k));
    const ignore = map.get('ignore');
    if (ignore) policy.ignore = this.list(ignore, 'ignore', (n, k) => this.ignoreEntry(n, k));
    const app = map.get('app');
    if (app) policy.app = this.app(app);
    return policy;
  }

  /** Settings only the GitHub App (`serve`) reads. */
  private app(node: Node): NonNullable<Policy['app']> {
    const out: NonNullable<Policy['app']> = {};
    const map = this.map(node, 'app', APP_KEYS);
    const drift = map?.get('drift');
    if (drift) {
      const b = this.boolean(drift, 'app.drift');
      if (b !== null) out.drift = b;
    }
    return out;
  }

  private licenses(node: Node): Policy['licenses'] {
    const none = (): LicenseLists => ({ allow: null, deny: [] });
    const map = this.map(node, 'licenses', LICENSE_KEYS);
    if (!map) return { models: none(), datasets: none() };
    const shared = this.licenseLists(map, 'licenses');
    const perKind = (kind: 'models' | 'datasets'): LicenseLists => {
      const n = map.get(kind);
      const own = n ? this.map(n, `licenses.${kind}`, LIST_KEYS) : null;
      const lists = own ? this.licenseLists(own, `licenses.${kind}`) : {};
      // A list given for a kind replaces the shared one for that kind.
      return { allow: lists.allow ?? shared.allow ?? null, deny: lists.deny ?? shared.deny ?? [] };
    };
    return { models: perKind('models'), datasets: perKind('datasets') };
  }

  private licenseLists(map: Map<string, Node>, key: string): Partial<LicenseLists> {
    const out: Partial<LicenseLists> = {};
    for (const which of LIST_KEYS) {
      const n = map.get(which);
      if (!n) continue;
      out[which] = this.list(n, `${key}.${which}`, (item, k) => {
        const text = this.string(item, k);
        if (text === null) return null;
        const matcher = licenseMatcher(text);
        if ('error' in matcher) {
          this.problem(item, k, matcher.error);
          return null;
        }
        return matcher as LicenseMatcher;
      });
    }
    return out;
  }

  private publishers(node: Node): Policy['publishers'] {
    const out: Policy['publishers'] = { trusted: null, wellKnown: [] };
    const map = this.map(node, 'publishers', PUBLISHER_KEYS);
    if (!map) return out;
    const trusted = map.get('trusted');
    if (trusted)
      out.trusted = this.list(trusted, 'publishers.trusted', (n, k) => this.nonEmpty(n, k));
    const wellKnown = map.get('well-known');
    if (wellKnown)
      out.wellKnown = this.list(wellKnown, 'publishers.well-known', (n, k) => this.nonEmpty(n, k));
    return out;
  }

  private rules(node: Node, key: string): RuleSettingsMap {
    const out: RuleSettingsMap = {};
    const map = this.map(node, key, Object.keys(RULES), 'rule id');
    if (!map) return out;
    for (const [id, value] of map) {
      const settings = this.ruleSettings(value, `${key}.${id}`, id as RuleId);
      if (settings) out[id as RuleId] = settings;
    }
    return out;
  }

  /** `off` / `false`, `on` / `true`, a severity, or `{enabled, severity, thresholds}`. */
  private ruleSettings(node: Node, key: string, rule: RuleId): RuleSettings | null {
    if (isScalar(node)) {
      const value = node.value;
      if (value === false || value === 'off') return { enabled: false };
      if (value === true || value === 'on') return { enabled: true };
      if (typeof value === 'string' && SEVERITIES.includes(value as Severity))
        return { severity: value as Severity };
      this.problem(
        node,
        key,
        `expected off, on, a severity (${SEVERITIES.join(', ')}) or a mapping with enabled, severity, thresholds`,
      );
      return null;
    }
    const map = this.map(node, key, RULE_KEYS);
    if (!map) return null;
    const out: RuleSettings = {};
    const enabled = map.get('enabled');
    if (enabled) {
      const b = this.boolean(enabled, `${key}.enabled`);
      if (b !== null) out.enabled = b;
    }
    const severity = map.get('severity');
    if (severity) {
      const s = this.severity(severity, `${key}.severity`);
      if (s) out.severity = s;
    }
    const thresholds = map.get('thresholds');
    if (thresholds) out.thresholds = this.thresholds(thresholds, `${key}.thresholds`, rule);
    return out;
  }

  private thresholds(node: Node, key: string, rule: RuleId): Record<string, number> {
    const allowed = (THRESHOLD_KEYS as Partial<Record<RuleId, readonly string[]>>)[rule];
    if (!allowed) {
      this.problem(node, key, `rule ${rule} has no thresholds`);
      return {};
    }
    const map = this.map(node, key, allowed);
    const out: Record<string, number> = {};
    for (const [name, value] of map ?? []) {
      const n = this.scalar(value);
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 0)
        this.problem(value, `${key}.${name}`, 'expected a whole number, 0 or more');
      else out[name] = n;
    }
    return out;
  }

  private upstream(node: Node, key: string): UpstreamPolicy | null {
    const map = this.map(node, key, UPSTREAM_KEYS);
    if (!map) return null;
    const match = this.required(map, node, key, 'match', (n, k) => this.nonEmpty(n, k));
    let ecosystem: Ecosystem | undefined;
    const eco = map.get('ecosystem');
    if (eco) {
      const e = this.string(eco, `${key}.ecosystem`);
      if (e !== null && !ECOSYSTEMS.includes(e as Ecosystem))
        this.problem(eco, `${key}.ecosystem`, `expected one of ${ECOSYSTEMS.join(', ')}`);
      else if (e !== null) ecosystem = e as Ecosystem;
    }
    const rules = this.required(map, node, key, 'rules', (n, k) => this.rules(n, k));
    if (match === null || rules === null) return null;
    return { match, ...(ecosystem ? { ecosystem } : {}), rules, line: this.pos(node).line };
  }

  private ignoreEntry(node: Node, key: string): IgnoreEntry | null {
    const map = this.map(node, key, IGNORE_KEYS);
    if (!map) return null;
    const rule = this.required(map, node, key, 'rule', (n, k) => {
      const s = this.string(n, k);
      if (s !== null && !(s in RULES)) {
        this.unknownName(n, k, s, Object.keys(RULES), 'rule id');
        return null;
      }
      return s as RuleId | null;
    });
    const reason = this.required(map, node, key, 'reason', (n, k) => this.nonEmpty(n, k));
    const expires = this.required(map, node, key, 'expires', (n, k) => this.date(n, k));
    const idNode = map.get('id');
    const id = idNode ? this.nonEmpty(idNode, `${key}.id`) : null;
    const pathNode = map.get('path');
    const path = pathNode ? this.glob(pathNode, `${key}.path`) : null;
    if (!idNode && !pathNode)
      this.problem(
        node,
        key,
        'an exception needs an id or a path (to turn a rule off everywhere, use rules)',
      );
    if (rule === null || reason === null || expires === null) return null;
    const at = this.pos(node);
    return {
      rule,
      ...(id !== null ? { id } : {}),
      ...(path !== null ? { path } : {}),
      reason,
      expires,
      line: at.line,
      column: at.column,
    };
  }

  // ---- primitives ----

  private map(
    node: Node,
    key: string,
    allowed: readonly string[],
    what = 'key',
  ): Map<string, Node> | null {
    if (!isMap(node)) {
      this.problem(node, key, `expected a mapping, got ${describe(node)}`);
      return null;
    }
    const out = new Map<string, Node>();
    for (const pair of (node as YAMLMap<unknown, unknown>).items) {
      const k = isScalar(pair.key) ? String(pair.key.value) : null;
      const keyNode = pair.key as Node;
      const value = (pair.value ?? keyNode) as Node;
      if (k === null) {
        this.problem(keyNode, key, 'keys must be plain strings');
        continue;
      }
      const path = key ? `${key}.${k}` : k;
      if (out.has(k)) this.problem(keyNode, path, 'duplicate key');
      else if (!allowed.includes(k)) this.unknownName(keyNode, path, k, allowed, what);
      else out.set(k, this.deref(value));
    }
    return out;
  }

  private unknownName(
    node: Node,
    key: string,
    name: string,
    allowed: readonly string[],
    what: string,
  ): void {
    const close = allowed
      .map((a) => ({ a, d: editDistance(name.toLowerCase(), a.toLowerCase(), 3) }))
      .filter((x) => x.d <= Math.max(1, Math.floor(name.length / 4)))
      .sort((x, y) => x.d - y.d)[0];
    const hint = close
      ? `did you mean "${close.a}"?`
      : allowed.length <= 12
        ? `expected one of ${allowed.join(', ')}`
        : `see --list-rules`;
    this.problem(node, key, `unknown ${what} "${name}"; ${hint}`);
  }

  /** An alias stands for its anchor's node (aliases are capped, like everywhere we read YAML). */
  private deref(node: Node): Node {
    if (!isAlias(node) || !this.doc) return node;
    try {
      return (node.resolve(this.doc) as Node | undefined) ?? node;
    } catch {
      return node;
    }
  }

  private list<T>(node: Node, key: string, item: (n: Node, key: string) => T | null): T[] {
    if (!isSeq(node)) {
      this.problem(node, key, `expected a list, got ${describe(node)}`);
      return [];
    }
    const out: T[] = [];
    node.items.forEach((n, i) => {
      const value = item(this.deref(n as Node), `${key}[${i}]`);
      if (value !== null) out.push(value);
    });
    return out;
  }

  private required<T>(
    map: Map<string, Node>,
    parent: Node,
    key: string,
    name: string,
    read: (n: Node, key: string) => T | null,
  ): T | null {
    const n = map.get(name);
    if (!n) {
      this.problem(parent, `${key}.${name}`, 'missing required key');
      return null;
    }
    return read(n, `${key}.${name}`);
  }

  private scalar(node: Node): unknown {
    return isScalar(node) ? node.value : undefined;
  }

  private string(node: Node, key: string): string | null {
    const v = this.scalar(node);
    if (typeof v === 'string') return v;
    this.problem(node, key, `expected a string, got ${describe(node)}`);
    return null;
  }

  private nonEmpty(node: Node, key: string): string | null {
    const s = this.string(node, key);
    if (s === null) return null;
    if (s.trim() === '') {
      this.problem(node, key, 'must not be empty');
      return null;
    }
    return s.trim();
  }

  private boolean(node: Node, key: string): boolean | null {
    const v = this.scalar(node);
    if (typeof v === 'boolean') return v;
    this.problem(node, key, `expected true or false, got ${describe(node)}`);
    return null;
  }

  private severity(node: Node, key: string): Severity | null {
    const s = this.string(node, key);
    if (s !== null && SEVERITIES.includes(s as Severity)) return s as Severity;
    if (s !== null) this.problem(node, key, `expected one of ${SEVERITIES.join(', ')}`);
    return null;
  }

  private date(node: Node, key: string): string | null {
    const v = this.scalar(node);
    // YAML 1.1 documents turn dates into timestamps; the core schema keeps them as text.
    const text = v instanceof Date ? v.toISOString().slice(0, 10) : v;
    const m = typeof text === 'string' ? DATE.exec(text) : null;
    if (m) {
      const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
      if (d.toISOString().slice(0, 10) === text) return text as string;
    }
    this.problem(node, key, `expected a date as YYYY-MM-DD, got ${describe(node)}`);
    return null;
  }

  private glob(node: Node, key: string): string | null {
    const s = this.nonEmpty(node, key);
    if (s === null) return null;
    try {
      picomatch.makeRe(s);
      return s;
    } catch (error) {
      this.problem(node, key, `invalid glob: ${(error as Error).message}`);
      return null;
    }
  }

  // ---- positions ----

  private pos(node: Node): { line: number; column: number } {
    return this.posAt(node.range?.[0] ?? 0);
  }

  private posAt(offset: number): { line: number; column: number } {
    const p = this.lines?.linePos(offset) ?? { line: 1, col: 1 };
    return { line: p.line, column: p.col };
  }

  private problem(node: Node, key: string, message: string): void {
    this.problems.push({ file: this.file, ...this.pos(node), key, message });
  }

  private problemAt(offset: number, key: string, message: string): void {
    this.problems.push({ file: this.file, ...this.posAt(offset), key, message });
  }
}

function describe(node: Node): string {
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    const v = node.value;
    if (v === null) return 'nothing';
    if (typeof v === 'string') return `"${v.length > 40 ? `${v.slice(0, 40)}…` : v}"`;
    return String(v);
  }
  return 'an alias';
}
