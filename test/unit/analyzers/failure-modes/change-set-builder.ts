import { inputFor } from '../../../support/change-set.ts';
import type {
  ChangeSet,
  ChangedFile,
  FileStatus,
  Revision,
} from '../../../../src/core/change-set.ts';
import { parsePatch } from '../../../../src/core/diff/parse-patch.ts';
import {
  LENSES,
  type DraftFinding,
  type Lens,
} from '../../../../src/core/finding.ts';
import type {
  Analyzer,
  AnalyzerOutput,
  ScopedFile,
} from '../../../../src/core/ports.ts';
import {
  parseSource,
  type SourceFile,
} from '../../../../src/analyzers/code/source-file.ts';

/** One file of a test change set: contents at base and/or head (absent = the file does not exist there). */
export interface FileSpec {
  path: string;
  base?: string;
  head?: string;
  previousPath?: string;
}

/** Builds a change set with an in-memory reader and real unified-diff patches between base and head. */
export function changeSetOf(specs: FileSpec[]): {
  changeSet: ChangeSet;
  files: ScopedFile[];
} {
  const contents = new Map<string, string>();
  const files: ChangedFile[] = specs.map((spec) => {
    const basePath = spec.previousPath ?? spec.path;
    if (spec.base !== undefined) contents.set(`base:${basePath}`, spec.base);
    if (spec.head !== undefined) contents.set(`head:${spec.path}`, spec.head);
    const baseLines = spec.base === undefined ? [] : splitLines(spec.base);
    const headLines = spec.head === undefined ? [] : splitLines(spec.head);
    const { patch, additions, deletions } = unifiedDiff(baseLines, headLines);
    const status: FileStatus =
      spec.base === undefined
        ? 'added'
        : spec.head === undefined
          ? 'removed'
          : spec.previousPath
            ? 'renamed'
            : 'modified';
    return {
      path: spec.path,
      previousPath: spec.previousPath,
      status,
      additions,
      deletions,
      patch,
    };
  });
  const changeSet: ChangeSet = {
    headSha: 'head',
    baseSha: 'base',
    files,
    listingComplete: true,
    contents: {
      async read(revision: Revision, path: string) {
        return contents.get(`${revision}:${path}`);
      },
    },
  };
  return {
    changeSet,
    files: files.map((file) => ({ file, hunks: parsePatch(file.patch) })),
  };
}

export async function runAnalyzer(
  analyzer: Analyzer,
  specs: FileSpec[],
  lenses: readonly Lens[] = LENSES,
): Promise<AnalyzerOutput> {
  const { changeSet, files } = changeSetOf(specs);
  return analyzer.analyze(inputFor(changeSet, files, { lenses }));
}

/** `rule@line:severity` summaries, sorted, for compact assertions. */
export function summarise(findings: DraftFinding[]): string[] {
  return findings
    .map(
      (f) =>
        `${f.ruleId}@${f.lines ? `${f.lines.side === 'LEFT' ? 'L' : ''}${f.lines.start}` : 'file'}:${f.severity}`,
    )
    .sort();
}

function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

type Edit = {
  kind: 'ctx' | 'del' | 'add';
  text: string;
  oldLine: number;
  newLine: number;
};

/** A plain LCS diff with three lines of context; test inputs are small. */
function unifiedDiff(
  a: string[],
  b: string[],
): { patch: string; additions: number; deletions: number } {
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () =>
    new Array<number>(b.length + 1).fill(0),
  );
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--)
      lcs[i]![j] =
        a[i] === b[j]
          ? lcs[i + 1]![j + 1]! + 1
          : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  }
  const edits: Edit[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j])
      edits.push({ kind: 'ctx', text: a[i]!, oldLine: ++i, newLine: ++j });
    else if (
      j < b.length &&
      (i === a.length || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)
    )
      edits.push({ kind: 'add', text: b[j]!, oldLine: i, newLine: ++j });
    else edits.push({ kind: 'del', text: a[i]!, oldLine: ++i, newLine: j });
  }
  const changed = edits
    .map((e, index) => (e.kind === 'ctx' ? -1 : index))
    .filter((index) => index >= 0);
  if (changed.length === 0) return { patch: '', additions: 0, deletions: 0 };
  const groups: Array<[number, number]> = [];
  for (const index of changed) {
    const last = groups.at(-1);
    if (last && index - last[1] <= 6) last[1] = index;
    else groups.push([index, index]);
  }
  const out: string[] = [];
  for (const [first, last] of groups) {
    const from = Math.max(0, first - 3);
    const to = Math.min(edits.length - 1, last + 3);
    const slice = edits.slice(from, to + 1);
    const oldCount = slice.filter((e) => e.kind !== 'add').length;
    const newCount = slice.filter((e) => e.kind !== 'del').length;
    const oldStart =
      slice.find((e) => e.kind !== 'add')?.oldLine ?? slice[0]!.oldLine;
    const newStart =
      slice.find((e) => e.kind !== 'del')?.newLine ?? slice[0]!.newLine;
    out.push(`@@ -${oldStart},${oldCount} +${newStart},${newCount} @@`);
    for (const e of slice)
      out.push(
        `${e.kind === 'ctx' ? ' ' : e.kind === 'del' ? '-' : '+'}${e.text}`,
      );
  }
  return {
    patch: out.join('\n'),
    additions: edits.filter((e) => e.kind === 'add').length,
    deletions: edits.filter((e) => e.kind === 'del').length,
  };
}

/** Parses one head-side file the way the analyzers do, for tests of extractors. */
export async function parsedFile(
  path: string,
  text: string,
): Promise<SourceFile> {
  const { changeSet } = changeSetOf([{ path, head: text }]);
  const parsed = await parseSource(changeSet, 'head', path);
  if (parsed.status !== 'parsed')
    throw new Error(`could not parse ${path}: ${parsed.reason}`);
  return parsed.file;
}

/** Runs an analyzer over new files (every line added) and returns compact summaries; fails on any coverage note. */
export async function findingsOf(
  analyzer: Analyzer,
  specs: FileSpec[],
  lenses?: readonly Lens[],
): Promise<string[]> {
  const output = await runAnalyzer(analyzer, specs, lenses);
  if (output.notes.length > 0)
    throw new Error(
      `unexpected coverage notes: ${JSON.stringify(output.notes)}`,
    );
  return summarise(output.findings);
}
