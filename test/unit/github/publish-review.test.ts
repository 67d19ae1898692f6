import { createHash } from 'node:crypto';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import type {
  Finding,
  Placement,
  Severity,
} from '../../../src/core/finding.ts';
import type { ReviewResult } from '../../../src/core/review.ts';
import { emptyUsage } from '../../../src/core/usage.ts';
import { publishReview } from '../../../src/github/review/publish-review.ts';
import { readMarker } from '../../../src/github/history/markers.ts';
import { ReviewMarkerSchema } from '../../../src/github/state/pull-request-record.ts';
import { TrackedFindingSchema } from '../../../src/github/history/review-state.ts';
import { API, recordingLogger, strictNock, testOctokit } from './helpers.ts';

strictNock();

const HEAD = 'd'.repeat(40);
const target = { owner: 'acme', repo: 'api', pullNumber: 7, headSha: HEAD };
const REVIEWS = '/repos/acme/api/pulls/7/reviews';

function finding(
  id: string,
  placement: Placement,
  severity: Severity = 'high',
  path = 'src/orders.ts',
): Finding {
  return {
    id,
    fingerprint: createHash('sha256').update(id).digest('hex'),
    placement,
    lens: 'failure-mode',
    severity,
    ruleId: 'failure-mode/model',
    source: 'model',
    path,
    lines:
      placement.kind === 'inline'
        ? {
            start: placement.startLine ?? placement.line,
            end: placement.line,
            side: placement.side,
          }
        : undefined,
    title: `Title ${id}`,
    body: `Body of ${id}`,
  };
}

function result(findings: Finding[]): ReviewResult {
  return {
    headSha: HEAD,
    findings,
    coverage: {
      files: [],
      notes: [],
      model: { status: 'completed', chunksTotal: 1, chunksReviewed: 1 },
      complete: true,
      unlistedFiles: 0,
    },
    usage: emptyUsage('fake-model'),
    summaries: [],
    gate: {
      conclusion: findings.length > 0 ? 'failure' : 'success',
      reason: 'test',
      blocking: [],
    },
  };
}

describe('publishReview', () => {
  it('posts nothing when there are no findings', async () => {
    const outcome = await publishReview(testOctokit(), target, result([]), {
      logger: recordingLogger(),
    });
    expect(outcome).toEqual({
      posted: false,
      folded: false,
      inlineComments: 0,
      fingerprints: [],
    });
  });

  it('posts one COMMENT review on the head commit with anchored comments and file-level findings in the body', async () => {
    let body: any;
    nock(API)
      .post(REVIEWS, (b) => ((body = b), true))
      .reply(200, { id: 1 });
    const findings = [
      finding('single', { kind: 'inline', line: 12, side: 'RIGHT' }),
      finding('range', {
        kind: 'inline',
        startLine: 20,
        line: 24,
        side: 'RIGHT',
      }),
      finding('removed', { kind: 'inline', line: 5, side: 'LEFT' }, 'medium'),
      finding(
        'whole',
        { kind: 'file', reason: 'about the file as a whole' },
        'medium',
        'db/schema.sql',
      ),
    ];
    const outcome = await publishReview(
      testOctokit(),
      target,
      result(findings),
      {
        checkRunUrl: 'https://github.com/acme/api/runs/1',
        logger: recordingLogger(),
      },
    );

    expect(outcome).toEqual({
      posted: true,
      folded: false,
      inlineComments: 3,
      fingerprints: findings.map((f) => f.fingerprint),
    });
    expect(body).toMatchObject({ event: 'COMMENT', commit_id: HEAD });
    expect(body.comments.map(({ body: _b, ...anchor }: any) => anchor)).toEqual(
      [
        { path: 'src/orders.ts', line: 12, side: 'RIGHT' },
        {
          path: 'src/orders.ts',
          line: 24,
          side: 'RIGHT',
          start_line: 20,
          start_side: 'RIGHT',
        },
        { path: 'src/orders.ts', line: 5, side: 'LEFT' },
      ],
    );
    expect(body.comments[1].body).toContain('Title range');
    expect(body.body).toContain('Title whole');
    expect(body.body).not.toContain('Title single');
    expect(body.body).toContain('https://github.com/acme/api/runs/1');
    // Each inline comment names its finding; the body names the findings it carries.
    expect(
      body.comments.map(
        (c: any) => readMarker(c.body, 'finding', TrackedFindingSchema)?.id,
      ),
    ).toEqual(['single', 'range', 'removed']);
    expect(
      readMarker(body.comments[1].body, 'finding', TrackedFindingSchema),
    ).toMatchObject({
      fp: findings[1]!.fingerprint,
      start: 20,
      end: 24,
      side: 'RIGHT',
      sev: 'high',
      lens: 'failure-mode',
    });
    expect(readMarker(body.body, 'review', ReviewMarkerSchema)).toEqual({
      head: HEAD,
      fps: [findings[3]!.fingerprint],
    });
  });

  it('leaves out findings posted meanwhile, re-checked right before posting', async () => {
    let body: any;
    nock(API)
      .post(REVIEWS, (b) => ((body = b), true))
      .reply(200, { id: 4 });
    const findings = [
      finding('old', { kind: 'inline', line: 3, side: 'RIGHT' }),
      finding('new', { kind: 'inline', line: 9, side: 'RIGHT' }),
    ];
    const outcome = await publishReview(
      testOctokit(),
      target,
      result(findings),
      {
        logger: recordingLogger(),
        alreadyPosted: async () => new Set([findings[0]!.fingerprint]),
      },
    );
    expect(outcome.fingerprints).toEqual([findings[1]!.fingerprint]);
    expect(body.comments).toHaveLength(1);
    expect(body.comments[0].body).toContain('Title new');
  });

  it('posts nothing when everything was posted meanwhile', async () => {
    const findings = [
      finding('old', { kind: 'inline', line: 3, side: 'RIGHT' }),
    ];
    const outcome = await publishReview(
      testOctokit(),
      target,
      result(findings),
      {
        logger: recordingLogger(),
        alreadyPosted: async () => new Set([findings[0]!.fingerprint]),
      },
    );
    expect(outcome.posted).toBe(false);
  });

  it('retries once with every comment folded into the body when GitHub answers 422', async () => {
    const bodies: any[] = [];
    nock(API)
      .post(REVIEWS, (b) => (bodies.push(b), true))
      .reply(422, {
        message: 'Unprocessable Entity',
        errors: ['Line could not be resolved'],
      })
      .post(REVIEWS, (b) => (bodies.push(b), true))
      .reply(200, { id: 2 });
    const logger = recordingLogger();
    const findings = [
      finding('a', { kind: 'inline', line: 3, side: 'RIGHT' }),
      finding('b', { kind: 'inline', line: 9, side: 'RIGHT' }, 'low'),
    ];
    const outcome = await publishReview(
      testOctokit(),
      target,
      result(findings),
      { logger },
    );

    expect(outcome).toEqual({
      posted: true,
      folded: true,
      inlineComments: 0,
      fingerprints: findings.map((f) => f.fingerprint),
    });
    // Folded findings are all listed in the body's marker, so none is posted again.
    expect(
      readMarker(bodies[1].body, 'review', ReviewMarkerSchema)?.fps,
    ).toEqual(findings.map((f) => f.fingerprint));
    expect(bodies).toHaveLength(2);
    expect(bodies[0].comments).toHaveLength(2);
    expect(bodies[1].comments).toEqual([]);
    expect(bodies[1].body).toContain('Title a');
    expect(bodies[1].body).toContain('Title b');
    expect(
      logger.entries.some((e) => e.level === 'warn' && /422/.test(e.msg)),
    ).toBe(true);
  });

  it('does not retry a second time, and does not retry other errors', async () => {
    nock(API)
      .post(REVIEWS)
      .reply(422, { message: 'Unprocessable' })
      .post(REVIEWS)
      .reply(422, { message: 'Still unprocessable' });
    const findings = [finding('a', { kind: 'inline', line: 3, side: 'RIGHT' })];
    await expect(
      publishReview(testOctokit(), target, result(findings), {
        logger: recordingLogger(),
      }),
    ).rejects.toMatchObject({ status: 422 });

    nock(API)
      .post(REVIEWS)
      .reply(403, { message: 'Resource not accessible by integration' });
    await expect(
      publishReview(testOctokit(), target, result(findings), {
        logger: recordingLogger(),
      }),
    ).rejects.toMatchObject({ status: 403 });
  });

  it('caps inline comments at 50, most severe first, listing the rest in the body', async () => {
    let body: any;
    nock(API)
      .post(REVIEWS, (b) => ((body = b), true))
      .reply(200, { id: 3 });
    const findings = Array.from({ length: 60 }, (_, i) =>
      finding(
        `f${String(i).padStart(2, '0')}`,
        { kind: 'inline', line: i + 1, side: 'RIGHT' },
        i < 50 ? 'high' : 'low',
      ),
    );
    const outcome = await publishReview(
      testOctokit(),
      target,
      result(findings),
      { logger: recordingLogger() },
    );
    expect(outcome.inlineComments).toBe(50);
    expect(body.comments).toHaveLength(50);
    expect(body.comments.at(-1).line).toBe(50);
    expect(body.body).toContain('Title f50');
    expect(body.body).toContain('Title f59');
  });
});
