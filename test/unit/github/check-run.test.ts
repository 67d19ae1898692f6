import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { completeCheckRun, createCheckRun, MAX_OUTPUT_TEXT } from '../../../src/github/check-run.ts';
import type { CheckAnnotation } from '../../../src/report/annotations.ts';
import { API, strictNock, testOctokit } from './helpers.ts';

strictNock();

const HEAD = 'c'.repeat(40);
const CHECK = '/repos/acme/api/check-runs/99';

function annotations(n: number): CheckAnnotation[] {
  return Array.from({ length: n }, (_, i) => ({ path: 'src/a.ts', start_line: i + 1, end_line: i + 1, annotation_level: 'warning', title: 't', message: `finding ${i}` }));
}

describe('createCheckRun', () => {
  it('opens an in-progress check run named Backend Architect on the head commit', async () => {
    let body: Record<string, unknown> = {};
    nock(API)
      .post('/repos/acme/api/check-runs', (b) => ((body = b), true))
      .reply(201, { id: 99, html_url: 'https://github.com/acme/api/runs/99' });
    const ref = await createCheckRun(testOctokit(), { owner: 'acme', repo: 'api', headSha: HEAD });
    expect(ref).toEqual({ id: 99, htmlUrl: 'https://github.com/acme/api/runs/99' });
    expect(body).toMatchObject({ name: 'Backend Architect', head_sha: HEAD, external_id: HEAD, status: 'in_progress' });
  });
});

describe('completeCheckRun', () => {
  it('sends the first 50 annotations with the conclusion and appends the rest in batches of 50', async () => {
    const bodies: Array<Record<string, any>> = [];
    nock(API)
      .patch(CHECK, (b) => (bodies.push(b), true))
      .times(3)
      .reply(200, { id: 99 });
    await completeCheckRun(testOctokit(), { owner: 'acme', repo: 'api', checkRunId: 99 }, { conclusion: 'failure', title: '3 findings', summary: 'sum', text: 'details', annotations: annotations(120) });
    expect(bodies).toHaveLength(3);
    expect(bodies[0]).toMatchObject({ status: 'completed', conclusion: 'failure', output: { title: '3 findings', summary: 'sum', text: 'details' } });
    expect(bodies.map((b) => b.output.annotations.length)).toEqual([50, 50, 20]);
    expect(bodies[1]!.status).toBeUndefined();
    expect(bodies[2]!.output.annotations[19].message).toBe('finding 119');
  });

  it('makes one request without annotations and keeps output within GitHub`s limits', async () => {
    let body: Record<string, any> = {};
    nock(API)
      .patch(CHECK, (b) => ((body = b), true))
      .reply(200, { id: 99 });
    await completeCheckRun(testOctokit(), { owner: 'acme', repo: 'api', checkRunId: 99 }, { conclusion: 'neutral', title: 't'.repeat(400), summary: 's'.repeat(70_000) });
    expect(body.output.title).toHaveLength(255);
    expect(body.output.summary.length).toBe(MAX_OUTPUT_TEXT);
    expect(body.output.summary).toMatch(/truncated\)$/);
    expect(body.output.annotations).toBeUndefined();
    expect(body.output.text).toBeUndefined();
  });
});
