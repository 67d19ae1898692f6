import { allRules } from '../analyzers/index.ts';
import type { ConfigProblem } from '../config/parse-config.ts';
import type { Severity } from '../core/finding.ts';
import type { ReviewResult } from '../core/review.ts';
import { formatJson } from '../report/format-json.ts';
import { formatMarkdown } from '../report/format-markdown.ts';
import { formatSarif } from '../report/format-sarif.ts';
import { formatText } from '../report/format-text.ts';
import type { OutputFormat } from './parse-args.ts';
import { VERSION } from './version.ts';

export interface RenderContext {
  color: boolean;
  configProblems: ConfigProblem[];
  model?: string;
  /** Read from the gate's reason when absent. */
  gateSeverity?: Severity;
  durationMs: number;
}

/** The report in the format asked for, ending with a newline so shells and files stay tidy. */
export function renderReport(result: ReviewResult, format: OutputFormat, context: RenderContext): string {
  const text =
    format === 'text'
      ? formatText(result, { color: context.color })
      : format === 'markdown'
        ? formatMarkdown(result, {
            configProblems: context.configProblems,
            model: context.model,
            ...(context.gateSeverity ? { gateSeverity: context.gateSeverity } : {}),
            durationMs: context.durationMs,
          })
        : format === 'json'
          ? formatJson(result)
          : formatSarif(result, { rules: allRules(), toolVersion: VERSION });
  return text.endsWith('\n') ? text : `${text}\n`;
}
