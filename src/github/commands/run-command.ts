import { LENS_TITLES } from '../../core/finding.ts';
import {
  addressed,
  configTable,
  helpText,
  permissionDenied,
} from '../../report/command-replies.ts';
import { inlineCode, sanitizeInline } from '../../report/sanitize.ts';
import type { GitHubClient } from '../client/github-client.ts';
import { messageOf } from '../client/github-client.ts';
import {
  loadRepoConfig,
  loadRepoConfigWithSources,
} from '../repository/load-repo-config.ts';
import { fetchPullRequest } from '../repository/pull-request-info.ts';
import type { GitHubReviewDeps } from '../review/run-engine.ts';
import type { ReviewJob } from '../review/review-job.ts';
import { shortSha } from '../review/review-job.ts';
import type { IdentityResolver } from '../client/identity.ts';
import type { JobOutcome } from '../review/run-review-job.ts';
import {
  canWrite,
  react,
  reply,
  type CommandSource,
} from './command-source.ts';
import { configProvenance } from './config-provenance.ts';
import { explainFinding } from './explain.ts';
import { needsWriteAccess, type Command } from './parse-command.ts';
import { changeWaiver } from './waivers.ts';

export interface CommandJob {
  source: CommandSource;
  command: Command;
  installationId: number;
  octokit: GitHubClient;
}

export interface CommandDeps extends GitHubReviewDeps {
  identity: IdentityResolver;
  /** Runs a review job (the same one pushes run), for `/architect review`. */
  runReview(job: ReviewJob, signal: AbortSignal): Promise<JobOutcome>;
}

/**
 * Runs one command and answers it where it was written, ending with a `+1` or `confused`
 * reaction. Commands that spend money or change the gate need write access; everyone else gets a
 * polite refusal and nothing runs.
 */
export async function runCommand(
  job: CommandJob,
  deps: CommandDeps,
  signal: AbortSignal,
): Promise<void> {
  const { source, command, octokit } = job;
  const answer = async (ok: boolean, text: string) => {
    await reply(octokit, source, addressed(source.author, text));
    await react(octokit, source, ok ? '+1' : 'confused');
  };
  try {
    if (
      needsWriteAccess(command) &&
      !(await canWrite(
        octokit,
        { owner: source.owner, repo: source.repo, user: source.author },
        signal,
      ))
    ) {
      await answer(false, permissionDenied(command.kind));
      return;
    }
    const result = await execute(job, deps, signal);
    await answer(result.ok, result.reply);
  } catch (error) {
    deps.logger.error({ err: error, command: command.kind }, 'command failed');
    try {
      await answer(
        false,
        `${inlineCode(`/architect ${command.kind}`)} failed: ${sanitizeInline(messageOf(error), 500)}`,
      );
    } catch (again) {
      deps.logger.error({ err: again }, 'could not answer the failed command');
    }
  }
}

async function execute(
  job: CommandJob,
  deps: CommandDeps,
  signal: AbortSignal,
): Promise<{ ok: boolean; reply: string }> {
  const { source, command, octokit } = job;
  const target = { owner: source.owner, repo: source.repo };
  switch (command.kind) {
    case 'help':
      return { ok: true, reply: `here is what I can do.\n\n${helpText()}` };
    case 'invalid':
      return {
        ok: false,
        reply: `I could not run that.\n\n${helpText(command.problem)}`,
      };
    case 'config': {
      const loaded = await loadRepoConfigWithSources(octokit, target, signal);
      const table = configTable(
        configProvenance(loaded.config, loaded.sources, target),
        loaded.problems,
      );
      return {
        ok: true,
        reply: `here is the effective configuration (\`.github/architect.yml\`) and where each value comes from.\n\n${table}`,
      };
    }
    case 'review': {
      if (command.lens) {
        const { config } = await loadRepoConfig(octokit, target, signal);
        if (!config.lenses[command.lens])
          return {
            ok: false,
            reply: `the ${LENS_TITLES[command.lens]} lens (${inlineCode(command.lens)}) is turned off in this repository's configuration.`,
          };
      }
      const outcome = await deps.runReview(
        {
          owner: source.owner,
          repo: source.repo,
          pullNumber: source.pullNumber,
          installationId: job.installationId,
          octokit,
          trigger: {
            kind: 'command',
            commentId: source.commentId,
            by: source.author,
            ...(command.lens ? { lens: command.lens } : {}),
          },
        },
        signal,
      );
      return reviewReply(outcome, command.lens);
    }
    case 'ignore':
    case 'unignore':
    case 'explain': {
      const identity = await deps.identity();
      const pr = await fetchPullRequest(
        octokit,
        { ...target, pullNumber: source.pullNumber },
        signal,
      );
      const { config } = await loadRepoConfig(octokit, target, signal);
      if (command.kind === 'explain')
        return explainFinding(octokit, source, {
          identity,
          pr,
          config,
          deps,
          signal,
        });
      return changeWaiver(octokit, source, command, {
        identity,
        pr,
        config,
        logger: deps.logger,
        signal,
        ...(deps.checks ? { checks: deps.checks } : {}),
      });
    }
  }
}

function reviewReply(
  outcome: JobOutcome,
  lens: string | undefined,
): { ok: boolean; reply: string } {
  const what = lens ? `the ${inlineCode(lens)} review` : 'the review';
  if (outcome.status === 'skipped')
    return {
      ok: true,
      reply: `nothing to review: ${sanitizeInline(outcome.reason ?? 'no work needed', 300)}.`,
    };
  if (outcome.status === 'failed')
    return {
      ok: false,
      reply: `${what} could not start: ${sanitizeInline(outcome.reason ?? 'unknown error', 500)}`,
    };
  const head = outcome.headSha
    ? ` of ${inlineCode(shortSha(outcome.headSha))}`
    : '';
  const link =
    outcome.checkRunUrl && /^https?:\/\/[^\s()<>]+$/.test(outcome.checkRunUrl)
      ? ` [Check run](${outcome.checkRunUrl})`
      : '';
  const review = outcome.review;
  if (!review?.reviewed) {
    return {
      ok: false,
      reply: `${what}${head} ended without a verdict: ${sanitizeInline(outcome.title ?? 'see the check run', 300)}.${link}`,
    };
  }
  const counts = `${review.newFindings} new finding${review.newFindings === 1 ? '' : 's'} posted, ${review.fixed} fixed, ${review.open} open`;
  return {
    ok: true,
    reply: `finished ${what}${head}: ${counts}. Gate **${outcome.conclusion}**: ${sanitizeInline(review.gateReason ?? '', 500)}${link}`,
  };
}
