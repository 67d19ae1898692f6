import type { ChangedFile, Revision } from '../../core/change-set.ts';
import type { CoverageNote } from '../../core/coverage.ts';
import type { AnalyzerInput } from '../../core/ports.ts';
import { composeSchema, schemaRoot, type SchemaPart } from './compose.ts';
import { isSdlFile, parseSources, sdlSources } from './extract.ts';
import type { BuiltSchema } from './schema.ts';
import {
  isSchemaConfigFile,
  readSchemaConfig,
  type SchemaProject,
} from './schema-config.ts';

/** A schema split over the SDL files of one folder, at both revisions. */
export interface ComposedEntry {
  /** The changed file findings fall back to when their element's file is not part of the change. */
  file: ChangedFile;
  before: BuiltSchema | undefined;
  after: BuiltSchema | undefined;
  /** Changed paths of the group (head path, and base path of renames and removals). */
  changedPaths: Set<string>;
  /** Changed files the composition covers: the per-file comparison skips them. */
  covered: ChangedFile[];
}

const basePathOf = (file: ChangedFile) =>
  file.status === 'added' ? undefined : (file.previousPath ?? file.path);
const headPathOf = (file: ChangedFile) =>
  file.status === 'removed' ? undefined : file.path;

/**
 * Groups changed SDL files by the schema they belong to — the `schema:` globs of the repository's
 * gqlgen or graphql-config file, else their folder — and composes each group's files (changed or
 * not: unchanged ones come from the head listing) into one schema per revision, so `extend type
 * Mutation` in one file of the `Mutation` in another is compared as part of one schema, also across
 * folders. Groups with a single SDL file, or whose files do not fit together, are left to the
 * per-file comparison.
 */
export async function composeSplitSchemas(
  input: AnalyzerInput,
  notes: CoverageNote[],
  source: string,
): Promise<ComposedEntry[]> {
  const sdl = input.files
    .map(({ file }) => file)
    .filter((file) =>
      [basePathOf(file), headPathOf(file)].some(
        (path) => path !== undefined && isSdlFile(path),
      ),
    );
  if (sdl.length === 0) return [];
  const listing = await headListing(input);
  const projects = await schemaProjects(input, listing ?? []);
  // A file belongs to the first schema the tooling config declares that matches it, else to its folder.
  const groupOf = (path: string): string =>
    projects.find((project) => project.matches(path))?.key ??
    `folder:${schemaRoot(path)}`;
  const groups = new Map<string, ChangedFile[]>();
  for (const file of sdl) {
    const group = groupOf(headPathOf(file) ?? basePathOf(file)!);
    groups.set(group, [...(groups.get(group) ?? []), file]);
  }
  const entries: ComposedEntry[] = [];
  for (const [group, files] of groups) {
    input.signal.throwIfAborted();
    const changedPaths = new Set(
      files.flatMap((file) =>
        [basePathOf(file), headPathOf(file)].filter(
          (path): path is string => path !== undefined,
        ),
      ),
    );
    const unchanged = (listing ?? []).filter(
      (path) =>
        isSdlFile(path) && groupOf(path) === group && !changedPaths.has(path),
    );
    const pathsAt = (revision: Revision) => [
      ...unchanged,
      ...files
        .map(revision === 'base' ? basePathOf : headPathOf)
        .filter(
          (path): path is string => path !== undefined && isSdlFile(path),
        ),
    ];
    const basePaths = pathsAt('base');
    const headPaths = pathsAt('head');
    if (Math.max(basePaths.length, headPaths.length) < 2) continue;
    const before = await composeAt(input, 'base', basePaths);
    const after = await composeAt(input, 'head', headPaths);
    if (before === 'failed' || after === 'failed') continue;
    if (before === undefined && after === undefined) continue;
    entries.push({
      file: files[0]!,
      before,
      after,
      changedPaths,
      covered: files,
    });
  }
  return entries;

  async function composeAt(
    input: AnalyzerInput,
    revision: Revision,
    paths: string[],
  ): Promise<BuiltSchema | undefined | 'failed'> {
    if (paths.length === 0) return undefined;
    const parts: SchemaPart[] = [];
    for (const path of [...paths].sort()) {
      const text = await input.changeSet.contents.read(
        revision,
        path,
        input.signal,
      );
      // Unreadable or unparsable files: the per-file comparison reports them as it always has.
      if (text === undefined) return 'failed';
      try {
        parts.push({ path, parsed: parseSources(sdlSources(path, text)) });
      } catch {
        return 'failed';
      }
    }
    try {
      return composeSchema(parts) ?? 'failed';
    } catch (error) {
      notes.push({
        source,
        path: paths[0]!,
        message: `compared file by file: the ${revision} schema composed of ${paths.length} files does not build: ${error instanceof Error ? error.message : String(error)}`,
      });
      return 'failed';
    }
  }
}

/** The schemas declared by the gqlgen and graphql-config files of the head revision. */
async function schemaProjects(
  input: AnalyzerInput,
  listing: string[],
): Promise<SchemaProject[]> {
  const projects: SchemaProject[] = [];
  for (const path of listing.filter(isSchemaConfigFile).sort()) {
    const text = await input.changeSet.contents
      .read('head', path, input.signal)
      .catch(() => undefined);
    if (text !== undefined) projects.push(...readSchemaConfig(path, text));
  }
  return projects;
}

async function headListing(
  input: AnalyzerInput,
): Promise<string[] | undefined> {
  try {
    if (input.changeSet.contents.listHeadPaths)
      return await input.changeSet.contents.listHeadPaths(input.signal);
    if (input.changeSet.repository)
      return await input.changeSet.repository.listFiles('head', input.signal);
  } catch {
    // Without a listing, only the changed files of a folder are composed.
  }
  return undefined;
}
