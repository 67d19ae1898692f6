import type { ChangedFile } from '../../core/change-set.ts';
import type { DraftFinding, LineRange } from '../../core/finding.ts';
import {
  PROTOBUF_OTHER_BREAKING,
  bufRule,
  bufSeverity,
  impactOf,
  protobufRuleId,
  type Impact,
} from './rules.ts';
import type { BufAnnotation } from './run-buf.ts';
import { basePathOf, joinPath } from './trees.ts';

export interface AnnotationContext {
  /** The directory buf ran in; its report's paths are relative to it. */
  root: string;
  head: ReadonlySet<string>;
  base: ReadonlySet<string>;
  /** The changed .proto files under the root. */
  files: readonly ChangedFile[];
}

const IMPACT_WORDS: Record<Impact, string> = {
  wire: 'wire format and JSON',
  json: 'JSON encoding; the binary encoding still decodes',
  code: 'generated code',
};

/** One buf annotation as a finding on the line buf points at in the head file, or on the file when that line is gone. */
export function annotationToFinding(
  annotation: BufAnnotation,
  context: AnnotationContext,
): DraftFinding {
  const rule = bufRule(annotation.type);
  const path = repositoryPath(annotation, context);
  const message = annotation.message.trim().replace(/\.$/, '');
  const where = rule
    ? `buf rule \`${rule.id}\` (${rule.categories.join(', ')})`
    : `buf rule \`${annotation.type}\`${annotation.plugin_name ? ` from plugin \`${annotation.plugin_name}\`` : ''}${annotation.policy_name ? ` of policy \`${annotation.policy_name}\`` : ''}`;
  const breaks = rule
    ? `**What breaks for clients** (${IMPACT_WORDS[impactOf(rule)]}): ${rule.breaks}.`
    : "**What breaks for clients:** see the rule's documentation.";
  return {
    lens: 'api-contract',
    severity: rule ? bufSeverity(rule) : PROTOBUF_OTHER_BREAKING.severity,
    ruleId: rule ? protobufRuleId(rule.id) : PROTOBUF_OTHER_BREAKING.id,
    source: 'analyzer',
    path,
    lines: linesOf(annotation, path, context),
    title: message,
    body: `${breaks}\n\nReported by ${where}.`,
    fix:
      rule?.fix ??
      'Revert the change, or version the API (a new package) so existing clients keep working.',
  };
}

/** buf reports a deletion at 1:1 of the current file, and a thing gone entirely with no path at all. */
function linesOf(
  annotation: BufAnnotation,
  path: string,
  context: AnnotationContext,
): LineRange | undefined {
  const {
    start_line: line = 0,
    start_column: column = 0,
    end_line: endLine = 0,
    end_column: endColumn = 0,
  } = annotation;
  if (line <= 0 || !context.head.has(path)) return undefined;
  if (line === 1 && column === 1 && endLine === 1 && endColumn === 1)
    return undefined;
  // The start line only: a message's whole body would make a comment spanning it.
  return { start: line, end: line, side: 'RIGHT' };
}

function repositoryPath(
  annotation: BufAnnotation,
  context: AnnotationContext,
): string {
  const reported =
    annotation.path || /"([^"]+\.proto)"/.exec(annotation.message)?.[1];
  if (reported) {
    const direct = joinPath(context.root, reported);
    if (context.head.has(direct) || context.base.has(direct)) return direct;
    // Under v1beta1 `build.roots`, paths are relative to a root below the configuration.
    const found = [...context.head, ...context.base].filter((path) =>
      path.endsWith(`/${reported}`),
    );
    if (new Set(found).size === 1) return found[0]!;
  }
  const removed = context.files.find((file) => file.status === 'removed');
  const fallback = removed ?? context.files[0]!;
  return fallback.status === 'removed' ? basePathOf(fallback)! : fallback.path;
}
