import type { ProbotOctokit } from 'probot';

/** An installation-authenticated Octokit as Probot builds it (REST methods, pagination, config plugin). */
export type GitHubClient = InstanceType<typeof ProbotOctokit>;

/** Per-request ceiling, so one hung connection cannot hold a review until the job timeout. */
export const REQUEST_TIMEOUT_MS = 30_000;

/** The signal for one GitHub request: the job's signal (supersede, shutdown, job timeout) plus a per-request timeout. */
export function requestSignal(signal: AbortSignal | undefined, timeoutMs = REQUEST_TIMEOUT_MS): AbortSignal {
  const timeout = AbortSignal.timeout(timeoutMs);
  return signal ? AbortSignal.any([signal, timeout]) : timeout;
}

/** The HTTP status of an Octokit request error, if it has one. */
export function statusOf(error: unknown): number | undefined {
  if (typeof error === 'object' && error !== null && 'status' in error && typeof error.status === 'number') return error.status;
  return undefined;
}

export { messageOf } from '../core/error-message.ts';
