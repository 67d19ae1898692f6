import { foldSameLine } from './fold-same-line.ts';
import {
  keepsChange,
  loadOasdiffConfig,
  type OasdiffSettings,
} from './oasdiff-config.ts';
import type { ChangedFile, Revision } from '../../core/change-set.ts';
import type { CoverageNote } from '../../core/coverage.ts';
import type { DraftFinding } from '../../core/finding.ts';
import type {
  Analyzer,
  AnalyzerInput,
  AnalyzerOutput,
} from '../../core/ports.ts';
import { compareSpecs } from './compare.ts';
import { changesToFindings } from './findings.ts';
import {
  isSpecCandidatePath,
  looksLikeFragment,
  looksLikeSpec,
} from './load/detect.ts';
import { findRootsFor } from './load/find-roots.ts';
import { loadSpec, type LoadedSpec } from './load/load-spec.ts';
import { messageOf } from '../../core/error-message.ts';

export const OPENAPI_ANALYZER_NAME = 'openapi';

export interface OpenApiAnalyzerOptions {
  /** "Today" for sunset dates; defaults to the clock. */
  now?: () => Date;
}

/** What one changed YAML/JSON file turned out to be. */
type FileKind = 'spec' | 'fragment' | 'other';

/**
 * Breaking changes in OpenAPI 3.x and Swagger 2.0 documents changed by the pull request: both
 * revisions are loaded (with `$ref`s resolved at the same revision), diffed, and every change that
 * breaks or probably breaks existing clients becomes a finding on the line that shows it. A changed
 * file of shared schemas that is not a spec itself is followed to the unchanged specs that use it.
 */
export function createOpenApiAnalyzer(
  options: OpenApiAnalyzerOptions = {},
): Analyzer {
  const clock = options.now ?? (() => new Date());
  return {
    name: OPENAPI_ANALYZER_NAME,
    lenses: ['api-contract'],
    async analyze(input: AnalyzerInput): Promise<AnalyzerOutput> {
      const out: Output = { findings: [], notes: [], seen: new Set() };
      if (!input.lenses.has('api-contract'))
        return { findings: out.findings, notes: out.notes };
      const now = clock();
      const changed = new Set(input.files.map(({ file }) => file.path));
      const fragments: string[] = [];
      if (
        input.files.some(
          ({ file }) =>
            isSpecCandidatePath(file.path) ||
            (file.previousPath !== undefined &&
              isSpecCandidatePath(file.previousPath)),
        )
      ) {
        // The team's oasdiff settings, read at the base: endpoints excluded, paths matched, levels.
        const team = await loadOasdiffConfig(input.changeSet, input.signal);
        out.notes.push(...team.notes);
        out.settings = team.settings;
      }
      for (const { file } of input.files) {
        input.signal.throwIfAborted();
        if (
          !isSpecCandidatePath(file.path) &&
          !(file.previousPath && isSpecCandidatePath(file.previousPath))
        )
          continue;
        try {
          if ((await analyzeFile(input, file, now, out)) === 'fragment')
            fragments.push(file.path);
        } catch (error) {
          input.signal.throwIfAborted();
          out.notes.push({
            source: OPENAPI_ANALYZER_NAME,
            path: file.path,
            message: `could not analyse: ${messageOf(error)}`,
          });
        }
      }
      await followFragments(input, fragments, changed, now, out);
      return { findings: foldSameLine(out.findings), notes: out.notes };
    },
  };
}

interface Output {
  findings: DraftFinding[];
  notes: CoverageNote[];
  /** Finding keys already reported: two specs sharing a changed fragment report it once. */
  seen: Set<string>;
  /** The team's oasdiff settings, when the repository has them. */
  settings?: OasdiffSettings;
}

function note(out: Output, path: string, message: string, line?: number): void {
  out.notes.push({
    source: OPENAPI_ANALYZER_NAME,
    path,
    ...(line ? { line } : {}),
    message,
  });
}

async function analyzeFile(
  input: AnalyzerInput,
  file: ChangedFile,
  now: Date,
  out: Output,
): Promise<FileKind> {
  const reader = input.changeSet.contents;
  const basePath = file.previousPath ?? file.path;
  const headText =
    file.status === 'removed'
      ? undefined
      : await reader.read('head', file.path, input.signal);
  const baseText =
    file.status === 'added'
      ? undefined
      : await reader.read('base', basePath, input.signal);
  const headIsSpec = headText !== undefined && looksLikeSpec(headText);
  const baseIsSpec = baseText !== undefined && looksLikeSpec(baseText);
  // A side that cannot be read might hold a spec: say so rather than pass the file as checked.
  // Only a readable other side that is plainly not a spec lets the file go silently.
  const unread: Revision | undefined =
    file.status !== 'removed' && headText === undefined
      ? 'head'
      : file.status !== 'added' && baseText === undefined
        ? 'base'
        : undefined;
  if (unread) {
    const otherText = unread === 'head' ? baseText : headText;
    if (otherText === undefined || looksLikeSpec(otherText)) {
      note(
        out,
        file.path,
        `not checked for API changes: the ${unread} version could not be read (binary, missing or over the size limit)`,
      );
    }
    return 'other';
  }
  if (!headIsSpec && !baseIsSpec)
    return looksLikeFragment(headText ?? '') ||
      looksLikeFragment(baseText ?? '')
      ? 'fragment'
      : 'other';
  if (baseIsSpec && headText !== undefined && !headIsSpec) {
    note(
      out,
      file.path,
      'not compared: the file no longer holds an OpenAPI document',
    );
    return 'other';
  }
  await compareFile(
    input,
    {
      path: file.path,
      previousPath: file.previousPath,
      base: baseIsSpec ? basePath : undefined,
      head: headIsSpec ? file.path : undefined,
    },
    now,
    out,
  );
  return 'spec';
}

interface Comparison {
  path: string;
  previousPath?: string;
  base: string | undefined;
  head: string | undefined;
  /** Keep only findings in these files (for a spec compared because a fragment changed). */
  only?: ReadonlySet<string>;
}

async function compareFile(
  input: AnalyzerInput,
  comparison: Comparison,
  now: Date,
  out: Output,
): Promise<void> {
  const load = async (
    revision: Revision,
    path: string,
  ): Promise<LoadedSpec | undefined> => {
    try {
      return await loadSpec(
        input.changeSet.contents,
        revision,
        path,
        input.signal,
      );
    } catch (error) {
      input.signal.throwIfAborted();
      const message = messageOf(error);
      note(
        out,
        comparison.path,
        `could not analyse (${revision}): ${message}`,
        revision === 'head' ? lineIn(message) : undefined,
      );
      return undefined;
    }
  };
  const base =
    comparison.base === undefined
      ? undefined
      : await load('base', comparison.base);
  const head =
    comparison.head === undefined
      ? undefined
      : await load('head', comparison.head);
  // Comparing a side that failed to load with one that did would report everything as added or removed.
  if (
    (comparison.base !== undefined && !base) ||
    (comparison.head !== undefined && !head)
  )
    return;
  const changes = compareSpecs(base, head, { now }).filter((change) =>
    keepsChange(out.settings, change),
  );
  for (const finding of changesToFindings(
    changes,
    {
      path: comparison.path,
      previousPath: comparison.previousPath,
      base,
      head,
    },
    out.settings?.levels,
  )) {
    if (comparison.only && !comparison.only.has(finding.path)) continue;
    const key = `${finding.ruleId}\u0000${finding.path}\u0000${finding.lines?.side}:${finding.lines?.start}\u0000${finding.title}`;
    if (out.seen.has(key)) continue;
    out.seen.add(key);
    out.findings.push(finding);
  }
}

/** Compares the unchanged specs that can reach changed fragments, at both revisions. */
async function followFragments(
  input: AnalyzerInput,
  fragments: string[],
  changed: ReadonlySet<string>,
  now: Date,
  out: Output,
): Promise<void> {
  if (fragments.length === 0) return;
  let search;
  try {
    search = await findRootsFor(
      input.changeSet.contents,
      fragments,
      changed,
      input.signal,
    );
  } catch (error) {
    input.signal.throwIfAborted();
    note(
      out,
      fragments[0]!,
      `could not look for the specs that use this file: ${messageOf(error)}`,
    );
    return;
  }
  for (const root of search.roots) {
    input.signal.throwIfAborted();
    try {
      await compareFile(
        input,
        { path: root, base: root, head: root, only: changed },
        now,
        out,
      );
    } catch (error) {
      input.signal.throwIfAborted();
      note(out, root, `could not analyse: ${messageOf(error)}`);
    }
  }
  if (search.skipped > 0) {
    note(
      out,
      fragments[0]!,
      `${search.skipped} more candidate specs near the changed schema files were not compared (limit of ${search.roots.length} specs)`,
    );
  }
}

function lineIn(message: string): number | undefined {
  const match = /\bline (\d+)/.exec(message);
  return match ? Number(match[1]) : undefined;
}
