import type { ContentReader } from '../change-set.ts';
import { looksBinary } from './path-policy.ts';
import type { RepositoryView } from './repository-view.ts';

/**
 * A repository view as a content reader, for checks that scan unchanged code: the listing and
 * the reads come from the same snapshot (one tarball or one git process) instead of a request or
 * a process per file. Symlinks, binaries and files over the limit read as absent.
 */
export function viewContentReader(
  view: RepositoryView,
  maxFileBytes: number,
): ContentReader {
  return {
    async read(revision, path, signal) {
      const file = await view.readFile(revision, path, signal);
      if (
        file.kind !== 'file' ||
        file.bytes.length > maxFileBytes ||
        looksBinary(file.bytes)
      )
        return undefined;
      return file.bytes.toString('utf8');
    },
    listHeadPaths: (signal) => view.listFiles('head', signal),
  };
}
