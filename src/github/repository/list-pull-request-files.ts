import { z } from 'zod';
import type { ChangedFile } from '../../core/change-set.ts';
import { requestSignal, type GitHubClient } from '../client/github-client.ts';

/** GitHub lists at most this many files of a pull request, whatever the pull request changes. */
export const GITHUB_FILE_LIST_LIMIT = 3000;
const PER_PAGE = 100;

export const PATCH_MISSING_REASON =
  'GitHub returned no diff (binary file or diff too large)';

const PullFileSchema = z.object({
  filename: z.string().min(1),
  status: z.enum([
    'added',
    'removed',
    'modified',
    'renamed',
    'copied',
    'changed',
    'unchanged',
  ]),
  additions: z.int().nonnegative(),
  deletions: z.int().nonnegative(),
  patch: z.string().optional(),
  previous_filename: z.string().optional(),
});
const PullFilesPageSchema = z.array(PullFileSchema);
type PullFile = z.infer<typeof PullFileSchema>;

export interface FileListing {
  files: ChangedFile[];
  /** True when the listing stopped at GitHub's limit with a full last page, so more files may exist. */
  reachedLimit: boolean;
}

export interface ListingOptions {
  signal?: AbortSignal;
  /** The pull request's `changed_files`: the pages that many files fill are requested at once. */
  expectedFiles?: number;
  /** Sees each page's files as they arrive, in page order (to start reading them early). */
  onPage?: (files: ChangedFile[]) => void;
}

/**
 * Every page of `GET /pulls/{n}/files`, up to GitHub's 3000-file limit. The pages the expected
 * file count fills are requested together; any beyond (the count was stale) one after another.
 */
export async function listPullRequestFiles(
  octokit: GitHubClient,
  target: { owner: string; repo: string; pullNumber: number },
  options: ListingOptions = {},
): Promise<FileListing> {
  const { signal } = options;
  const files: ChangedFile[] = [];
  const lastPage = GITHUB_FILE_LIST_LIMIT / PER_PAGE;
  const readPage = async (page: number) => {
    const response = await octokit.request(
      'GET /repos/{owner}/{repo}/pulls/{pull_number}/files',
      {
        owner: target.owner,
        repo: target.repo,
        pull_number: target.pullNumber,
        per_page: PER_PAGE,
        page,
        request: { signal: requestSignal(signal) },
      },
    );
    const parsed = PullFilesPageSchema.safeParse(response.data);
    if (!parsed.success)
      throw new Error(
        `unexpected response listing pull request files (page ${page}): ${parsed.error.issues[0]?.message ?? 'invalid'}`,
      );
    return parsed.data;
  };
  const together = Math.min(
    lastPage,
    Math.max(1, Math.ceil((options.expectedFiles ?? 0) / PER_PAGE)),
  );
  const pages = Array.from({ length: together }, (_, i) => readPage(i + 1));
  // Awaited in order below; a page after a failed one must not become an unhandled rejection.
  for (const page of pages) page.catch(() => undefined);
  for (let page = 1; page <= lastPage; page++) {
    const data = await (pages[page - 1] ?? readPage(page));
    const mapped = data.map(toChangedFile);
    files.push(...mapped);
    options.onPage?.(mapped);
    if (data.length < PER_PAGE) return { files, reachedLimit: false };
  }
  return { files, reachedLimit: true };
}

function toChangedFile(file: PullFile): ChangedFile {
  const changed: ChangedFile = {
    path: file.filename,
    status: file.status,
    additions: file.additions,
    deletions: file.deletions,
  };
  if (file.previous_filename) changed.previousPath = file.previous_filename;
  if (file.patch !== undefined && file.patch !== '') changed.patch = file.patch;
  else if (!isPureMove(file)) changed.patchMissingReason = PATCH_MISSING_REASON;
  return changed;
}

/** A rename or copy without content changes has no patch by nature, not because GitHub withheld it. */
function isPureMove(file: PullFile): boolean {
  return (
    (file.status === 'renamed' || file.status === 'copied') &&
    file.additions + file.deletions === 0
  );
}
