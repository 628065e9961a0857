import { commandJob, driftJob, pullRequestJob, type QueuedJob } from './jobs.js';
import { get, str } from '../github/event.js';

/** `pull_request` actions that change what the pull request would bring in. */
export const PULL_REQUEST_ACTIONS = ['opened', 'synchronize', 'reopened', 'ready_for_review'];

/** A comment is worth a job only when some line starts with the command word. */
const COMMAND = /^\s*\/llm-supply-chain\b/m;

export interface Routed {
  jobs: QueuedJob[];
  /** Why nothing (or what) was queued, for the log and the HTTP answer. */
  note: string;
}

export interface RouteOptions {
  driftOnInstall: boolean;
}

/**
 * Turns a verified delivery into jobs. Pure: reads only the fields it needs, checks their types,
 * and ignores anything it does not expect (a payload shape GitHub changes is a skipped delivery,
 * never a crash).
 */
export function routeEvent(
  event: string,
  payload: unknown,
  delivery: string,
  options: RouteOptions,
): Routed {
  switch (event) {
    case 'ping':
      return { jobs: [], note: 'pong' };
    case 'pull_request':
      return pullRequest(payload, delivery);
    case 'issue_comment':
      return issueComment(payload, delivery);
    case 'installation':
      return installation(payload, delivery, options, 'created', 'repositories');
    case 'installation_repositories':
      return installation(payload, delivery, options, 'added', 'repositories_added');
    default:
      return { jobs: [], note: `event ${event} is not one the App acts on` };
  }
}

function pullRequest(payload: unknown, delivery: string): Routed {
  const action = str(get(payload, 'action'));
  if (!action || !PULL_REQUEST_ACTIONS.includes(action))
    return { jobs: [], note: `pull_request.${action ?? '?'} needs no check` };
  const where = target(payload);
  const number = int(get(payload, 'pull_request', 'number'));
  if (!where || number === null) return { jobs: [], note: 'pull_request payload without a target' };
  if (get(payload, 'pull_request', 'draft') === true)
    return { jobs: [], note: 'draft pull request: checked once it is ready for review' };
  return {
    jobs: [
      pullRequestJob(
        { kind: 'pull-request', ...where, number, reason: action, delivery },
        `pr-${delivery}`,
      ),
    ],
    note: `pull request #${number} queued`,
  };
}

function issueComment(payload: unknown, delivery: string): Routed {
  if (str(get(payload, 'action')) !== 'created')
    return { jobs: [], note: 'only new comments can be commands' };
  const body = str(get(payload, 'comment', 'body')) ?? '';
  if (!COMMAND.test(body)) return { jobs: [], note: 'not a command' };
  const where = target(payload);
  const number = int(get(payload, 'issue', 'number'));
  const commentId = int(get(payload, 'comment', 'id'));
  const login = str(get(payload, 'comment', 'user', 'login'));
  const userType = str(get(payload, 'comment', 'user', 'type')) ?? 'User';
  if (!where || number === null || commentId === null || !login)
    return { jobs: [], note: 'issue_comment payload without a target' };
  // Bots are never obeyed: the App's own replies quote commands and must not loop.
  if (userType === 'Bot') return { jobs: [], note: 'comments by bots are not commands' };
  const onPullRequest = typeof get(payload, 'issue', 'pull_request') === 'object';
  return {
    jobs: [
      commandJob(
        {
          kind: 'command',
          ...where,
          number,
          onPullRequest,
          commentId,
          body,
          login,
          userType,
          delivery,
        },
        `command-${delivery}`,
      ),
    ],
    note: `command on #${number} queued`,
  };
}

/** A new installation, or repositories added to one: a first drift check of each. */
function installation(
  payload: unknown,
  delivery: string,
  options: RouteOptions,
  action: string,
  listKey: string,
): Routed {
  const got = str(get(payload, 'action'));
  if (got !== action) return { jobs: [], note: `installation ${got ?? '?'}: nothing to do` };
  if (!options.driftOnInstall) return { jobs: [], note: 'drift checks on install are off' };
  const installationId = int(get(payload, 'installation', 'id'));
  const list = get(payload, listKey);
  if (installationId === null || !Array.isArray(list))
    return { jobs: [], note: 'installation payload without repositories' };
  const jobs: QueuedJob[] = [];
  list.forEach((r: unknown, i) => {
    const m = /^([^/\s]+)\/([^/\s]+)$/.exec(str(get(r, 'full_name')) ?? '');
    if (!m) return;
    jobs.push(
      driftJob(
        {
          kind: 'drift',
          installationId,
          owner: m[1] as string,
          repo: m[2] as string,
          reason: 'installation',
          delivery,
        },
        `drift-${delivery}-${i}`,
      ),
    );
  });
  return { jobs, note: `${jobs.length} repositories queued for a first drift check` };
}

function target(payload: unknown): { installationId: number; owner: string; repo: string } | null {
  const installationId = int(get(payload, 'installation', 'id'));
  const owner = str(get(payload, 'repository', 'owner', 'login'));
  const repo = str(get(payload, 'repository', 'name'));
  if (installationId === null || !owner || !repo) return null;
  return { installationId, owner, repo };
}

function int(v: unknown): number | null {
  return typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : null;
}
