/**
 * The units of work the server queues. Plain JSON (they travel through Redis with BullMQ): ids
 * and names only, never a token or a payload's free text beyond what the handler needs.
 */

export interface PullRequestJob {
  kind: 'pull-request';
  installationId: number;
  owner: string;
  repo: string;
  number: number;
  /** The event action (`opened`, `synchronize`…) or `recheck`. */
  reason: string;
  delivery: string | null;
}

/** A comment that looks like a bot command (`/llm-supply-chain …`) on an issue or pull request. */
export interface CommandJob {
  kind: 'command';
  installationId: number;
  owner: string;
  repo: string;
  number: number;
  onPullRequest: boolean;
  commentId: number;
  body: string;
  login: string;
  userType: string;
  delivery: string | null;
}

export interface DriftJob {
  kind: 'drift';
  installationId: number;
  owner: string;
  repo: string;
  /** `schedule`, `installation`… for the logs. */
  reason: string;
  delivery: string | null;
}

/** Lists every installation's repositories and queues one drift job each. */
export interface SweepJob {
  kind: 'drift-sweep';
  /** The scheduled minute, ISO 8601: several servers ticking at once queue one sweep. */
  at: string;
}

export type Job = PullRequestJob | CommandJob | DriftJob | SweepJob;

export interface QueuedJob {
  /** Stable id: adding a job whose id was seen is a no-op (redeliveries, concurrent sweeps). */
  id: string;
  /** Jobs with one key never run at the same time (two runs could each post "the" comment). */
  key: string;
  /** Concurrency is bounded per installation; null for app-wide jobs. */
  installationId: number | null;
  /** A waiting job with the same key is replaced rather than queued twice (in process). */
  coalesce: boolean;
  job: Job;
}

/** Job ids may not contain `:` (BullMQ's separator); stamps use a compact ISO form. */
export function stamp(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

function safe(text: string): string {
  return text.replace(/:/g, '_');
}

export function pullRequestJob(job: PullRequestJob, id: string): QueuedJob {
  return {
    id: safe(id),
    key: `pr/${job.installationId}/${job.owner}/${job.repo}#${job.number}`,
    installationId: job.installationId,
    coalesce: true,
    job,
  };
}

export function commandJob(job: CommandJob, id: string): QueuedJob {
  return {
    id: safe(id),
    key: `command/${job.installationId}/${job.owner}/${job.repo}#${job.number}`,
    installationId: job.installationId,
    coalesce: false,
    job,
  };
}

export function driftJob(job: DriftJob, id: string): QueuedJob {
  return {
    id: safe(id),
    key: `drift/${job.installationId}/${job.owner}/${job.repo}`,
    installationId: job.installationId,
    coalesce: true,
    job,
  };
}

export function sweepJob(at: Date): QueuedJob {
  return {
    id: `drift-sweep-${stamp(at)}`,
    key: 'drift-sweep',
    installationId: null,
    coalesce: true,
    job: { kind: 'drift-sweep', at: at.toISOString() },
  };
}

/** Fields every log record about a job carries. */
export function jobFields(q: QueuedJob): Record<string, string | number | null> {
  const j = q.job;
  if (j.kind === 'drift-sweep') return { job: q.id, kind: j.kind };
  return {
    job: q.id,
    kind: j.kind,
    installation: j.installationId,
    repo: `${j.owner}/${j.repo}`,
    ...('number' in j ? { number: j.number } : {}),
    delivery: j.delivery,
  };
}
