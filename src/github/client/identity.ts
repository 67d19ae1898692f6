import { z } from 'zod';
import { requestSignal, type GitHubClient } from './github-client.ts';

/** Who the app is on GitHub: its own comments are the ones by `login`, its check runs carry `id`. */
export interface AppIdentity {
  id: number;
  slug: string;
  /** The login GitHub gives the app's bot account. */
  login: string;
}

const AppSchema = z.object({ id: z.int().positive(), slug: z.string().min(1) });

export type IdentityResolver = () => Promise<AppIdentity>;

/**
 * Looks the app up once per process (`GET /app`, authenticated as the app itself). A failed
 * look-up is not remembered, so the next review tries again.
 */
export function identityResolver(
  appOctokit: () => Promise<GitHubClient>,
): IdentityResolver {
  let pending: Promise<AppIdentity> | undefined;
  return () => {
    pending ??= (async () => {
      const octokit = await appOctokit();
      const { data } = await octokit.request('GET /app', {
        request: { signal: requestSignal(undefined) },
      });
      const app = AppSchema.parse(data);
      return { id: app.id, slug: app.slug, login: `${app.slug}[bot]` };
    })();
    pending.catch(() => (pending = undefined));
    return pending;
  };
}
