import type { Logger } from '../core/logger.ts';
import type { ReviewResult } from '../core/review.ts';
import { commentBody } from '../report/comment-body.ts';
import { reviewBody } from '../report/review-body.ts';
import { messageOf, requestSignal, statusOf, type GitHubClient } from './github-client.ts';
import { reviewComment, splitFindings } from './review-comments.ts';

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
}

export interface PublishOutcome {
  posted: boolean;
  /** True when GitHub refused the inline comments and they were posted inside the review body instead. */
  folded: boolean;
  inlineComments: number;
}

/**
 * Posts the findings as ONE review on the head commit: inline comments where the anchor is in the
 * diff, the rest in the body. With no findings nothing is posted; the check run carries the result.
 * If GitHub rejects the review (422, e.g. an anchor it will not resolve) it is posted once more with
 * every comment folded into the body, so nothing is lost.
 */
export async function publishReview(octokit: GitHubClient, target: PublishTarget, result: ReviewResult, options: PublishOptions): Promise<PublishOutcome> {
  if (result.findings.length === 0) return { posted: false, folded: false, inlineComments: 0 };
  const { inline, inBody } = splitFindings(result.findings);
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

  try {
    await post(
      reviewBody(result, { fileLevel, folded: overflow, checkRunUrl: options.checkRunUrl }),
      inline.map((finding) => reviewComment(finding, commentBody(finding))),
    );
    return { posted: true, folded: false, inlineComments: inline.length };
  } catch (error) {
    if (statusOf(error) !== 422 || inline.length === 0) throw error;
    options.logger.warn({ err: error, message: messageOf(error), comments: inline.length }, 'GitHub rejected the review (422); posting it again with the comments folded into the body');
  }
  await post(reviewBody(result, { fileLevel, folded: [...inline, ...overflow], checkRunUrl: options.checkRunUrl }), []);
  return { posted: true, folded: true, inlineComments: 0 };
}
