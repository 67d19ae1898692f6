import Anthropic from '@anthropic-ai/sdk';
import { silentLogger, type Logger } from '../core/logger.ts';
import type {
  ModelReviewer,
  ModelReviewRequest,
  ModelReviewResponse,
  VerificationRequest,
  VerificationResponse,
} from '../core/ports.ts';
import { buildMessageParams } from './build-request.ts';
import { usageFromResponse } from './pricing.ts';
import {
  noteCacheUsage,
  PrefixWarmUp,
  prefixKey,
  WARM_UP_TIMEOUT_MS,
} from './prompt-cache.ts';
import { readFindings } from './read-findings.ts';
import { toSdkLogger } from './sdk-logger.ts';
import { checkEvidence, reviewWithTools } from './tool-loop.ts';
import { readVerdicts, verificationParams } from './verify-finding.ts';

export interface CreateReviewerOptions {
  /** Read for ANTHROPIC_API_KEY and ANTHROPIC_BASE_URL (a gateway or proxy in front of the API). */
  env: NodeJS.ProcessEnv;
  model: string;
  maxOutputTokens: number;
  /** Per attempt; the SDK retries timeouts like other transient failures. */
  timeoutMs: number;
  logger?: Logger;
  /** Retries of transient failures (429, 5xx, timeouts, connection errors) with backoff and jitter. */
  maxRetries?: number;
  /** The model of the verification pass; absent: findings are not verified. */
  verifyModel?: string;
}

export const DEFAULT_MAX_RETRIES = 2;

/**
 * The Anthropic implementation of the model port, or undefined when no API key is configured (the
 * review then reports the AI review as not configured instead of pretending it ran).
 */
export function createReviewer(
  options: CreateReviewerOptions,
): ModelReviewer | undefined {
  const apiKey = options.env.ANTHROPIC_API_KEY?.trim();
  if (!apiKey) return undefined;
  const baseURL = options.env.ANTHROPIC_BASE_URL?.trim();
  const logger = options.logger ?? silentLogger;
  // The key and a gateway URL are passed explicitly from the given environment. Without a URL there,
  // the SDK applies its own default (the process environment, then api.anthropic.com).
  // A timeout is always set, which also keeps the SDK from refusing large max_tokens without streaming.
  const client = new Anthropic({
    apiKey,
    ...(baseURL ? { baseURL } : {}),
    timeout: options.timeoutMs,
    maxRetries: options.maxRetries ?? DEFAULT_MAX_RETRIES,
    // Retries and per-request outcomes are logged by the SDK at info; the app's logger filters by level.
    logger: toSdkLogger(logger),
    logLevel: 'info',
  });
  const settings = {
    model: options.model,
    maxOutputTokens: options.maxOutputTokens,
  };
  // One reviewer serves one review: its chunks share one warm-up of the prompt cache.
  const warmUp = new PrefixWarmUp(
    (params, signal) =>
      client.messages.create(params, {
        signal,
        timeout: Math.min(options.timeoutMs, WARM_UP_TIMEOUT_MS),
        maxRetries: 0,
      }),
    logger,
  );
  /** Sends one request; the first of a chunk waits for the cache warm-up when the review fans out cold. */
  const send = async (
    params: Anthropic.MessageCreateParamsNonStreaming,
    chunkCount: number,
    signal: AbortSignal,
  ): Promise<Anthropic.Message> => {
    const key = prefixKey(baseURL ?? 'default', apiKey, {
      model: params.model,
      tools: params.tools,
      system: params.system as Anthropic.TextBlockParam[],
    });
    if (params.messages.length === 1)
      await warmUp.ready(key, params, chunkCount, signal);
    const sentAt = Date.now();
    const message = await client.messages.create(params, { signal });
    noteCacheUsage(key, message.usage, sentAt);
    return message;
  };

  const verifyModel = options.verifyModel;
  return {
    model: options.model,
    ...(verifyModel
      ? {
          async verify(
            request: VerificationRequest,
          ): Promise<VerificationResponse> {
            request.signal.throwIfAborted();
            const { signal, ...content } = request;
            const message = await client.messages.create(
              verificationParams(verifyModel, content),
              { signal },
            );
            return readVerdicts(verifyModel, message, content.items.length);
          },
        }
      : {}),
    async review(request: ModelReviewRequest): Promise<ModelReviewResponse> {
      request.signal.throwIfAborted();
      if (request.tools) {
        const tools = request.tools;
        const result = await reviewWithTools(
          (params, signal) => send(params, request.chunkCount, signal),
          settings,
          { ...request, tools },
          logger,
        );
        logger.debug(
          {
            chunk: request.chunk.index,
            findings: result.findings.length,
            rounds: result.toolRounds,
            usage: result.usage,
          },
          'model reviewed chunk with tools',
        );
        return result;
      }
      const { signal, tools: _none, ...content } = request;
      // Transport and API errors propagate: the engine marks the chunk as not reviewed.
      const message = await send(
        buildMessageParams(settings, content),
        request.chunkCount,
        signal,
      );
      const usage = usageFromResponse(options.model, message.usage);
      const result = readFindings(message, request.chunk, logger);
      logger.debug(
        {
          chunk: request.chunk.index,
          findings: result.findings.length,
          dropped: result.droppedItems,
          usage,
        },
        'model reviewed chunk',
      );
      return {
        ...result,
        findings: checkEvidence(result.findings, request, []),
        usage,
      };
    },
  };
}
