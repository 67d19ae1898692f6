import type { Config } from '../../config/schema.ts';
import type { PullRequestInfo } from '../repository/pull-request-info.ts';

export const SKIP_LABEL = 'skip-architect';
export const SKIP_TITLE_TAG = '[skip architect]';

/** Authors GitHub knows nothing good about yet: their pull requests do not spend the model budget unasked. */
const NEW_AUTHORS = new Set(['FIRST_TIME_CONTRIBUTOR', 'FIRST_TIMER', 'NONE']);

/** Why the pull request asked not to be reviewed, if it did. */
export function skipRequest(
  pr: Pick<PullRequestInfo, 'labels' | 'title'>,
): string | undefined {
  if (pr.labels.some((label) => label.toLowerCase() === SKIP_LABEL))
    return `The pull request has the \`${SKIP_LABEL}\` label.`;
  if (pr.title.toLowerCase().includes(SKIP_TITLE_TAG))
    return `The pull request title contains \`${SKIP_TITLE_TAG}\`.`;
  return undefined;
}

/** Why the model must wait for a maintainer before reviewing this pull request; undefined when it need not. */
export function modelHold(
  pr: Pick<PullRequestInfo, 'fromFork' | 'authorAssociation'>,
  config: Config,
  approvedByMaintainer: boolean,
): string | undefined {
  if (approvedByMaintainer || config.model.run_for === 'everyone')
    return undefined;
  if (pr.fromFork) return 'it comes from a fork';
  if (NEW_AUTHORS.has(pr.authorAssociation.toUpperCase()))
    return 'its author is new to this repository';
  return undefined;
}
