import { inputFor } from '../../../support/change-set.ts';
import type { FileStatus } from '../../../../src/core/change-set.ts';
import type {
  ChangeSet,
  ChangedFile,
} from '../../../../src/core/change-set.ts';
import { parsePatch } from '../../../../src/core/diff/parse-patch.ts';
import type { Lens } from '../../../../src/core/finding.ts';
import type { AnalyzerInput } from '../../../../src/core/ports.ts';
import type { Config } from '../../../../src/config/schema.ts';

export interface FixtureFile {
  file: ChangedFile;
  head: string;
  /** Passed to analyzers as an in-scope file (default true). */
  inScope: boolean;
}

/**
 * A changed file written like a diff: lines starting with `+` are added, `-` removed, anything else
 * is unchanged context (one leading space is dropped). The head content is the context and added lines.
 */
export function changed(
  path: string,
  text: string,
  options: { status?: FileStatus; inScope?: boolean; withPatch?: boolean } = {},
): FixtureFile {
  const rows = text
    .replace(/^\n/, '')
    .replace(/\n\s*$/, '')
    .split('\n');
  const head: string[] = [];
  const patchLines: string[] = [];
  let oldCount = 0;
  for (const row of rows) {
    const marker = row[0];
    if (marker === '+') {
      head.push(row.slice(1));
      patchLines.push(row);
    } else if (marker === '-') {
      oldCount++;
      patchLines.push(row);
    } else {
      const line = row.startsWith(' ') ? row.slice(1) : row;
      head.push(line);
      oldCount++;
      patchLines.push(` ${line}`);
    }
  }
  const additions = rows.filter((row) => row[0] === '+').length;
  const deletions = rows.filter((row) => row[0] === '-').length;
  const patch = `@@ -${oldCount === 0 ? 0 : 1},${oldCount} +1,${head.length} @@\n${patchLines.join('\n')}`;
  return {
    file: {
      path,
      status: options.status ?? (oldCount === 0 ? 'added' : 'modified'),
      additions,
      deletions,
      ...(options.withPatch === false
        ? { patchMissingReason: 'too large' }
        : { patch }),
    },
    head: head.join('\n'),
    inScope: options.inScope ?? true,
  };
}

/** A whole new file: every line added. */
export function added(
  path: string,
  text: string,
  options: { inScope?: boolean } = {},
): FixtureFile {
  const body = text.replace(/^\n/, '').replace(/\n\s*$/, '');
  return changed(
    path,
    body
      .split('\n')
      .map((line) => `+${line}`)
      .join('\n'),
    { status: 'added', ...options },
  );
}

export function changeSetOf(files: FixtureFile[], reads?: string[]): ChangeSet {
  const heads = new Map(
    files.map((fixture) => [fixture.file.path, fixture.head]),
  );
  return {
    headSha: 'c'.repeat(40),
    baseSha: 'b'.repeat(40),
    files: files.map((fixture) => fixture.file),
    listingComplete: true,
    contents: {
      async read(revision, path) {
        reads?.push(path);
        return revision === 'head' ? heads.get(path) : undefined;
      },
    },
  };
}

export function analyzerInput(
  files: FixtureFile[],
  options: {
    lenses?: Lens[];
    config?: Config;
    signal?: AbortSignal;
    reads?: string[];
  } = {},
): AnalyzerInput {
  const scoped = files
    .filter((fixture) => fixture.inScope)
    .map((fixture) => ({
      file: fixture.file,
      hunks: parsePatch(fixture.file.patch),
    }));
  return inputFor(changeSetOf(files, options.reads), scoped, options);
}
