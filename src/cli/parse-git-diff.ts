import type { ChangedFile, FileStatus } from '../core/change-set.ts';
import { readQuotedPath, unquotePath } from './unquote-path.ts';

export interface ParseGitDiffOptions {
  /** A file whose hunks are larger than this is listed without a patch, as GitHub does for huge diffs. */
  maxPatchBytes: number;
}

/**
 * Splits the output of `git diff` (with `a/` and `b/` prefixes) into changed files: paths, status,
 * hunks and line counts. A file whose type changed (say, a regular file replaced by a symlink) comes
 * out of git as a deletion plus an addition of the same path; it is merged back into one entry.
 */
export function parseGitDiff(
  output: string,
  options: ParseGitDiffOptions,
): ChangedFile[] {
  const files: ChangedFile[] = [];
  for (const section of splitSections(output)) {
    const file = parseSection(section, options);
    const previous = files.findLast((f) => f.path === file.path);
    if (previous && previous.status === 'removed' && file.status === 'added') {
      files[files.indexOf(previous)] = mergeTypeChange(previous, file, options);
    } else {
      files.push(file);
    }
  }
  return files;
}

function splitSections(output: string): string[][] {
  const sections: string[][] = [];
  let current: string[] | undefined;
  for (const line of output.split('\n')) {
    // Inside hunks every line starts with ' ', '+', '-' or '\', so this can only be a file header.
    if (line.startsWith('diff --git ')) {
      current = [line];
      sections.push(current);
    } else if (current) {
      current.push(line);
    }
  }
  return sections;
}

function parseSection(
  lines: string[],
  options: ParseGitDiffOptions,
): ChangedFile {
  const header = headerPaths(lines[0]!.slice('diff --git '.length));
  let oldPath: string | undefined = header?.oldPath;
  let newPath: string | undefined = header?.newPath;
  let kind: 'new' | 'deleted' | 'renamed' | 'copied' | undefined;
  let modeChanged = false;
  let binary = false;
  let hunkStart = -1;

  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith('@@')) {
      hunkStart = i;
      break;
    }
    if (line.startsWith('Binary files ') || line === 'GIT binary patch') {
      binary = true;
      break;
    }
    if (line.startsWith('new file mode ')) kind = 'new';
    else if (line.startsWith('deleted file mode ')) kind = 'deleted';
    else if (line.startsWith('old mode ')) modeChanged = true;
    else if (line.startsWith('rename from ')) {
      kind = 'renamed';
      oldPath = unquotePath(line.slice(12));
    } else if (line.startsWith('rename to '))
      newPath = unquotePath(line.slice(10));
    else if (line.startsWith('copy from ')) {
      kind = 'copied';
      oldPath = unquotePath(line.slice(10));
    } else if (line.startsWith('copy to '))
      newPath = unquotePath(line.slice(8));
    else if (line.startsWith('--- '))
      oldPath = sidePath(line.slice(4), 'a/') ?? oldPath;
    else if (line.startsWith('+++ '))
      newPath = sidePath(line.slice(4), 'b/') ?? newPath;
  }

  const path = kind === 'deleted' ? oldPath : newPath;
  if (path === undefined)
    throw new Error(
      `could not read the file path from git diff header: ${lines[0]}`,
    );
  const status: FileStatus =
    kind === 'new'
      ? 'added'
      : kind === 'deleted'
        ? 'removed'
        : kind === 'renamed'
          ? 'renamed'
          : kind === 'copied'
            ? 'copied'
            : 'modified';
  const file: ChangedFile = { path, status, additions: 0, deletions: 0 };
  if (kind === 'renamed' || kind === 'copied') file.previousPath = oldPath;

  if (binary) {
    file.patchMissingReason = 'binary file: no text diff to review';
    return file;
  }
  if (hunkStart < 0) {
    // Mode changes, empty new files and pure renames have headers but no hunks.
    if (modeChanged && kind === undefined) file.status = 'changed';
    file.patch = '';
    return file;
  }

  const hunkLines = trimTrailingEmpty(lines.slice(hunkStart));
  for (const line of hunkLines) {
    if (line.startsWith('+')) file.additions++;
    else if (line.startsWith('-')) file.deletions++;
  }
  const patch = hunkLines.join('\n');
  if (Buffer.byteLength(patch, 'utf8') > options.maxPatchBytes) {
    file.patchMissingReason = `diff larger than ${options.maxPatchBytes} bytes (limits.max_file_bytes)`;
  } else {
    file.patch = patch;
  }
  return file;
}

/** `a/<path> b/<path>`, each side possibly C-quoted. Bare paths with spaces are split where both halves agree. */
function headerPaths(
  rest: string,
): { oldPath: string; newPath: string } | undefined {
  const first = readQuotedPath(rest);
  if (first) {
    const remainder = first.rest.trimStart();
    const second = readQuotedPath(remainder)?.path ?? remainder;
    return {
      oldPath: stripPrefix(first.path, 'a/'),
      newPath: stripPrefix(second, 'b/'),
    };
  }
  const quotedSecond = rest.lastIndexOf(' "b/');
  if (quotedSecond > 0) {
    const second = readQuotedPath(rest.slice(quotedSecond + 1));
    if (second)
      return {
        oldPath: stripPrefix(rest.slice(0, quotedSecond), 'a/'),
        newPath: stripPrefix(second.path, 'b/'),
      };
  }
  const half = (rest.length - 5) / 2;
  if (
    Number.isInteger(half) &&
    rest.startsWith('a/') &&
    rest.slice(2 + half, 5 + half) === ' b/'
  ) {
    const oldPath = rest.slice(2, 2 + half);
    const newPath = rest.slice(5 + half);
    if (oldPath === newPath) return { oldPath, newPath };
  }
  const split = rest.indexOf(' b/');
  if (split < 0) return undefined;
  return {
    oldPath: stripPrefix(rest.slice(0, split), 'a/'),
    newPath: rest.slice(split + 3),
  };
}

/** The path on a `---`/`+++` line; undefined for /dev/null. Git appends a tab after paths with spaces. */
function sidePath(token: string, prefix: string): string | undefined {
  const value = unquotePath(token.replace(/\t$/, ''));
  if (value === '/dev/null') return undefined;
  return stripPrefix(value, prefix);
}

function stripPrefix(path: string, prefix: string): string {
  return path.startsWith(prefix) ? path.slice(prefix.length) : path;
}

function trimTrailingEmpty(lines: string[]): string[] {
  let end = lines.length;
  while (end > 0 && lines[end - 1] === '') end--;
  return lines.slice(0, end);
}

function mergeTypeChange(
  removed: ChangedFile,
  added: ChangedFile,
  options: ParseGitDiffOptions,
): ChangedFile {
  const merged: ChangedFile = {
    path: added.path,
    status: 'changed',
    additions: removed.additions + added.additions,
    deletions: removed.deletions + added.deletions,
  };
  const reason = removed.patchMissingReason ?? added.patchMissingReason;
  if (reason) {
    merged.patchMissingReason = reason;
    return merged;
  }
  const patch = [removed.patch, added.patch].filter((p) => p).join('\n');
  if (Buffer.byteLength(patch, 'utf8') > options.maxPatchBytes) {
    merged.patchMissingReason = `diff larger than ${options.maxPatchBytes} bytes (limits.max_file_bytes)`;
  } else {
    merged.patch = patch;
  }
  return merged;
}
