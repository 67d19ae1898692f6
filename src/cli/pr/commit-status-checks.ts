import { z } from 'zod';
import type { Conclusion } from '../../core/gate.ts';
import type { Logger } from '../../core/logger.ts';
import {
  CHECK_RUNS,
  type CheckRunApi,
} from '../../github/checks/check-run-api.ts';
import {
  readExternalId,
  type ExistingRun,
} from '../../github/checks/check-run-plan.ts';
import { RIVAL_POLL_MS } from '../../github/checks/check-run-race.ts';
import {
  CHECK_RUN_NAME,
  truncate,
  type CheckRunResult,
} from '../../github/checks/check-run.ts';
import {
  requestSignal,
  statusOf,
  type GitHubClient,
} from '../../github/client/github-client.ts';
import type { IdentityResolver } from '../../github/client/identity.ts';
import { NO_APP_ID } from './token-identity.ts';

/** GitHub's limit for a status description. */
const MAX_DESCRIPTION = 140;
/**
 * What a check run keeps in `external_id` (which request it answered, how it ended, the exact
 * conclusion) rides in the status link's fragment: statuses have no field of their own for it.
 */
const FRAGMENT = /#backend-architect=([^;#\s]+);([a-z_]+)$/;

type State = 'pending' | 'success' | 'failure' | 'error';

const StatusesSchema = z.array(
  z.object({
    id: z.int().positive(),
    state: z.enum(['pending', 'success', 'failure', 'error']),
    context: z.string(),
    description: z.string().nullish(),
    target_url: z.string().nullish(),
    created_at: z.string().nullish(),
    creator: z.object({ login: z.string() }).nullish(),
  }),
);

export interface StatusFallbackOptions {
  identity: IdentityResolver;
  /** The page the status links to: the pull request, or the Actions run. */
  targetUrl: string;
  logger: Logger;
}

/**
 * Check runs where the token can create them, else one commit status named like the check run
 * ("Backend Architect") with the same verdict. GitHub refuses check runs to anything but a GitHub
 * App, so a person's token starts with statuses; an app's token without `checks: write` falls back
 * on the first 403. Branch protection can require either under the same name. Statuses carry no
 * summary or annotations: the summary comment and the review say what the check run would.
 */
export function checkRunsOrStatuses(
  options: StatusFallbackOptions,
): CheckRunApi {
  let mode: 'checks' | 'statuses' | undefined;
  let lastState: State = 'pending';
  const decide = async () =>
    (mode ??=
      (await options.identity()).id === NO_APP_ID ? 'statuses' : 'checks');
  const login = async () => (await options.identity()).login;

  const post = async (
    octokit: GitHubClient,
    target: { owner: string; repo: string; headSha: string },
    state: State,
    description: string,
    mark: string,
  ) => {
    const { data } = await octokit.request(
      'POST /repos/{owner}/{repo}/statuses/{sha}',
      {
        owner: target.owner,
        repo: target.repo,
        sha: target.headSha,
        state,
        context: CHECK_RUN_NAME,
        description: truncate(description, MAX_DESCRIPTION),
        target_url: `${options.targetUrl}#backend-architect=${mark}`,
        request: { signal: requestSignal(undefined) },
      },
    );
    lastState = state;
    return { id: Number(data.id), htmlUrl: options.targetUrl };
  };
  // Statuses are addressed by commit, not by id: remember which commit each "run" is on.
  const heads = new Map<number, string>();
  const headOf = (id: number) => {
    const head = heads.get(id);
    if (!head)
      throw new Error(`status ${id} is not one this run created or read`);
    return head;
  };

  return {
    async find(octokit, target, signal) {
      if ((await decide()) === 'checks') {
        // The Actions token's check runs belong to the GitHub Actions app, like every job's own check:
        // only runs carrying a review mark are ours, even if a job shares the name.
        const runs = (await CHECK_RUNS.find(octokit, target, signal)).filter(
          (run) => readExternalId(run.externalId) !== undefined,
        );
        if (runs.length > 0) return runs;
        const statuses = await listStatuses(
          octokit,
          target,
          await login(),
          signal,
        );
        // Earlier runs could not create check runs: keep to statuses, so they are recognised.
        if (statuses.length > 0) mode = 'statuses';
        statuses.forEach((s) => heads.set(s.id, target.headSha));
        return statuses;
      }
      const statuses = await listStatuses(
        octokit,
        target,
        await login(),
        signal,
      );
      statuses.forEach((s) => heads.set(s.id, target.headSha));
      return statuses;
    },

    async create(octokit, target, signal) {
      if ((await decide()) === 'checks') {
        try {
          return await CHECK_RUNS.create(octokit, target, signal);
        } catch (error) {
          if (statusOf(error) !== 403) throw error;
          options.logger.warn(
            { err: error },
            'the token cannot create check runs; the verdict goes to a commit status instead',
          );
          mode = 'statuses';
        }
      }
      const ref = await post(
        octokit,
        target,
        'pending',
        'Reviewing this pull request',
        `${target.externalId};pending`,
      );
      heads.set(ref.id, target.headSha);
      return ref;
    },

    async complete(octokit, target, result) {
      if (!heads.has(target.checkRunId) && target.headSha) {
        // Not seen by this object (a waiver): a status if it is one of ours on the commit.
        const ours = await ourStatuses(
          octokit,
          { ...target, headSha: target.headSha },
          await login(),
        );
        if (ours.some((status) => status.id === target.checkRunId)) {
          heads.set(target.checkRunId, target.headSha);
          mode = 'statuses';
        }
      }
      if (mode !== 'statuses')
        return CHECK_RUNS.complete(octokit, target, result);
      const headSha = headOf(target.checkRunId);
      const ref = await post(
        octokit,
        { ...target, headSha },
        stateFor(result.conclusion),
        result.title,
        `${result.externalId ?? `${headSha}/push/ended`};${result.conclusion}`,
      );
      heads.set(ref.id, headSha);
    },

    async appendAnnotations(octokit, target, result) {
      // A commit status has no annotations; the report carries the findings.
      if (mode !== 'statuses')
        await CHECK_RUNS.appendAnnotations(octokit, target, result);
    },

    async updateOutput(octokit, target, output) {
      if (mode !== 'statuses')
        return CHECK_RUNS.updateOutput(octokit, target, output);
      // The verdict stays; only the description changes (e.g. to say posting failed).
      const headSha = headOf(target.checkRunId);
      const [latest] = await listStatuses(
        octokit,
        { ...target, headSha },
        await login(),
      );
      await post(
        octokit,
        { ...target, headSha },
        lastState,
        output.title,
        `${latest?.externalId ?? `${headSha}/push/ended`};${latest?.conclusion ?? 'neutral'}`,
      );
    },

    async verdictOf(octokit, target, signal) {
      if (mode !== 'statuses')
        return CHECK_RUNS.verdictOf(octokit, target, signal);
      const headSha = headOf(target.checkRunId);
      for (;;) {
        const [latest] = await listStatuses(
          octokit,
          { ...target, headSha },
          await login(),
          signal,
        );
        if (latest && latest.status === 'completed' && latest.conclusion) {
          return {
            conclusion: latest.conclusion as Conclusion,
            title: latest.title ?? 'Reviewed',
            summary:
              'This verdict mirrors a review of the same commit that ran at the same time.',
            ...(latest.externalId ? { externalId: latest.externalId } : {}),
          } satisfies CheckRunResult;
        }
        await new Promise((resolve) => setTimeout(resolve, RIVAL_POLL_MS));
        signal.throwIfAborted();
      }
    },
  };
}

/** The newest status of this reviewer on the commit, as the one "run" it stands for. */
async function listStatuses(
  octokit: GitHubClient,
  target: { owner: string; repo: string; headSha: string },
  login: string,
  signal?: AbortSignal,
): Promise<Array<ExistingRun & { title?: string }>> {
  const latest = (await ourStatuses(octokit, target, login, signal))[0];
  if (!latest) return [];
  const mark = FRAGMENT.exec(latest.target_url ?? '');
  return [
    {
      id: latest.id,
      status: latest.state === 'pending' ? 'in_progress' : 'completed',
      ...(mark && mark[2] !== 'pending' ? { conclusion: mark[2]! } : {}),
      ...(mark ? { externalId: decodeURIComponent(mark[1]!) } : {}),
      ...(latest.created_at ? { startedAt: latest.created_at } : {}),
      ...(latest.target_url
        ? { htmlUrl: latest.target_url.replace(/#.*$/, '') }
        : {}),
      ...(latest.description ? { title: latest.description } : {}),
    },
  ];
}

/** This reviewer's statuses on the commit, newest first; a status someone else set under the same name is not ours. */
async function ourStatuses(
  octokit: GitHubClient,
  target: { owner: string; repo: string; headSha: string },
  login: string,
  signal?: AbortSignal,
) {
  const { data } = await octokit.request(
    'GET /repos/{owner}/{repo}/commits/{ref}/statuses',
    {
      owner: target.owner,
      repo: target.repo,
      ref: target.headSha,
      per_page: 100,
      request: { signal: requestSignal(signal) },
    },
  );
  const parsed = StatusesSchema.safeParse(data);
  if (!parsed.success)
    throw new Error(
      `unexpected response listing commit statuses: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
    );
  return parsed.data
    .filter(
      (s) =>
        s.context === CHECK_RUN_NAME &&
        s.creator?.login.toLowerCase() === login.toLowerCase(),
    )
    .sort((a, b) => b.id - a.id);
}

/** Branch protection passes `success` only: the conclusions GitHub treats as passing map to it. */
function stateFor(conclusion: Conclusion): State {
  if (conclusion === 'failure' || conclusion === 'action_required')
    return 'failure';
  if (conclusion === 'cancelled' || conclusion === 'timed_out') return 'error';
  return 'success';
}
