import type { ChangedFile, Revision } from '../../core/change-set.ts';
import type { CoverageNote } from '../../core/coverage.ts';
import type { DraftFinding } from '../../core/finding.ts';
import type {
  Analyzer,
  AnalyzerInput,
  AnalyzerOutput,
} from '../../core/ports.ts';
import { compareSchemas, typeOfPath, type SchemaChange } from './compare.ts';
import {
  isSdlFile,
  mayHoldTaggedSdl,
  parseSources,
  sdlSources,
  SdlSyntaxError,
} from './extract.ts';
import { changeToFinding } from './findings.ts';
import { buildFileSchema, type BuiltSchema } from './schema.ts';
import { composeSplitSchemas } from './split-schema.ts';

export const GRAPHQL_ANALYZER_NAME = 'graphql';

export interface GraphqlAnalyzerOptions {
  /** Report NON_BREAKING changes too (as low-severity findings). Off: only breaking and dangerous ones. */
  reportNonBreaking?: boolean;
}

interface FileSchemas {
  file: ChangedFile;
  before: BuiltSchema | undefined;
  after: BuiltSchema | undefined;
  /** Set for a schema composed of several files: the changed ones among them. */
  changedPaths?: Set<string>;
}

/**
 * Breaking and dangerous changes in GraphQL schemas (SDL files, and SDL in plain `gql`/`graphql`
 * tagged template literals), classified by graphql-inspector: both revisions of each changed file
 * are built and diffed, and each change becomes a finding on the line of the element it is about.
 */
export function createGraphqlAnalyzer(
  options: GraphqlAnalyzerOptions = {},
): Analyzer {
  return {
    name: GRAPHQL_ANALYZER_NAME,
    lenses: ['api-contract'],
    async analyze(input: AnalyzerInput): Promise<AnalyzerOutput> {
      const findings: DraftFinding[] = [];
      const notes: CoverageNote[] = [];
      if (!input.lenses.has('api-contract')) return { findings, notes };
      // Schemas split over a folder's SDL files are compared whole; the rest file by file.
      const composed = await composeSplitSchemas(
        input,
        notes,
        GRAPHQL_ANALYZER_NAME,
      );
      const covered = new Set(composed.flatMap((entry) => entry.covered));
      const compared: FileSchemas[] = composed.map(
        ({ file, before, after, changedPaths }) => ({
          file,
          before,
          after,
          changedPaths,
        }),
      );
      for (const { file } of input.files) {
        input.signal.throwIfAborted();
        if (covered.has(file)) continue;
        const basePath =
          file.status === 'added'
            ? undefined
            : (file.previousPath ?? file.path);
        const candidate = (path: string | undefined) =>
          path !== undefined &&
          (isSdlFile(path) || /\.(ts|mts|cts|js|mjs|cjs)$/.test(path));
        if (!candidate(file.path) && !candidate(basePath)) continue;
        const load = async (
          revision: Revision,
          path: string | undefined,
        ): Promise<BuiltSchema | undefined | 'none' | 'failed'> => {
          if (
            path === undefined ||
            (revision === 'head' && file.status === 'removed')
          )
            return undefined;
          const text = await input.changeSet.contents.read(
            revision,
            path,
            input.signal,
          );
          if (text === undefined) {
            if (isSdlFile(path))
              notes.push({
                source: GRAPHQL_ANALYZER_NAME,
                path: file.path,
                message: `not checked for schema changes: the ${revision} version could not be read`,
              });
            return 'failed';
          }
          if (!isSdlFile(path) && !mayHoldTaggedSdl(path, text)) return 'none';
          try {
            const parsed = parseSources(sdlSources(path, text));
            if (parsed.definitions.length === 0) return 'none';
            return buildFileSchema(parsed);
          } catch (error) {
            const line =
              error instanceof SdlSyntaxError ? error.line : undefined;
            notes.push({
              source: GRAPHQL_ANALYZER_NAME,
              path: file.path,
              ...(revision === 'head' && line ? { line } : {}),
              message: `not checked for schema changes: the ${revision} schema does not build: ${error instanceof Error ? error.message : String(error)}`,
            });
            return 'failed';
          }
        };
        const after = await load('head', file.path);
        // A code file without SDL at head had SDL at base only if the patch removes a tagged template.
        const baseMayHold =
          basePath !== undefined &&
          (isSdlFile(basePath) ||
            (after !== undefined && after !== 'none') ||
            /^-.*\b(?:gql|graphql)\s*`/m.test(file.patch ?? ''));
        const before = baseMayHold ? await load('base', basePath) : undefined;
        if (before === 'failed' || after === 'failed') continue;
        if (
          (before === undefined || before === 'none') &&
          (after === undefined || after === 'none')
        )
          continue;
        compared.push({
          file,
          before: before === 'none' ? undefined : before,
          after: after === 'none' ? undefined : after,
        });
      }
      // A type removed from one file and defined in another changed file has moved, not gone.
      const definedAtHead = new Set(
        compared.flatMap(({ after }) => [...(after?.defined ?? [])]),
      );
      for (const entry of compared) {
        let changes: SchemaChange[];
        try {
          changes = await compareSchemas(entry.before, entry.after);
        } catch (error) {
          notes.push({
            source: GRAPHQL_ANALYZER_NAME,
            path: entry.file.path,
            message: `not checked for schema changes: ${error instanceof Error ? error.message : String(error)}`,
          });
          continue;
        }
        for (const change of changes) {
          if (
            change.criticality === 'NON_BREAKING' &&
            !options.reportNonBreaking
          )
            continue;
          const type = typeOfPath(change.path);
          if (
            change.type === 'TYPE_REMOVED' &&
            type !== undefined &&
            !entry.after?.defined.has(type) &&
            definedAtHead.has(type)
          )
            continue;
          findings.push(changeToFinding(change, entry, entry.changedPaths));
        }
      }
      return { findings, notes };
    },
  };
}
