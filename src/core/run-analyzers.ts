import type { CoverageNote } from './coverage.ts';
import { messageOf } from './error-message.ts';
import type { DraftFinding } from './finding.ts';
import type { Analyzer, AnalyzerInput, AnalyzerOutput } from './ports.ts';

/**
 * Runs the analyzers whose lenses are on, concurrently, and merges what they found (findings of a
 * lens that is off are dropped). One failing analyzer becomes a coverage note; an abort propagates.
 * The engine calls this on the main thread, and the analyzer pool inside its workers.
 */
export async function runAnalyzers(
  analyzers: readonly Analyzer[],
  input: AnalyzerInput,
): Promise<AnalyzerOutput> {
  const { lenses, logger, signal } = input;
  const active = analyzers.filter((a) =>
    a.lenses.some((lens) => lenses.has(lens)),
  );
  const failed: string[] = [];
  const outputs = await Promise.all(
    active.map(async (analyzer) => {
      try {
        return await analyzer.analyze(input);
      } catch (error) {
        signal.throwIfAborted();
        failed.push(analyzer.name);
        logger.error(
          { err: error, analyzer: analyzer.name },
          'analyzer failed',
        );
        return {
          findings: [],
          notes: [
            {
              source: analyzer.name,
              message: `analyzer failed: ${messageOf(error)}`,
            },
          ],
        };
      }
    }),
  );
  const findings: DraftFinding[] = [];
  const notes: CoverageNote[] = [];
  for (const output of outputs) {
    findings.push(...output.findings.filter((f) => lenses.has(f.lens)));
    notes.push(...output.notes);
    // The analyzer pool runs this same function in its workers and hands their failures on.
    failed.push(...(output.failed ?? []));
  }
  return { findings, notes, ...(failed.length > 0 ? { failed } : {}) };
}
