import { messageOf, statusOf } from '../../github/client/github-client.ts';

export interface ErrorContext {
  /** `owner/repo#N`. */
  pullRequest: string;
  /** Where the token came from, to say what to fix. */
  tokenEnv: string;
  apiUrl: string;
}

/**
 * One line for a failed GitHub request: bad token, no access, not found, rate limited or
 * unreachable. Anything else gets Octokit's message.
 */
export function describeGitHubError(
  error: unknown,
  context: ErrorContext,
): string {
  const status = statusOf(error);
  const headers = headersOf(error);
  const detail = firstLine(githubMessage(error));
  if (status === 401)
    return `GitHub rejected the token in ${context.tokenEnv} (401${detail ? `: ${detail}` : ''}); it is invalid or expired`;
  if (
    (status === 403 || status === 429) &&
    headers['x-ratelimit-remaining'] === '0'
  ) {
    const reset = Number(headers['x-ratelimit-reset']);
    const until =
      Number.isFinite(reset) && reset > 0
        ? ` until ${new Date(reset * 1000).toISOString().slice(11, 16)} UTC`
        : '';
    return `rate limited by GitHub${until} (the token's hourly request quota is used up); try again later`;
  }
  if (
    status === 429 ||
    (status === 403 &&
      (headers['retry-after'] !== undefined ||
        /secondary rate limit/i.test(detail)))
  ) {
    const after = headers['retry-after']
      ? ` in ${headers['retry-after']} s`
      : ' later';
    return `rate limited by GitHub (secondary rate limit); try again${after}`;
  }
  if (status === 403)
    return `the token in ${context.tokenEnv} has no access to ${context.pullRequest} (403${detail ? `: ${detail}` : ''})`;
  if (status === 404)
    return `pull request ${context.pullRequest} not found, or the token in ${context.tokenEnv} cannot see its repository (404)`;
  // Octokit reports transport failures (refused, reset, timed out) as a 500 without a response.
  if (isTransportError(error))
    return `cannot reach GitHub at ${context.apiUrl}: ${firstLine(causeOf(error))}`;
  if (status === undefined)
    return `review failed: ${firstLine(messageOf(error))}`;
  return `GitHub request failed (${status}): ${detail || firstLine(messageOf(error))}`;
}

function headersOf(error: unknown): Record<string, string | undefined> {
  const response =
    typeof error === 'object' && error !== null && 'response' in error
      ? (error as { response?: { headers?: Record<string, unknown> } }).response
      : undefined;
  return Object.fromEntries(
    Object.entries(response?.headers ?? {}).map(([k, v]) => [
      k.toLowerCase(),
      v === undefined ? undefined : String(v),
    ]),
  );
}

/** GitHub's own message from the response body, which Octokit also puts in the error's message. */
function githubMessage(error: unknown): string {
  const data =
    typeof error === 'object' && error !== null && 'response' in error
      ? (error as { response?: { data?: unknown } }).response?.data
      : undefined;
  if (
    typeof data === 'object' &&
    data !== null &&
    'message' in data &&
    typeof data.message === 'string'
  )
    return data.message;
  return statusOf(error) === undefined ? '' : messageOf(error);
}

function isTransportError(error: unknown): boolean {
  return (
    error instanceof Error &&
    error.name === 'HttpError' &&
    !(
      typeof error === 'object' &&
      'response' in error &&
      (error as { response?: unknown }).response
    )
  );
}

function causeOf(error: unknown): string {
  // fetch's TypeError ("fetch failed") has the socket error as its own cause.
  let cause = error instanceof Error ? error.cause : undefined;
  while (cause instanceof Error && cause.cause instanceof Error)
    cause = cause.cause;
  if (cause instanceof Error)
    return 'code' in cause &&
      typeof cause.code === 'string' &&
      !cause.message.includes(cause.code)
      ? `${cause.code}: ${cause.message}`
      : cause.message;
  return messageOf(error);
}

function firstLine(text: string): string {
  return (text.split('\n')[0] ?? '').trim().slice(0, 300);
}
