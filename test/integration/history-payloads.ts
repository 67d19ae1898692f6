import { createRequire } from 'node:module';
import type { FakePullRequest } from '../support/fake-github.ts';

/**
 * Webhook payloads for a pull request on the fake GitHub, built from GitHub's published examples
 * so every field the real payloads carry is there, with the pull request's own values filled in.
 */
interface ExampleGroup {
  name: string;
  examples: Array<Record<string, any>>;
}

const require = createRequire(import.meta.url);
const groups =
  require('@octokit/webhooks-examples/api.github.com/index.json') as ExampleGroup[];

export const INSTALLATION_ID = 4242;

function example(event: string, action: string): Record<string, any> {
  const group = groups.find((g) => g.name === event);
  const found =
    group?.examples.find((e) => e.action === action && e.installation) ??
    group?.examples.find((e) => e.action === action);
  if (!found) throw new Error(`no ${event}.${action} example`);
  return structuredClone(found);
}

function repository(pr: FakePullRequest, payload: Record<string, any>): void {
  payload.repository.name = pr.repo;
  payload.repository.full_name = `${pr.owner}/${pr.repo}`;
  payload.repository.owner.login = pr.owner;
  payload.installation = {
    id: INSTALLATION_ID,
    node_id: 'MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNDI0Mg==',
  };
}

export type PullRequestAction =
  | 'opened'
  | 'synchronize'
  | 'reopened'
  | 'ready_for_review'
  | 'labeled'
  | 'unlabeled';

/** A `pull_request` event for the pull request's current head. */
export function pullRequestEvent(
  action: PullRequestAction,
  pr: FakePullRequest,
  label?: string,
): Record<string, any> {
  const payload = example('pull_request', action);
  repository(pr, payload);
  payload.number = pr.number;
  Object.assign(payload.pull_request, {
    number: pr.number,
    title: pr.title ?? 'Add checkout v2',
    body: pr.body ?? '',
    draft: pr.draft ?? false,
    changed_files: pr.files.length,
  });
  payload.pull_request.head.sha = pr.headSha;
  payload.pull_request.base.sha = pr.baseSha;
  for (const side of ['head', 'base'] as const) {
    payload.pull_request[side].repo.name = pr.repo;
    payload.pull_request[side].repo.full_name =
      side === 'head'
        ? (pr.headRepo ?? `${pr.owner}/${pr.repo}`)
        : `${pr.owner}/${pr.repo}`;
    payload.pull_request[side].repo.owner.login = pr.owner;
  }
  if (action === 'synchronize') payload.after = pr.headSha;
  if (label) payload.label = { ...(payload.label ?? {}), name: label };
  return payload;
}

/** `issue_comment.created` for a comment a test added to the fake. */
export function issueCommentEvent(
  pr: FakePullRequest,
  comment: { id: number; body: string; user: { login: string; type: string } },
): Record<string, any> {
  const payload = example('issue_comment', 'created');
  repository(pr, payload);
  payload.issue.number = pr.number;
  payload.issue.pull_request = {
    url: `https://api.github.com/repos/${pr.owner}/${pr.repo}/pulls/${pr.number}`,
  };
  Object.assign(payload.comment, {
    id: comment.id,
    body: comment.body,
    user: {
      ...payload.comment.user,
      login: comment.user.login,
      type: comment.user.type,
    },
  });
  payload.sender = {
    ...payload.sender,
    login: comment.user.login,
    type: comment.user.type,
  };
  return payload;
}

/** `pull_request_review_comment.created` for a reply a test added in a review thread. */
export function reviewCommentEvent(
  pr: FakePullRequest,
  comment: {
    id: number;
    body: string;
    in_reply_to_id?: number;
    user: { login: string; type: string };
  },
): Record<string, any> {
  const payload = example('pull_request_review_comment', 'created');
  repository(pr, payload);
  payload.pull_request.number = pr.number;
  Object.assign(payload.comment, {
    id: comment.id,
    body: comment.body,
    in_reply_to_id: comment.in_reply_to_id,
    user: {
      ...payload.comment.user,
      login: comment.user.login,
      type: comment.user.type,
    },
  });
  payload.sender = {
    ...payload.sender,
    login: comment.user.login,
    type: comment.user.type,
  };
  return payload;
}

/** `check_run.rerequested` (Re-run) or `check_run.requested_action` (a button) for one of the app's runs. */
export function checkRunEvent(
  pr: FakePullRequest,
  run: { id: number; head_sha: string },
  appId: number,
  by: string,
  identifier?: string,
): Record<string, any> {
  const payload = example(
    'check_run',
    identifier ? 'requested_action' : 'rerequested',
  );
  repository(pr, payload);
  Object.assign(payload.check_run, {
    id: run.id,
    name: 'Backend Architect',
    head_sha: run.head_sha,
    app: { ...payload.check_run.app, id: appId },
    pull_requests: [
      {
        number: pr.number,
        head: { sha: pr.headSha },
        base: { sha: pr.baseSha },
      },
    ],
  });
  if (identifier) payload.requested_action = { identifier };
  payload.sender = { ...payload.sender, login: by, type: 'User' };
  return payload;
}

/** `check_suite.rerequested` ("Re-run all checks"). */
export function checkSuiteEvent(
  pr: FakePullRequest,
  appId: number,
  by: string,
  withPullRequests = true,
): Record<string, any> {
  const payload = example('check_suite', 'rerequested');
  repository(pr, payload);
  Object.assign(payload.check_suite, {
    head_sha: pr.headSha,
    app: { ...payload.check_suite.app, id: appId },
    pull_requests: withPullRequests ? [{ number: pr.number }] : [],
  });
  payload.sender = { ...payload.sender, login: by, type: 'User' };
  return payload;
}
