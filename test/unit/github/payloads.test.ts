import { describe, expect, it } from 'vitest';
import {
  parseCheckRunEvent,
  parseCheckSuiteEvent,
  parseIssueCommentEvent,
  parsePullRequestEvent,
  parseReviewCommentEvent,
} from '../../../src/github/handlers/payloads.ts';
import { jobKey, triggerKey } from '../../../src/github/review/review-job.ts';
import { examplePayload } from '../../support/payloads.ts';
import { pullRequestExample } from '../../integration/webhook-examples.ts';

describe('parsePullRequestEvent', () => {
  it('accepts GitHub`s example `opened` payload and keeps the fields a review needs', () => {
    const checked = parsePullRequestEvent(pullRequestExample('opened'));
    expect(checked.ok).toBe(true);
    if (!checked.ok) return;
    expect(checked.event).toMatchObject({
      action: 'opened',
      installation: { id: 1 },
      repository: { name: 'Hello-World', owner: { login: 'Codertocat' } },
      pull_request: { number: 2 },
    });
    expect(checked.event.pull_request.head.sha).toMatch(/^[0-9a-f]{40}$/);
    expect(
      jobKey({ owner: 'Codertocat', repo: 'Hello-World', pullNumber: 2 }),
    ).toBe('codertocat/hello-world#2');
  });

  it('accepts every review action and the label actions from the examples', () => {
    for (const action of [
      'reopened',
      'synchronize',
      'ready_for_review',
      'labeled',
      'unlabeled',
    ] as const) {
      expect(parsePullRequestEvent(pullRequestExample(action)).ok).toBe(true);
    }
  });

  it('rejects a payload without an installation or with a malformed head SHA, saying where', () => {
    const payload = structuredClone(pullRequestExample('opened')) as any;
    delete payload.installation;
    payload.pull_request.head.sha = 'not-a-sha';
    const checked = parsePullRequestEvent(payload);
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.problems.join('\n')).toMatch(/installation/);
    expect(checked.problems.join('\n')).toMatch(/pull_request\.head\.sha/);
  });

  it('rejects actions that do not start a review', () => {
    expect(
      parsePullRequestEvent({
        ...pullRequestExample('opened'),
        action: 'closed',
      }).ok,
    ).toBe(false);
  });
});

describe('comment and check payloads', () => {
  it('accepts an issue comment on a pull request and rejects one on a plain issue', () => {
    const payload = examplePayload('issue_comment', 'created');
    payload.installation = { id: 5 };
    payload.issue.pull_request = {
      url: 'https://api.github.com/repos/o/r/pulls/1',
    };
    expect(parseIssueCommentEvent(payload).ok).toBe(true);
    delete payload.issue.pull_request;
    expect(parseIssueCommentEvent(payload).ok).toBe(false);
  });

  it('accepts a review comment reply with its thread', () => {
    const payload = examplePayload('pull_request_review_comment', 'created');
    payload.installation = { id: 5 };
    payload.comment.in_reply_to_id = 77;
    const checked = parseReviewCommentEvent(payload);
    expect(checked.ok).toBe(true);
    if (checked.ok) expect(checked.event.comment.in_reply_to_id).toBe(77);
  });

  it('accepts the check run and check suite re-run payloads', () => {
    for (const action of ['rerequested', 'requested_action']) {
      const payload = examplePayload('check_run', action);
      payload.installation ??= { id: 5 };
      expect(parseCheckRunEvent(payload).ok).toBe(true);
    }
    const suite = examplePayload('check_suite', 'rerequested');
    suite.installation ??= { id: 5 };
    expect(parseCheckSuiteEvent(suite).ok).toBe(true);
  });

  it('names each kind of request distinctly for the check run`s external id', () => {
    expect(triggerKey({ kind: 'push', headSha: 'a'.repeat(40) })).toBe('push');
    expect(triggerKey({ kind: 'command', commentId: 12, by: 'x' })).toBe(
      'command-12',
    );
    expect(triggerKey({ kind: 'rerun', deliveryId: 'd-1', by: 'x' })).toBe(
      'rerun-d-1',
    );
    expect(triggerKey({ kind: 'label', deliveryId: 'd-2' })).toBe('label-d-2');
  });
});
