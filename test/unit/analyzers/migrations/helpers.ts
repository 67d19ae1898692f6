import type { DraftFinding } from '../../../../src/core/finding.ts';
import {
  createMigrationAnalyzer,
  type MigrationAnalyzerOptions,
} from '../../../../src/analyzers/migrations/index.ts';
import { analyzerInput, type BuildOptions, type FileSpec } from './builder.ts';

/** Runs the migrations analyzer over an in-memory change. */
export async function analyze(
  specs: FileSpec[],
  options: BuildOptions & { analyzer?: MigrationAnalyzerOptions } = {},
) {
  return createMigrationAnalyzer(options.analyzer).analyze(
    analyzerInput(specs, options),
  );
}

/** `ruleId@line` for each finding, sorted, for compact assertions. */
export function summary(findings: DraftFinding[]): string[] {
  return findings
    .map(
      (f) =>
        `${f.ruleId}@${f.lines ? (f.lines.side === 'LEFT' ? `L${f.lines.start}` : f.lines.start) : 'file'}`,
    )
    .sort();
}

export function only(findings: DraftFinding[], ruleId: string): DraftFinding[] {
  return findings.filter((f) => f.ruleId === ruleId);
}
