import type {
  ChangeSet,
  ChangedFile,
  FileStatus,
} from '../../src/core/change-set.ts';
import { parsePatch } from '../../src/core/diff/parse-patch.ts';
import type { Lens } from '../../src/core/finding.ts';
import type { AnalyzerInput } from '../../src/core/ports.ts';
import { inputFor } from './change-set.ts';

/** Both revisions of a small repository, file path → text. */
export interface Revisions {
  base?: Record<string, string>;
  head?: Record<string, string>;
}

/** A whole-file patch: every base line removed, every head line added. */
function patchOf(
  before: string | undefined,
  after: string | undefined,
): string {
  const split = (text: string | undefined) =>
    text === undefined ? [] : text.replace(/\n$/, '').split('\n');
  const old = split(before);
  const now = split(after);
  return [
    `@@ -${old.length === 0 ? 0 : 1},${old.length} +${now.length === 0 ? 0 : 1},${now.length} @@`,
    ...old.map((l) => `-${l}`),
    ...now.map((l) => `+${l}`),
  ].join('\n');
}

export interface ChangedPath {
  path: string;
  previousPath?: string;
  status?: FileStatus;
}

/** An analyzer's input for a change set over two in-memory revisions; every changed file is in scope. */
export function revisionsInput(
  revisions: Revisions,
  changed: ChangedPath[],
  options: { lenses?: Lens[]; signal?: AbortSignal } = {},
): AnalyzerInput {
  const files: ChangedFile[] = changed.map(({ path, previousPath, status }) => {
    const before = revisions.base?.[previousPath ?? path];
    const after = revisions.head?.[path];
    const resolved: FileStatus =
      status ??
      (before === undefined
        ? 'added'
        : after === undefined
          ? 'removed'
          : previousPath
            ? 'renamed'
            : 'modified');
    const patch = patchOf(before, after);
    return {
      path,
      previousPath,
      status: resolved,
      additions: after?.split('\n').length ?? 0,
      deletions: before?.split('\n').length ?? 0,
      patch,
    };
  });
  const changeSet: ChangeSet = {
    headSha: 'h'.repeat(40),
    baseSha: 'b'.repeat(40),
    files,
    listingComplete: true,
    contents: {
      async read(revision, path) {
        return revisions[revision]?.[path];
      },
      async listHeadPaths() {
        return Object.keys(revisions.head ?? {});
      },
    },
  };
  return inputFor(
    changeSet,
    files.map((file) => ({ file, hunks: parsePatch(file.patch) })),
    options,
  );
}
