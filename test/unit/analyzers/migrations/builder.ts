import { inputFor } from '../../../support/change-set.ts';
import type {
  ChangeSet,
  ChangedFile,
} from '../../../../src/core/change-set.ts';
import { parsePatch } from '../../../../src/core/diff/parse-patch.ts';
import type { Lens } from '../../../../src/core/finding.ts';
import type { AnalyzerInput } from '../../../../src/core/ports.ts';

/** One file of a test change: its text at base (absent when new) and at head (absent when removed). */
export interface FileSpec {
  path: string;
  base?: string;
  head?: string;
}

/**
 * A unified diff of two texts as one hunk spanning the whole file, from a longest-common-subsequence
 * line diff. Test inputs are small, so the quadratic table is fine.
 */
export function patchOf(
  base: string | undefined,
  head: string | undefined,
): string {
  const a = base === undefined ? [] : base.split('\n');
  const b = head === undefined ? [] : head.split('\n');
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
  const lines: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      lines.push(` ${a[i]}`);
      i++;
      j++;
    } else if (
      j < b.length &&
      (i >= a.length || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)
    ) {
      lines.push(`+${b[j]}`);
      j++;
    } else {
      lines.push(`-${a[i]}`);
      i++;
    }
  }
  return [
    `@@ -${a.length === 0 ? 0 : 1},${a.length} +${b.length === 0 ? 0 : 1},${b.length} @@`,
    ...lines,
  ].join('\n');
}

export function changedFile(spec: FileSpec): ChangedFile {
  const patch = patchOf(spec.base, spec.head);
  const body = patch.split('\n').slice(1);
  return {
    path: spec.path,
    status:
      spec.base === undefined
        ? 'added'
        : spec.head === undefined
          ? 'removed'
          : 'modified',
    additions: body.filter((l) => l.startsWith('+')).length,
    deletions: body.filter((l) => l.startsWith('-')).length,
    patch,
  };
}

export interface BuildOptions {
  /** Unchanged files present at both revisions (e.g. code the cross-check reads). */
  unchanged?: Record<string, string>;
  lenses?: Lens[];
  /** Leave out listHeadPaths, like a source that cannot list the tree. */
  noListing?: boolean;
  signal?: AbortSignal;
}

/** An analyzer input over an in-memory change set. */
export function analyzerInput(
  specs: FileSpec[],
  options: BuildOptions = {},
): AnalyzerInput {
  const base: Record<string, string> = { ...options.unchanged };
  const head: Record<string, string> = { ...options.unchanged };
  for (const spec of specs) {
    if (spec.base !== undefined) base[spec.path] = spec.base;
    if (spec.head !== undefined) head[spec.path] = spec.head;
  }
  const files = specs.map(changedFile);
  const changeSet: ChangeSet = {
    headSha: 'h'.repeat(40),
    baseSha: 'b'.repeat(40),
    files,
    listingComplete: true,
    contents: {
      async read(revision, path) {
        return (revision === 'base' ? base : head)[path];
      },
      ...(options.noListing
        ? {}
        : { listHeadPaths: async () => Object.keys(head).sort() }),
    },
  };
  return inputFor(
    changeSet,
    files.map((file) => ({ file, hunks: parsePatch(file.patch) })),
    options,
  );
}

/** Lines joined with newlines, so test sources read like files. */
export function lines(...text: string[]): string {
  return text.join('\n');
}
