import nock from 'nock';
import { afterEach, beforeEach, expect } from 'vitest';
import { ProbotOctokit } from 'probot';
import type { GitHubClient } from '../../../src/github/client/github-client.ts';
import type { Logger } from '../../../src/core/logger.ts';

export const API = 'https://api.github.com';

/** An Octokit like the one Probot hands to handlers, token-authenticated, without retries or throttling. */
export function testOctokit(): GitHubClient {
  return new ProbotOctokit({
    auth: { token: 'test-token' },
    retry: { enabled: false },
    throttle: { enabled: false },
    log: { debug() {}, info() {}, warn() {}, error() {} },
  });
}

/** A logger that remembers what it was told, for assertions on warnings. */
export function recordingLogger(): Logger & {
  entries: Array<{ level: string; msg: string; obj: unknown }>;
} {
  const entries: Array<{ level: string; msg: string; obj: unknown }> = [];
  const at = (level: string) => (obj: object | string, msg?: string) => {
    entries.push({
      level,
      msg: typeof obj === 'string' ? obj : (msg ?? ''),
      obj,
    });
  };
  return {
    entries,
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
  };
}

/** Every request must be mocked and every mock used: unmatched requests fail, leftovers fail the test. */
export function strictNock(): void {
  beforeEach(() => {
    nock.disableNetConnect();
  });
  afterEach(() => {
    const pending = nock.pendingMocks();
    nock.cleanAll();
    nock.enableNetConnect();
    expect(pending).toEqual([]);
  });
}
