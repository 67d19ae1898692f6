import { inputFor } from '../../../support/change-set.ts';
import type {
  ChangeSet,
  ChangedFile,
  ContentReader,
  FileStatus,
} from '../../../../src/core/change-set.ts';
import { parsePatch } from '../../../../src/core/diff/parse-patch.ts';
import type { Lens } from '../../../../src/core/finding.ts';
import type { AnalyzerInput } from '../../../../src/core/ports.ts';
import { compareSpecs } from '../../../../src/analyzers/openapi/compare.ts';
import type { ApiChange } from '../../../../src/analyzers/openapi/diff/change.ts';
import { loadSpec } from '../../../../src/analyzers/openapi/load/load-spec.ts';

/** Both revisions of a small repository, file path → text. */
export interface Revisions {
  base?: Record<string, string>;
  head?: Record<string, string>;
}

/** Removes the common indentation of a template literal, so specs can be written inline. */
export function yaml(
  strings: TemplateStringsArray,
  ...values: unknown[]
): string {
  const text = strings.reduce(
    (out, part, i) => out + part + (i < values.length ? String(values[i]) : ''),
    '',
  );
  const lines = text.replace(/^\n/, '').replace(/\s+$/, '').split('\n');
  const indent = Math.min(
    ...lines
      .filter((l) => l.trim() !== '')
      .map((l) => l.length - l.trimStart().length),
  );
  return `${lines.map((l) => l.slice(indent)).join('\n')}\n`;
}

/** An in-memory reader that records every path it was asked for. */
export function memoryReader(
  revisions: Revisions,
): ContentReader & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    async read(revision, path) {
      reads.push(`${revision}:${path}`);
      return revisions[revision]?.[path];
    },
    async listHeadPaths() {
      return Object.keys(revisions.head ?? {});
    },
  };
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

/** The analyzer's input for a change set over the given revisions. */
export function analyzerInput(
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
    contents: memoryReader(revisions),
  };
  return inputFor(
    changeSet,
    files.map((file) => ({ file, hunks: parsePatch(file.patch) })),
    options,
  );
}

export const TODAY = new Date('2026-06-15T12:00:00Z');

/** Loads two versions of a single-file spec and classifies the changes. */
export async function diffSpecs(
  base: string | undefined,
  head: string | undefined,
  now = TODAY,
): Promise<ApiChange[]> {
  const reader = memoryReader({
    base: base === undefined ? {} : { 'openapi.yaml': base },
    head: head === undefined ? {} : { 'openapi.yaml': head },
  });
  const before =
    base === undefined
      ? undefined
      : await loadSpec(reader, 'base', 'openapi.yaml');
  const after =
    head === undefined
      ? undefined
      : await loadSpec(reader, 'head', 'openapi.yaml');
  return compareSpecs(before, after, { now });
}

/** Change ids at warning level and above, sorted: what a reviewer sees. */
export function breaking(changes: ApiChange[]): string[] {
  return changes
    .filter((c) => c.level !== 'info')
    .map((c) => c.id)
    .sort();
}

export function ids(changes: ApiChange[]): string[] {
  return changes.map((c) => c.id).sort();
}
