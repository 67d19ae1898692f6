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
export function renderReport(
  result: ReviewResult,
  format: OutputFormat,
  context: RenderContext,
): string {
  const text =
    format === 'text'
      ? formatText(result, { color: context.color })
      : format === 'markdown'
        ? formatMarkdown(result, {
            configProblems: context.configProblems,
            model: context.model,
            ...(context.gateSeverity
              ? { gateSeverity: context.gateSeverity }
              : {}),
            durationMs: context.durationMs,
          })
        : format === 'json'
          ? withJsonConfigProblems(formatJson(result), context.configProblems)
          : withSarifConfigProblems(
              formatSarif(result, { rules: allRules(), toolVersion: VERSION }),
              context.configProblems,
            );
  return text.endsWith('\n') ? text : `${text}\n`;
}

/**
 * The JSON report plus `configProblems` (always present, empty when the config is valid): a script
 * reading the report must be able to tell that the defaults were used instead of the file.
 */
function withJsonConfigProblems(
  json: string,
  problems: readonly ConfigProblem[],
): string {
  const report = JSON.parse(json) as Record<string, unknown>;
  report.configProblems = problems.map((p) => ({
    source: p.source,
    path: p.path || null,
    message: p.message,
  }));
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** SARIF's place for problems with the tool's own configuration: the invocation's toolConfigurationNotifications. */
function withSarifConfigProblems(
  sarif: string,
  problems: readonly ConfigProblem[],
): string {
  if (problems.length === 0) return sarif;
  const log = JSON.parse(sarif) as {
    runs: Array<{ invocations?: Array<Record<string, unknown>> }>;
  };
  const invocation = log.runs[0]?.invocations?.[0];
  if (!invocation) return sarif;
  invocation.toolConfigurationNotifications = problems.map((p) => ({
    level: 'error',
    message: {
      text: `${p.path ? `${p.path}: ` : ''}${p.message} (the defaults were used)`,
    },
    locations: [{ physicalLocation: { artifactLocation: { uri: p.source } } }],
  }));
  return `${JSON.stringify(log, null, 2)}\n`;
}
