import { mapLimit } from '../../core/concurrency.ts';
import { messageOf } from '../../core/error-message.ts';
import type { Lens } from '../../core/finding.ts';
import type {
  Analyzer,
  AnalyzerInput,
  AnalyzerOutput,
  ScopedFile,
} from '../../core/ports.ts';
import { readSource } from './parse-cache.ts';
import { isTestFile } from './test-files.ts';

/** What one file's step gets besides the file: the review's input, this run's state and the prefilter's answer. */
export interface FileStep<Run, Gate> {
  input: AnalyzerInput;
  run: Run;
  /** What the prefilter returned for this file; undefined without a prefilter. */
  gate: Gate | undefined;
  /** Paths of every file this run analyses (a step may look into another changed file). */
  targets: ReadonlySet<string>;
}

/**
 * The shape of an analyzer that checks changed code file by file. The shell owns what every such
 * analyzer shares: which files are looked at (never removed files, test code or files without
 * added lines), the optional cheap text prefilter, bounded concurrency, cancellation, and turning a
 * file that fails into a coverage note instead of a silent pass.
 */
export interface PerFileAnalyzerSpec<Run, Gate> {
  name: string;
  lenses: readonly Lens[];
  /** Files in flight at once: reads may be API calls, parsing runs on libuv's threads. */
  concurrency: number;
  /** This review's state (typically the checks whose lens is on); undefined when nothing would run. */
  start(input: AnalyzerInput): Run | undefined;
  /** Before any I/O: whether this analyzer reads the file (its language, what the active checks read). */
  reads(file: ScopedFile, run: Run): boolean;
  /**
   * A cheap test on the head text before anything is parsed: what the step needs to know (e.g. the
   * checks whose text gates pass), or undefined to skip the file. Every finding still comes from the
   * syntax tree; this only saves parsing files that cannot have one.
   */
  prefilter?(text: string, run: Run): Gate | undefined;
  /** Checks one file; may throw, which becomes a coverage note for the file. */
  analyzeFile(
    file: ScopedFile,
    step: FileStep<Run, Gate>,
  ): Promise<AnalyzerOutput>;
}

export function perFileAnalyzer<Run, Gate = never>(
  spec: PerFileAnalyzerSpec<Run, Gate>,
): Analyzer {
  return {
    name: spec.name,
    lenses: spec.lenses,
    async analyze(input: AnalyzerInput): Promise<AnalyzerOutput> {
      const run = spec.start(input);
      if (run === undefined) return { findings: [], notes: [] };
      const targets = input.files.filter(
        (scoped) => candidate(scoped) && spec.reads(scoped, run),
      );
      const paths = new Set(targets.map((scoped) => scoped.file.path));
      const results = await mapLimit(
        targets,
        spec.concurrency,
        async (scoped): Promise<AnalyzerOutput> => {
          try {
            let gate: Gate | undefined;
            if (spec.prefilter) {
              const text = await readSource(
                input.changeSet,
                'head',
                scoped.file.path,
                input.signal,
              );
              if (text === undefined)
                throw new Error(
                  'file contents unavailable (binary or over limits.max_file_bytes)',
                );
              gate = spec.prefilter(text, run);
              if (gate === undefined) return { findings: [], notes: [] };
            }
            return await spec.analyzeFile(scoped, {
              input,
              run,
              gate,
              targets: paths,
            });
          } catch (error) {
            input.signal.throwIfAborted();
            return {
              findings: [],
              notes: [
                {
                  source: spec.name,
                  path: scoped.file.path,
                  message: `could not analyse: ${messageOf(error)}`,
                },
              ],
            };
          }
        },
        input.signal,
      );
      return {
        findings: results.flatMap((r) => r.findings),
        notes: results.flatMap((r) => r.notes),
      };
    },
  };
}

function candidate({ file, hunks }: ScopedFile): boolean {
  if (file.status === 'removed' || hunks.length === 0 || isTestFile(file.path))
    return false;
  return hunks.some((hunk) => hunk.lines.some((line) => line.kind === 'add'));
}
