import type { Finding, Side } from '../../core/finding.ts';

/** Inline comments per review; more is noise, and the rest are listed in the review body. */
export const MAX_INLINE_COMMENTS = 50;

/** A comment of `POST /pulls/{n}/reviews`, anchored by line and side (never the deprecated `position`). */
export interface ReviewComment {
  path: string;
  body: string;
  line: number;
  side: Side;
  start_line?: number;
  start_side?: Side;
}

export interface CommentSplit {
  /** Findings posted as inline comments, most severe first. */
  inline: Finding[];
  /** Findings listed in the review body: file-level ones and inline ones over the cap. */
  inBody: Finding[];
}

/** Splits findings (already sorted most severe first) into inline comments and the body. */
export function splitFindings(
  findings: Finding[],
  maxInline = MAX_INLINE_COMMENTS,
): CommentSplit {
  const inline: Finding[] = [];
  const inBody: Finding[] = [];
  for (const finding of findings) {
    if (finding.placement.kind === 'inline' && inline.length < maxInline)
      inline.push(finding);
    else inBody.push(finding);
  }
  return { inline, inBody };
}

/** The anchor GitHub needs for an inline finding; a range adds `start_line` on the same side. */
export function reviewComment(finding: Finding, body: string): ReviewComment {
  const placement = finding.placement;
  if (placement.kind !== 'inline')
    throw new Error(`finding ${finding.id} has no inline anchor`);
  const comment: ReviewComment = {
    path: finding.path,
    body,
    line: placement.line,
    side: placement.side,
  };
  if (
    placement.startLine !== undefined &&
    placement.startLine < placement.line
  ) {
    comment.start_line = placement.startLine;
    comment.start_side = placement.side;
  }
  return comment;
}
