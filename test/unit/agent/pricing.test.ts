import { describe, expect, it } from 'vitest';
import {
  estimateCostUsd,
  priceOf,
  usageFromResponse,
} from '../../../src/agent/pricing.ts';

describe('priceOf', () => {
  it('prices current models by family, whatever the spelling', () => {
    for (const model of [
      'claude-sonnet-5-5',
      'claude-sonnet-4-5-20250929',
      'claude-3-7-sonnet-latest',
      'anthropic.claude-sonnet-4-5-20250929-v1:0',
    ]) {
      expect(priceOf(model), model).toEqual({ input: 3, output: 15 });
    }
    for (const model of ['claude-haiku-5-5', 'claude-haiku-4-5-20251001'])
      expect(priceOf(model), model).toEqual({ input: 1, output: 5 });
    for (const model of [
      'claude-opus-5-5',
      'claude-opus-4-5',
      'us.anthropic.claude-opus-4-6-v1:0',
    ])
      expect(priceOf(model), model).toEqual({ input: 5, output: 25 });
  });

  it('keeps the older, dearer or cheaper generations apart from their families', () => {
    for (const model of [
      'claude-3-opus-20240229',
      'claude-opus-4-0',
      'claude-opus-4-20250514',
      'claude-opus-4-1-20250805',
    ]) {
      expect(priceOf(model), model).toEqual({ input: 15, output: 75 });
    }
    expect(priceOf('claude-3-haiku-20240307')).toEqual({
      input: 0.25,
      output: 1.25,
    });
    expect(priceOf('claude-3-5-haiku-latest')).toEqual({
      input: 0.8,
      output: 4,
    });
  });

  it('knows nothing about other models', () => {
    expect(priceOf('claude-fable-5-2')).toBeUndefined();
    expect(priceOf('gpt-4o')).toBeUndefined();
  });
});

describe('estimateCostUsd', () => {
  it('charges cache reads at a tenth and cache writes at 1.25 times the input price', () => {
    // 1000×3 + 200×15 + 3000×0.3 + 500×3.75 = 8775 millionths of a dollar.
    expect(
      estimateCostUsd('claude-sonnet-5-5', {
        inputTokens: 1000,
        outputTokens: 200,
        cacheReadTokens: 3000,
        cacheCreationTokens: 500,
      }),
    ).toBeCloseTo(0.008775, 9);
    expect(
      estimateCostUsd('claude-haiku-5-5', {
        inputTokens: 1_000_000,
        outputTokens: 1_000_000,
        cacheReadTokens: 0,
        cacheCreationTokens: 0,
      }),
    ).toBeCloseTo(6, 9);
    expect(
      estimateCostUsd('claude-fable-5-2', {
        inputTokens: 1,
        outputTokens: 1,
        cacheReadTokens: 0,
        cacheCreationTokens: 0,
      }),
    ).toBeUndefined();
  });
});

describe('usageFromResponse', () => {
  it('records the four token counts of one request', () => {
    const usage = usageFromResponse('claude-opus-5-5', {
      input_tokens: 10,
      output_tokens: 20,
      cache_read_input_tokens: 30,
      cache_creation_input_tokens: 40,
      service_tier: 'standard',
    });
    expect(usage).toEqual({
      model: 'claude-opus-5-5',
      requests: 1,
      inputTokens: 10,
      outputTokens: 20,
      cacheReadTokens: 30,
      cacheCreationTokens: 40,
      costUsd: (10 * 5 + 20 * 25 + 30 * 0.5 + 40 * 6.25) / 1e6,
    });
  });

  it('reads missing or null counters as zero and leaves the cost of unknown models undefined', () => {
    expect(
      usageFromResponse('claude-fable-5-2', {
        input_tokens: 7,
        output_tokens: 3,
        cache_read_input_tokens: null,
      }),
    ).toEqual({
      model: 'claude-fable-5-2',
      requests: 1,
      inputTokens: 7,
      outputTokens: 3,
      cacheReadTokens: 0,
      cacheCreationTokens: 0,
      costUsd: undefined,
    });
    expect(usageFromResponse('claude-sonnet-5-5', undefined)).toMatchObject({
      requests: 1,
      inputTokens: 0,
      outputTokens: 0,
      costUsd: 0,
    });
  });
});
