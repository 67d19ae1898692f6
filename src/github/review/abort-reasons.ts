import type { Conclusion } from '../../core/gate.ts';
import { failedOutput } from '../../report/check-run-output.ts';
import { shortSha } from './review-job.ts';

/** Abort reason of a review replaced by a review of a newer push (or another request) for the same pull request. */
export class SupersededError extends Error {
  readonly headSha: string | undefined;
  constructor(headSha?: string) {
    super(
      headSha
        ? `Superseded by a newer push (${shortSha(headSha)})`
        : 'Superseded by a newer request for this pull request',
    );
    this.name = 'SupersededError';
    this.headSha = headSha;
  }
}

/** Abort reason of reviews still running when the server stops. */
export class ShutdownError extends Error {
  constructor() {
    super(
      'The server shut down before the review finished; push again or re-run.',
    );
    this.name = 'ShutdownError';
  }
}

export interface Ending {
  conclusion: Conclusion;
  title: string;
  summary: string;
}

/**
 * How a review that did not finish ends on its check run. Cancellations say why; an unexpected
 * internal error ends `neutral` ("Review failed") rather than `failure`: the code under review was
 * not found wanting, and a broken reviewer must not block merges, yet it must never read as `success`.
 */
export function endingFor(
  error: unknown,
  signal: AbortSignal,
  jobTimeoutMs: number,
): Ending {
  const reason: unknown = signal.aborted ? signal.reason : error;
  if (reason instanceof SupersededError || reason instanceof ShutdownError) {
    return {
      conclusion: 'cancelled',
      title: 'Review cancelled',
      summary: reason.message,
    };
  }
  if (
    reason instanceof DOMException &&
    reason.name === 'TimeoutError' &&
    signal.aborted
  ) {
    return {
      conclusion: 'timed_out',
      title: 'Review timed out',
      summary: `The review did not finish within ${formatDuration(jobTimeoutMs)}; push again or re-run.`,
    };
  }
  return {
    conclusion: 'neutral',
    ...failedOutput(error instanceof Error ? error.message : String(error)),
  };
}

function formatDuration(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0)
    return `${ms / 60_000} minute${ms === 60_000 ? '' : 's'}`;
  return `${Math.round(ms / 1000)} seconds`;
}
