import { SEVERITIES, type Severity } from '../core/finding.ts';

export const POST_MODES = ['auto', 'true', 'false'] as const;
export type PostMode = (typeof POST_MODES)[number];

/** The Action's inputs (action.yml), as the runner passes them: `INPUT_<NAME>` environment variables. */
export interface ActionInputs {
  token: string;
  /** A config file in the workspace instead of the repository's `.github/architect.yml`. */
  config?: string;
  failOn?: Severity;
  /** The model key; without it only the deterministic analyzers run. */
  modelKey?: string;
  /** `auto`: post unless the token is read-only (fork and Dependabot pull requests). */
  post: PostMode;
  /** Where the SARIF report goes, relative to the workspace. */
  sarifFile: string;
}

/** A wrong input: reported in one line, exit code 2. */
export class InputError extends Error {
  override name = 'InputError';
}

export function readInputs(env: NodeJS.ProcessEnv): ActionInputs {
  const input = (name: string) =>
    env[`INPUT_${name.toUpperCase()}`]?.trim() ?? '';
  const token = input('github-token');
  if (!token)
    throw new InputError(
      'the github-token input is empty (the default is the job token, `github.token`)',
    );
  const failOn = input('fail-on');
  if (failOn && !(SEVERITIES as readonly string[]).includes(failOn))
    throw new InputError(
      `fail-on must be one of ${SEVERITIES.join(', ')} (got "${failOn}")`,
    );
  const post = input('post') || 'auto';
  if (!(POST_MODES as readonly string[]).includes(post))
    throw new InputError(
      `post must be one of ${POST_MODES.join(', ')} (got "${post}")`,
    );
  const config = input('config');
  const modelKey = input('anthropic-api-key');
  return {
    token,
    ...(config ? { config } : {}),
    ...(failOn ? { failOn: failOn as Severity } : {}),
    ...(modelKey ? { modelKey } : {}),
    post: post as PostMode,
    sarifFile: input('sarif-file') || 'backend-architect.sarif',
  };
}
