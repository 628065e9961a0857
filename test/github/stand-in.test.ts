import { missingPermission } from '../../src/github/client.js';
import { ACTIONS_BOT, GitHubStandIn } from './stand-in.js';

// The stand-in's checks must be able to fail, or "no violations" in other tests proves nothing.
describe('GitHub stand-in checks requests against the OpenAPI description', () => {
  let gh: GitHubStandIn;
  beforeAll(async () => {
    gh = await GitHubStandIn.start({
      owner: 'Codertocat',
      repo: 'Hello-World',
      pull: 2,
      files: [],
      tokens: { tok: { ...ACTIONS_BOT, canWrite: true } },
    });
  });
  afterAll(() => gh.close());

  const call = (method: string, path: string, body?: unknown) =>
    fetch(`${gh.url}${path}`, {
      method,
      headers: { authorization: 'token tok', 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  beforeEach(() => {
    gh.violations.length = 0;
  });

  it('flags a body of the wrong shape', async () => {
    await call('POST', '/repos/Codertocat/Hello-World/issues/2/comments', { body: 42 });
    expect(gh.violations).toEqual([
      'POST /repos/{owner}/{repo}/issues/{issue_number}/comments: body.body: expected "string", got number',
    ]);
  });

  it('flags an unknown path and an undeclared query parameter', async () => {
    await call('GET', '/repos/Codertocat/Hello-World/pulls/2/changed-files');
    await call('GET', '/repos/Codertocat/Hello-World/pulls/2/files?per_page=100&limit=5');
    expect(gh.violations).toEqual([
      "GET /repos/Codertocat/Hello-World/pulls/2/changed-files: no such operation in GitHub's OpenAPI",
      'GET /repos/{owner}/{repo}/pulls/{pull_number}/files: query parameter "limit" is not in the description',
    ]);
  });

  it('refuses GET /user to an installation token, as GitHub does', async () => {
    const res = await call('GET', '/user');
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({
      message: 'Resource not accessible by integration',
      documentation_url: 'https://docs.github.com/rest/users/users#get-the-authenticated-user',
      status: '403',
    });
  });

  it('refuses an unknown token with 401', async () => {
    const res = await fetch(`${gh.url}/user`, { headers: { authorization: 'token nope' } });
    expect(res.status).toBe(401);
  });
});

describe('missingPermission', () => {
  const failure = (header?: string) => ({
    status: 403,
    message: 'Resource not accessible by integration',
    response: {
      headers: header === undefined ? {} : { 'x-accepted-github-permissions': header },
      data: {},
    },
  });

  it("reads alternatives (;) and combinations (,) from GitHub's header", () => {
    expect(missingPermission(failure('issues=write; pull_requests=write'), 'x')).toBe(
      'issues: write or pull-requests: write',
    );
    expect(missingPermission(failure('contents=read,pull_requests=write'), 'x')).toBe(
      'contents: read and pull-requests: write',
    );
  });

  it('falls back to what the endpoint is known to need', () => {
    expect(missingPermission(failure(), 'pull-requests: write')).toBe('pull-requests: write');
    expect(missingPermission(failure(''), 'pull-requests: write')).toBe('pull-requests: write');
  });
});
