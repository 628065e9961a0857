import type { ScanResult } from '../scan.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import { activeFindings, countBySeverity, highestSeverity } from './summary.js';

/**
 * The machine-readable report. `version` is the schema version: fields are only ever added
 * within one version.
 */
export function toJsonReport(result: ScanResult) {
  return {
    version: 1 as const,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    root: result.label,
    summary: {
      files: result.stats.filesListed,
      filesRead: result.stats.filesRead,
      references: result.references.length,
      upstreams: new Set(result.references.map((r) => `${r.ecosystem}:${r.kind}:${r.id}`)).size,
      /** Active findings; `suppressed` ones (policy exceptions) are listed but not counted. */
      findings: activeFindings(result.findings).length,
      suppressed: result.findings.length - activeFindings(result.findings).length,
      bySeverity: countBySeverity(result.findings),
      highestSeverity: highestSeverity(result.findings),
    },
    references: result.references.map((r) => ({
      kind: r.kind,
      ecosystem: r.ecosystem,
      id: r.id,
      revision: r.revision,
      pinned: r.pinned,
      file: r.file,
      line: r.line,
      column: r.column,
      via: r.via,
      extractor: r.extractor,
      ...(r.version !== undefined ? { version: r.version } : {}),
      ...(r.locked ? { locked: true } : {}),
      ...(r.dev ? { dev: true } : {}),
      ...(r.trustRemoteCode ? { trustRemoteCode: true } : {}),
    })),
    weights: result.weights.map((w) => ({
      name: w.name,
      format: w.format,
      origin: w.origin,
      file: w.file,
      line: w.line,
      ...(w.sha256 ? { sha256: w.sha256 } : {}),
      ...(w.size !== undefined ? { size: w.size } : {}),
    })),
    findings: result.findings.map((f) => ({
      rule: f.rule,
      severity: f.severity,
      message: f.message,
      file: f.file,
      line: f.line,
      column: f.column,
      id: f.id ?? null,
      ...(f.ecosystem ? { ecosystem: f.ecosystem } : {}),
      ...(f.remediation ? { remediation: f.remediation } : {}),
      ...(f.fix
        ? {
            fix: {
              description: f.fix.description,
              line: f.fix.span.line,
              column: f.fix.span.column,
              endColumn: f.fix.span.endColumn,
              replacement: f.fix.replacement,
            },
          }
        : {}),
      ...(f.links ? { links: f.links } : {}),
      ...(f.details ? { details: f.details } : {}),
      ...(f.suppressed ? { suppressed: f.suppressed } : {}),
    })),
    skipped: result.skipped,
  };
}

export function renderJson(result: ScanResult): string {
  return JSON.stringify(toJsonReport(result), null, 2) + '\n';
}
