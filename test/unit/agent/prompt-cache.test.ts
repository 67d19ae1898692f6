import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createReviewer } from '../../../src/agent/create-reviewer.ts';
import {
  FRESH_MS,
  forgetCachedPrefixes,
  noteCacheUsage,
  WARM_UP_MAX_TOKENS,
} from '../../../src/agent/prompt-cache.ts';
import type { ModelReviewer } from '../../../src/core/ports.ts';
import { FakeModel, isWarmUp } from '../../support/fake-model.ts';
import {
  chunkFile,
  chunkOf,
  handlerFile,
  recordingLogger,
  reviewRequest,
  toolMessage,
} from './fixtures.ts';

function reviewerAt(
  baseUrl: string,
  logger = recordingLogger(),
): ModelReviewer {
  const created = createReviewer({
    env: { ANTHROPIC_API_KEY: 'sk-test-key', ANTHROPIC_BASE_URL: baseUrl },
    model: 'claude-sonnet-5-5',
    maxOutputTokens: 4096,
    timeoutMs: 10_000,
    maxRetries: 0,
    logger,
  });
  if (!created) throw new Error('expected a reviewer');
  return created;
}

const other = chunkFile('src/api/orders.ts', '@@ -1,1 +1,2 @@\n a\n+b');

/** Reviews `count` chunks the way the engine does, all at once. */
function reviewChunks(
  reviewer: ModelReviewer,
  count: number,
  signal = new AbortController().signal,
) {
  return Promise.all(
    Array.from({ length: count }, (_, i) =>
      reviewer.review(
        reviewRequest({
          chunk: chunkOf([i % 2 === 0 ? handlerFile : other], i),
          chunkCount: count,
          signal,
        }),
      ),
    ),
  );
}

let model: FakeModel | undefined;
beforeEach(() => {
  forgetCachedPrefixes();
  vi.stubEnv('ANTHROPIC_CUSTOM_HEADERS', '');
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await model?.close();
  model = undefined;
});

describe('prompt-cache warm-up', () => {
  it('writes the fixed prefix once before a cold review fans out, and every chunk waits for it', async () => {
    model = await new FakeModel(() => ({ findings: [] })).listen();
    model.delayMs = 200;
    model.firstTokenMs = 100;
    const results = await reviewChunks(reviewerAt(model.url), 3);
    expect(results).toHaveLength(3);

    const [warmUp, ...chunks] = model.requests;
    expect(model.warmUps).toHaveLength(1);
    expect(warmUp && isWarmUp(warmUp.body)).toBe(true);
    expect(warmUp!.body.max_tokens).toBe(WARM_UP_MAX_TOKENS);
    expect(chunks).toHaveLength(3);
    for (const chunk of chunks) {
      // Sent only after the warm-up answered, with exactly the prefix it wrote.
      expect(chunk.startedAt).toBeGreaterThanOrEqual(warmUp!.endedAt!);
      expect(chunk.body.tools).toEqual(warmUp!.body.tools);
      expect(chunk.body.system).toEqual(warmUp!.body.system);
      expect(chunk.body.tool_choice).toEqual(warmUp!.body.tool_choice);
    }
    // The warm-up carries none of the pull request.
    expect(JSON.stringify(warmUp!.body.messages)).not.toContain('users.ts');
  });

  it('sends no warm-up for a review of one chunk', async () => {
    model = await new FakeModel(() => ({ findings: [] })).listen();
    await reviewChunks(reviewerAt(model.url), 1);
    expect(model.warmUps).toHaveLength(0);
    expect(model.requests).toHaveLength(1);
  });

  it('sends no warm-up when this process saw the prefix cached in the last minutes', async () => {
    model = await new FakeModel(() => ({ findings: [] })).listen();
    await reviewChunks(reviewerAt(model.url), 1);
    // A later review, with a new reviewer as the app makes one per review.
    await reviewChunks(reviewerAt(model.url), 3);
    expect(model.warmUps).toHaveLength(0);
    expect(model.requests).toHaveLength(4);
  });

  it('warms again once the cache may have expired', async () => {
    model = await new FakeModel(() => ({ findings: [] })).listen();
    const started = Date.now();
    const clock = vi.spyOn(Date, 'now');
    clock.mockReturnValue(started);
    await reviewChunks(reviewerAt(model.url), 1);
    clock.mockReturnValue(started + FRESH_MS + 1);
    await reviewChunks(reviewerAt(model.url), 2);
    clock.mockRestore();
    expect(model.warmUps).toHaveLength(1);
  });

  it('counts the cache as fresh from when a request was sent, not from its slow answer', async () => {
    const started = Date.now();
    const clock = vi.spyOn(Date, 'now');
    clock.mockReturnValue(started);
    // The answer takes two minutes; the cache was refreshed when the request was processed.
    model = await new FakeModel(() => {
      clock.mockReturnValue(started + 120_000);
      return { findings: [] };
    }).listen();
    await reviewChunks(reviewerAt(model.url), 1);
    model.setResponder(() => ({ findings: [] }));
    clock.mockReturnValue(started + FRESH_MS + 1);
    await reviewChunks(reviewerAt(model.url), 2);
    clock.mockRestore();
    expect(model.warmUps).toHaveLength(1);
  });

  it('sends the chunks anyway when the warm-up fails, and tries it only once', async () => {
    model = await new FakeModel(() => ({ findings: [] })).listen();
    // The fake answers warm-ups itself; a failing endpoint is simulated by closing it for them.
    const logger = recordingLogger();
    const failing = nock('http://warm-up.invalid')
      .post(
        '/v1/messages',
        (body: { max_tokens: number }) => body.max_tokens <= 16,
      )
      .reply(529, {
        type: 'error',
        error: { type: 'overloaded_error', message: 'Overloaded' },
      })
      .post('/v1/messages')
      .times(2)
      .reply(200, toolMessage({ findings: [] }));
    const results = await reviewChunks(
      reviewerAt('http://warm-up.invalid', logger),
      2,
    );
    expect(results).toHaveLength(2);
    expect(failing.isDone()).toBe(true);
    expect(
      logger.entries.some((e) => e.msg === 'prompt-cache warm-up failed'),
    ).toBe(true);
    nock.cleanAll();
  });

  it('stops waiting for warm-ups on an endpoint that does not cache', async () => {
    const uncached = { ...toolMessage({ findings: [] }) };
    uncached.usage = {
      ...uncached.usage,
      cache_read_input_tokens: 0,
      cache_creation_input_tokens: 0,
    };
    const scope = nock('http://no-cache.invalid')
      .post(
        '/v1/messages',
        (body: { max_tokens: number }) => body.max_tokens <= 16,
      )
      .reply(200, { ...uncached, content: [], stop_reason: 'max_tokens' })
      .post('/v1/messages')
      .times(4)
      .reply(200, uncached);
    await reviewChunks(reviewerAt('http://no-cache.invalid'), 2);
    await reviewChunks(reviewerAt('http://no-cache.invalid'), 2);
    expect(scope.isDone()).toBe(true);
    nock.cleanAll();
  });

  it('stops a chunk waiting for the warm-up when the review is cancelled', async () => {
    model = await new FakeModel(() => ({ findings: [] })).listen();
    model.firstTokenMs = 5_000;
    const controller = new AbortController();
    const review = reviewChunks(reviewerAt(model.url), 2, controller.signal);
    setTimeout(() => controller.abort(new Error('superseded')), 100);
    await expect(review).rejects.toThrow();
    expect(model.reviewRequests).toHaveLength(0);
  });
});

describe('noteCacheUsage', () => {
  it('counts a read or a write as the prefix being cached, and neither as not', () => {
    const usage = {
      input_tokens: 10,
      output_tokens: 1,
      cache_read_input_tokens: 0,
      cache_creation_input_tokens: 0,
    } as Parameters<typeof noteCacheUsage>[1];
    expect(noteCacheUsage('k', usage, 0)).toBe(false);
    expect(
      noteCacheUsage('k', { ...usage, cache_read_input_tokens: 5 }, 0),
    ).toBe(true);
    expect(
      noteCacheUsage('k', { ...usage, cache_creation_input_tokens: 5 }, 0),
    ).toBe(true);
  });
});
