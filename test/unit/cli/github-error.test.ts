import { describe, expect, it } from 'vitest';
import { describeGitHubError } from '../../../src/cli/pr/github-error.ts';

const context = {
  pullRequest: 'acme/orders#5',
  tokenEnv: 'GITHUB_TOKEN',
  apiUrl: 'https://api.github.com',
};

/** An error shaped like Octokit's RequestError: status, GitHub's response headers and body. */
function requestError(
  status: number,
  message: string,
  headers: Record<string, string> = {},
): Error {
  return Object.assign(new Error(`${message} - https://docs.github.com/rest`), {
    name: 'HttpError',
    status,
    response: { status, headers, data: { message } },
  });
}

describe('describeGitHubError', () => {
  it('tells a secondary rate limit from missing access', () => {
    expect(
      describeGitHubError(
        requestError(403, 'You have exceeded a secondary rate limit.', {
          'retry-after': '60',
        }),
        context,
      ),
    ).toBe('rate limited by GitHub (secondary rate limit); try again in 60 s');
    expect(
      describeGitHubError(requestError(429, 'Too many requests'), context),
    ).toBe('rate limited by GitHub (secondary rate limit); try again later');
    expect(
      describeGitHubError(
        requestError(403, 'Resource not accessible by integration'),
        context,
      ),
    ).toBe(
      'the token in GITHUB_TOKEN has no access to acme/orders#5 (403: Resource not accessible by integration)',
    );
  });

  it('names an unreachable API and keeps other failures to one line', () => {
    // As Octokit reports a refused connection: a 500 without a response, fetch's error as the cause.
    const socket = Object.assign(
      new Error('connect ECONNREFUSED 127.0.0.1:8443'),
      { code: 'ECONNREFUSED' },
    );
    const refused = Object.assign(
      new Error('connect ECONNREFUSED 127.0.0.1:8443'),
      {
        name: 'HttpError',
        status: 500,
        cause: new TypeError('fetch failed', { cause: socket }),
      },
    );
    expect(describeGitHubError(refused, context)).toBe(
      'cannot reach GitHub at https://api.github.com: connect ECONNREFUSED 127.0.0.1:8443',
    );
    expect(
      describeGitHubError(requestError(502, 'Server Error\nstack'), context),
    ).toBe('GitHub request failed (502): Server Error');
    expect(
      describeGitHubError(new Error('analyzer crashed\n    at x'), context),
    ).toBe('review failed: analyzer crashed');
  });
});
