import type { ChangeSet } from '../../core/change-set.ts';
import { mapLimit } from '../../core/concurrency.ts';
import { scopeMatcher } from '../../core/scope.ts';
import type { AppIdentity } from '../client/identity.ts';
import { listPullRequestFiles } from '../repository/list-pull-request-files.ts';
import { changeSetOf } from '../repository/pull-request-change-set.ts';
import type { PullRequestInfo } from '../repository/pull-request-info.ts';
import {
  loadPullRequestRecord,
  type PullRequestRecord,
} from '../state/pull-request-record.ts';
import type { ReviewScope } from '../history/review-scope.ts';
import { requestedByPerson, type ReviewJob } from './review-job.ts';
import { skipRequest } from './trust.ts';
import { loadReviewSettings, type ReviewSettings } from './review-settings.ts';
import { chooseScope, type GitHubReviewDeps } from './run-engine.ts';
import type { Logger } from '../../core/logger.ts';

/**
 * Contents read ahead of the engine at once: the throttle's limit of requests in flight per
 * installation, which every other request of the installation queues behind anyway.
 */
const PREFETCH_CONCURRENCY = 10;

/** Everything a review reads from GitHub before the engine, each started as soon as its inputs are known. */
export interface HeadReads {
  /** The repository's configuration and whether the review runs at all. */
  settings: Promise<ReviewSettings>;
  /** What the app said on the pull request before. */
  history: Promise<PullRequestRecord>;
  /** The files, with both revisions of those in scope already being read. */
  changeSet: Promise<ChangeSet>;
  /** Everything since the last reviewed head, or the whole pull request. */
  scope: Promise<ReviewScope>;
  /** Stops reads nobody will use: the review was skipped, ended, or its engine is done. */
  cancel(): void;
}

/**
 * Starts a head's reads together: the configuration, the history (three listings) and the file
 * listing (its pages at once) are independent; the scope needs the history, and reading contents
 * needs the listing and the configuration's paths. The engine later finds those reads
 * done or under way (the content reader caches them).
 */
export function startHeadReads(
  job: ReviewJob,
  pr: PullRequestInfo,
  identity: AppIdentity,
  deps: Pick<GitHubReviewDeps, 'readBudgetBytes'>,
  logger: Logger,
  signal: AbortSignal,
): HeadReads {
  const { octokit, owner, repo } = job;
  const cancelled = new AbortController();
  const readSignal = AbortSignal.any([signal, cancelled.signal]);
  const settings = loadReviewSettings(octokit, job, pr, logger, readSignal);
  // A draft or a skipped pull request usually ends at its settings: its other reads wait for them.
  const after: Promise<unknown> = likelyEnds(job, pr)
    ? settings.then((s) => {
        if (s.ending) throw new Error('the review ends at its settings');
      })
    : Promise.resolve();
  const history = after.then(() =>
    loadPullRequestRecord(
      octokit,
      { owner, repo, pullNumber: pr.number, botLogin: identity.login },
      readSignal,
    ),
  );
  const listing = after.then(() =>
    listPullRequestFiles(
      octokit,
      { owner, repo, pullNumber: pr.number },
      {
        signal: readSignal,
        ...(pr.changedFiles !== undefined
          ? { expectedFiles: pr.changedFiles }
          : {}),
      },
    ),
  );
  const changeSet = Promise.all([settings, listing]).then(
    ([{ config }, files]) => {
      const changeSet = changeSetOf({ octokit, owner, repo, pr }, files, {
        maxFileBytes: config.limits.max_file_bytes,
        readBudgetBytes: deps.readBudgetBytes,
        logger,
        signal: readSignal,
      });
      // What the analyzers read: both revisions of every file in scope (a new file's head is in its patch).
      const inScope = scopeMatcher(config.paths);
      const reads = changeSet.files
        .filter(
          (f) => inScope(f.path) || (f.previousPath && inScope(f.previousPath)),
        )
        .slice(0, config.limits.max_files)
        .flatMap((f) => [
          ...(f.status === 'removed' || f.status === 'added'
            ? []
            : [{ revision: 'head' as const, path: f.path }]),
          ...(f.status === 'added'
            ? []
            : [{ revision: 'base' as const, path: f.previousPath ?? f.path }]),
        ]);
      void mapLimit(
        reads,
        PREFETCH_CONCURRENCY,
        (r) =>
          changeSet.contents
            .read(r.revision, r.path, readSignal)
            .catch(() => undefined),
        readSignal,
      ).catch(() => undefined);
      return changeSet;
    },
  );
  const scope = Promise.all([history, changeSet]).then(([record, files]) =>
    chooseScope(octokit, job, pr, record.state, files, readSignal),
  );
  // Awaited by the review, or never when it ends early: no rejection may go unhandled.
  for (const read of [settings, history, listing, changeSet, scope])
    read.catch(() => undefined);
  return {
    settings,
    history,
    changeSet,
    scope,
    cancel: () =>
      cancelled.abort(new Error('the review no longer needs these reads')),
  };
}

function likelyEnds(job: ReviewJob, pr: PullRequestInfo): boolean {
  return (
    skipRequest(pr) !== undefined ||
    (pr.draft && !requestedByPerson(job.trigger))
  );
}
