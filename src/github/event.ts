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

/** An `issue_comment` payload's parts the bot commands use, validated. */
export interface IssueCommentEvent {
  /** `created`, `edited` or `deleted`; only new comments are commands. */
  action: string;
  commentId: number;
  body: string;
  /** The comment's author. */
  login: string;
  /** `User` or `Bot`: bots (this Action included) are never obeyed, so replies cannot loop. */
  userType: string;
  issueNumber: number;
  /** The comment is on a pull request (the payload's `issue.pull_request` is set). */
  onPullRequest: boolean;
}

/** What the runner tells a step about the event that started the workflow. */
export interface RunEvent {
  name: string;
  repo: RepoRef | null;
  sha: string | null;
  /** `GITHUB_REF`, e.g. `refs/heads/main`; empty when unknown. */
  ref: string;
  /** `repository.default_branch` of the payload, when it has one. */
  defaultBranch: string | null;
  pullRequest: PullRequestEvent | null;
  comment: IssueCommentEvent | null;
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
    ref: env.GITHUB_REF ?? '',
    defaultBranch: str(get(payload, 'repository', 'default_branch')),
    pullRequest: PR_EVENTS.has(name) ? parsePullRequest(payload) : null,
    comment: name === 'issue_comment' ? parseIssueComment(payload) : null,
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

/** The comment of an `issue_comment` payload (webhook or event file), or null when it has none. */
export function parseIssueComment(payload: unknown): IssueCommentEvent | null {
  const commentId = get(payload, 'comment', 'id');
  const issueNumber = get(payload, 'issue', 'number');
  const body = get(payload, 'comment', 'body');
  const login = str(get(payload, 'comment', 'user', 'login'));
  if (typeof commentId !== 'number' || typeof issueNumber !== 'number' || !login) return null;
  const pr = get(payload, 'issue', 'pull_request');
  return {
    action: str(get(payload, 'action')) ?? '',
    commentId,
    body: typeof body === 'string' ? body : '',
    login,
    userType: str(get(payload, 'comment', 'user', 'type')) ?? 'User',
    issueNumber,
    onPullRequest: typeof pr === 'object' && pr !== null,
  };
}

/** A value deep in an untyped webhook payload, or undefined when the path is not there. */
export function get(value: unknown, ...keys: string[]): unknown {
  let v = value;
  for (const k of keys) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<string, unknown>)[k];
  }
  return v;
}

/** A non-empty string from a payload, else null. */
export function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}
