import type { SgNode } from '@ast-grep/napi';
import type { DraftFinding, LineRange, Severity } from '../../core/finding.ts';
import type { RuleDescriptor } from '../../core/rules.ts';
import { endLine, startLine } from './syntax.ts';

/** A multi-line construct longer than this is anchored on its first line only. */
const MAX_ANCHOR_LINES = 6;

export interface FindingText {
  title: string;
  body: string;
  fix: string;
}

export interface FindingOptions {
  severity?: Severity;
  related?: DraftFinding['related'];
}

/** The head-side lines a finding about `node` points at. */
export function headLines(node: SgNode): LineRange {
  const start = startLine(node);
  const end = endLine(node);
  return {
    start,
    end: end - start < MAX_ANCHOR_LINES ? end : start,
    side: 'RIGHT',
  };
}

export function draftFinding(
  rule: RuleDescriptor,
  path: string,
  lines: LineRange | undefined,
  text: FindingText,
  options: FindingOptions = {},
): DraftFinding {
  const finding: DraftFinding = {
    lens: rule.lens,
    severity: options.severity ?? rule.severity,
    ruleId: rule.id,
    source: 'analyzer',
    path,
    lines,
    title: text.title,
    body: text.body,
    fix: text.fix,
  };
  if (options.related && options.related.length > 0)
    finding.related = options.related;
  return finding;
}
