import { RULES, type RuleInfo } from '../rules.js';
import type { ScanResult } from '../scan.js';
import type { Finding, RuleId, Severity } from '../types.js';
import { TOOL_NAME, TOOL_URL, TOOL_VERSION } from '../version.js';
import { fingerprints } from './fingerprint.js';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};

/** GitHub code scanning ranks alerts by this property (0.1–10, CVSS-like bands). */
const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '0.5',
};

export interface SarifOptions {
  /**
   * Where the scanned folder sits in the repository (`ml/` in a monorepo): code scanning resolves
   * `%SRCROOT%` URIs from the checkout root.
   */
  pathPrefix?: string;
}

function repoPath(prefix: string | undefined, file: string): string {
  return prefix ? `${prefix.replace(/\/+$/, '')}/${file}` : file;
}

/**
 * SARIF 2.1.0 for github/codeql-action/upload-sarif. Rule ids are the stable public ids;
 * fingerprints hash rule + file + upstream (not the line), so an alert survives edits above it.
 */
export function toSarif(result: ScanResult, options: SarifOptions = {}) {
  const prints = fingerprints(result.findings);
  const used = [...new Set(result.findings.map((f) => f.rule))].sort();
  const ruleIndex = new Map<RuleId, number>(used.map((id, i) => [id, i]));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0' as const,
    runs: [
      {
        tool: {
          driver: {
            name: TOOL_NAME,
            version: TOOL_VERSION,
            semanticVersion: TOOL_VERSION,
            informationUri: TOOL_URL,
            rules: used.map((id) => sarifRule(RULES[id])),
          },
        },
        automationDetails: { id: `${TOOL_NAME}/` },
        columnKind: 'utf16CodeUnits' as const,
        results: result.findings.map((f, i) =>
          sarifResult(f, ruleIndex.get(f.rule) as number, prints[i] as string, options),
        ),
      },
    ],
  };
}

function sarifRule(rule: RuleInfo) {
  return {
    id: rule.id,
    name: rule.id
      .split('-')
      .map((w) => (w[0] as string).toUpperCase() + w.slice(1))
      .join(''),
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.help },
    help: {
      text: rule.help,
      markdown: `**${rule.title}**\n\n${rule.help}\n\n[Rule reference](${TOOL_URL}#rule-${rule.id})`,
    },
    helpUri: `${TOOL_URL}#rule-${rule.id}`,
    defaultConfiguration: { level: LEVEL[rule.severity] },
    properties: {
      tags: ['security', 'supply-chain', rule.online ? 'online' : 'offline'],
      precision: 'high',
      'security-severity': SECURITY_SEVERITY[rule.severity],
      problem: {
        severity: LEVEL[rule.severity] === 'note' ? 'recommendation' : LEVEL[rule.severity],
      },
    },
  };
}

function sarifResult(f: Finding, index: number, fingerprint: string, options: SarifOptions) {
  return {
    ruleId: f.rule,
    ruleIndex: index,
    level: LEVEL[f.severity],
    message: { text: f.remediation ? `${f.message} ${f.remediation}` : f.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: {
            uri: repoPath(options.pathPrefix, f.file).split('/').map(encodeURIComponent).join('/'),
            uriBaseId: '%SRCROOT%',
          },
          region: { startLine: f.line, startColumn: f.column },
        },
      },
    ],
    partialFingerprints: { 'llmSupplyChainGuard/v1': fingerprint },
    // A policy exception is an external suppression: code scanning shows the alert as dismissed.
    ...(f.suppressed
      ? {
          suppressions: [
            { kind: 'external', status: 'accepted', justification: suppression(f.suppressed) },
          ],
        }
      : {}),
    properties: {
      'security-severity': SECURITY_SEVERITY[f.severity],
      severity: f.severity,
      ...(f.id ? { upstream: f.id } : {}),
    },
  };
}

function suppression(s: NonNullable<Finding['suppressed']>): string {
  return s.expires ? `${s.reason} (until ${s.expires})` : s.reason;
}

export function renderSarif(result: ScanResult, options: SarifOptions = {}): string {
  return JSON.stringify(toSarif(result, options), null, 2) + '\n';
}
