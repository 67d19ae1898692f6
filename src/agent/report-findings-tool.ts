import type Anthropic from '@anthropic-ai/sdk';
import { z } from 'zod';
import { LensSchema, SeveritySchema } from '../core/finding.ts';

/** The one tool the model must call; its input is the review's structured output. */
export const REPORT_FINDINGS_TOOL_NAME = 'report_findings';

export const MAX_TITLE_CHARS = 200;
export const MAX_BODY_CHARS = 4000;
export const MAX_SUMMARY_CHARS = 1000;
export const MAX_DEPLOYMENT_CHARS = 1200;
export const MAX_EVIDENCE = 8;
/** No source file a review can show has a million lines; a bigger number is a hallucination. */
export const MAX_LINE = 1_000_000;

/** One finding as the model reports it. The wire contract: keep field names and meanings stable. */
export const ReportedFindingSchema = z.object({
  path: z
    .string()
    .min(1)
    .describe(
      'The file path exactly as given after "path:" in the file header.',
    ),
  line: z
    .int()
    .min(1)
    .max(MAX_LINE)
    .describe(
      'First line of the problem, the number exactly as printed before the diff line.',
    ),
  end_line: z
    .int()
    .min(1)
    .max(MAX_LINE)
    .optional()
    .describe('Last line of the problem when it spans several lines.'),
  category: LensSchema.describe(
    'The lens the problem belongs to. Only lenses enabled for this request.',
  ),
  severity: SeveritySchema.describe(
    'critical: data loss, outage or credential exposure. high: breaks clients or production, or exploitable. medium: likely problem. low: worth knowing.',
  ),
  title: z
    .string()
    .min(1)
    .max(MAX_TITLE_CHARS)
    .describe('Names the problem in a few words.'),
  body: z
    .string()
    .min(1)
    .max(MAX_BODY_CHARS)
    .describe('Why it is a problem and what happens in production. Markdown.'),
  fix: z
    .string()
    .min(1)
    .max(MAX_BODY_CHARS)
    .optional()
    .describe('A concrete fix, code or steps, when there is one.'),
  confidence: z
    .number()
    .min(0)
    .max(1)
    .optional()
    .describe('How sure you are that the problem is real, 0 to 1.'),
  evidence: z
    .array(
      z.object({
        path: z.string().min(1).max(1000),
        line: z.int().min(1).max(MAX_LINE),
        end_line: z.int().min(1).max(MAX_LINE).optional(),
      }),
    )
    .max(MAX_EVIDENCE)
    .optional()
    .describe(
      'The places you inspected that support the claim: lines of the diff or lines a tool showed you. Only cite what you actually saw.',
    ),
  outside_diff: z
    .boolean()
    .optional()
    .describe(
      'True when the claim depends on code outside the diff (a middleware, a caller, a model, a client wrapper).',
    ),
});
export type ReportedFinding = z.infer<typeof ReportedFindingSchema>;

export const ReportFindingsInputSchema = z.object({
  findings: z
    .array(ReportedFindingSchema)
    .describe(
      'Every problem found in this request; empty when the change is sound.',
    ),
  summary: z
    .string()
    .max(MAX_SUMMARY_CHARS)
    .optional()
    .describe(
      'One or two sentences on the main risk in this part of the change.',
    ),
  deployment: z
    .string()
    .max(MAX_DEPLOYMENT_CHARS)
    .optional()
    .describe(
      'When the change touches the data model, an API contract or an external dependency: the trade-off it makes and what to watch when deploying it (migration before or after the code, expand/contract, flags), in two or three sentences.',
    ),
});

function inputSchema(): Anthropic.Tool.InputSchema {
  // The API takes a plain JSON Schema object; the `$schema` dialect marker adds nothing to it.
  const { $schema: _dialect, ...schema } = z.toJSONSchema(
    ReportFindingsInputSchema,
  ) as Record<string, unknown>;
  return { ...schema, type: 'object' };
}

export const REPORT_FINDINGS_TOOL: Anthropic.Tool = {
  name: REPORT_FINDINGS_TOOL_NAME,
  description:
    'Report the problems found in the changed lines of this part of the pull request. Call it exactly once, with an empty findings list when nothing is wrong.',
  input_schema: inputSchema(),
};
