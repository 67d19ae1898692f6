import type { SgNode } from '@ast-grep/napi';
import { posix } from 'node:path';
import type { CoverageNote } from '../../core/coverage.ts';
import { addedLines } from '../../core/diff/parse-patch.ts';
import type { DraftFinding, Lens } from '../../core/finding.ts';
import type {
  Analyzer,
  AnalyzerInput,
  AnalyzerOutput,
  ScopedFile,
} from '../../core/ports.ts';
import type { RuleDescriptor } from '../../core/rules.ts';
import { fileIndex, type FileIndex } from './file-index.ts';
import { lineSet, type LineSet } from './line-set.ts';
import { bindingsOf } from './imports.ts';
import { changedRegions } from './regions.ts';
import { perFileAnalyzer } from './per-file-analyzer.ts';
import { enclosingRequestHandler } from './request-handlers.ts';
import {
  analyzedLanguageOf,
  familyOf,
  parseSource,
  type LanguageFamily,
  type ParseResult,
  type SourceFile,
} from './source-file.ts';
import { endLine, rangeOf, startLine } from './syntax.ts';
import { messageOf } from '../../core/error-message.ts';

/** What a check sees of one changed file: its head tree, the added lines and where they are. */
export interface CheckContext {
  file: SourceFile;
  /** Added head lines, without those in declarations that failed to parse. */
  added: LineSet;
  /** True when a node spans at least one added line. */
  touches(node: SgNode): boolean;
  /** True when a node runs inside a function that serves HTTP requests (remembered per function). */
  inRequestHandler(node: SgNode): boolean;
  /** The top-level declarations or class members holding added lines (none with syntax errors). */
  regions: SgNode[];
  /** Calls and structural nodes of the searched part of the file; rules filter it instead of searching. */
  index: FileIndex;
  /** The head tree of another changed file this one imports with a relative specifier, if any. */
  importedFile(specifier: string): SourceFile | undefined;
  report(finding: DraftFinding): void;
}

/**
 * One rule (or a few closely related ones) over the head side of changed code: the rules it reports,
 * declared with `defineRule` in the same file, and the check that finds them.
 */
export interface CodeCheck {
  rules: readonly RuleDescriptor[];
  families: readonly LanguageFamily[];
  run(context: CheckContext): void;
}

/** The rules a list of checks reports, in order: a lens's rule list is derived from its checks. */
export function rulesOf(checks: readonly CodeCheck[]): RuleDescriptor[] {
  return checks.flatMap((check) => check.rules);
}

/** Files parsed at once; parsing runs on libuv's threads, the checks on the main thread. */
const PARSE_CONCURRENCY = 4;

/**
 * An analyzer that runs code checks over the added lines of every changed file in a language they
 * read, on the per-file shell. A file that cannot be read or parsed becomes a coverage note, never a
 * silent pass.
 */
export function headCodeAnalyzer(
  name: string,
  lenses: readonly Lens[],
  checks: readonly CodeCheck[],
): Analyzer {
  return perFileAnalyzer<readonly CodeCheck[]>({
    name,
    lenses,
    concurrency: PARSE_CONCURRENCY,
    start(input) {
      const active = checks.filter((check) =>
        check.rules.some((rule) => input.lenses.has(rule.lens)),
      );
      return active.length === 0 ? undefined : active;
    },
    reads({ file }, active) {
      const language = analyzedLanguageOf(file.path);
      if (!language) return false;
      const family = familyOf(language);
      return active.some((check) => check.families.includes(family));
    },
    async analyzeFile(scoped, { input, run: active, targets }) {
      const parsed = await parseHead(scoped.file.path, input);
      // Changed files this one imports are parsed too, so a check can look into them.
      const imports =
        parsed.status === 'parsed'
          ? await importedHeads(parsed.file, targets, input)
          : new Map<string, SourceFile>();
      return analyzeFile(name, scoped, parsed, active, imports, input);
    },
  });
}

type HeadResult = ParseResult | { status: 'failed'; message: string };

async function parseHead(
  path: string,
  input: AnalyzerInput,
): Promise<HeadResult> {
  try {
    return await parseSource(input.changeSet, 'head', path, input.signal);
  } catch (error) {
    input.signal.throwIfAborted();
    return { status: 'failed', message: messageOf(error) };
  }
}

function analyzeFile(
  source: string,
  { file, hunks }: ScopedFile,
  parsed: HeadResult,
  checks: readonly CodeCheck[],
  heads: ReadonlyMap<string, SourceFile>,
  input: AnalyzerInput,
): AnalyzerOutput {
  const findings: DraftFinding[] = [];
  const notes: CoverageNote[] = [];
  try {
    input.signal.throwIfAborted();
    if (parsed.status === 'failed') {
      notes.push({
        source,
        path: file.path,
        message: `could not analyse: ${parsed.message}`,
      });
      return { findings, notes };
    }
    if (parsed.status === 'unavailable') {
      notes.push({
        source,
        path: file.path,
        message: `could not analyse: ${parsed.reason}`,
      });
      return { findings, notes };
    }
    const lines = addedLines(hunks);
    const { root, family } = parsed.file;
    // A mostly new file is searched as a whole; otherwise only the declarations holding the change.
    const mostlyNew = lines.size * 2 >= lineCount(parsed.file.text);
    const searched = mostlyNew
      ? [root]
      : changedRegions(root, family, lineSet(lines));
    const index = fileIndex(parsed.file, searched);
    let regions = searched;
    let added = lineSet(lines);
    if (index.errorLines.length > 0) {
      // Declarations the parser had to recover in are skipped: their tree may not mean what the code says.
      const declarations = mostlyNew
        ? changedRegions(root, family, added)
        : searched;
      const within = (line: number, node: SgNode) =>
        line >= rangeOf(node).start.line + 1 &&
        line <= rangeOf(node).end.line + 1;
      const broken = declarations.filter((region) =>
        index.errorLines.some((line) => within(line, region)),
      );
      if (broken.length > 0) {
        const errorLine = Math.min(
          ...index.errorLines.filter((line) =>
            broken.some((region) => within(line, region)),
          ),
        );
        notes.push({
          source,
          path: file.path,
          line: errorLine,
          message: `could not analyse: syntax error at line ${errorLine}; the declarations around it were skipped`,
        });
        regions = declarations.filter((region) => !broken.includes(region));
        added = lineSet(
          [...lines].filter(
            (line) => !broken.some((region) => within(line, region)),
          ),
        );
      }
    }
    if (regions.length === 0) return { findings, notes };
    // In a wholly new file every node is part of the change; skip asking each one where it is.
    const everything = added.size >= lineCount(parsed.file.text);
    const touches = (node: SgNode) =>
      everything || added.intersects(startLine(node), endLine(node));
    const verdicts = new Map<number, boolean>();
    const inRequestHandler = (node: SgNode) =>
      enclosingRequestHandler(node, family, verdicts) !== undefined;
    const importedFile = (specifier: string) => {
      const path = resolveImport(file.path, specifier, heads);
      return path === undefined ? undefined : heads.get(path);
    };
    const context: CheckContext = {
      file: parsed.file,
      added,
      touches,
      inRequestHandler,
      regions,
      index,
      importedFile,
      report: (finding) => findings.push(finding),
    };
    for (const check of checks) {
      if (!check.families.includes(parsed.file.family)) continue;
      try {
        check.run(context);
      } catch (error) {
        notes.push({
          source,
          path: file.path,
          message: `could not analyse: ${messageOf(error)}`,
        });
      }
    }
  } catch (error) {
    input.signal.throwIfAborted();
    notes.push({
      source,
      path: file.path,
      message: `could not analyse: ${messageOf(error)}`,
    });
  }
  return { findings, notes };
}

const MODULE_SUFFIXES = [
  '',
  '.ts',
  '.js',
  '.mts',
  '.mjs',
  '.cts',
  '.cjs',
  '/index.ts',
  '/index.js',
];

/** The changed file a relative import (`../payments/client.ts`, `./db`) names, if any. */
function resolveImport(
  from: string,
  specifier: string,
  paths: ReadonlySet<string> | ReadonlyMap<string, unknown>,
): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const target = posix.normalize(posix.join(posix.dirname(from), specifier));
  // TypeScript ESM imports name the compiled `.js` file of a `.ts` source.
  const stems = target.endsWith('.js')
    ? [target, target.replace(/\.js$/, '.ts')]
    : [target];
  for (const stem of stems) {
    for (const suffix of MODULE_SUFFIXES)
      if (paths.has(stem + suffix)) return stem + suffix;
  }
  return undefined;
}

/** Head trees of the changed files that `file` imports with relative specifiers (JavaScript/TypeScript). */
async function importedHeads(
  file: SourceFile,
  paths: ReadonlySet<string>,
  input: AnalyzerInput,
): Promise<Map<string, SourceFile>> {
  const heads = new Map<string, SourceFile>();
  if (file.family !== 'js') return heads;
  for (const binding of bindingsOf(file).values()) {
    const path = resolveImport(file.path, binding.module, paths);
    if (path === undefined || heads.has(path)) continue;
    const parsed = await parseHead(path, input);
    if (parsed.status === 'parsed') heads.set(path, parsed.file);
  }
  return heads;
}

/** Lines of a text, not counting the empty one after a final newline. */
function lineCount(text: string): number {
  let count = text.endsWith('\n') ? 0 : 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1))
    count++;
  return count;
}
