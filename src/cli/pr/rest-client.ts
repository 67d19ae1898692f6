import { Octokit } from '@octokit/rest';
import { config as configPlugin } from '@probot/octokit-plugin-config';
import type { SecretRedactor } from '../../core/ports.ts';
import type { GitHubClient } from '../../github/client/github-client.ts';
import { maskOutgoing } from '../../github/client/outgoing-mask.ts';
import {
  rateLimitRetry,
  type HookedClient,
} from '../../github/client/rate-limit-retry.ts';
import { VERSION } from '../version.ts';

/** An Octokit plugin, as `Octokit.plugin` takes it. */
export type RestPlugin = Parameters<typeof Octokit.plugin>[0];

/**
 * Plugins every token-authenticated client gets besides the config reader (which the config loader
 * needs). This is the one place where the `@octokit/rest` client is assembled, so request policies
 * the app's clients get (such as retries of GitHub writes) are added here once for the CLI and the
 * GitHub Action.
 */
export const REST_PLUGINS: RestPlugin[] = [
  rateLimitRetry as unknown as RestPlugin,
];

export interface RestClientOptions {
  token: string;
  baseUrl: string;
  /** Further plugins, after REST_PLUGINS. */
  plugins?: RestPlugin[];
  /** Masks secrets in every write, as the app's clients do (see outgoing-mask.ts). */
  redactor?: SecretRedactor;
}

/**
 * An `@octokit/rest` client authenticated with a token (the Actions job's GITHUB_TOKEN, a GitHub App
 * installation token or a personal token). Octokit's own request log is silenced: failures reach
 * the caller as errors and are reported once, in one line.
 */
export function createRestClient(options: RestClientOptions): GitHubClient {
  const WithConfig = Octokit.plugin(configPlugin);
  const extra = [...REST_PLUGINS, ...(options.plugins ?? [])];
  const Client: typeof WithConfig =
    extra.length > 0 ? WithConfig.plugin(...extra) : WithConfig;
  const client = new Client({
    auth: options.token,
    baseUrl: options.baseUrl,
    userAgent: `backend-architect/${VERSION}`,
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
  });
  maskOutgoing(
    client as unknown as HookedClient,
    options.redactor ? { redactor: options.redactor } : {},
  );
  return client;
}
