import type { Config } from '../../src/config/schema.ts';
import { DEFAULT_CONFIG } from '../../src/config/schema.ts';
import type { ChangeSet, ChangedFile } from '../../src/core/change-set.ts';
import { LENSES, type Lens } from '../../src/core/finding.ts';
import { silentLogger } from '../../src/core/logger.ts';
import type { AnalyzerInput, ScopedFile } from '../../src/core/ports.ts';

/** An in-memory change set for engine tests. */
export function changeSet(
  files: ChangedFile[],
  contents: {
    base?: Record<string, string>;
    head?: Record<string, string>;
  } = {},
): ChangeSet {
  return {
    title: 'Add checkout v2',
    description: 'Adds a new checkout flow.',
    baseSha: 'b'.repeat(40),
    headSha: 'a'.repeat(40),
    files,
    listingComplete: true,
    contents: {
      async read(revision, path) {
        return contents[revision]?.[path];
      },
      async listHeadPaths() {
        return Object.keys(contents.head ?? {});
      },
    },
  };
}

/** A modified file whose patch adds the given lines at `start`. */
export function addedFile(
  path: string,
  lines: string[],
  start = 1,
): ChangedFile {
  return {
    path,
    status: 'modified',
    additions: lines.length,
    deletions: 0,
    patch: [
      `@@ -${start},0 +${start},${lines.length} @@`,
      ...lines.map((l) => `+${l}`),
    ].join('\n'),
  };
}

/** What the engine hands an analyzer, for tests that call one directly. */
export function inputFor(
  changeSet: ChangeSet,
  files: ScopedFile[],
  options: {
    lenses?: readonly Lens[];
    config?: Config;
    signal?: AbortSignal;
  } = {},
): AnalyzerInput {
  return {
    changeSet,
    files,
    lenses: new Set(options.lenses ?? LENSES),
    config: options.config ?? DEFAULT_CONFIG,
    logger: silentLogger,
    signal: options.signal ?? new AbortController().signal,
  };
}
