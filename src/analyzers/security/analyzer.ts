import { addedLines } from '../../core/diff/parse-patch.ts';
import type { Analyzer } from '../../core/ports.ts';
import { languageOf } from '../code/languages.ts';
import { parseRoot, readSource } from '../code/parse-cache.ts';
import { perFileAnalyzer } from '../code/per-file-analyzer.ts';
import { CHECKS, type Check } from './checks/index.ts';
import { FileContext } from './file-context.ts';

const NAME = 'security-code';
/** Reads may be API calls and run a few at a time; parsing and checks run one file at a time. */
const READ_CONCURRENCY = 8;

/**
 * Security rules over the syntax tree of changed JS/TS, Python, Go, Java, Kotlin and Ruby files:
 * injection, JWT misuse, weak password hashing and randomness, disabled TLS verification,
 * credentialed CORS for any origin, and credentials written to logs. Test code is skipped.
 */
export function createSecurityAnalyzer(): Analyzer {
  const analyzer = perFileAnalyzer<true, Check[]>({
    name: NAME,
    lenses: ['security'],
    concurrency: READ_CONCURRENCY,
    start: (input) => (input.lenses.has('security') ? true : undefined),
    reads: ({ file }) => languageOf(file.path) !== undefined,
    // Texts a file must contain for a check to have anything to find: most files are never parsed.
    prefilter(text) {
      const checks = CHECKS.filter((check) =>
        check.gate.every((pattern) => pattern.test(text)),
      );
      return checks.length === 0 ? undefined : checks;
    },
    async analyzeFile({ file, hunks }, { input, gate: checks }) {
      const language = languageOf(file.path)!;
      const content = (await readSource(
        input.changeSet,
        'head',
        file.path,
        input.signal,
      ))!;
      const root = await parseRoot(
        input.changeSet,
        'head',
        file.path,
        language,
        content,
      );
      const ctx = new FileContext(file.path, language, root, addedLines(hunks));
      for (const check of checks!) check.run(ctx);
      // The parser recovers from syntax errors; code inside the broken part may have gone unchecked.
      const error = root.find({ rule: { kind: 'ERROR' } });
      const line = error ? error.range().start.line + 1 : undefined;
      const notes =
        line === undefined
          ? []
          : [
              {
                source: NAME,
                path: file.path,
                line,
                message: `could not analyse: syntax error at line ${line}; the rest of the file was checked`,
              },
            ];
      return { findings: ctx.findings, notes };
    },
  });
  return {
    ...analyzer,
    async analyze(input) {
      const output = await analyzer.analyze(input);
      output.findings.sort(
        (a, b) =>
          a.path.localeCompare(b.path) ||
          (a.lines?.start ?? 0) - (b.lines?.start ?? 0) ||
          a.ruleId.localeCompare(b.ruleId),
      );
      return output;
    },
  };
}
