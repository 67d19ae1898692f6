import type { Finding } from '../core/finding.ts';
import { findingMarkdown } from './finding-markdown.ts';

/** The markdown of one inline review comment. */
export function commentBody(finding: Finding): string {
  return findingMarkdown(finding);
}
