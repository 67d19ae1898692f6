import type { DraftFinding } from '../../../../src/core/finding.ts';
import type { AnalyzerOutput } from '../../../../src/core/ports.ts';
import { createSecurityAnalyzer } from '../../../../src/analyzers/security/index.ts';
import { analyzerInput, type FixtureFile } from './build-input.ts';

export async function analyze(
  ...files: FixtureFile[]
): Promise<AnalyzerOutput> {
  return createSecurityAnalyzer().analyze(analyzerInput(files));
}

/** `rule@line:severity` for compact assertions. */
export function summary(findings: DraftFinding[]): string[] {
  return findings.map(
    (f) =>
      `${f.ruleId.replace('security/', '')}@${f.lines?.start}${f.lines && f.lines.end !== f.lines.start ? `-${f.lines.end}` : ''}:${f.severity}`,
  );
}

/** Findings of one rule for a set of files, as `line:severity`. */
export async function hits(
  rule: string,
  ...files: FixtureFile[]
): Promise<string[]> {
  const output = await analyze(...files);
  if (output.notes.length > 0)
    throw new Error(output.notes.map((n) => n.message).join('; '));
  return output.findings
    .filter((f) => f.ruleId === `security/${rule}`)
    .map((f) => `${f.path}:${f.lines?.start}:${f.severity}`);
}
