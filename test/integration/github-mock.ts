import { generateKeyPairSync } from 'node:crypto';
import nock from 'nock';
import { ProbotOctokit } from 'probot';

export const API = 'https://api.github.com';
export const OWNER = 'Codertocat';
export const REPO = 'Hello-World';
export const REPO_PATH = `/repos/${OWNER}/${REPO}`;

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
  /** A nock body matcher that accepts any body and records it under a name and path. */
  const record =
    (method: string, path = '') =>
    (body: any): boolean => {
      calls.push({ method, path, body });
      return true;
    };
  return { calls, record };
}

/** The installation-token exchange Probot makes before the first call of an installation. */
export function mockInstallationToken(scope: nock.Scope, installationId = 1): nock.Scope {
  return scope.post(`/app/installations/${installationId}/access_tokens`).reply(201, {
    token: 'ghs_test',
    expires_at: new Date(Date.now() + 3_600_000).toISOString(),
    permissions: { checks: 'write', pull_requests: 'write', contents: 'read', issues: 'write', metadata: 'read' },
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
  return scope.get(`${REPO_PATH}/contents/.github%2Farchitect.yml`).reply(200, yaml, { 'content-type': 'application/vnd.github.raw; charset=utf-8' });
}

/**
 * Probot's Octokit without retries and throttling. The function form matters: Probot layers its own
 * throttle options over object defaults (shallowly), which would switch throttling back on and
 * space writes a second apart.
 */
export function testProbotOctokit(): typeof ProbotOctokit {
  return ProbotOctokit.defaults((options: Record<string, unknown>) => ({ ...options, retry: { enabled: false }, throttle: { enabled: false } }));
}
