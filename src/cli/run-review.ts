import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { defaultAnalyzers, defaultRedactor } from '../analyzers/index.ts';
import type { ConfigProblem } from '../config/parse-config.ts';
import type { Config } from '../config/schema.ts';
import type { Logger } from '../core/logger.ts';
import type { Analyzer, ModelReviewer, SecretRedactor } from '../core/ports.ts';
import { reviewChangeSet, type ReviewResult } from '../core/review.ts';
import { gitChangeSet, repoRoot } from './git-change-set.ts';
import { GitError } from './git.ts';
import { gitRepositoryView } from './git-repository-view.ts';
import { applyOverrides, loadConfig } from './load-config.ts';
import { UsageError, type ReviewOptions } from './parse-args.ts';
import { startProgress } from './progress.ts';
import { renderReport } from './render-report.ts';
import { stderrLogger } from './stderr-logger.ts';

export interface CliIo {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

export interface ReviewerFactoryOptions {
  env: NodeJS.ProcessEnv;
  model: string;
  maxOutputTokens: number;
  timeoutMs: number;
  logger: Logger;
  verifyModel?: string;
}

/** Returns undefined when the model cannot be used (no API key). */
export type ReviewerFactory = (
  options: ReviewerFactoryOptions,
) => ModelReviewer | undefined;

export interface RunReviewDeps {
  /** Default: every built-in analyzer. */
  analyzers?: Analyzer[];
  /** Default: the built-in secret redactor. */
  redactor?: SecretRedactor;
  /** Default: the Anthropic adapter. */
  createReviewer?: ReviewerFactory;
  signal?: AbortSignal;
}

export const EXIT_PASS = 0;
export const EXIT_GATE_FAILED = 1;
export const EXIT_ERROR = 2;
export const EXIT_INTERRUPTED = 130;

/**
 * `architect review`: local commits in, a report out. Returns the process exit code instead of
 * exiting, so it runs the same in tests and in the binary.
 */
export async function runReview(
  options: ReviewOptions,
  io: CliIo,
  deps: RunReviewDeps = {},
): Promise<number> {
  const signal = deps.signal ?? new AbortController().signal;
  const logger = stderrLogger(io.stderr, options.verbose);
  const started = performance.now();
  try {
    const { result, config, configProblems } = await review(
      options,
      io,
      deps,
      signal,
      logger,
    );
    const report = renderReport(result, options.format, {
      color:
        options.color ??
        (Boolean(io.stdout.isTTY) && !options.output && !io.env.NO_COLOR),
      configProblems,
      model: config.model.enabled ? config.model.name : undefined,
      gateSeverity: config.gate.severity,
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
    if (options.output || options.format !== 'text')
      io.stderr.write(
        `architect: ${result.gate.conclusion}: ${result.gate.reason}\n`,
      );
    return result.gate.conclusion === 'failure' ||
      result.gate.conclusion === 'action_required'
      ? EXIT_GATE_FAILED
      : EXIT_PASS;
  } catch (error) {
    if (signal.aborted) {
      io.stderr.write('architect: interrupted\n');
      return EXIT_INTERRUPTED;
    }
    if (
      error instanceof GitError ||
      error instanceof UsageError ||
      isSystemError(error)
    ) {
      // Expected failures (bad ref, unreadable file, full disk) need their message, not a stack.
      io.stderr.write(`architect: ${error.message}\n`);
    } else {
      io.stderr.write(
        `architect: review failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
    }
    return EXIT_ERROR;
  }
}

interface ReviewOutcome {
  result: ReviewResult;
  config: Config;
  configProblems: ConfigProblem[];
}

async function review(
  options: ReviewOptions,
  io: CliIo,
  deps: RunReviewDeps,
  signal: AbortSignal,
  logger: Logger,
): Promise<ReviewOutcome> {
  const root = await repoRoot(options.repo, { signal });
  const loaded = await loadConfig({ root, file: options.config });
  for (const problem of loaded.problems) {
    io.stderr.write(
      `architect: config ${problem.source}${problem.path ? ` at ${problem.path}` : ''}: ${problem.message}\n`,
    );
  }
  // A file named on the command line was asked for: reviewing on the defaults instead would hide the mistake.
  if (loaded.problems.length > 0 && options.config !== undefined) {
    throw new UsageError(
      `the config file ${options.config} is invalid (${loaded.problems.length} problem${loaded.problems.length === 1 ? '' : 's'} above)`,
    );
  }
  if (loaded.problems.length > 0)
    io.stderr.write(
      'architect: the config is invalid, so the defaults are used\n',
    );
  for (const note of loaded.notes) io.stderr.write(`architect: ${note}\n`);
  const config = applyOverrides(loaded.config, {
    failOn: options.failOn,
    model: options.model,
  });

  const changeSet = await gitChangeSet({
    repo: root,
    base: options.base,
    head: options.head,
    signal,
    maxFileBytes: config.limits.max_file_bytes,
  });
  io.stderr.write(
    `architect: reviewing ${changeSet.files.length} changed file${changeSet.files.length === 1 ? '' : 's'} ` +
      `${changeSet.baseRef} (${changeSet.baseSha.slice(0, 7)})..${changeSet.headRef} (${changeSet.headSha.slice(0, 7)})\n`,
  );

  let reviewer: ModelReviewer | undefined;
  if (!options.model) {
    io.stderr.write(
      'architect: --no-model: only the deterministic analyzers run\n',
    );
  } else if (config.model.enabled) {
    // The model client loads only when the model may run: it is the slowest module to load.
    const create =
      deps.createReviewer ??
      (await import('../agent/create-reviewer.ts')).createReviewer;
    reviewer = create({
      env: io.env,
      model: config.model.name,
      maxOutputTokens: config.model.max_output_tokens,
      timeoutMs: config.model.timeout_seconds * 1000,
      logger,
      ...(config.model.verify
        ? { verifyModel: config.model.verify_model }
        : {}),
    });
    if (!reviewer)
      io.stderr.write(
        'architect: ANTHROPIC_API_KEY is not set: only the deterministic analyzers run\n',
      );
  } else {
    io.stderr.write(
      'architect: model.enabled is false in the config: only the deterministic analyzers run\n',
    );
  }

  const repository = gitRepositoryView({
    cwd: root,
    baseSha: changeSet.baseSha,
    headSha: changeSet.headSha,
    maxFileBytes: config.limits.max_file_bytes,
  });
  const progress = startProgress(io.stderr, { tty: Boolean(io.stderr.isTTY) });
  try {
    const result = await reviewChangeSet(
      {
        ...changeSet,
        repository,
        contents: progress.counting(changeSet.contents),
      },
      config,
      {
        analyzers: deps.analyzers ?? defaultAnalyzers(),
        reviewer,
        redactor: deps.redactor ?? defaultRedactor(),
        logger,
        signal,
      },
    );
    return { result, config, configProblems: loaded.problems };
  } finally {
    progress.stop();
    await repository.close();
  }
}

function isSystemError(error: unknown): error is NodeJS.ErrnoException {
  return (
    error instanceof Error &&
    typeof (error as NodeJS.ErrnoException).syscall === 'string'
  );
}
