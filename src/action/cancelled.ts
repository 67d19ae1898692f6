import { ShutdownError } from '../github/review/abort-reasons.ts';

/**
 * Why a review stops when the runner cancels the step (a newer push with `cancel-in-progress`, or
 * someone cancelling the run). It is a shutdown to the review job, which completes the check run as
 * `cancelled` instead of leaving it in progress.
 */
export class WorkflowCancelledError extends ShutdownError {
  constructor() {
    super();
    this.name = 'WorkflowCancelledError';
    this.message =
      'The workflow run was cancelled before the review finished; push again or re-run.';
  }
}
