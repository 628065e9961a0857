import { CHECKS } from '../../src/checks/index.js';
import type { Check } from '../../src/checks/types.js';
import { LocalFileSource } from '../../src/files/local.js';
import { EXTRACTORS } from '../../src/extractors/index.js';
import { createEnricher, type OnlineOptions } from '../../src/registries/index.js';
import { renderJson } from '../../src/reporters/json.js';
import { renderMarkdown } from '../../src/reporters/markdown.js';
import { renderSarif } from '../../src/reporters/sarif.js';
import { renderText } from '../../src/reporters/text.js';
import { scan } from '../../src/scan.js';
import type { Extractor } from '../../src/types.js';

/**
 * One scan in its own process, so its peak RSS is its own: `offline` (extraction only, with the
 * time spent in each extractor) or `online` (against the stand-ins, counting every request).
 * Prints one JSON object on stdout.
 */

export interface ChildRequest {
  dir: string;
  mode: 'offline' | 'online';
  endpoints?: Pick<OnlineOptions, 'hfEndpoint' | 'pypiEndpoint' | 'npmEndpoint' | 'osvEndpoint'>;
  concurrency?: number;
}

export interface ChildResult {
  stats: {
    filesListed: number;
    filesRead: number;
    bytesRead: number;
    extractMs: number;
    enrichMs: number;
    totalMs: number;
  };
  renderMs: number;
  references: number;
  hubRepos: string[];
  packages: Record<string, number>;
  findings: Record<string, number>;
  /** `id` of every finding that names an upstream, with its rule. */
  findingIds: [string, string][];
  perExtractor: Record<string, { calls: number; ms: number; bytes: number }>;
  perCheck: Record<string, number>;
  requests: { registry: string; method: string; url: string }[];
  warnings: string[];
  maxRssKb: number;
  /** RSS and live heap (MB) at the end of each stage, for what the peak is made of. */
  stages: Record<string, { rss: number; heap: number }>;
  reportChars: number;
}

async function main(): Promise<void> {
  const req = JSON.parse(process.argv[2] ?? '{}') as ChildRequest;
  const perExtractor: ChildResult['perExtractor'] = {};
  const timed = EXTRACTORS.map((e): Extractor => ({
    ...e,
    extract(input) {
      const started = performance.now();
      try {
        return e.extract(input);
      } finally {
        const s = (perExtractor[e.id] ??= { calls: 0, ms: 0, bytes: 0 });
        s.calls++;
        s.ms += performance.now() - started;
        s.bytes += input.text.length;
      }
    },
  }));
  const perCheck: ChildResult['perCheck'] = {};
  const checks = CHECKS.map((c): Check => ({
    ...c,
    run(ctx) {
      const started = performance.now();
      try {
        return c.run(ctx);
      } finally {
        perCheck[c.id] = (perCheck[c.id] ?? 0) + performance.now() - started;
      }
    },
  }));
  const requests: ChildResult['requests'] = [];
  const warnings: string[] = [];
  const enrich =
    req.mode === 'online' && req.endpoints
      ? createEnricher(
          {
            ...req.endpoints,
            concurrency: req.concurrency,
            onRequest: (registry, method, url) => requests.push({ registry, method, url }),
          },
          { warn: (m) => warnings.push(m) },
        )
      : undefined;
  const stages: ChildResult['stages'] = {};
  const stage = (name: string) => {
    const m = process.memoryUsage();
    stages[name] = { rss: Math.round(m.rss / 2 ** 20), heap: Math.round(m.heapUsed / 2 ** 20) };
  };
  const result = await scan(new LocalFileSource(req.dir), { extractors: timed, checks, enrich });
  stage('scan');
  let renderMs = 0;
  let reportChars = 0;
  if (req.mode === 'online') {
    // What the CLI and the Action write: all four reports (kept, as the Action keeps them).
    const started = performance.now();
    const reports = [renderJson(result), renderSarif(result), renderMarkdown(result)];
    reports.push(renderText(result));
    renderMs = performance.now() - started;
    stage('reports');
    reportChars = reports.reduce((n, r) => n + r.length, 0);
  }
  const findings: Record<string, number> = {};
  for (const f of result.findings) findings[f.rule] = (findings[f.rule] ?? 0) + 1;
  const packages: Record<string, number> = {};
  const seen = new Set<string>();
  for (const r of result.references) {
    const key = `${r.ecosystem}:${r.id}`;
    if (r.kind !== 'package' || seen.has(key)) continue;
    seen.add(key);
    packages[r.ecosystem] = (packages[r.ecosystem] ?? 0) + 1;
  }
  const out: ChildResult = {
    stats: result.stats,
    renderMs,
    references: result.references.length,
    hubRepos: [
      ...new Set(
        result.references
          .filter((r) => r.ecosystem === 'huggingface' && r.kind !== 'package')
          .map((r) => `${r.kind}:${r.id}`),
      ),
    ],
    packages,
    findings,
    findingIds: result.findings.filter((f) => f.id).map((f) => [f.rule, f.id as string]),
    perExtractor,
    perCheck,
    requests,
    warnings,
    maxRssKb: process.resourceUsage().maxRSS,
    stages,
    reportChars,
  };
  process.stdout.write(JSON.stringify(out));
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
