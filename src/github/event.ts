import { readFileSync } from 'node:fs';
import { ConfigurationError } from '../errors.js';

export interface RepoRef {
  owner: string;
  repo: string;
}

/** The parts of a pull_request / pull_request_target payload the Action uses, validated. */
export interface PullRequestEvent {
  number: number;
  headSha: string;
  baseSha: string;
  /** `owner/name` of the head repository; differs from the base for fork pull requests. */
  headRepo: string | null;
  /** GitHub's count of changed files, to know up front when the files API will stop at 3000. */
  changedFiles: number | null;
  htmlUrl: string | null;
}

/** What the runner tells a step about the event that started the workflow. */
export interface RunEvent {
  name: string;
  repo: RepoRef | null;
  sha: string | null;
  pullRequest: PullRequestEvent | null;
}

const PR_EVENTS = new Set(['pull_request', 'pull_request_target']);

/**
 * Reads `GITHUB_EVENT_NAME`, `GITHUB_REPOSITORY`, `GITHUB_SHA` and the payload at
 * `GITHUB_EVENT_PATH`. Read per run (not at import time, as @actions/github's `context` is) so
 * tests and the bundle see the same thing.
 */
export function readEvent(env: NodeJS.ProcessEnv = process.env): RunEvent {
  const name = env.GITHUB_EVENT_NAME ?? '';
  const payload = readPayload(env.GITHUB_EVENT_PATH);
  return {
    name,
    repo: parseRepo(env.GITHUB_REPOSITORY) ?? repoFromPayload(payload),
    sha: env.GITHUB_SHA || null,
    pullRequest: PR_EVENTS.has(name) ? parsePullRequest(payload) : null,
  };
}

function readPayload(file: string | undefined): unknown {
  if (!file) return {};
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return {}; // The runner always writes it; a local run may not have one.
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ConfigurationError(`GITHUB_EVENT_PATH (${file}) is not JSON.`);
  }
}

export function parseRepo(full: string | undefined | null): RepoRef | null {
  const m = /^([^/\s]+)\/([^/\s]+)$/.exec(full ?? '');
  return m ? { owner: m[1] as string, repo: m[2] as string } : null;
}

function repoFromPayload(payload: unknown): RepoRef | null {
  return parseRepo(str(get(payload, 'repository', 'full_name')));
}

function parsePullRequest(payload: unknown): PullRequestEvent | null {
  const number = get(payload, 'pull_request', 'number');
  const headSha = str(get(payload, 'pull_request', 'head', 'sha'));
  const baseSha = str(get(payload, 'pull_request', 'base', 'sha'));
  if (typeof number !== 'number' || !Number.isInteger(number) || !headSha || !baseSha) return null;
  const changed = get(payload, 'pull_request', 'changed_files');
  return {
    number,
    headSha,
    baseSha,
    headRepo: str(get(payload, 'pull_request', 'head', 'repo', 'full_name')),
    changedFiles: typeof changed === 'number' ? changed : null,
    htmlUrl: str(get(payload, 'pull_request', 'html_url')),
  };
}

function get(value: unknown, ...keys: string[]): unknown {
  let v = value;
  for (const k of keys) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<string, unknown>)[k];
  }
  return v;
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}
