import type Anthropic from '@anthropic-ai/sdk';
import { z } from 'zod';
import { modelRuleId, type DraftFinding } from '../core/finding.ts';
import type { Logger } from '../core/logger.ts';
import type { Chunk, ChunkFile } from '../core/ports.ts';
import {
  MAX_BODY_CHARS,
  MAX_DEPLOYMENT_CHARS,
  MAX_EVIDENCE,
  MAX_SUMMARY_CHARS,
  MAX_TITLE_CHARS,
  REPORT_FINDINGS_TOOL_NAME,
  ReportedFindingSchema,
  type ReportedFinding,
} from './report-findings-tool.ts';

/** Below this the model itself doubts the problem is real; showing it would be noise. */
export const MIN_CONFIDENCE = 0.5;

export interface ReadFindingsResult {
  findings: DraftFinding[];
  summary?: string;
  deployment?: string;
  /** Items (or whole answers) that failed validation or named a file outside the chunk. */
  droppedItems: number;
}

/** The answer as a whole is checked only loosely, so that one bad finding cannot sink the others. */
const EnvelopeSchema = z.object({
  findings: z.array(z.unknown()),
  summary: z.unknown().optional(),
  deployment: z.unknown().optional(),
});

/**
 * Turns the model's `report_findings` call into draft findings, validating every item on its own:
 * one malformed item is dropped and counted. An answer that cannot be read as a whole — cut off by
 * the output limit, no call of the tool, or tool input that is not an object with a findings list
 * (a string, JSON that does not parse) — throws, because then the chunk was not reviewed and the
 * coverage report must say so.
 */
export function readFindings(
  message: Anthropic.Message,
  chunk: Chunk,
  logger: Logger,
): ReadFindingsResult {
  if (message.stop_reason === 'max_tokens') {
    throw new Error(
      'the model reached its output limit before finishing its answer; raise model.max_output_tokens',
    );
  }
  const calls = message.content.filter(
    (block): block is Anthropic.ToolUseBlock =>
      block.type === 'tool_use' && block.name === REPORT_FINDINGS_TOOL_NAME,
  );
  if (calls.length === 0) {
    throw new Error(
      `the model's answer could not be read: it did not call ${REPORT_FINDINGS_TOOL_NAME} (stop reason ${String(message.stop_reason)})`,
    );
  }

  const files = filesByPath(chunk);
  const findings: DraftFinding[] = [];
  const summaries: string[] = [];
  const deployments: string[] = [];
  let droppedItems = 0;
  let unsure = 0;
  const problems: string[] = [];

  for (const call of calls) {
    const envelope = EnvelopeSchema.safeParse(call.input);
    if (!envelope.success) {
      const got =
        typeof call.input === 'string'
          ? 'a string, not an object'
          : Array.isArray(call.input)
            ? 'a list, not an object'
            : 'an object without a findings list';
      throw new Error(
        `the model's answer could not be read: the ${REPORT_FINDINGS_TOOL_NAME} input was ${got}`,
      );
    }
    if (
      typeof envelope.data.summary === 'string' &&
      envelope.data.summary.trim()
    )
      summaries.push(envelope.data.summary.trim());
    if (
      typeof envelope.data.deployment === 'string' &&
      envelope.data.deployment.trim()
    )
      deployments.push(envelope.data.deployment.trim());
    for (const raw of envelope.data.findings) {
      const item = ReportedFindingSchema.safeParse(normalise(raw));
      if (!item.success) {
        droppedItems++;
        problems.push(
          item.error.issues
            .map(
              (issue) => `${issue.path.join('.') || 'item'}: ${issue.message}`,
            )
            .join('; '),
        );
        continue;
      }
      const file = files.get(item.data.path);
      if (!file) {
        droppedItems++;
        problems.push(
          `path not in this request: ${item.data.path.slice(0, 200)}`,
        );
        continue;
      }
      if (
        item.data.confidence !== undefined &&
        item.data.confidence < MIN_CONFIDENCE
      ) {
        unsure++;
        continue;
      }
      findings.push(toDraft(item.data, file));
    }
  }

  if (problems.length > 0)
    logger.warn(
      {
        chunk: chunk.index,
        dropped: problems.length,
        problems: problems.slice(0, 10),
      },
      'dropped invalid model findings',
    );
  if (unsure > 0)
    logger.info(
      { chunk: chunk.index, count: unsure },
      `skipped model findings with confidence below ${MIN_CONFIDENCE}`,
    );
  const summary =
    summaries.length > 0
      ? clampText(summaries.join(' '), MAX_SUMMARY_CHARS)
      : undefined;
  const result: ReadFindingsResult =
    summary === undefined
      ? { findings, droppedItems }
      : { findings, summary, droppedItems };
  if (deployments.length > 0)
    result.deployment = clampText(deployments.join(' '), MAX_DEPLOYMENT_CHARS);
  return result;
}

/** Files by the path the model may cite: the current one, or the old one of a rename. */
function filesByPath(chunk: Chunk): Map<string, ChunkFile> {
  const files = new Map<string, ChunkFile>();
  for (const file of chunk.files) {
    if (file.previousPath && !files.has(file.previousPath))
      files.set(file.previousPath, file);
  }
  for (const file of chunk.files) files.set(file.path, file);
  return files;
}

function toDraft(item: ReportedFinding, file: ChunkFile): DraftFinding {
  const draft: DraftFinding = {
    lens: item.category,
    severity: item.severity,
    ruleId: modelRuleId(item.category),
    source: 'model',
    path: file.path,
    // A deleted file exists only on the base side; everything else is cited by head-side numbers.
    lines: {
      start: item.line,
      end: Math.max(item.line, item.end_line ?? item.line),
      side: file.status === 'removed' ? 'LEFT' : 'RIGHT',
    },
    title: item.title,
    body: item.body,
  };
  if (item.fix !== undefined) draft.fix = item.fix;
  if (item.confidence !== undefined) draft.confidence = item.confidence;
  if (item.evidence && item.evidence.length > 0)
    draft.evidence = item.evidence.map((e) => ({
      path: e.path.trim().replace(/^\.\//, ''),
      line: e.line,
      ...(e.end_line !== undefined ? { endLine: e.end_line } : {}),
    }));
  if (item.outside_diff) draft.unsupported = true; // until the evidence is checked against what the model was shown
  return draft;
}

/**
 * Repairs what is harmless to repair before validation: over-long text is shortened, confidence is
 * clamped into 0..1, numbers sent as strings are read, and explicit nulls mean "absent".
 */
function normalise(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
  const item: Record<string, unknown> = { ...(raw as Record<string, unknown>) };
  for (const key of [
    'end_line',
    'fix',
    'confidence',
    'evidence',
    'outside_diff',
  ])
    if (item[key] === null) delete item[key];
  if (Array.isArray(item.evidence))
    item.evidence = item.evidence.slice(0, MAX_EVIDENCE);
  for (const key of ['line', 'end_line', 'confidence']) {
    const value = item[key];
    if (typeof value === 'string' && /^\s*\d+(?:\.\d+)?\s*$/.test(value))
      item[key] = Number(value);
  }
  if (typeof item.confidence === 'number' && Number.isFinite(item.confidence))
    item.confidence = Math.min(1, Math.max(0, item.confidence));
  if (typeof item.path === 'string')
    item.path = item.path.trim().replace(/^\.\//, '');
  if (typeof item.title === 'string')
    item.title = clampText(item.title.trim(), MAX_TITLE_CHARS);
  if (typeof item.body === 'string')
    item.body = clampText(item.body.trim(), MAX_BODY_CHARS);
  if (typeof item.fix === 'string') {
    const fix = item.fix.trim();
    if (fix) item.fix = clampText(fix, MAX_BODY_CHARS);
    else delete item.fix;
  }
  return item;
}

function clampText(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
}
