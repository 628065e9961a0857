import { handleComment } from '../github/commands.js';
import { Identity } from '../github/identity.js';
import { syncDashboard } from '../github/issues.js';
import { syncUpdatePullRequests, type UpdatePrOutcome } from '../github/update-prs.js';
import { DEFAULT_POLICY_PATH } from '../policy/types.js';
import type { LinkedPullRequest } from '../reporters/dashboard.js';
import type { AppConfig } from './config.js';
import type { CommandContext, DriftContext, Integrations } from './integrations.js';

type DriftSettings = Pick<
  AppConfig,
  | 'dashboard'
  | 'dashboardTitle'
  | 'dashboardLabel'
  | 'updatePullRequests'
  | 'maxUpdatePullRequests'
  | 'updatePackages'
>;

/**
 * The Action's drift and command functions, as the App calls them: the dashboard issue
 * (src/github/issues.ts), update pull requests (src/github/update-prs.ts, off unless the App was
 * given contents: write), and the bot commands (src/github/commands.ts), whose `recheck` queues
 * the App's own pull request check.
 */
export function defaultIntegrations(settings: DriftSettings): Integrations {
  return {
    drift: (ctx) => drift(settings, ctx),
    command,
  };
}

async function drift(settings: DriftSettings, ctx: DriftContext): Promise<void> {
  const identity = new Identity(ctx.client, ctx.log);
  const notes: string[] = [];
  let updates: UpdatePrOutcome[] = [];
  if (settings.updatePullRequests) {
    updates = await syncUpdatePullRequests(ctx.client, ctx.repo, ctx.result, {
      repoPath: (file) => file,
      packages: settings.updatePackages,
      max: settings.maxUpdatePullRequests,
      identity,
      dryRun: ctx.dryRun,
      log: ctx.log,
      repoUrl: ctx.repoUrl,
    });
    const limited = updates.filter((u) => u.action === 'limited').length;
    if (limited > 0)
      notes.push(
        `${limited} more update ${limited === 1 ? 'pull request waits' : 'pull requests wait'}: at most ${settings.maxUpdatePullRequests} are open at once.`,
      );
  }
  if (!settings.dashboard) return;
  const open = updates.filter((u) => u.number !== null && u.url !== null && u.action !== 'closed');
  const outcome = await syncDashboard(ctx.client, ctx.repo, ctx.result, {
    title: settings.dashboardTitle,
    label: settings.dashboardLabel || null,
    identity,
    dryRun: ctx.dryRun,
    log: ctx.log,
    render: {
      sha: ctx.sha,
      blobUrl: `${ctx.repoUrl}/blob/${ctx.sha}`,
      commitUrl: `${ctx.repoUrl}/commit/${ctx.sha}`,
      ...(settings.updatePullRequests
        ? {
            pullRequests: new Map<string, LinkedPullRequest>(
              open.map((u) => [u.key, { number: u.number as number, url: u.url as string }]),
            ),
          }
        : {}),
      notes,
    },
  });
  ctx.log(`Dashboard issue: ${outcome.action}${outcome.url ? ` ${outcome.url}` : ''}`);
}

async function command(ctx: CommandContext): Promise<void> {
  const c = ctx.command;
  const outcome = await handleComment(
    ctx.client,
    ctx.repo,
    {
      action: 'created',
      commentId: c.commentId,
      body: c.body,
      login: c.login,
      userType: c.userType,
      issueNumber: c.number,
      onPullRequest: c.onPullRequest,
    },
    {
      today: new Date().toISOString().slice(0, 10),
      policyPath: DEFAULT_POLICY_PATH,
      dryRun: ctx.dryRun,
      log: ctx.log,
    },
  );
  if (outcome.kind === 'recheck') await ctx.recheck(outcome.pullNumber);
}
