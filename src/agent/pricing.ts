import { z } from 'zod';
import type { Usage } from '../core/usage.ts';

/** US dollars per million tokens. */
export interface ModelPrice {
  input: number;
  output: number;
}

/** Prompt-cache reads and (five-minute) cache writes are billed relative to the input price. */
export const CACHE_READ_FACTOR = 0.1;
export const CACHE_WRITE_FACTOR = 1.25;

/**
 * Checked in order; the first match wins. Older generations that cost differently come before the
 * family rules so an estimate for them is not off by a factor of three.
 */
const PRICE_TABLE: Array<{ match: RegExp; price: ModelPrice }> = [
  {
    match: /claude-3-opus|claude-opus-4(?:-[01])?(?:-\d{8})?(?!-?\d)/,
    price: { input: 15, output: 75 },
  },
  { match: /claude-3-haiku/, price: { input: 0.25, output: 1.25 } },
  { match: /claude-3-5-haiku/, price: { input: 0.8, output: 4 } },
  { match: /claude-(?:[\d.]+-)*opus/, price: { input: 5, output: 25 } },
  { match: /claude-(?:[\d.]+-)*sonnet/, price: { input: 3, output: 15 } },
  { match: /claude-(?:[\d.]+-)*haiku/, price: { input: 1, output: 5 } },
];

/**
 * The price of a model by its id, including gateway and cloud spellings such as
 * `anthropic.claude-sonnet-4-5-20250929-v1:0`. Undefined for models we have no price for.
 */
export function priceOf(model: string): ModelPrice | undefined {
  const id = model.toLowerCase();
  return PRICE_TABLE.find((entry) => entry.match.test(id))?.price;
}

export interface TokenCounts {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheCreationTokens: number;
}

/** Estimated cost in US dollars, or undefined when the model's price is unknown. */
export function estimateCostUsd(
  model: string,
  tokens: TokenCounts,
): number | undefined {
  const price = priceOf(model);
  if (!price) return undefined;
  const micros =
    tokens.inputTokens * price.input +
    tokens.outputTokens * price.output +
    tokens.cacheReadTokens * price.input * CACHE_READ_FACTOR +
    tokens.cacheCreationTokens * price.input * CACHE_WRITE_FACTOR;
  return micros / 1_000_000;
}

// Gateways and older API versions omit or null the cache counters; a missing count is zero.
const count = z.number().int().nonnegative().catch(0);
const ApiUsageSchema = z
  .object({
    input_tokens: count,
    output_tokens: count,
    cache_read_input_tokens: count,
    cache_creation_input_tokens: count,
  })
  .catch({
    input_tokens: 0,
    output_tokens: 0,
    cache_read_input_tokens: 0,
    cache_creation_input_tokens: 0,
  });

/** The usage of one model request, from the API response's `usage` object. */
export function usageFromResponse(model: string, apiUsage: unknown): Usage {
  const raw = ApiUsageSchema.parse(apiUsage);
  const tokens: TokenCounts = {
    inputTokens: raw.input_tokens,
    outputTokens: raw.output_tokens,
    cacheReadTokens: raw.cache_read_input_tokens,
    cacheCreationTokens: raw.cache_creation_input_tokens,
  };
  return {
    model,
    requests: 1,
    ...tokens,
    costUsd: estimateCostUsd(model, tokens),
  };
}
