import type Anthropic from '@anthropic-ai/sdk';
import type { DraftFinding } from '../core/finding.ts';
import type { Logger } from '../core/logger.ts';
import type { ModelReviewRequest, ModelReviewResponse } from '../core/ports.ts';
import type {
  InspectedRange,
  ToolSession,
} from '../core/repository/repository-tools.ts';
import { addUsage, emptyUsage } from '../core/usage.ts';
import {
  buildToolRoundParams,
  type RequestSettings,
  type Turn,
} from './build-request.ts';
import { usageFromResponse } from './pricing.ts';
import { readFindings } from './read-findings.ts';
import { renderChunk } from './render-chunk.ts';
import { REPORT_FINDINGS_TOOL_NAME } from './report-findings-tool.ts';
import { renderToolResult } from './repository-tool-defs.ts';

/** Confidence given to a claim about code outside the diff that comes without evidence. */
export const UNSUPPORTED_CONFIDENCE = 0.5;

type CreateMessage = (
  params: Anthropic.MessageCreateParamsNonStreaming,
  signal: AbortSignal,
) => Promise<Anthropic.Message>;

const LIMIT_NOTE = `The tool limit for this review is reached. Call ${REPORT_FINDINGS_TOOL_NAME} now with what you have found.`;

/**
 * One chunk reviewed with the repository tools: rounds of tool calls until the model reports, or
 * until a limit (rounds per chunk, the review's bytes or tokens) makes it report with what it has.
 */
export async function reviewWithTools(
  create: CreateMessage,
  settings: RequestSettings,
  request: ModelReviewRequest & { tools: ToolSession },
  logger: Logger,
): Promise<ModelReviewResponse> {
  const { signal, tools, ...content } = request;
  const budget = tools.budget;
  const messages: Turn[] = [
    { role: 'user', content: [{ type: 'text', text: renderChunk(content) }] },
  ];
  let usage = emptyUsage(settings.model);
  let forced = false;
  for (let round = 0; ; round++) {
    const mustReport: boolean =
      forced || round >= budget.limits.maxRounds || budget.exhausted;
    if (mustReport && !forced && round > 0) budget.forcedReports++;
    forced = mustReport;
    const message = await create(
      buildToolRoundParams(settings, content, messages, mustReport),
      signal,
    );
    const roundUsage = usageFromResponse(settings.model, message.usage);
    usage = addUsage(usage, roundUsage);
    budget.spendTokens(
      roundUsage.inputTokens +
        roundUsage.outputTokens +
        roundUsage.cacheReadTokens +
        roundUsage.cacheCreationTokens,
    );

    const calls = message.content.filter(
      (b): b is Anthropic.ToolUseBlock => b.type === 'tool_use',
    );
    const reported = calls.some((c) => c.name === REPORT_FINDINGS_TOOL_NAME);
    if (reported || mustReport || message.stop_reason === 'max_tokens') {
      const result = readFindings(message, request.chunk, logger);
      logger.debug(
        { chunk: request.chunk.index, rounds: round, forced },
        'model reported after tool rounds',
      );
      return {
        ...result,
        findings: checkEvidence(result.findings, request, tools.inspected),
        usage,
        toolRounds: round,
        forcedReport: forced,
      };
    }
    budget.rounds++;
    messages.push({
      role: 'assistant',
      content: message.content.flatMap(toParam),
    });
    if (calls.length === 0) {
      // A text answer where a tool call was due: ask once more, for the report only.
      forced = true;
      messages.push({
        role: 'user',
        content: [
          {
            type: 'text',
            text: `Answer by calling ${REPORT_FINDINGS_TOOL_NAME}.`,
          },
        ],
      });
      continue;
    }
    const results: Anthropic.ContentBlockParam[] = [];
    for (const call of calls) {
      const result = await tools.run(call.name, call.input, signal);
      results.push({
        type: 'tool_result',
        tool_use_id: call.id,
        content: renderToolResult(result),
        ...(result.ok ? {} : { is_error: true }),
      });
    }
    if (round + 1 >= budget.limits.maxRounds || budget.exhausted) {
      results.push({ type: 'text', text: LIMIT_NOTE });
      budget.forcedReports++;
      forced = true;
    }
    messages.push({ role: 'user', content: results });
  }
}

function toParam(block: Anthropic.ContentBlock): Anthropic.ContentBlockParam[] {
  if (block.type === 'text')
    return block.text ? [{ type: 'text', text: block.text }] : [];
  if (block.type === 'tool_use')
    return [
      { type: 'tool_use', id: block.id, name: block.name, input: block.input },
    ];
  return [];
}

/**
 * Keeps only evidence the model was actually shown (the chunk's diff, or a tool result), and lowers
 * the confidence of out-of-diff claims that are left without any.
 */
export function checkEvidence(
  findings: DraftFinding[],
  request: Pick<ModelReviewRequest, 'chunk'>,
  inspected: readonly InspectedRange[],
): DraftFinding[] {
  const diffPaths = new Set(
    request.chunk.files.flatMap((f) => [
      f.path,
      ...(f.previousPath ? [f.previousPath] : []),
    ]),
  );
  const seen = (path: string, line: number) =>
    diffPaths.has(path) ||
    inspected.some((r) => r.path === path && line >= r.start && line <= r.end);
  return findings.map((finding) => {
    const evidence = (finding.evidence ?? []).filter((e) =>
      seen(e.path, e.line),
    );
    const next: DraftFinding = { ...finding };
    if (evidence.length > 0) next.evidence = evidence;
    else delete next.evidence;
    const outside = evidence.some((e) => !diffPaths.has(e.path));
    if (finding.unsupported && !outside) {
      next.unsupported = true;
      next.confidence = Math.min(
        finding.confidence ?? 1,
        UNSUPPORTED_CONFIDENCE,
      );
    } else delete next.unsupported;
    return next;
  });
}
