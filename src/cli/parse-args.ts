import { parseArgs } from 'node:util';
import { SEVERITIES, type Severity } from '../core/finding.ts';

export const OUTPUT_FORMATS = ['text', 'markdown', 'json', 'sarif'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export interface ReviewOptions {
  /** Directory inside the repository to review. */
  repo: string;
  base?: string;
  head?: string;
  format: OutputFormat;
  /** File to write the report to instead of stdout. */
  output?: string;
  /** Overrides `gate.severity` from config. */
  failOn?: Severity;
  /** Config file to use instead of the repository's `.github/architect.yml`. */
  config?: string;
  /** False with `--no-model`: deterministic analyzers only. */
  model: boolean;
  /** False with `--no-color`; otherwise decided by the terminal. */
  color?: boolean;
  verbose: boolean;
}

/** `architect review --pr …`: a pull request on GitHub instead of local commits. */
export interface PullRequestReviewOptions
  extends Omit<ReviewOptions, 'repo' | 'base' | 'head'> {
  /** `owner/repo#N` or the pull request's URL. */
  pr: string;
  /** The environment variable holding the token (default GITHUB_TOKEN). */
  tokenEnv: string;
  /** Publish the check run (or commit status), review and summary comment, as the app does. */
  post: boolean;
}

export type CliCommand =
  | { kind: 'review'; options: ReviewOptions }
  | { kind: 'review-pr'; options: PullRequestReviewOptions }
  | { kind: 'help' }
  | { kind: 'version' };

/** Wrong arguments: the message is shown with a pointer to `architect help`, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export const USAGE = `Usage:
  architect review [options]   Review the commits of a branch like a pull request
  architect review --pr REF [options] [--post]
                               Review a pull request on GitHub (REF: owner/repo#N or its URL)
  architect help               Show this help
  architect --version          Show the version

Review options:
  --repo DIR         Repository to review (default: the current directory)
  --base REF         Branch the change would merge into (default: origin/HEAD, else main, else master)
  --head REF         Branch or commit to review (default: HEAD)
  --format FORMAT    text | markdown | json | sarif (default: text)
  --output FILE      Write the report to FILE instead of stdout
  --fail-on SEVERITY critical | high | medium | low: the lowest severity that fails (default: gate.severity)
  --config FILE      Config file (default: .github/architect.yml in the repository)
  --no-model         Run only the deterministic analyzers, even with ANTHROPIC_API_KEY set
  --no-color         Plain text output
  --verbose          Log progress and warnings to stderr

Pull request options (with --pr):
  --pr REF           owner/repo#N or https://HOST/owner/repo/pull/N; read over the REST API
                     (API base: GITHUB_API_URL, else derived from the URL's host)
  --token-env NAME   Environment variable holding the token (default: GITHUB_TOKEN)
  --post             Publish what the app publishes: check run (or commit status), one review,
                     the summary comment, resolved threads. Without it nothing is written to GitHub.
  --config FILE      With --pr, a local file used instead of the repository's config

The diff is merge-base(base, head)..head, as in a pull request; uncommitted changes are not reviewed.
The AI review runs when ANTHROPIC_API_KEY is set.

Exit codes: 0 the gate passes, 1 the gate fails, 2 usage, git or GitHub error.
`;

const REVIEW_OPTIONS = {
  repo: { type: 'string' },
  base: { type: 'string' },
  head: { type: 'string' },
  format: { type: 'string', short: 'f' },
  output: { type: 'string', short: 'o' },
  'fail-on': { type: 'string' },
  config: { type: 'string', short: 'c' },
  'no-model': { type: 'boolean' },
  'no-color': { type: 'boolean' },
  verbose: { type: 'boolean' },
  pr: { type: 'string' },
  'token-env': { type: 'string' },
  post: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Turns the command line (without `node` and the script) into a command, or throws UsageError. */
export function parseCliArgs(argv: readonly string[]): CliCommand {
  const [command, ...rest] = argv;
  if (command === undefined) throw new UsageError('missing command');
  if (command === 'help' || command === '--help' || command === '-h')
    return { kind: 'help' };
  if (command === '--version' || command === '-v' || command === 'version')
    return { kind: 'version' };
  if (command !== 'review')
    throw new UsageError(`unknown command "${command}"`);
  return parseReview(rest);
}

function parseReview(args: string[]): CliCommand {
  const values = strictParse(args);
  if (values.help) return { kind: 'help' };

  const format = values.format ?? 'text';
  if (!isOneOf(OUTPUT_FORMATS, format))
    throw new UsageError(
      `--format must be one of ${OUTPUT_FORMATS.join(', ')} (got "${format}")`,
    );
  const failOn = values['fail-on'];
  if (failOn !== undefined && !isOneOf(SEVERITIES, failOn)) {
    throw new UsageError(
      `--fail-on must be one of ${SEVERITIES.join(', ')} (got "${failOn}")`,
    );
  }
  for (const name of ['repo', 'base', 'head', 'output', 'config'] as const) {
    if (values[name] === '') throw new UsageError(`--${name} needs a value`);
  }

  const shared = {
    format,
    output: values.output,
    failOn,
    config: values.config,
    model: !values['no-model'],
    color: values['no-color'] ? false : undefined,
    verbose: values.verbose ?? false,
  };
  if (values.pr !== undefined) {
    if (values.pr.trim() === '')
      throw new UsageError(
        '--pr needs a value (owner/repo#N or a pull request URL)',
      );
    for (const name of ['repo', 'base', 'head'] as const) {
      if (values[name] !== undefined)
        throw new UsageError(
          `--${name} reviews local commits and cannot be combined with --pr`,
        );
    }
    const tokenEnv = values['token-env'] ?? 'GITHUB_TOKEN';
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(tokenEnv))
      throw new UsageError(
        `--token-env must name an environment variable (got "${tokenEnv}")`,
      );
    return {
      kind: 'review-pr',
      options: {
        ...shared,
        pr: values.pr.trim(),
        tokenEnv,
        post: values.post ?? false,
      },
    };
  }
  for (const name of ['post', 'token-env'] as const) {
    if (values[name] !== undefined)
      throw new UsageError(`--${name} needs --pr`);
  }

  return {
    kind: 'review',
    options: {
      repo: values.repo ?? '.',
      base: values.base,
      head: values.head,
      format,
      output: values.output,
      failOn,
      config: values.config,
      model: !values['no-model'],
      color: values['no-color'] ? false : undefined,
      verbose: values.verbose ?? false,
    },
  };
}

function strictParse(args: string[]) {
  try {
    return parseArgs({
      args,
      options: REVIEW_OPTIONS,
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw new UsageError(
      error instanceof Error ? error.message : String(error),
    );
  }
}

function isOneOf<T extends string>(
  allowed: readonly T[],
  value: string,
): value is T {
  return (allowed as readonly string[]).includes(value);
}
