import { describe, expect, it } from 'vitest';
import { parseCliArgs, UsageError } from '../../../src/cli/parse-args.ts';
import {
  apiUrlFor,
  parsePullRequestRef,
  pullRequestUrl,
} from '../../../src/cli/pr/pull-request-ref.ts';

describe('pull request references', () => {
  it('reads owner/repo#N and pull request URLs, naming the API of the URL’s host', () => {
    expect(parsePullRequestRef('acme/orders#12')).toEqual({
      owner: 'acme',
      repo: 'orders',
      pullNumber: 12,
    });
    expect(
      parsePullRequestRef('https://github.com/acme/orders.git/pull/3/files'),
    ).toEqual({
      owner: 'acme',
      repo: 'orders',
      pullNumber: 3,
      apiUrl: 'https://api.github.com',
    });
    expect(
      parsePullRequestRef('https://ghe.example.com/acme/orders/pull/7'),
    ).toEqual({
      owner: 'acme',
      repo: 'orders',
      pullNumber: 7,
      apiUrl: 'https://ghe.example.com/api/v3',
    });
    for (const bad of [
      'orders#1',
      'acme/orders#0',
      'acme/orders',
      'https://github.com/acme/orders/issues/1',
      'ftp://github.com/acme/orders/pull/1',
    ]) {
      expect(() => parsePullRequestRef(bad), bad).toThrow(UsageError);
    }
  });

  it('prefers GITHUB_API_URL, then the URL’s host, then github.com', () => {
    const ghe = parsePullRequestRef(
      'https://ghe.example.com/acme/orders/pull/7',
    );
    expect(apiUrlFor(ghe, {})).toBe('https://ghe.example.com/api/v3');
    expect(
      apiUrlFor(ghe, { GITHUB_API_URL: 'https://proxy.example.com/api/v3/' }),
    ).toBe('https://proxy.example.com/api/v3');
    expect(apiUrlFor(parsePullRequestRef('acme/orders#1'), {})).toBe(
      'https://api.github.com',
    );
    expect(
      pullRequestUrl('https://api.github.com', {
        owner: 'acme',
        repo: 'orders',
        pullNumber: 1,
      }),
    ).toBe('https://github.com/acme/orders/pull/1');
    expect(
      pullRequestUrl('https://ghe.example.com/api/v3', {
        owner: 'acme',
        repo: 'orders',
        pullNumber: 1,
      }),
    ).toBe('https://ghe.example.com/acme/orders/pull/1');
  });

  it('parses --pr, --token-env and --post, and refuses them mixed with local options', () => {
    expect(
      parseCliArgs([
        'review',
        '--pr',
        'acme/orders#1',
        '--post',
        '--token-env',
        'GH_TOKEN',
        '--format',
        'sarif',
      ]),
    ).toEqual({
      kind: 'review-pr',
      options: {
        pr: 'acme/orders#1',
        tokenEnv: 'GH_TOKEN',
        post: true,
        format: 'sarif',
        model: true,
        verbose: false,
      },
    });
    expect(parseCliArgs(['review', '--pr', 'acme/orders#1'])).toMatchObject({
      kind: 'review-pr',
      options: { tokenEnv: 'GITHUB_TOKEN', post: false },
    });
    expect(() =>
      parseCliArgs(['review', '--pr', 'acme/orders#1', '--base', 'main']),
    ).toThrow(/cannot be combined with --pr/);
    expect(() => parseCliArgs(['review', '--post'])).toThrow(
      /--post needs --pr/,
    );
    expect(() =>
      parseCliArgs([
        'review',
        '--pr',
        'acme/orders#1',
        '--token-env',
        'not a name',
      ]),
    ).toThrow(/--token-env must name an environment variable/);
  });
});
