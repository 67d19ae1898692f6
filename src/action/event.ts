import { z } from 'zod';
import type { CommandSource } from '../github/commands/command-source.ts';
import {
  parseCommand,
  type Command,
} from '../github/commands/parse-command.ts';
import { LABEL_ACTIONS, REVIEW_ACTIONS } from '../github/handlers/payloads.ts';
import { SKIP_LABEL } from '../github/review/trust.ts';

const Sha = z.string().regex(/^[0-9a-f]{40}$/i);
const Repository = z.object({
  name: z.string().min(1),
  full_name: z.string().min(1),
  owner: z.object({ login: z.string().min(1) }),
});

/** The parts of `pull_request` and `pull_request_target` payloads the Action relies on. */
const PullRequestPayload = z.object({
  action: z.string(),
  repository: Repository,
  label: z.object({ name: z.string() }).nullish(),
  pull_request: z.object({
    number: z.int().positive(),
    head: z.object({
      sha: Sha,
      repo: z.object({ full_name: z.string() }).nullish(),
    }),
  }),
});

/** `issue_comment`: a comment in a pull request's conversation (issues have no `pull_request` key). */
const IssueCommentPayload = z.object({
  action: z.string(),
  repository: Repository,
  issue: z.object({
    number: z.int().positive(),
    pull_request: z.object({}).loose().nullish(),
  }),
  comment: z.object({
    id: z.int().positive(),
    body: z.string().nullish(),
    user: z.object({ login: z.string().min(1), type: z.string().optional() }),
  }),
});

/** `pull_request_review_comment`: a comment on the diff, possibly a reply in a finding's thread. */
const ReviewCommentPayload = z.object({
  action: z.string(),
  repository: Repository,
  pull_request: z.object({
    number: z.int().positive(),
    head: z.object({ repo: z.object({ full_name: z.string() }).nullish() }),
  }),
  comment: z.object({
    id: z.int().positive(),
    body: z.string().nullish(),
    user: z.object({ login: z.string().min(1), type: z.string().optional() }),
    in_reply_to_id: z.int().positive().nullish(),
  }),
});

export type EventPlan =
  | {
      kind: 'review';
      event: 'pull_request' | 'pull_request_target';
      owner: string;
      repo: string;
      pullNumber: number;
      headSha: string;
      /** A label change re-decides the head's check (the skip label), like the app. */
      labelChange: boolean;
      /** The head branch lives in another repository. */
      fromFork: boolean;
    }
  | { kind: 'command'; source: CommandSource; command: Command }
  | { kind: 'ignore'; reason: string };

/** What the triggering event asks for; anything the Action does not handle is ignored with a reason. */
export function planEvent(name: string, payload: unknown): EventPlan {
  if (name === 'pull_request' || name === 'pull_request_target') {
    const parsed = PullRequestPayload.safeParse(payload);
    if (!parsed.success)
      return {
        kind: 'ignore',
        reason: `the ${name} payload is not one this action understands (${issueOf(parsed.error)})`,
      };
    const { action, repository, label, pull_request: pr } = parsed.data;
    const labelChange = (LABEL_ACTIONS as readonly string[]).includes(action);
    if (!labelChange && !(REVIEW_ACTIONS as readonly string[]).includes(action))
      return {
        kind: 'ignore',
        reason: `nothing to review for ${name}.${action}`,
      };
    // Of all labels only the skip label changes what the review does.
    if (labelChange && label?.name.toLowerCase() !== SKIP_LABEL)
      return {
        kind: 'ignore',
        reason: `only the \`${SKIP_LABEL}\` label changes the review`,
      };
    return {
      kind: 'review',
      event: name,
      owner: repository.owner.login,
      repo: repository.name,
      pullNumber: pr.number,
      headSha: pr.head.sha.toLowerCase(),
      labelChange,
      fromFork:
        !pr.head.repo ||
        pr.head.repo.full_name.toLowerCase() !==
          repository.full_name.toLowerCase(),
    };
  }
  if (name === 'issue_comment') {
    const parsed = IssueCommentPayload.safeParse(payload);
    if (!parsed.success)
      return {
        kind: 'ignore',
        reason: `the issue_comment payload is not one this action understands (${issueOf(parsed.error)})`,
      };
    const { action, repository, issue, comment } = parsed.data;
    if (action !== 'created')
      return {
        kind: 'ignore',
        reason: `nothing to do for issue_comment.${action}`,
      };
    if (!issue.pull_request)
      return {
        kind: 'ignore',
        reason: 'the comment is on an issue, not a pull request',
      };
    // Bots, the reviewer itself included, are never taken as commands.
    if (comment.user.type === 'Bot' || comment.user.login.endsWith('[bot]'))
      return { kind: 'ignore', reason: 'comments by bots are not commands' };
    const command = parseCommand(comment.body ?? '');
    if (!command)
      return {
        kind: 'ignore',
        reason: 'the comment is not an /architect command',
      };
    return {
      kind: 'command',
      command,
      source: {
        owner: repository.owner.login,
        repo: repository.name,
        pullNumber: issue.number,
        commentId: comment.id,
        where: 'issue',
        author: comment.user.login,
      },
    };
  }
  if (name === 'pull_request_review_comment') {
    const parsed = ReviewCommentPayload.safeParse(payload);
    if (!parsed.success)
      return {
        kind: 'ignore',
        reason: `the pull_request_review_comment payload is not one this action understands (${issueOf(parsed.error)})`,
      };
    const { action, repository, pull_request: pr, comment } = parsed.data;
    if (action !== 'created')
      return {
        kind: 'ignore',
        reason: `nothing to do for pull_request_review_comment.${action}`,
      };
    if (comment.user.type === 'Bot' || comment.user.login.endsWith('[bot]'))
      return { kind: 'ignore', reason: 'comments by bots are not commands' };
    const command = parseCommand(comment.body ?? '');
    if (!command)
      return {
        kind: 'ignore',
        reason: 'the comment is not an /architect command',
      };
    // Like pull_request, this event gives forks a read-only token without secrets: nothing could answer.
    if (
      !pr.head.repo ||
      pr.head.repo.full_name.toLowerCase() !==
        repository.full_name.toLowerCase()
    ) {
      return {
        kind: 'ignore',
        reason:
          'commands on the diff of a fork pull request cannot be answered (its job token is read-only); comment in the conversation instead',
      };
    }
    return {
      kind: 'command',
      command,
      source: {
        owner: repository.owner.login,
        repo: repository.name,
        pullNumber: pr.number,
        commentId: comment.id,
        where: 'review',
        threadRootId: comment.in_reply_to_id ?? comment.id,
        author: comment.user.login,
      },
    };
  }
  return {
    kind: 'ignore',
    reason: `the ${name} event is not handled (use pull_request, pull_request_target, issue_comment or pull_request_review_comment)`,
  };
}

function issueOf(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue
    ? `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`
    : 'invalid';
}
