import { describe, expect, it } from 'vitest';
import { parsePullRequestEvent } from '../../../src/github/payloads.ts';
import { jobKey, reviewJobFrom } from '../../../src/github/review-job.ts';
import { pullRequestExample } from '../../integration/webhook-examples.ts';
import { testOctokit } from './helpers.ts';

describe('parsePullRequestEvent', () => {
  it('accepts GitHub`s example `opened` payload and keeps the fields a review needs', () => {
    const checked = parsePullRequestEvent(pullRequestExample('opened'));
    expect(checked.ok).toBe(true);
    if (!checked.ok) return;
    const job = reviewJobFrom(checked.event, testOctokit());
    expect(job).toMatchObject({ owner: 'Codertocat', repo: 'Hello-World', pullNumber: 2, installationId: 1, draft: false, changedFiles: 1 });
    expect(job.headSha).toMatch(/^[0-9a-f]{40}$/);
    expect(jobKey(job)).toBe('codertocat/hello-world#2');
  });

  it('accepts every review action from the examples', () => {
    for (const action of ['reopened', 'synchronize', 'ready_for_review'] as const) {
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
    expect(parsePullRequestEvent({ ...pullRequestExample('opened'), action: 'closed' }).ok).toBe(false);
  });
});
