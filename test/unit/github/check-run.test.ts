import nock from 'nock';
import { describe, expect, it } from 'vitest';
import {
  completeCheckRun,
  createCheckRun,
  findCheckRuns,
  MAX_OUTPUT_TEXT,
} from '../../../src/github/checks/check-run.ts';
import type { CheckAnnotation } from '../../../src/report/annotations.ts';
import { API, strictNock, testOctokit } from './helpers.ts';

strictNock();

const HEAD = 'c'.repeat(40);
const CHECK = '/repos/acme/api/check-runs/99';

function annotations(n: number): CheckAnnotation[] {
  return Array.from({ length: n }, (_, i) => ({
    path: 'src/a.ts',
    start_line: i + 1,
    end_line: i + 1,
    annotation_level: 'warning',
    title: 't',
    message: `finding ${i}`,
  }));
}

describe('createCheckRun', () => {
  it('opens an in-progress check run named Backend Architect on the head commit', async () => {
    let body: Record<string, unknown> = {};
    nock(API)
      .post('/repos/acme/api/check-runs', (b) => ((body = b), true))
      .reply(201, { id: 99, html_url: 'https://github.com/acme/api/runs/99' });
    const ref = await createCheckRun(testOctokit(), {
      owner: 'acme',
      repo: 'api',
      headSha: HEAD,
      externalId: `${HEAD}/push/working`,
    });
    expect(ref).toEqual({
      id: 99,
      htmlUrl: 'https://github.com/acme/api/runs/99',
    });
    expect(body).toMatchObject({
      name: 'Backend Architect',
      head_sha: HEAD,
      external_id: `${HEAD}/push/working`,
      status: 'in_progress',
    });
  });
});

describe('findCheckRuns', () => {
  it('lists the head`s runs of this app by name, newest first, ignoring same-named runs of other apps', async () => {
    nock(API)
      .get(`/repos/acme/api/commits/${HEAD}/check-runs`)
      .query({
        check_name: 'Backend Architect',
        filter: 'all',
        per_page: '100',
      })
      .reply(200, {
        total_count: 3,
        check_runs: [
          {
            id: 5,
            name: 'Backend Architect',
            status: 'completed',
            conclusion: 'failure',
            external_id: `${HEAD}/push/reviewed`,
            started_at: '2026-01-01T00:00:00Z',
            html_url: 'https://x/5',
            app: { id: 7 },
          },
          {
            id: 9,
            name: 'Backend Architect',
            status: 'in_progress',
            conclusion: null,
            external_id: null,
            started_at: null,
            html_url: null,
            app: { id: 7 },
          },
          {
            id: 11,
            name: 'Backend Architect',
            status: 'completed',
            conclusion: 'success',
            external_id: 'forged',
            app: { id: 666 },
          },
        ],
      });
    const runs = await findCheckRuns(testOctokit(), {
      owner: 'acme',
      repo: 'api',
      headSha: HEAD,
      appId: 7,
    });
    expect(runs).toEqual([
      { id: 9, status: 'in_progress' },
      {
        id: 5,
        status: 'completed',
        conclusion: 'failure',
        externalId: `${HEAD}/push/reviewed`,
        startedAt: '2026-01-01T00:00:00Z',
        htmlUrl: 'https://x/5',
      },
    ]);
  });
});

describe('completeCheckRun', () => {
  it('sends the first 50 annotations with the conclusion and appends the rest in batches of 50', async () => {
    const bodies: Array<Record<string, any>> = [];
    nock(API)
      .patch(CHECK, (b) => (bodies.push(b), true))
      .times(3)
      .reply(200, { id: 99 });
    await completeCheckRun(
      testOctokit(),
      { owner: 'acme', repo: 'api', checkRunId: 99 },
      {
        conclusion: 'failure',
        title: '3 findings',
        summary: 'sum',
        text: 'details',
        annotations: annotations(120),
      },
    );
    expect(bodies).toHaveLength(3);
    expect(bodies[0]).toMatchObject({
      status: 'completed',
      conclusion: 'failure',
      output: { title: '3 findings', summary: 'sum', text: 'details' },
    });
    expect(bodies.map((b) => b.output.annotations.length)).toEqual([
      50, 50, 20,
    ]);
    expect(bodies[1]!.status).toBeUndefined();
    expect(bodies[2]!.output.annotations[19].message).toBe('finding 119');
  });

  it('records what the run answered and offers the Re-review button', async () => {
    let body: Record<string, any> = {};
    nock(API)
      .patch(CHECK, (b) => ((body = b), true))
      .reply(200, { id: 99 });
    await completeCheckRun(
      testOctokit(),
      { owner: 'acme', repo: 'api', checkRunId: 99 },
      {
        conclusion: 'success',
        title: 't',
        summary: 's',
        externalId: `${HEAD}/push/reviewed`,
        rereview: true,
      },
    );
    expect(body.external_id).toBe(`${HEAD}/push/reviewed`);
    expect(body.actions).toEqual([
      {
        label: 'Re-review',
        description: 'Review the whole pull request again',
        identifier: 'rereview',
      },
    ]);
    expect(body.actions[0].label.length).toBeLessThanOrEqual(20);
    expect(body.actions[0].description.length).toBeLessThanOrEqual(40);
  });

  it('makes one request without annotations and keeps output within GitHub`s limits', async () => {
    let body: Record<string, any> = {};
    nock(API)
      .patch(CHECK, (b) => ((body = b), true))
      .reply(200, { id: 99 });
    await completeCheckRun(
      testOctokit(),
      { owner: 'acme', repo: 'api', checkRunId: 99 },
      {
        conclusion: 'neutral',
        title: 't'.repeat(400),
        summary: 's'.repeat(70_000),
      },
    );
    expect(body.output.title).toHaveLength(255);
    expect(body.output.summary.length).toBe(MAX_OUTPUT_TEXT);
    expect(body.output.summary).toMatch(/truncated\)$/);
    expect(body.output.annotations).toBeUndefined();
    expect(body.output.text).toBeUndefined();
  });
});
