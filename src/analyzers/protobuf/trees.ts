import type { ChangeSet, ChangedFile } from '../../core/change-set.ts';

/** The files buf reads: .proto sources and the configuration that says how to build and check them. */
const CONFIG_NAMES = new Set(['buf.yaml', 'buf.work.yaml']);

export function isProtoPath(path: string): boolean {
  return path.endsWith('.proto') && !path.split('/').includes('node_modules');
}

function isBufConfig(path: string): boolean {
  return (
    CONFIG_NAMES.has(basename(path)) &&
    !path.split('/').includes('node_modules')
  );
}

export function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export function dirname(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

/** `dir` joined with `path`, where '' is the repository root. */
export function joinPath(dir: string, path: string): string {
  return dir === '' ? path : `${dir}/${path}`;
}

export function isUnder(path: string, dir: string): boolean {
  return dir === '' || path.startsWith(`${dir}/`);
}

/** The proto-related paths of both revisions; base paths are derived from the head listing and the change list. */
export interface RepositoryPaths {
  head: string[];
  base: string[];
  /** False when the source cannot list the repository: only the changed files are known. */
  complete: boolean;
}

export async function protoRelatedPaths(
  changeSet: ChangeSet,
  signal: AbortSignal,
): Promise<RepositoryPaths> {
  const wanted = (path: string) => isProtoPath(path) || isBufConfig(path);
  const listing = changeSet.contents.listHeadPaths
    ? await changeSet.contents.listHeadPaths(signal)
    : undefined;
  const head = new Set(
    (
      listing ??
      changeSet.files.filter((f) => f.status !== 'removed').map((f) => f.path)
    ).filter(wanted),
  );
  const base = new Set(listing ? head : []);
  for (const file of changeSet.files) {
    const before = basePathOf(file);
    if (file.status !== 'copied' && before !== file.path)
      base.delete(file.path);
    if (file.status === 'added') base.delete(file.path);
    if (before !== undefined && wanted(before)) base.add(before);
  }
  return {
    head: [...head].sort(),
    base: [...base].sort(),
    complete: listing !== undefined,
  };
}

/** The file's path at the base revision, or undefined when it did not exist there. */
export function basePathOf(file: ChangedFile): string | undefined {
  if (file.status === 'added') return undefined;
  return file.previousPath ?? file.path;
}

/**
 * Where buf runs for a changed .proto file: the outermost enclosing directory with a buf.work.yaml
 * (a v1 workspace), else the nearest with a buf.yaml (a v2 workspace or a v1 module); undefined
 * when no buf configuration covers the file.
 */
export function configuredRoot(
  path: string,
  configs: ReadonlySet<string>,
): string | undefined {
  const ancestors: string[] = [];
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    ancestors.push(dir);
    if (dir === '') break;
  }
  for (const dir of [...ancestors].reverse())
    if (configs.has(joinPath(dir, 'buf.work.yaml'))) return dir;
  for (const dir of ancestors)
    if (configs.has(joinPath(dir, 'buf.yaml'))) return dir;
  return undefined;
}

/**
 * The module root of a file outside any buf configuration, the way protoc's include paths work: the
 * directory from which its imports resolve to files of the repository, else the one its package
 * names (`package acme.billing.v1` in `proto/acme/billing/v1/x.proto` gives `proto`), else its own
 * directory.
 */
/** The files a .proto file imports, as written. */
export function importsOf(text: string): string[] {
  return [
    ...text.matchAll(
      /^\s*import\s+(?:public\s+|weak\s+|option\s+)?["']([^"']+\.proto)["']\s*;/gm,
    ),
  ].map((match) => match[1]!);
}

export function inferModuleRoot(
  path: string,
  text: string | undefined,
  protoPaths: ReadonlySet<string>,
): string {
  const source = text ?? '';
  for (const imported of importsOf(source)) {
    if (imported.startsWith('google/protobuf/')) continue;
    for (const candidate of protoPaths) {
      if (candidate !== imported && !candidate.endsWith(`/${imported}`))
        continue;
      const root =
        candidate === imported ? '' : candidate.slice(0, -imported.length - 1);
      if (isUnder(path, root)) return root;
    }
  }
  const pkg = /^\s*package\s+([\w.]+)\s*;/m.exec(source)?.[1];
  if (pkg) {
    const suffix = pkg.split('.').join('/');
    const dir = dirname(path);
    if (dir === suffix) return '';
    if (dir.endsWith(`/${suffix}`)) return dir.slice(0, -suffix.length - 1);
  }
  return dirname(path);
}
