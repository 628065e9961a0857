import type { GitHubClient } from './client.js';

/** The author of comments made with the workflow's own GITHUB_TOKEN. */
export const ACTIONS_BOT = 'github-actions[bot]';

/**
 * Whose comments are the Action's own. `GET /user` answers 403 to installation tokens (the
 * GITHUB_TOKEN and GitHub App tokens), but GraphQL `viewer` answers every kind of token with its
 * login (`github-actions[bot]`, `my-app[bot]`, or a user for a personal token). Asked at most once
 * a run, and only when a marked comment exists.
 */
export class Identity {
  private login: Promise<string> | null = null;

  constructor(
    private readonly client: GitHubClient,
    private readonly debug: (message: string) => void = () => {},
  ) {}

  /** Resolves once; a failure falls back to the GITHUB_TOKEN's bot, the common case. */
  get(): Promise<string> {
    this.login ??= this.ask().catch((error: unknown) => {
      this.debug(`GraphQL viewer query failed (${String(error)}); assuming ${ACTIONS_BOT}.`);
      return ACTIONS_BOT;
    });
    return this.login;
  }

  private async ask(): Promise<string> {
    const data = await this.client.graphql<{ viewer?: { login?: unknown } }>(
      'query { viewer { login } }',
    );
    const login = data.viewer?.login;
    if (typeof login !== 'string' || login === '') throw new Error('no viewer login');
    return login;
  }
}

/** A comment author as the REST API returns it. */
export interface Author {
  login: string;
  type?: string;
}

export function isAuthor(user: Author | null | undefined, login: string): boolean {
  return !!user && user.login.toLowerCase() === login.toLowerCase();
}
