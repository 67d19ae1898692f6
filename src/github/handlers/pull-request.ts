import type { Context } from 'probot';
import { parsePullRequestEvent } from './payloads.ts';
import { enqueueReview, type RunJob } from '../queue/enqueue-review.ts';
import type { ReviewQueue } from '../queue/review-queue.ts';
import { jobKey, shortSha, type ReviewJob } from '../review/review-job.ts';
import { SKIP_LABEL } from '../review/trust.ts';

/** A signed delivery the app cannot act on; the status makes the webhook answer 400 with this one-line reason. */
export class MalformedPayloadError extends Error {
  readonly status = 400;
  constructor(event: string, problems: readonly string[]) {
    super(
      `${event} payload does not match the expected shape: ${problems.slice(0, 5).join('; ').replace(/\s+/g, ' ').slice(0, 500)}`,
    );
    this.name = 'MalformedPayloadError';
  }
}

/**
 * Answers `pull_request` webhooks within milliseconds: validates the payload, queues a review of
 * the pull request and returns. A newer push replaces a queued or running review of an older one;
 * the same delivery twice is queued once.
 */
export function pullRequestHandler(queue: ReviewQueue, runJob: RunJob) {
  return async (context: Context<'pull_request'>): Promise<void> => {
    const checked = parsePullRequestEvent(context.payload);
    if (!checked.ok) {
      context.log.warn(
        { event: context.name, id: context.id, problems: checked.problems },
        'rejected a pull_request payload that does not match the expected shape',
      );
      throw new MalformedPayloadError('pull_request', checked.problems);
    }
    const event = checked.event;
    const labelChange =
      event.action === 'labeled' || event.action === 'unlabeled';
    if (labelChange && event.label?.name.toLowerCase() !== SKIP_LABEL) return;
    const headSha = event.pull_request.head.sha.toLowerCase();
    const job: ReviewJob = {
      owner: event.repository.owner.login,
      repo: event.repository.name,
      pullNumber: event.pull_request.number,
      installationId: event.installation.id,
      trigger: labelChange
        ? { kind: 'label', deliveryId: context.id }
        : { kind: 'push', headSha },
      octokit: context.octokit,
    };
    enqueueReview(queue, runJob, job, {
      label: `${jobKey(job)} @ ${shortSha(headSha)} (${event.action})`,
      workId: `delivery:${context.id}`,
      replaceable: true,
    });
    context.log.info(
      { pull: jobKey(job), head: shortSha(headSha), action: event.action },
      'review queued',
    );
  };
}
