import type Anthropic from '@anthropic-ai/sdk';
import type { ModelReviewRequest } from '../core/ports.ts';
import { renderChunk } from './render-chunk.ts';
import { REPOSITORY_TOOLS } from './repository-tool-defs.ts';
import {
  REPORT_FINDINGS_TOOL,
  REPORT_FINDINGS_TOOL_NAME,
} from './report-findings-tool.ts';
import { systemBlocks } from './system-prompt.ts';

export interface RequestSettings {
  model: string;
  maxOutputTokens: number;
}

/**
 * The Messages API body for one chunk. Tools and the static system block form the cached prefix;
 * the chunk itself is the only part that changes between requests of a review.
 */
export function buildMessageParams(
  settings: RequestSettings,
  request: Omit<ModelReviewRequest, 'signal' | 'tools'>,
): Anthropic.MessageCreateParamsNonStreaming {
  return {
    model: settings.model,
    max_tokens: settings.maxOutputTokens,
    system: systemBlocks(request.instructions),
    tools: [REPORT_FINDINGS_TOOL],
    tool_choice: { type: 'tool', name: REPORT_FINDINGS_TOOL_NAME },
    messages: [{ role: 'user', content: renderChunk(request) }],
  };
}

/**
 * The body of one round of a chunk that may use the repository tools. The tools and system blocks
 * never change within a review, and the messages only grow, so a breakpoint on the newest block
 * lets each round read everything before it from the cache.
 */
export function buildToolRoundParams(
  settings: RequestSettings,
  request: Omit<ModelReviewRequest, 'signal' | 'tools'>,
  messages: Turn[],
  mustReport: boolean,
): Anthropic.MessageCreateParamsNonStreaming {
  return {
    model: settings.model,
    max_tokens: settings.maxOutputTokens,
    system: systemBlocks(request.instructions, true),
    tools: [...REPOSITORY_TOOLS, REPORT_FINDINGS_TOOL],
    // Every round ends in a tool call: more reading, or the report. At a limit, only the report.
    tool_choice: mustReport
      ? { type: 'tool', name: REPORT_FINDINGS_TOOL_NAME }
      : { type: 'any' },
    messages: withCacheBreakpoint(messages),
  };
}

/** One turn of a tool-using chunk's conversation. */
export interface Turn {
  role: 'user' | 'assistant';
  content: Anthropic.ContentBlockParam[];
}

/** A copy of the conversation with one cache breakpoint, on the last block of the last message. */
function withCacheBreakpoint(messages: Turn[]): Anthropic.MessageParam[] {
  return messages.map((message, i) => {
    if (i !== messages.length - 1) return message as Anthropic.MessageParam;
    const blocks = [...message.content];
    const last = blocks.length - 1;
    const block = blocks[last];
    if (block && (block.type === 'text' || block.type === 'tool_result'))
      blocks[last] = { ...block, cache_control: { type: 'ephemeral' } };
    return { role: message.role, content: blocks } as Anthropic.MessageParam;
  });
}
