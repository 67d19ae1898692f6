import type { Context } from 'probot';
import { currentDelivery } from '../../runtime/delivery-scope.ts';
import {
  react,
  unreact,
  type CommandSource,
} from '../commands/command-source.ts';
import { parseCommand, type Command } from '../commands/parse-command.ts';
import type { CommandJob } from '../commands/run-command.ts';
import type { GitHubClient } from '../client/github-client.ts';
import { parseIssueCommentEvent, parseReviewCommentEvent } from './payloads.ts';
import type { ReviewQueue } from '../queue/review-queue.ts';
import { jobKey } from '../review/review-job.ts';
import { NotAcceptingError } from '../queue/enqueue-review.ts';

export type RunCommand = (
  job: CommandJob,
  signal: AbortSignal,
) => Promise<void>;

/** `/architect …` in the pull request conversation. */
export function issueCommentHandler(
  queue: ReviewQueue,
  runCommand: RunCommand,
) {
  return async (context: Context<'issue_comment.created'>): Promise<void> => {
    const checked = parseIssueCommentEvent(context.payload);
    // Comments on issues (not pull requests) have no `pull_request` key and are not ours to answer.
    if (!checked.ok) return;
    const { comment, issue, repository, installation } = checked.event;
    const source: CommandSource = {
      owner: repository.owner.login,
      repo: repository.name,
      pullNumber: issue.number,
      commentId: comment.id,
      where: 'issue',
      author: comment.user.login,
    };
    await acceptCommand(
      context,
      queue,
      runCommand,
      source,
      comment,
      installation.id,
    );
  };
}

/** `/architect …` on the diff; `explain` only works here, as a reply in a finding's thread. */
export function reviewCommentHandler(
  queue: ReviewQueue,
  runCommand: RunCommand,
) {
  return async (
    context: Context<'pull_request_review_comment.created'>,
  ): Promise<void> => {
    const checked = parseReviewCommentEvent(context.payload);
    if (!checked.ok) {
      context.log.warn(
        { event: context.name, id: context.id, problems: checked.problems },
        'ignored a review comment payload that does not match the expected shape',
      );
      return;
    }
    const { comment, pull_request, repository, installation } = checked.event;
    const source: CommandSource = {
      owner: repository.owner.login,
      repo: repository.name,
      pullNumber: pull_request.number,
      commentId: comment.id,
      where: 'review',
      threadRootId: comment.in_reply_to_id ?? comment.id,
      author: comment.user.login,
    };
    await acceptCommand(
      context,
      queue,
      runCommand,
      source,
      comment,
      installation.id,
    );
  };
}

/**
 * Parses the comment, acknowledges a command at once with 👀 and queues it. Bots (the app itself
 * included) are never answered. The 👀 is also the lock against running a redelivered command twice.
 */
async function acceptCommand(
  context: { octokit: unknown; log: Context['log']; id: string },
  queue: ReviewQueue,
  runCommand: RunCommand,
  source: CommandSource,
  comment: { body?: string | null; user: { login: string; type?: string } },
  installationId: number,
): Promise<void> {
  if (comment.user.type === 'Bot' || comment.user.login.endsWith('[bot]'))
    return;
  const command = parseCommand(comment.body ?? '');
  if (!command) return;
  const octokit = context.octokit as GitHubClient;
  const ack = await react(octokit, source, 'eyes');
  // A delivery the runtime resumes (restart, dead worker) set the 👀 itself and did not finish.
  if (!ack.created && !currentDelivery()?.resumed) {
    context.log.info(
      { comment: source.commentId },
      'command already acknowledged; not running it again',
    );
    return;
  }
  const job: CommandJob = { source, command, installationId, octokit };
  const result = queue.enqueue({
    key: commandKey(source, command),
    label: `${jobKey(source)} /architect ${command.kind} (comment ${source.commentId})`,
    workId: `comment:${source.commentId}`,
    run: (signal) => runCommand(job, signal),
  });
  if (result === 'closed') {
    // Give the lock back so GitHub's redelivery of this failed delivery runs the command.
    await unreact(octokit, source, ack.id).catch((error: unknown) =>
      context.log.warn({ err: error }, 'could not remove the acknowledgement'),
    );
    throw new NotAcceptingError();
  }
  context.log.info(
    { pull: jobKey(source), command: command.kind, by: source.author },
    'command queued',
  );
}

/**
 * Commands that read or change the pull request's review state run in its lane, after any review
 * in progress; the read-only ones run beside it.
 */
function commandKey(source: CommandSource, command: Command): string {
  const lane = jobKey(source);
  return command.kind === 'help' ||
    command.kind === 'config' ||
    command.kind === 'invalid'
    ? `${lane}/comment-${source.commentId}`
    : lane;
}
