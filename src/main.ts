import * as core from '@actions/core';
import path from 'node:path';
import { ConfigurationError } from './errors.js';
import { LocalFileSource } from './files/local.js';
import { readInputs, type Inputs } from './inputs.js';
import { createEnricher } from './registries/index.js';
import { logSafe } from './reporters/escape.js';
import { renderMarkdown } from './reporters/markdown.js';
import { countBySeverity, highestSeverity } from './reporters/summary.js';
import { atLeast } from './rules.js';
import { scan } from './scan.js';

/** The Action: the only place that calls core.setFailed. */
export async function run(): Promise<void> {
  try {
    const inputs = readInputs();
    await runScan(inputs);
  } catch (error) {
    if (error instanceof ConfigurationError) core.setFailed(error.message);
    else
      core.setFailed(
        `internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
  }
}

async function runScan(inputs: Inputs): Promise<void> {
  const result = await core.group('Scan', async () => {
    const enrich = inputs.offline
      ? undefined
      : createEnricher(inputs.online, { warn: (m) => core.warning(logSafe(m)) });
    const r = await scan(new LocalFileSource(inputs.path), { enrich });
    core.info(
      `${r.references.length} references in ${r.stats.filesRead} files, ${r.findings.length} findings (${r.stats.totalMs} ms)`,
    );
    return r;
  });
  for (const f of result.findings) {
    const props = {
      file: path.posix.join(inputs.pathFromWorkspace, f.file),
      startLine: f.line,
      startColumn: f.column,
      title: f.rule,
    };
    const message = logSafe(f.remediation ? `${f.message} ${f.remediation}` : f.message);
    if (f.severity === 'critical' || f.severity === 'high') core.error(message, props);
    else if (f.severity === 'medium' || f.severity === 'low') core.warning(message, props);
    else core.notice(message, props);
  }
  await core.summary.addRaw(renderMarkdown(result), true).write();
  const highest = highestSeverity(result.findings);
  core.setOutput('findings-count', String(result.findings.length));
  core.setOutput('highest-severity', highest ?? 'none');
  core.debug(JSON.stringify(countBySeverity(result.findings)));
  if (inputs.failOn !== 'none' && highest && atLeast(highest, inputs.failOn)) {
    core.setFailed(
      `${result.findings.length} findings; the most severe is ${highest} (fail-on: ${inputs.failOn}).`,
    );
  }
}
