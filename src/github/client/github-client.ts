import type { ProbotOctokit } from 'probot';
import { registerRequestSignal } from './rate-limit-retry.ts';

/**
 * The part of Octokit the GitHub adapter uses: `request`, `graphql` and the config plugin's
 * `config.get`. Probot's installation clients satisfy it, and so does `@octokit/rest` with
 * `@probot/octokit-plugin-config` (the CLI's `--pr` mode and the GitHub Action), so both run the
 * same reading and publishing code.
 */
export type GitHubClient = Pick<
  InstanceType<typeof ProbotOctokit>,
  'request' | 'graphql' | 'config'
>;

/** Per-request ceiling, so one hung connection cannot hold a review until the job timeout. */
export const REQUEST_TIMEOUT_MS = 30_000;

/** The signal for one GitHub request: the job's signal (supersede, shutdown, job timeout) plus a per-request timeout. */
export function requestSignal(
  signal: AbortSignal | undefined,
  timeoutMs = REQUEST_TIMEOUT_MS,
): AbortSignal {
  const timeout = AbortSignal.timeout(timeoutMs);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  // A retry after a rate limit gets a fresh timeout but keeps the job's signal.
  registerRequestSignal(combined, signal, timeoutMs);
  return combined;
}

/** The HTTP status of an Octokit request error, if it has one. */
export function statusOf(error: unknown): number | undefined {
  if (
    typeof error === 'object' &&
    error !== null &&
    'status' in error &&
    typeof error.status === 'number'
  )
    return error.status;
  return undefined;
}

export { messageOf } from '../../core/error-message.ts';
