import { readFile } from 'node:fs/promises';
import {
  rememberingRedactor,
  withSecretScope,
} from '../github/client/outgoing-mask.ts';
import { isAbsolute, resolve } from 'node:path';
import { createReviewer } from '../agent/create-reviewer.ts';
import { defaultAnalyzers, defaultRedactor } from '../analyzers/index.ts';
import type { Logger } from '../core/logger.ts';
import type { Analyzer, SecretRedactor } from '../core/ports.ts';
import type { ReviewResult } from '../core/review.ts';
import { UsageError } from '../cli/parse-args.ts';
import { withConfigSource } from '../cli/pr/config-source.ts';
import { describeGitHubError } from '../cli/pr/github-error.ts';
import { GITHUB_API_URL } from '../cli/pr/pull-request-ref.ts';
import { createRestClient } from '../cli/pr/rest-client.ts';
import {
  blocks,
  reviewAndPost,
  reviewWithoutPosting,
  tokenJobDeps,
  verdictFor,
  type RemoteReviewDeps,
} from '../cli/pr/review-remote.ts';
import { tokenIdentity } from '../cli/pr/token-identity.ts';
import { renderReport } from '../cli/render-report.ts';
import type { ReviewerFactory } from '../cli/run-review.ts';
import { stderrLogger } from '../cli/stderr-logger.ts';
import { react } from '../github/commands/command-source.ts';
import { runCommand } from '../github/commands/run-command.ts';
import type { GitHubClient } from '../github/client/github-client.ts';
import type { ReviewTrigger } from '../github/review/review-job.ts';
import {
  runReviewJob,
  type JobOutcome,
} from '../github/review/run-review-job.ts';
import { planEvent, type EventPlan } from './event.ts';
import { InputError, readInputs, type ActionInputs } from './inputs.ts';
import {
  appendSummary,
  jobFiles,
  setOutputs,
  writeSarif,
  type JobFiles,
} from './job-files.ts';

export const EXIT_PASS = 0;
export const EXIT_GATE_FAILED = 1;
export const EXIT_ERROR = 2;

export interface ActionIo {
  /** Workflow commands (`::error::`) and notices; the runner reads them from stdout. */
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

export interface ActionDeps {
  analyzers?: Analyzer[];
  redactor?: SecretRedactor;
  createReviewer?: ReviewerFactory;
  signal?: AbortSignal;
}

interface Run {
  env: NodeJS.ProcessEnv;
  io: ActionIo;
  inputs: ActionInputs;
  files: JobFiles;
  octokit: GitHubClient;
  remote: RemoteReviewDeps;
  logger: Logger;
  started: number;
}

/**
 * The GitHub Action: the event in (`GITHUB_EVENT_NAME`, `GITHUB_EVENT_PATH`), the review out. With a
 * token that can write, the app's review job posts the check run, review and summary comment; a
 * read-only token (fork and Dependabot pull requests) gets the deterministic review in the job
 * summary and a SARIF file, and nothing is written to GitHub. Returns the step's exit code: 0 the
 * gate passes, 1 it fails, 2 the review could not run.
 */
export function runAction(
  env: NodeJS.ProcessEnv,
  io: ActionIo,
  deps: ActionDeps = {},
): Promise<number> {
  // One scope of remembered secrets per run: what the redactor masked is masked in every write too.
  return withSecretScope(() => runActionInScope(env, io, deps));
}

async function runActionInScope(
  env: NodeJS.ProcessEnv,
  io: ActionIo,
  deps: ActionDeps,
): Promise<number> {
  const signal = deps.signal ?? new AbortController().signal;
  const logger = stderrLogger(io.stderr, env.RUNNER_DEBUG === '1');
  const fail = (line: string) => failWith(io, line);
  let plan: EventPlan | undefined;
  const apiUrl = (env.GITHUB_API_URL?.trim() || GITHUB_API_URL).replace(
    /\/+$/,
    '',
  );
  try {
    const inputs = readInputs(env);
    const files = jobFiles(env);
    plan = planEvent(env.GITHUB_EVENT_NAME ?? '', await readEvent(env));
    if (plan.kind === 'ignore') {
      io.stdout.write(
        `::notice title=Backend Architect::${escapeCommand(`Nothing to do: ${plan.reason}.`)}\n`,
      );
      return EXIT_PASS;
    }
    const config =
      inputs.config === undefined
        ? undefined
        : isAbsolute(inputs.config)
          ? inputs.config
          : resolve(files.workspace, inputs.config);
    // Every value masked for the model is remembered for this run, so no write to GitHub repeats it.
    const redactor = rememberingRedactor(deps.redactor ?? defaultRedactor());
    const octokit = await withConfigSource(
      createRestClient({ token: inputs.token, baseUrl: apiUrl, redactor }),
      {
        ...(config ? { file: config } : {}),
        ...(inputs.failOn ? { failOn: inputs.failOn } : {}),
      },
    );
    // Only the key given to the step reaches the model client; a gateway URL may come from the environment.
    const modelEnv: NodeJS.ProcessEnv = {
      ANTHROPIC_API_KEY: inputs.modelKey ?? '',
      ...(env.ANTHROPIC_BASE_URL
        ? { ANTHROPIC_BASE_URL: env.ANTHROPIC_BASE_URL }
        : {}),
    };
    const factory = deps.createReviewer ?? createReviewer;
    const remote: RemoteReviewDeps = {
      analyzers: deps.analyzers ?? defaultAnalyzers(),
      redactor,
      createReviewer: (options) => factory({ env: modelEnv, ...options }),
      logger,
      signal,
    };
    const run: Run = {
      env,
      io,
      inputs,
      files,
      octokit,
      remote,
      logger,
      started: performance.now(),
    };
    return plan.kind === 'review'
      ? await review(run, plan)
      : await command(run, plan);
  } catch (error) {
    if (signal.aborted) return fail('the review was cancelled');
    if (error instanceof InputError || error instanceof UsageError)
      return fail(error.message);
    const pullRequest =
      plan && plan.kind !== 'ignore'
        ? plan.kind === 'review'
          ? `${plan.owner}/${plan.repo}#${plan.pullNumber}`
          : `${plan.source.owner}/${plan.source.repo}#${plan.source.pullNumber}`
        : 'the pull request';
    return fail(
      describeGitHubError(error, {
        pullRequest,
        tokenEnv: 'the github-token input',
        apiUrl,
      }),
    );
  }
}

async function review(
  run: Run,
  plan: Extract<EventPlan, { kind: 'review' }>,
): Promise<number> {
  const { inputs, env, io } = run;
  const target = {
    owner: plan.owner,
    repo: plan.repo,
    pullNumber: plan.pullNumber,
  };
  // GitHub gives `pull_request` runs from forks (and those Dependabot starts) a read-only token and no secrets.
  const readOnlyToken =
    plan.event === 'pull_request' &&
    (plan.fromFork || env.GITHUB_ACTOR === 'dependabot[bot]');
  if (inputs.post === 'false' || readOnlyToken) {
    if (inputs.post === 'true')
      io.stdout.write(
        `::warning title=Backend Architect::${escapeCommand('post is true, but the job token of a fork or Dependabot pull request cannot write; reporting to the job summary instead.')}\n`,
      );
    const report = await reviewWithoutPosting(
      run.octokit,
      target,
      { trusted: false },
      run.remote,
    );
    if (report.skip) {
      await appendSummary(
        run.files,
        `## Backend Architect\n\nNot reviewed: ${report.skip}.\n`,
      );
      await setOutputs(run.files, { conclusion: 'skipped', 'sarif-file': '' });
      return EXIT_PASS;
    }
    const why = readOnlyToken
      ? 'This pull request comes from a fork (or from Dependabot): its job token can only read and no secrets are available, so the deterministic analyzers ran, nothing was posted to the pull request, and the findings are below and in the SARIF file.'
      : 'Posting is turned off (`post: false`): the findings are below and in the SARIF file.';
    const hold = report.hold
      ? ` The AI review did not run: ${report.hold}.`
      : '';
    return finish(run, report.result, `> ${why}${hold}`, {
      configProblems: report.configProblems,
      ...(report.config.model.enabled && report.result.usage.requests > 0
        ? { model: report.config.model.name }
        : {}),
      gateSeverity: report.config.gate.severity,
    });
  }

  const trigger: ReviewTrigger = plan.labelChange
    ? { kind: 'label', deliveryId: runKey(env) }
    : { kind: 'push', headSha: plan.headSha };
  const identity = tokenIdentity(run.octokit);
  await identity();
  const posted = await reviewAndPost(
    run.octokit,
    { ...target, trigger },
    tokenJobDeps(run.remote, identity, runUrl(env, target)),
    run.remote.signal,
  );
  return afterJob(run, posted.job, posted.conclusion);
}

async function command(
  run: Run,
  plan: Extract<EventPlan, { kind: 'command' }>,
): Promise<number> {
  const identity = tokenIdentity(run.octokit);
  await identity();
  // 👀 at once; GitHub answers 200 instead of 201 when it is already there, so a re-run does not answer twice.
  const ack = await react(run.octokit, plan.source, 'eyes');
  if (!ack.created) {
    run.io.stdout.write(
      `::notice title=Backend Architect::${escapeCommand(`Comment ${plan.source.commentId} was already answered.`)}\n`,
    );
    return EXIT_PASS;
  }
  let outcome: JobOutcome | undefined;
  const jobDeps = tokenJobDeps(
    run.remote,
    identity,
    runUrl(run.env, plan.source),
  );
  // The app's command runner: it checks the commenter's permission, runs, and answers in the conversation.
  await runCommand(
    {
      source: plan.source,
      command: plan.command,
      installationId: 0,
      octokit: run.octokit,
    },
    {
      ...jobDeps,
      runReview: async (job, signal) =>
        (outcome = await runReviewJob(job, jobDeps, signal)),
    },
    run.remote.signal,
  );
  if (!outcome) {
    await setOutputs(run.files, { conclusion: '', 'sarif-file': '' });
    return EXIT_PASS;
  }
  const { conclusion } = await verdictFor(
    run.octokit,
    plan.source,
    outcome,
    jobDeps,
  );
  return afterJob(run, outcome, conclusion);
}

/** Reports a review the app's job posted: the job summary, SARIF, outputs and the exit code. */
async function afterJob(
  run: Run,
  job: JobOutcome,
  conclusion: string | undefined,
): Promise<number> {
  if (job.status === 'failed')
    return failWith(
      run.io,
      `could not start the review: ${job.reason ?? 'unknown error'}`,
    );
  if (!job.engine) {
    const verdict = conclusion ? ` The check shows \`${conclusion}\`.` : '';
    // Skipped: already reviewed, or a newer push. Done without a result: the review ended early (turned off, draft, cancelled).
    const what =
      job.status === 'skipped'
        ? `Nothing new was posted: ${job.reason ?? 'nothing to do'}.`
        : `The review ended without findings to report: ${job.title ?? 'see the check'}.`;
    await appendSummary(
      run.files,
      `## Backend Architect\n\n${what}${verdict}\n`,
    );
    await setOutputs(run.files, {
      conclusion: conclusion ?? '',
      'sarif-file': '',
    });
    return blocks(conclusion) ? EXIT_GATE_FAILED : EXIT_PASS;
  }
  const link =
    job.checkRunUrl && /^https?:\/\/[^\s()<>]+$/.test(job.checkRunUrl)
      ? ` ([check run](${job.checkRunUrl}))`
      : '';
  const counts = job.review
    ? ` ${job.review.newFindings} new finding(s) posted, ${job.review.fixed} fixed, ${job.review.open} open.`
    : '';
  return finish(
    run,
    job.engine,
    `> Posted to the pull request: \`${conclusion ?? 'unknown'}\`${link}.${counts}`,
    { configProblems: [] },
    conclusion,
  );
}

async function finish(
  run: Run,
  result: ReviewResult,
  note: string,
  context: {
    configProblems: Parameters<typeof renderReport>[2]['configProblems'];
    model?: string;
    gateSeverity?: Parameters<typeof renderReport>[2]['gateSeverity'];
  },
  conclusion: string = result.gate.conclusion,
): Promise<number> {
  const markdown = renderReport(result, 'markdown', {
    color: false,
    ...context,
    durationMs: Math.round(performance.now() - run.started),
  });
  await appendSummary(run.files, `${note}\n\n${markdown}`);
  const sarif = await writeSarif(run.files, run.inputs.sarifFile, result);
  await setOutputs(run.files, { conclusion, 'sarif-file': sarif });
  run.io.stderr.write(
    `Backend Architect: ${conclusion}: ${result.gate.reason}\n`,
  );
  return blocks(conclusion) ? EXIT_GATE_FAILED : EXIT_PASS;
}

/** One `::error::` line, which the runner shows as an annotation on the run; exit code 2. */
function failWith(io: ActionIo, line: string): number {
  io.stdout.write(`::error title=Backend Architect::${escapeCommand(line)}\n`);
  return EXIT_ERROR;
}

async function readEvent(env: NodeJS.ProcessEnv): Promise<unknown> {
  const path = env.GITHUB_EVENT_PATH;
  if (!path)
    throw new InputError(
      'GITHUB_EVENT_PATH is not set: run this inside a GitHub Actions workflow',
    );
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new InputError(
      `cannot read the event payload at ${path}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/** Where a commit status links: this workflow run, else the pull request. */
function runUrl(
  env: NodeJS.ProcessEnv,
  target: { owner: string; repo: string; pullNumber: number },
): string {
  const server = (
    env.GITHUB_SERVER_URL?.trim() || 'https://github.com'
  ).replace(/\/+$/, '');
  if (env.GITHUB_RUN_ID)
    return `${server}/${target.owner}/${target.repo}/actions/runs/${env.GITHUB_RUN_ID}`;
  return `${server}/${target.owner}/${target.repo}/pull/${target.pullNumber}`;
}

/** One key per workflow run attempt: a re-run of the workflow is a new request. */
function runKey(env: NodeJS.ProcessEnv): string {
  return `${env.GITHUB_RUN_ID ?? 'run'}-${env.GITHUB_RUN_ATTEMPT ?? '1'}`;
}

/** Workflow command data: `%`, CR and LF are escaped so a message cannot start another command. */
function escapeCommand(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
