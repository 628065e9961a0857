import { CHECKS } from './checks/index.js';
import type { Check, CheckContext, Upstreams } from './checks/types.js';
import { EXTRACTORS } from './extractors/index.js';
import { errorMessage } from './extractors/extraction.js';
import { isSkipped, type FileSource } from './files/source.js';
import { applyPolicy } from './policy/apply.js';
import type { Policy } from './policy/types.js';
import { compareSeverity } from './rules.js';
import type {
  Extraction,
  Extractor,
  Fact,
  Finding,
  ParseProblem,
  Reference,
  SkippedFile,
  WeightsFile,
} from './types.js';
import { decodeText, looksBinary } from './util/text.js';
import { weightsFormat } from './util/weights.js';

export const DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024;

/** What the registries stage sees: every reference, deduplicated, plus weights and facts. */
export interface Extracted {
  references: Reference[];
  weights: WeightsFile[];
  facts: Fact[];
  problems: ParseProblem[];
  skipped: SkippedFile[];
  paths: Set<string>;
}

export interface ScanOptions {
  maxFileBytes?: number;
  /** Only read files this accepts (the PR's changed files); every path is still listed. */
  include?: (path: string) => boolean;
  extractors?: readonly Extractor[];
  checks?: readonly Check[];
  /** The online stage: turns references into upstream facts. Absent in offline runs. */
  enrich?: (extracted: Extracted) => Promise<Upstreams>;
  /** Files read at once (I/O only; extraction is synchronous). */
  concurrency?: number;
  /** The repository's policy (src/policy/load.ts); absent: every rule at its defaults. */
  policy?: Policy;
  /** `YYYY-MM-DD` the policy's expiry dates are compared with; absent: today (UTC). */
  today?: string;
}

export interface ScanResult extends Extracted {
  label: string;
  findings: Finding[];
  upstreams: Upstreams;
  stats: {
    filesListed: number;
    filesRead: number;
    bytesRead: number;
    extractMs: number;
    enrichMs: number;
    totalMs: number;
  };
}

/** extract → (enrich) → check. The one pipeline behind the CLI, the Action and the bot. */
export async function scan(source: FileSource, options: ScanOptions = {}): Promise<ScanResult> {
  const started = performance.now();
  const extracted = await extractAll(source, options);
  const extractMs = performance.now() - started;
  const upstreams = options.enrich ? await options.enrich(extracted.result) : {};
  const enrichMs = performance.now() - started - extractMs;
  const findings = runChecks(
    { ...extracted.result, upstreams, policy: options.policy, today: options.today },
    options.checks ?? CHECKS,
  );
  return {
    ...extracted.result,
    label: source.label,
    findings,
    upstreams,
    stats: {
      filesListed: extracted.listed,
      filesRead: extracted.read,
      bytesRead: extracted.bytes,
      extractMs: Math.round(extractMs),
      enrichMs: Math.round(enrichMs),
      totalMs: Math.round(performance.now() - started),
    },
  };
}

export function runChecks(ctx: CheckContext, checks: readonly Check[]): Finding[] {
  // The policy drops, re-rates and suppresses before sorting, so the order reflects final severity.
  const findings = applyPolicy(
    checks.flatMap((check) => check.run(ctx)),
    ctx.policy,
    { today: ctx.today },
  );
  return findings.sort(
    (a, b) =>
      compareSeverity(a.severity, b.severity) ||
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      a.line - b.line ||
      a.column - b.column ||
      (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0),
  );
}

async function extractAll(source: FileSource, options: ScanOptions) {
  const extractors = options.extractors ?? EXTRACTORS;
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const acc = new Accumulator();
  const queue: { path: string; size: number; extractors: Extractor[] }[] = [];
  let listed = 0;
  for await (const entry of source.list()) {
    if (isSkipped(entry)) {
      acc.skipped.push(entry);
      continue;
    }
    listed++;
    acc.paths.add(entry.path);
    if (options.include && !options.include(entry.path)) continue;
    acc.noteCommittedWeights(entry.path, entry.size);
    const wanted = extractors.filter(
      (e) => e.match(entry.path) && (e.maxBytes ?? Infinity) >= entry.size,
    );
    if (wanted.length === 0) continue;
    if (entry.size > maxBytes) {
      acc.skipped.push({ file: entry.path, reason: 'too-large', size: entry.size });
      continue;
    }
    queue.push({ path: entry.path, size: entry.size, extractors: wanted });
  }
  let read = 0;
  let bytes = 0;
  await forEachLimited(queue, options.concurrency ?? 16, async (job) => {
    let data: Uint8Array;
    try {
      data = await source.read(job.path);
    } catch {
      acc.skipped.push({ file: job.path, reason: 'unreadable' });
      return;
    }
    read++;
    bytes += data.length;
    if (looksBinary(data)) {
      // A real weights file under a weights name is expected to be binary; anything else is noted.
      if (!weightsFormat(job.path))
        acc.skipped.push({ file: job.path, reason: 'binary', size: data.length });
      return;
    }
    const text = decodeText(data);
    for (const extractor of job.extractors) acc.add(runExtractor(extractor, job.path, text));
  });
  return { result: acc.finish(), listed, read, bytes };
}

function runExtractor(extractor: Extractor, path: string, text: string): Extraction {
  try {
    return extractor.extract({ path, text });
  } catch (error) {
    // Extractors are written not to throw; if one does, the file still shows up, as a finding.
    return {
      references: [],
      weights: [],
      facts: [],
      problems: [
        {
          file: path,
          line: 1,
          column: 1,
          message: `${extractor.id} failed: ${errorMessage(error)}`,
        },
      ],
    };
  }
}

/** Collects extractions and removes the duplicates two extractors may both report. */
class Accumulator {
  readonly paths = new Set<string>();
  readonly skipped: SkippedFile[] = [];
  private readonly refs = new Map<string, Reference>();
  private readonly weights = new Map<string, WeightsFile>();
  private readonly committed: WeightsFile[] = [];
  private readonly facts = new Map<string, Fact>();
  private readonly problems: ParseProblem[] = [];

  add(x: Extraction): void {
    for (const r of x.references) {
      const key = `${r.file}\0${r.line}\0${r.column}\0${r.kind}\0${r.ecosystem}\0${r.id}`;
      const seen = this.refs.get(key);
      if (!seen) this.refs.set(key, r);
      else if (r.trustRemoteCode) seen.trustRemoteCode = true;
    }
    for (const w of x.weights) this.weights.set(`${w.file}\0${w.line}\0${w.name}`, w);
    for (const f of x.facts) this.facts.set(`${f.file}\0${f.line}\0${f.column}\0${f.type}`, f);
    this.problems.push(...x.problems);
  }

  /** A weights file committed as-is (not an LFS pointer) is itself a declaration. */
  noteCommittedWeights(path: string, size: number): void {
    const format = weightsFormat(path);
    if (format)
      this.committed.push({
        file: path,
        line: 1,
        column: 1,
        name: path,
        format,
        origin: 'file',
        size,
      });
  }

  finish(): Extracted {
    const pointers = new Set(
      [...this.weights.values()].filter((w) => w.origin === 'lfs-pointer').map((w) => w.file),
    );
    const committed = this.committed.filter((w) => !pointers.has(w.file));
    return {
      references: [...this.refs.values()].sort(byLocation),
      weights: [...this.weights.values(), ...committed].sort(byLocation),
      facts: [...this.facts.values()].sort(byLocation),
      problems: this.problems.sort(byLocation),
      skipped: this.skipped.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0)),
      paths: this.paths,
    };
  }
}

function byLocation(a: { file: string; line: number; column: number }, b: typeof a): number {
  return (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line || a.column - b.column;
}

async function forEachLimited<T>(
  items: T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++] as T);
  });
  await Promise.all(workers);
}
