import { mkdir, writeFile } from 'node:fs/promises';
import {
  rememberingRedactor,
  withSecretScope,
} from '../../github/client/outgoing-mask.ts';
import { dirname, resolve } from 'node:path';
import { createReviewer } from '../../agent/create-reviewer.ts';
import { defaultAnalyzers, defaultRedactor } from '../../analyzers/index.ts';
import type { ReviewResult } from '../../core/review.ts';
import { fetchPullRequest } from '../../github/repository/pull-request-info.ts';
import { UsageError, type PullRequestReviewOptions } from '../parse-args.ts';
import { renderReport, type RenderContext } from '../render-report.ts';
import {
  EXIT_ERROR,
  EXIT_GATE_FAILED,
  EXIT_INTERRUPTED,
  EXIT_PASS,
  type CliIo,
  type RunReviewDeps,
} from '../run-review.ts';
import { stderrLogger } from '../stderr-logger.ts';
import { withConfigSource } from './config-source.ts';
import { describeGitHubError } from './github-error.ts';
import {
  apiUrlFor,
  parsePullRequestRef,
  pullRequestUrl,
} from './pull-request-ref.ts';
import { createRestClient } from './rest-client.ts';
import {
  blocks,
  reviewAndPost,
  reviewWithoutPosting,
  tokenJobDeps,
  type RemoteReviewDeps,
} from './review-remote.ts';
import { tokenIdentity } from './token-identity.ts';

/**
 * `architect review --pr`: a pull request on GitHub in, a report out, and with `--post` the app's
 * check run, review and summary comment. Returns the exit code: 0 the gate passes, 1 it fails,
 * 2 usage or GitHub errors (one line each).
 */
export function runPullRequestReview(
  options: PullRequestReviewOptions,
  io: CliIo,
  deps: RunReviewDeps = {},
): Promise<number> {
  // One scope of remembered secrets per run: what the redactor masked is masked in every write too.
  return withSecretScope(() => runPullRequestReviewInScope(options, io, deps));
}

async function runPullRequestReviewInScope(
  options: PullRequestReviewOptions,
  io: CliIo,
  deps: RunReviewDeps,
): Promise<number> {
  const signal = deps.signal ?? new AbortController().signal;
  const logger = stderrLogger(io.stderr, options.verbose);
  const started = performance.now();
  let context = {
    pullRequest: options.pr,
    tokenEnv: options.tokenEnv,
    apiUrl: '',
  };
  try {
    const ref = parsePullRequestRef(options.pr);
    const target = {
      owner: ref.owner,
      repo: ref.repo,
      pullNumber: ref.pullNumber,
    };
    context = {
      ...context,
      pullRequest: `${ref.owner}/${ref.repo}#${ref.pullNumber}`,
      apiUrl: apiUrlFor(ref, io.env),
    };
    const token = io.env[options.tokenEnv]?.trim();
    if (!token)
      throw new UsageError(
        `no token: set ${options.tokenEnv} to a token that can read ${context.pullRequest}${options.tokenEnv === 'GITHUB_TOKEN' ? ' (or name another variable with --token-env)' : ''}`,
      );
    // Every value masked for the model is remembered for this run, so no write to GitHub repeats it.
    const redactor = rememberingRedactor(deps.redactor ?? defaultRedactor());
    const octokit = await withConfigSource(
      createRestClient({ token, baseUrl: context.apiUrl, redactor }),
      {
        ...(options.config ? { file: options.config } : {}),
        ...(options.failOn ? { failOn: options.failOn } : {}),
      },
    );
    const factory = deps.createReviewer ?? createReviewer;
    const remote: RemoteReviewDeps = {
      analyzers: deps.analyzers ?? defaultAnalyzers(),
      redactor,
      createReviewer: (o) =>
        options.model ? factory({ env: io.env, ...o }) : undefined,
      logger,
      signal,
    };
    if (!options.model)
      io.stderr.write(
        'architect: --no-model: only the deterministic analyzers run\n',
      );

    if (!options.post) {
      const report = await reviewWithoutPosting(
        octokit,
        target,
        { trusted: true },
        remote,
      );
      for (const problem of report.configProblems)
        io.stderr.write(
          `architect: config ${problem.source}${problem.path ? ` at ${problem.path}` : ''}: ${problem.message}\n`,
        );
      if (report.skip)
        io.stderr.write(
          `architect: the app would not review this pull request (${report.skip}); reviewing anyway\n`,
        );
      io.stderr.write(
        `architect: reviewed ${context.pullRequest} at ${report.pr.headSha.slice(0, 7)}; nothing was written to GitHub (use --post to publish)\n`,
      );
      await output(report.result, options, io, started, {
        configProblems: report.configProblems,
        ...(report.config.model.enabled
          ? { model: report.config.model.name }
          : {}),
        gateSeverity: report.config.gate.severity,
      });
      return blocks(report.result.gate.conclusion)
        ? EXIT_GATE_FAILED
        : EXIT_PASS;
    }

    const identity = tokenIdentity(octokit);
    const [pr, self] = await Promise.all([
      fetchPullRequest(octokit, target, signal),
      identity(),
    ]);
    io.stderr.write(
      `architect: reviewing ${context.pullRequest} at ${pr.headSha.slice(0, 7)} and posting as ${self.login}\n`,
    );
    const posted = await reviewAndPost(
      octokit,
      { ...target, trigger: { kind: 'push', headSha: pr.headSha } },
      tokenJobDeps(remote, identity, pullRequestUrl(context.apiUrl, target)),
      signal,
    );
    const { job } = posted;
    if (job.status === 'failed') {
      io.stderr.write(
        `architect: could not start the review: ${job.reason ?? 'unknown error'}\n`,
      );
      return EXIT_ERROR;
    }
    if (job.engine)
      await output(job.engine, options, io, started, { configProblems: [] });
    if (job.status === 'skipped')
      io.stderr.write(
        `architect: nothing posted: ${job.reason ?? 'nothing to do'}${posted.conclusion ? ` (check run: ${posted.conclusion})` : ''}\n`,
      );
    else
      io.stderr.write(
        `architect: posted: check run ${posted.conclusion}${job.checkRunUrl ? ` ${job.checkRunUrl}` : ''}; ${job.review?.newFindings ?? 0} new finding(s) in the review, ${job.review?.fixed ?? 0} fixed\n`,
      );
    return blocks(posted.conclusion) ? EXIT_GATE_FAILED : EXIT_PASS;
  } catch (error) {
    if (signal.aborted) {
      io.stderr.write('architect: interrupted\n');
      return EXIT_INTERRUPTED;
    }
    io.stderr.write(
      `architect: ${error instanceof UsageError ? error.message : describeGitHubError(error, context)}\n`,
    );
    return EXIT_ERROR;
  }
}

async function output(
  result: ReviewResult,
  options: PullRequestReviewOptions,
  io: CliIo,
  started: number,
  context: Omit<RenderContext, 'color' | 'durationMs'>,
): Promise<void> {
  const report = renderReport(result, options.format, {
    color:
      options.color ??
      (Boolean(io.stdout.isTTY) && !options.output && !io.env.NO_COLOR),
    ...context,
    durationMs: Math.round(performance.now() - started),
  });
  if (options.output) {
    const path = resolve(options.output);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, report, 'utf8');
    io.stderr.write(`architect: wrote ${options.format} report to ${path}\n`);
  } else {
    io.stdout.write(report);
  }
}
