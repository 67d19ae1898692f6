import {
  parseCliArgs,
  UsageError,
  USAGE,
  type CliCommand,
} from './parse-args.ts';
import {
  EXIT_ERROR,
  EXIT_INTERRUPTED,
  EXIT_PASS,
  runReview,
  type CliIo,
  type RunReviewDeps,
} from './run-review.ts';
import { runPullRequestReview } from './pr/run-pull-request-review.ts';
import { VERSION } from './version.ts';

const processIo: CliIo = {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
};

/** The `architect` command. Returns the exit code: 0 gate passed, 1 gate failed, 2 usage or git error. */
export async function main(
  argv: readonly string[],
  io: CliIo = processIo,
  deps: RunReviewDeps = {},
): Promise<number> {
  const command = parseOrExplain(argv, io);
  if (command === undefined) return EXIT_ERROR;
  if (command.kind === 'help') {
    io.stdout.write(USAGE);
    return EXIT_PASS;
  }
  if (command.kind === 'version') {
    io.stdout.write(`${VERSION}\n`);
    return EXIT_PASS;
  }
  const run = (withSignal: RunReviewDeps) =>
    command.kind === 'review-pr'
      ? runPullRequestReview(command.options, io, withSignal)
      : runReview(command.options, io, withSignal);
  if (deps.signal) return run(deps);
  const interrupt = onInterrupt();
  try {
    return await run({ ...deps, signal: interrupt.signal });
  } finally {
    interrupt.dispose();
  }
}

function parseOrExplain(
  argv: readonly string[],
  io: CliIo,
): CliCommand | undefined {
  try {
    return parseCliArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`architect: ${error.message}\n\n${USAGE}`);
    return undefined;
  }
}

/** Ctrl-C stops the review cleanly (git and model calls are aborted); a second one exits at once. */
function onInterrupt(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const handler = () => {
    if (controller.signal.aborted) process.exit(EXIT_INTERRUPTED);
    controller.abort(new Error('interrupted'));
  };
  process.on('SIGINT', handler);
  return {
    signal: controller.signal,
    dispose: () => process.off('SIGINT', handler),
  };
}
