import { parseAsync, type SgNode } from '@ast-grep/napi';
import type { ChangeSet, Revision } from '../../core/change-set.ts';
import { astGrepLang, type CodeLanguage } from './languages.ts';

// Several analyzers look at the same files. One read and one parse per change set, revision and path
// are shared by all of them, and released with the change set: syntax trees live in native memory
// the garbage collector cannot see, so parsing a file twice costs real memory, not only time.
const texts = new WeakMap<
  ChangeSet,
  Map<string, Promise<string | undefined>>
>();
const roots = new WeakMap<ChangeSet, Map<string, Promise<SgNode>>>();

function memo<T>(
  cache: WeakMap<ChangeSet, Map<string, Promise<T>>>,
  changeSet: ChangeSet,
  key: string,
  load: () => Promise<T>,
): Promise<T> {
  let byKey = cache.get(changeSet);
  if (!byKey) {
    byKey = new Map();
    cache.set(changeSet, byKey);
  }
  let pending = byKey.get(key);
  if (!pending) {
    pending = load();
    byKey.set(key, pending);
  }
  return pending;
}

/** The text of a file at one revision, read once per change set. */
export function readSource(
  changeSet: ChangeSet,
  revision: Revision,
  path: string,
  signal?: AbortSignal,
): Promise<string | undefined> {
  return memo(texts, changeSet, `${revision}\u0000${path}`, () =>
    changeSet.contents.read(revision, path, signal),
  );
}

/** The syntax tree of `text` (the file's contents at that revision), parsed once per change set. */
export function parseRoot(
  changeSet: ChangeSet,
  revision: Revision,
  path: string,
  language: CodeLanguage,
  text: string,
): Promise<SgNode> {
  return memo(
    roots,
    changeSet,
    `${revision}\u0000${language}\u0000${path}`,
    async () => (await parseAsync(astGrepLang(language), text)).root(),
  );
}
