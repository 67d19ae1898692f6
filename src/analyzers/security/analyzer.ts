import { mapLimit } from '../../core/concurrency.ts';
import { parseRoot, readSource } from '../code/parse-cache.ts';
import type { CoverageNote } from '../../core/coverage.ts';
import { addedLines } from '../../core/diff/parse-patch.ts';
import type { DraftFinding } from '../../core/finding.ts';
import type { Analyzer, AnalyzerInput, AnalyzerOutput, ScopedFile } from '../../core/ports.ts';
import { languageOf, type CodeLanguage } from '../code/languages.ts';
import { CHECKS } from './checks/index.ts';
import { isTestFile } from '../code/test-files.ts';
import { FileContext } from './file-context.ts';
import { messageOf } from '../../core/error-message.ts';

const NAME = 'security-code';
const READ_CONCURRENCY = 8;

/**
 * Security rules over the syntax tree of changed JS/TS, Python, Go, Java, Kotlin and Ruby files:
 * injection, JWT misuse, weak password hashing and randomness, disabled TLS verification,
 * credentialed CORS for any origin, and credentials written to logs. Test code is skipped.
 */
export function createSecurityAnalyzer(): Analyzer {
  return { name: NAME, lenses: ['security'], analyze };
}

async function analyze(input: AnalyzerInput): Promise<AnalyzerOutput> {
  const findings: DraftFinding[] = [];
  const notes: CoverageNote[] = [];
  if (!input.lenses.has('security')) return { findings, notes };

  const candidates = input.files.filter((scoped) => scoped.file.status !== 'removed' && languageOf(scoped.file.path) && !isTestFile(scoped.file.path));
  // Reads may be API calls and run a few at a time; parsing and checks run one file at a time.
  const results = await mapLimit(
    candidates,
    READ_CONCURRENCY,
    async (scoped) => {
      try {
        return await analyzeFile(input, scoped, languageOf(scoped.file.path)!);
      } catch (error) {
        input.signal.throwIfAborted();
        return { findings: [], note: { source: NAME, path: scoped.file.path, message: `could not analyse: ${messageOf(error)}` } };
      }
    },
    input.signal,
  );
  for (const result of results) {
    findings.push(...result.findings);
    if (result.note) notes.push(result.note);
  }
  findings.sort((a, b) => a.path.localeCompare(b.path) || (a.lines?.start ?? 0) - (b.lines?.start ?? 0) || a.ruleId.localeCompare(b.ruleId));
  return { findings, notes };
}

async function analyzeFile(input: AnalyzerInput, scoped: ScopedFile, language: CodeLanguage): Promise<{ findings: DraftFinding[]; note?: CoverageNote }> {
  const added = addedLines(scoped.hunks);
  if (added.size === 0) return { findings: [] };
  const content = await readSource(input.changeSet, 'head', scoped.file.path, input.signal);
  if (content === undefined) throw new Error('file contents unavailable (binary or over limits.max_file_bytes)');
  const checks = CHECKS.filter((check) => check.gate.every((pattern) => pattern.test(content)));
  if (checks.length === 0) return { findings: [] };
  const root = await parseRoot(input.changeSet, 'head', scoped.file.path, language, content);
  const ctx = new FileContext(scoped.file.path, language, root, added);
  for (const check of checks) check.run(ctx);
  // The parser recovers from syntax errors; code inside the broken part may have gone unchecked.
  const error = root.find({ rule: { kind: 'ERROR' } });
  const line = error ? error.range().start.line + 1 : undefined;
  const note = line === undefined ? undefined : { source: NAME, path: scoped.file.path, line, message: `could not analyse: syntax error at line ${line}; the rest of the file was checked` };
  return { findings: ctx.findings, ...(note ? { note } : {}) };
}
