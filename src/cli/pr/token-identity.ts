import { z } from 'zod';
import {
  requestSignal,
  type GitHubClient,
} from '../../github/client/github-client.ts';
import type {
  AppIdentity,
  IdentityResolver,
} from '../../github/client/identity.ts';

const ViewerSchema = z.object({
  viewer: z.object({ login: z.string().min(1), __typename: z.string() }),
});
const AppSchema = z.object({ id: z.int().positive(), slug: z.string().min(1) });

/** No GitHub App owns a person's check runs: none of the head's runs is taken for ours. */
export const NO_APP_ID = 0;

/**
 * Who the token posts as, which is how our own comments and check runs are recognised later. GraphQL
 * `viewer` answers for every kind of token (`GET /user` refuses installation tokens, `GET /app`
 * needs the app's key). An app's bot (`github-actions[bot]` for the Actions job's token) is then
 * looked up by slug for the app id its check runs carry; a person's token has no app.
 */
export function tokenIdentity(octokit: GitHubClient): IdentityResolver {
  let pending: Promise<AppIdentity> | undefined;
  return () => {
    pending ??= (async () => {
      const viewer = ViewerSchema.parse(
        await octokit.graphql('query { viewer { login __typename } }', {
          request: { signal: requestSignal(undefined) },
        }),
      ).viewer;
      const slug = /^(.+)\[bot\]$/i.exec(viewer.login)?.[1];
      if (viewer.__typename !== 'Bot' || !slug)
        return { id: NO_APP_ID, slug: viewer.login, login: viewer.login };
      const { data } = await octokit.request('GET /apps/{app_slug}', {
        app_slug: slug,
        request: { signal: requestSignal(undefined) },
      });
      const app = AppSchema.parse(data);
      return { id: app.id, slug: app.slug, login: viewer.login };
    })();
    pending.catch(() => (pending = undefined));
    return pending;
  };
}
