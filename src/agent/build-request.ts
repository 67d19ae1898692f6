import type Anthropic from '@anthropic-ai/sdk';
import type { ModelReviewRequest } from '../core/ports.ts';
import { renderChunk } from './render-chunk.ts';
import { REPORT_FINDINGS_TOOL, REPORT_FINDINGS_TOOL_NAME } from './report-findings-tool.ts';
import { systemBlocks } from './system-prompt.ts';

export interface RequestSettings {
  model: string;
  maxOutputTokens: number;
}

/**
 * The Messages API body for one chunk. Tools and the static system block form the cached prefix;
 * the chunk itself is the only part that changes between requests of a review.
 */
export function buildMessageParams(settings: RequestSettings, request: Omit<ModelReviewRequest, 'signal'>): Anthropic.MessageCreateParamsNonStreaming {
  return {
    model: settings.model,
    max_tokens: settings.maxOutputTokens,
    system: systemBlocks(request.instructions),
    tools: [REPORT_FINDINGS_TOOL],
    tool_choice: { type: 'tool', name: REPORT_FINDINGS_TOOL_NAME },
    messages: [{ role: 'user', content: renderChunk(request) }],
  };
}
