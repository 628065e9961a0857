import { editDistance } from '../policy/typosquat.js';
import { code as codeSpan } from '../reporters/escape.js';
import { RULES } from '../rules.js';
import type { RuleId } from '../types.js';
import { apiFailure, type GitHubClient } from './client.js';
import type { IssueCommentEvent, RepoRef } from './event.js';

/** Comments whose line starts with this talk to the Action. */
export const COMMAND_PREFIX = '/llm-supply-chain';
/** How long an exception answered by `ignore` lasts unless the maintainer edits the date. */
export const IGNORE_DAYS = 90;

export type Command =
  | { kind: 'recheck' }
  | { kind: 'ignore'; rule: RuleId; id: string; reason: string }
  | { kind: 'help' }
  /** A command line that could not be understood; `message` says why. */
  | { kind: 'invalid'; message: string };

/**
 * The command in a comment: the first line that starts with `/llm-supply-chain` (quoted lines,
 * `> /llm-supply-chain …`, are someone quoting, not asking). Null when the comment has none.
 * Pure.
 */
export function parseCommand(body: string): Command | null {
  const line = body
    .split(/\r?\n/)
    .map((l) => l.trim())
    .find(
      (l) =>
        l === COMMAND_PREFIX ||
        l.startsWith(`${COMMAND_PREFIX} `) ||
        l.startsWith(`${COMMAND_PREFIX}\t`),
    );
  if (line === undefined) return null;
  const words = line.slice(COMMAND_PREFIX.length).trim();
  const [verb = '', ...rest] = words.split(/\s+/).filter((w) => w !== '');
  switch (verb.toLowerCase()) {
    case '':
    case 'help':
      return { kind: 'help' };
    case 'recheck':
      return rest.length === 0
        ? { kind: 'recheck' }
        : { kind: 'invalid', message: '`recheck` takes no arguments.' };
    case 'ignore':
      return parseIgnore(words.slice(verb.length).trim());
    default:
      return { kind: 'invalid', message: `Unknown command ${codeSpan(verb)}.` };
  }
}

function parseIgnore(args: string): Command {
  const m = /^(\S+)\s+(\S+)\s+([\s\S]+)$/.exec(args);
  if (!m)
    return {
      kind: 'invalid',
      message:
        '`ignore` needs a rule id, an upstream id and a reason: `ignore <rule> <id> <reason>`.',
    };
  const [, rule, id, rawReason] = m as unknown as [string, string, string, string];
  const reason = rawReason
    .trim()
    .replace(/^(["'])([\s\S]*)\1$/, '$2')
    .trim();
  if (!Object.hasOwn(RULES, rule)) {
    const close = Object.keys(RULES)
      .map((r) => ({ r, d: editDistance(rule.toLowerCase(), r, 3) }))
      .filter((x) => x.d <= 3)
      .sort((a, b) => a.d - b.d)[0];
    return {
      kind: 'invalid',
      message: `${codeSpan(rule)} is not a rule id${close ? `; did you mean ${codeSpan(close.r)}?` : '.'}`,
    };
  }
  if (reason === '') return { kind: 'invalid', message: '`ignore` needs a reason.' };
  return { kind: 'ignore', rule: rule as RuleId, id, reason };
}

/** Who may command the Action: people who could push the change themselves. */
const OBEYED = new Set(['admin', 'write']);

/**
 * The commenter's permission on the repository (`admin`, `write`, `read`, `none`). GitHub reports
 * `maintain` as `write` and `triage` as `read` in this field. Someone GitHub does not know as a
 * collaborator (404) has none.
 */
export async function permissionOf(
  client: GitHubClient,
  repo: RepoRef,
  login: string,
): Promise<string> {
  try {
    const { data } = await client.rest.repos.getCollaboratorPermissionLevel({
      ...repo,
      username: login,
    });
    return data.permission;
  } catch (error) {
    if (apiFailure(error)?.status === 404) return 'none';
    throw error;
  }
}

export interface CommandOptions {
  /** `YYYY-MM-DD` (UTC): the ignore answer's expiry is counted from it. */
  today: string;
  /** The policy file the answer names (repository-relative). */
  policyPath: string;
  dryRun: boolean;
  log: (message: string) => void;
}

export type CommandOutcome =
  /** Not a new comment, or no command in it. */
  | { kind: 'none' }
  /** A bot wrote it (this Action's own replies included): never obeyed, so replies cannot loop. */
  | { kind: 'bot' }
  /** The author lacks write access; answered politely. */
  | { kind: 'denied'; permission: string }
  /** The caller re-runs the pull request check for this pull request. */
  | { kind: 'recheck'; pullNumber: number }
  | { kind: 'answered'; command: Command['kind'] };

type Reaction = '+1' | 'eyes' | 'confused';

/**
 * Handles one `issue_comment` event: parses the command, checks the author's permission
 * (`GET /repos/{owner}/{repo}/collaborators/{username}/permission`), reacts, and answers.
 * `recheck` is left to the caller, which knows how to run the check (the Action re-runs its pull
 * request flow; the App its own). No write in a dry run.
 */
export async function handleComment(
  client: GitHubClient,
  repo: RepoRef,
  comment: IssueCommentEvent,
  options: CommandOptions,
): Promise<CommandOutcome> {
  if (comment.action !== 'created') return { kind: 'none' };
  const command = parseCommand(comment.body);
  if (!command) return { kind: 'none' };
  if (comment.userType === 'Bot' || /\[bot\]$/i.test(comment.login)) {
    options.log(`Ignoring a command from ${comment.login}: bots are not obeyed.`);
    return { kind: 'bot' };
  }
  const permission = await permissionOf(client, repo, comment.login);
  const act = new Replier(client, repo, comment, options);
  if (!OBEYED.has(permission)) {
    options.log(`Not obeying ${comment.login} (permission: ${permission}).`);
    await act.react('confused');
    await act.reply(
      `Sorry ${mention(comment.login)}, only people with write access to this repository can give \`${COMMAND_PREFIX}\` commands. A maintainer can run it for you.`,
    );
    return { kind: 'denied', permission };
  }
  switch (command.kind) {
    case 'recheck':
      if (!comment.onPullRequest) {
        await act.reply(`\`recheck\` works on pull requests; #${comment.issueNumber} is an issue.`);
        return { kind: 'answered', command: 'recheck' };
      }
      await act.react('eyes');
      return { kind: 'recheck', pullNumber: comment.issueNumber };
    case 'ignore':
      await act.react('+1');
      await act.reply(ignoreAnswer(command, comment.login, options));
      return { kind: 'answered', command: 'ignore' };
    case 'help':
      await act.reply(usage());
      return { kind: 'answered', command: 'help' };
    case 'invalid':
      await act.react('confused');
      await act.reply(`${command.message}\n\n${usage()}`);
      return { kind: 'answered', command: 'invalid' };
  }
}

class Replier {
  constructor(
    private readonly client: GitHubClient,
    private readonly repo: RepoRef,
    private readonly comment: IssueCommentEvent,
    private readonly options: CommandOptions,
  ) {}

  async react(content: Reaction): Promise<void> {
    if (this.options.dryRun)
      return this.options.log(
        `[dry-run] would have reacted ${content} to comment ${this.comment.commentId}`,
      );
    await this.client.rest.reactions.createForIssueComment({
      ...this.repo,
      comment_id: this.comment.commentId,
      content,
    });
  }

  async reply(body: string): Promise<void> {
    if (this.options.dryRun)
      return this.options.log(
        `[dry-run] would have answered on #${this.comment.issueNumber}: ${body.split('\n')[0]}`,
      );
    await this.client.rest.issues.createComment({
      ...this.repo,
      issue_number: this.comment.issueNumber,
      body,
    });
    this.options.log(`Answered on #${this.comment.issueNumber}.`);
  }
}

/** `@login` for real logins only; anything else is shown, never parsed as markup. */
function mention(login: string): string {
  return /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/.test(login) ? `@${login}` : 'there';
}

/** `YYYY-MM-DD` plus `days`, in UTC. */
export function addDays(day: string, days: number): string {
  const t = Date.parse(`${day}T00:00:00Z`);
  return new Date(t + days * 86_400_000).toISOString().slice(0, 10);
}

/** A YAML scalar that reads back as exactly `text`: plain when safe, else JSON-quoted. */
function yamlScalar(text: string): string {
  return /^[A-Za-z0-9][A-Za-z0-9._/*-]*$/.test(text) ? text : JSON.stringify(text);
}

/** The exact policy-file lines that record the exception, and where they go. */
export function ignoreAnswer(
  command: Extract<Command, { kind: 'ignore' }>,
  login: string,
  options: Pick<CommandOptions, 'today' | 'policyPath'>,
): string {
  const expires = addDays(options.today, IGNORE_DAYS);
  const yaml = [
    'ignore:',
    `  - rule: ${command.rule}`,
    `    id: ${yamlScalar(command.id)}`,
    `    reason: ${yamlScalar(command.reason)}`,
    `    expires: ${expires}`,
  ].join('\n');
  const fence = '`'.repeat(Math.max(3, ...(yaml.match(/`+/g) ?? []).map((r) => r.length + 1)));
  return [
    `${mention(login)}, to accept this risk add these lines to ${code(options.policyPath)} (if the file already has an \`ignore:\` list, add only the entry):`,
    '',
    `${fence}yaml`,
    yaml,
    fence,
    '',
    `The exception holds until ${expires} (${IGNORE_DAYS} days; change the date if you need another). From the next run on, matching findings stay in the reports marked suppressed, with this reason, and no longer count towards \`fail-on\`. Once it expires, \`exception-expired\` points at the entry.`,
  ].join('\n');
}

function code(text: string): string {
  return `\`${text.replace(/`/g, '')}\``;
}

function usage(): string {
  return [
    'Commands (people with write access only):',
    '',
    `- \`${COMMAND_PREFIX} recheck\`: on a pull request, runs the supply chain check again (upstreams may have changed).`,
    `- \`${COMMAND_PREFIX} ignore <rule> <id> <reason>\`: answers with the policy-file lines that accept a finding for ${IGNORE_DAYS} days, e.g. \`${COMMAND_PREFIX} ignore revision-drift org/model waiting for the vendor's release notes\`.`,
  ].join('\n');
}
