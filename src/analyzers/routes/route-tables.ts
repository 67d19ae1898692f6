import type { ChangeSet, Revision } from '../../core/change-set.ts';
import type { CoverageNote } from '../../core/coverage.ts';
import { addedLines, removedLines } from '../../core/diff/parse-patch.ts';
import type { ScopedFile } from '../../core/ports.ts';
import { lineSet, type LineSet } from '../code/line-set.ts';
import { isTestFile } from '../code/test-files.ts';
import {
  analyzedLanguageOf,
  familyOf,
  parseSource,
  readSource,
  syntaxErrorLine,
} from '../code/source-file.ts';
import { extractRoutes, mayDefineRoutes } from './extract-routes.ts';
import type { Route } from './route.ts';

/** The routes one changed file registers before and after the change. */
export interface FileRoutes {
  /** The file's path at head (where findings are reported, on either side). */
  path: string;
  base: Route[];
  head: Route[];
  added: LineSet;
  removed: LineSet;
}

export type TableResult =
  | { routes: FileRoutes }
  | { note: Omit<CoverageNote, 'source'> }
  | undefined;

/**
 * Extracts both revisions of a changed file. A file that cannot be read or parsed on either side is
 * left out entirely with a note: comparing a complete table with a partial one would report routes
 * as removed that are not.
 */
export async function fileRoutes(
  changeSet: ChangeSet,
  { file, hunks }: ScopedFile,
  signal: AbortSignal,
): Promise<TableResult> {
  const language = analyzedLanguageOf(file.path);
  if (
    !language ||
    hunks.length === 0 ||
    isTestFile(file.path) ||
    (file.previousPath !== undefined && isTestFile(file.previousPath))
  )
    return undefined;
  const family = familyOf(language);
  const sides: Array<[Revision, string | undefined]> = [
    [
      'base',
      file.status === 'added' ? undefined : (file.previousPath ?? file.path),
    ],
    ['head', file.status === 'removed' ? undefined : file.path],
  ];
  const tables: Record<Revision, Route[]> = { base: [], head: [] };
  for (const [revision, path] of sides) {
    if (path === undefined) continue;
    const text = await readSource(changeSet, revision, path, signal);
    if (text === undefined)
      return {
        note: {
          path: file.path,
          message: `could not analyse: the ${revision} contents are not available, so route changes were not compared`,
        },
      };
    if (!mayDefineRoutes(family, text)) continue;
    const parsed = await parseSource(changeSet, revision, path, signal);
    if (parsed.status === 'unavailable')
      return {
        note: {
          path: file.path,
          message: `could not analyse: ${parsed.reason}`,
        },
      };
    const errorLine = syntaxErrorLine(parsed.file.root);
    if (errorLine !== undefined) {
      return {
        note: {
          path: file.path,
          line: errorLine,
          message: `could not analyse: syntax error at line ${errorLine} (${revision}), so route changes were not compared`,
        },
      };
    }
    tables[revision] = extractRoutes(parsed.file);
  }
  if (tables.base.length === 0 && tables.head.length === 0) return undefined;
  return {
    routes: {
      path: file.path,
      base: tables.base,
      head: tables.head,
      added: lineSet(addedLines(hunks)),
      removed: lineSet(removedLines(hunks)),
    },
  };
}
