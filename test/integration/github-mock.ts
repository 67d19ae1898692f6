import { generateKeyPairSync } from 'node:crypto';
import type nock from 'nock';
import { ProbotOctokit } from 'probot';
import { pullRequestExample } from './webhook-examples.ts';

export const API = 'https://api.github.com';
export const OWNER = 'Codertocat';
export const REPO = 'Hello-World';
export const REPO_PATH = `/repos/${OWNER}/${REPO}`;
export const APP_ID = 1;
export const APP_SLUG = 'backend-architect';

/** Generated per run so no key is ever committed. */
export const { privateKey: TEST_PRIVATE_KEY } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});

/** What the app sent to GitHub, in order, for assertions on the sequence and the bodies. */
export interface Recorded {
  method: string;
  path: string;
  body: any;
}

export function recorder() {
  const calls: Recorded[] = [];
  /**
   * A nock reply that records the request under a name, then answers with `status` and `body`.
   * Recorded in the reply, not in a body matcher: nock runs the body matchers of every interceptor
   * with the same method, also those whose path does not match.
   */
  const reply =
    (method: string, status: number, body: unknown = {}) =>
    // nock 15 hands the reply function the fetch Request; a second parameter would make it a callback.
    async (request: Request): Promise<[number, unknown]> => {
      calls.push({
        method,
        path: new URL(request.url).pathname,
        body: parsed(await request.clone().text()),
      });
      return [status, body];
    };
  return { calls, reply };
}

function parsed(body: unknown): any {
  if (typeof body !== 'string') return body;
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}

/** The installation-token exchange Probot makes before the first call of an installation. */
export function mockInstallationToken(
  scope: nock.Scope,
  installationId = 1,
): nock.Scope {
  return scope
    .post(`/app/installations/${installationId}/access_tokens`)
    .reply(201, {
      token: 'ghs_test',
      expires_at: new Date(Date.now() + 3_600_000).toISOString(),
      permissions: {
        checks: 'write',
        pull_requests: 'write',
        contents: 'read',
        issues: 'write',
        metadata: 'read',
      },
      repository_selection: 'all',
    });
}

/** No `.github/architect.yml` in the repository nor in the owner's `.github` repository: defaults. */
export function mockNoConfig(scope: nock.Scope): nock.Scope {
  return scope
    .get(`${REPO_PATH}/contents/.github%2Farchitect.yml`)
    .reply(404, { message: 'Not Found' })
    .get(`/repos/${OWNER}/.github/contents/.github%2Farchitect.yml`)
    .reply(404, { message: 'Not Found' });
}

export function mockConfig(scope: nock.Scope, yaml: string): nock.Scope {
  return scope
    .get(`${REPO_PATH}/contents/.github%2Farchitect.yml`)
    .reply(200, yaml, {
      'content-type': 'application/vnd.github.raw; charset=utf-8',
    });
}

/**
 * Probot's Octokit without retries and throttling. The function form matters: Probot layers its own
 * throttle options over object defaults (shallowly), which would switch throttling back on and
 * space writes a second apart.
 */
export function testProbotOctokit(): typeof ProbotOctokit {
  return ProbotOctokit.defaults((options: Record<string, unknown>) => ({
    ...options,
    retry: { enabled: false },
    throttle: { enabled: false },
  }));
}

/** `GET /app`, which the app asks once (with its JWT) to learn its bot login and id. */
export function mockApp(scope: nock.Scope): nock.Scope {
  return scope
    .get('/app')
    .reply(200, { id: APP_ID, slug: APP_SLUG, name: 'Backend Architect' });
}

/** The pull request as it is now: the example payload's, edited. */
export function mockPullRequest(
  scope: nock.Scope,
  number: number,
  edit: (pr: Record<string, any>) => void = () => {},
): nock.Scope {
  const pr = pullRequestExample('opened').pull_request;
  pr.number = number;
  edit(pr);
  return scope.get(`${REPO_PATH}/pulls/${number}`).reply(200, pr);
}

/** The app's check runs on a commit. */
export function mockCheckRuns(
  scope: nock.Scope,
  sha: string,
  runs: unknown[],
): nock.Scope {
  return scope
    .get(`${REPO_PATH}/commits/${sha}/check-runs`)
    .query({ check_name: 'Backend Architect', filter: 'all', per_page: '100' })
    .reply(200, { total_count: runs.length, check_runs: runs });
}

/** A check run of this app as GitHub lists it, still working on a push. */
export function ownRun(id: number, sha: string): Record<string, unknown> {
  return {
    id,
    name: 'Backend Architect',
    status: 'in_progress',
    conclusion: null,
    external_id: `${sha}/push/working`,
    started_at: new Date().toISOString(),
    html_url: `https://github.com/${OWNER}/${REPO}/runs/${id}`,
    app: { id: APP_ID },
  };
}

/** The app's earlier comments on the pull request: none. */
export function mockRecord(scope: nock.Scope, number = 2): nock.Scope {
  return scope
    .get(`${REPO_PATH}/pulls/${number}/comments`)
    .query({ per_page: '100', page: '1' })
    .reply(200, [])
    .get(`${REPO_PATH}/pulls/${number}/reviews`)
    .query({ per_page: '100', page: '1' })
    .reply(200, [])
    .get(`${REPO_PATH}/issues/${number}/comments`)
    .query({ per_page: '100', page: '1' })
    .reply(200, []);
}
