import type { Finding } from '../../core/finding.ts';
import type { Logger } from '../../core/logger.ts';
import type { ReviewResult } from '../../core/review.ts';
import { commentBody } from '../../report/comment-body.ts';
import { GITHUB_TEXT_LIMIT, limitMarkdown } from '../../report/limit.ts';
import { reviewBody } from '../../report/review-body.ts';
import {
  messageOf,
  requestSignal,
  statusOf,
  type GitHubClient,
} from '../client/github-client.ts';
import { reviewComment, splitFindings } from './review-comments.ts';
import { marker, withMarker } from '../history/markers.ts';
import type { ReviewMarker } from '../state/pull-request-record.ts';
import { track } from '../history/review-state.ts';

export interface PublishTarget {
  owner: string;
  repo: string;
  pullNumber: number;
  headSha: string;
}

export interface PublishOptions {
  checkRunUrl?: string;
  logger: Logger;
  signal?: AbortSignal;
  /**
   * Fingerprints already on the pull request, read right before posting: findings another worker
   * (or an earlier attempt) posted in the meantime are left out.
   */
  alreadyPosted?: () => Promise<ReadonlySet<string>>;
}

export interface PublishOutcome {
  posted: boolean;
  /** True when GitHub refused the inline comments and they were posted inside the review body instead. */
  folded: boolean;
  inlineComments: number;
  /** Fingerprints this review posted. */
  fingerprints: string[];
}

/**
 * Posts the findings of `result` as ONE review on the head commit: inline comments where the anchor
 * is in the diff, the rest in the body. Every inline comment ends with a marker naming its finding,
 * and the body with the fingerprints it carries, so no finding is ever posted twice. With nothing
 * new to post nothing is posted; the check run carries the result. If GitHub rejects the review
 * (422, e.g. an anchor it will not resolve) it is posted once more with every comment folded into
 * the body, so nothing is lost.
 */
export async function publishReview(
  octokit: GitHubClient,
  target: PublishTarget,
  result: ReviewResult,
  options: PublishOptions,
): Promise<PublishOutcome> {
  let findings = result.findings;
  if (findings.length > 0 && options.alreadyPosted) {
    const posted = await options.alreadyPosted();
    const fresh = findings.filter((f) => !posted.has(f.fingerprint));
    if (fresh.length < findings.length)
      options.logger.info(
        { skipped: findings.length - fresh.length },
        'findings were posted meanwhile; leaving them out',
      );
    findings = fresh;
  }
  const none: PublishOutcome = {
    posted: false,
    folded: false,
    inlineComments: 0,
    fingerprints: [],
  };
  if (findings.length === 0) return none;
  const view: ReviewResult = { ...result, findings };
  const { inline, inBody } = splitFindings(findings);
  const fileLevel = inBody.filter((f) => f.placement.kind === 'file');
  // Inline findings over the cap are listed in the body with their anchors.
  const overflow = inBody.filter((f) => f.placement.kind === 'inline');
  const post = (body: string, comments: ReturnType<typeof reviewComment>[]) =>
    octokit.request('POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews', {
      owner: target.owner,
      repo: target.repo,
      pull_number: target.pullNumber,
      commit_id: target.headSha,
      event: 'COMMENT',
      body,
      comments,
      request: { signal: requestSignal(options.signal) },
    });
  const fingerprints = findings.map((f) => f.fingerprint);

  try {
    await post(
      markedBody(
        reviewBody(view, {
          fileLevel,
          folded: overflow,
          checkRunUrl: options.checkRunUrl,
        }),
        target.headSha,
        inBody,
      ),
      inline.map((finding) =>
        reviewComment(
          finding,
          withMarker(commentBody(finding), 'finding', track(finding)),
        ),
      ),
    );
    return {
      posted: true,
      folded: false,
      inlineComments: inline.length,
      fingerprints,
    };
  } catch (error) {
    if (statusOf(error) !== 422 || inline.length === 0) throw error;
    options.logger.warn(
      { err: error, message: messageOf(error), comments: inline.length },
      'GitHub rejected the review (422); posting it again with the comments folded into the body',
    );
  }
  await post(
    markedBody(
      reviewBody(view, {
        fileLevel,
        folded: [...inline, ...overflow],
        checkRunUrl: options.checkRunUrl,
      }),
      target.headSha,
      findings,
    ),
    [],
  );
  return { posted: true, folded: true, inlineComments: 0, fingerprints };
}

/** Fingerprints a review body's marker lists; the state comment remembers any beyond. */
const MAX_MARKED = 500;

/** The review body with a marker of the findings it carries, cut so that both fit GitHub's limit. */
function markedBody(
  body: string,
  headSha: string,
  inBody: readonly Finding[],
): string {
  const data: ReviewMarker = {
    head: headSha,
    fps: inBody.slice(0, MAX_MARKED).map((f) => f.fingerprint),
  };
  const tail = marker('review', data);
  return `${limitMarkdown(body, GITHUB_TEXT_LIMIT - tail.length - 2)}\n\n${tail}`;
}
