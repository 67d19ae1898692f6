/** The longest any single GitHub HTTP request may take, including the installation-token exchange. */
export const GITHUB_FETCH_TIMEOUT_MS = 30_000;

/**
 * `fetch` with a deadline, given to Probot so every GitHub request has one, also those Octokit makes
 * on its own (token exchange, config reads) that take no caller signal.
 */
export function fetchWithTimeout(
  timeoutMs = GITHUB_FETCH_TIMEOUT_MS,
): typeof fetch {
  return (input, init) => {
    const deadline = AbortSignal.timeout(timeoutMs);
    const signal = init?.signal
      ? AbortSignal.any([init.signal, deadline])
      : deadline;
    return fetch(input, { ...init, signal });
  };
}
