import { UsageError } from '../parse-args.ts';

export const GITHUB_API_URL = 'https://api.github.com';

export interface PullRequestRef {
  owner: string;
  repo: string;
  pullNumber: number;
  /** The REST API base the reference implies: GitHub Enterprise Server URLs name their host. */
  apiUrl?: string;
}

const NAME = '[A-Za-z0-9_.-]+';
const SHORT = new RegExp(`^(${NAME})/(${NAME})#(\\d+)$`);
const PATH = new RegExp(`^/(${NAME})/(${NAME})/pull/(\\d+)(?:/.*)?$`);

/** `owner/repo#N`, or a pull request's web URL on github.com or a GitHub Enterprise Server host. */
export function parsePullRequestRef(text: string): PullRequestRef {
  const short = SHORT.exec(text);
  if (short) return ref(short[1]!, short[2]!, short[3]!);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(
      `--pr must be owner/repo#N or a pull request URL (got "${text}")`,
    );
  }
  const path = PATH.exec(url.pathname);
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || !path) {
    throw new UsageError(
      `--pr must be owner/repo#N or a pull request URL like https://github.com/owner/repo/pull/1 (got "${text}")`,
    );
  }
  const host = url.host.toLowerCase();
  const apiUrl =
    host === 'github.com' || host === 'www.github.com'
      ? GITHUB_API_URL
      : `${url.protocol}//${url.host}/api/v3`;
  return { ...ref(path[1]!, path[2]!, path[3]!), apiUrl };
}

function ref(owner: string, repo: string, number: string): PullRequestRef {
  const pullNumber = Number(number);
  if (!Number.isSafeInteger(pullNumber) || pullNumber < 1)
    throw new UsageError(`--pr: "${number}" is not a pull request number`);
  return { owner, repo: repo.replace(/\.git$/, ''), pullNumber };
}

/** GITHUB_API_URL wins (Actions sets it, also on GitHub Enterprise Server); then the URL's host; then github.com. */
export function apiUrlFor(ref: PullRequestRef, env: NodeJS.ProcessEnv): string {
  const configured = env.GITHUB_API_URL?.trim();
  return (configured || ref.apiUrl || GITHUB_API_URL).replace(/\/+$/, '');
}

/** The pull request's web page, from the API base: api.github.com serves github.com, `/api/v3` its own host. */
export function pullRequestUrl(
  apiUrl: string,
  target: { owner: string; repo: string; pullNumber: number },
): string {
  const web =
    apiUrl === GITHUB_API_URL
      ? 'https://github.com'
      : apiUrl.replace(/\/api\/v3$/, '');
  return `${web}/${target.owner}/${target.repo}/pull/${target.pullNumber}`;
}
