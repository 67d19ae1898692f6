import { createHash } from 'node:crypto';
import type { DraftFinding, Finding, Placement } from './finding.ts';
import { linesAt } from './diff/anchor.ts';
import type { Hunk } from './diff/parse-patch.ts';

/** Whitespace and case differences never make a finding new. */
function normalise(text: string): string {
  return text.replace(/\s+/g, ' ').trim().toLowerCase();
}

/**
 * A fingerprint depends on what the finding is about (rule, file, the code at its anchor), never on
 * line numbers, so the same problem keeps its identity when code above it moves.
 */
export function fingerprintOf(
  draft: DraftFinding,
  placement: Placement,
  hunks: Hunk[],
): string {
  let subject: string;
  if (placement.kind === 'inline') {
    const code = linesAt(
      hunks,
      placement.side,
      placement.startLine ?? placement.line,
      placement.line,
    )
      .map(normalise)
      .filter((line) => line.length > 0);
    subject = code.length > 0 ? code.join('\n') : normalise(draft.title);
  } else {
    subject = normalise(draft.title);
  }
  return createHash('sha256')
    .update([draft.ruleId, draft.path, subject].join('\u0000'))
    .digest('hex');
}

/** Assigns ids (the first 8 hex digits of the fingerprint), keeping them unique within one review. */
export function assignIds(findings: Array<Omit<Finding, 'id'>>): Finding[] {
  const seen = new Map<string, number>();
  return findings.map((finding) => {
    const count = seen.get(finding.fingerprint) ?? 0;
    seen.set(finding.fingerprint, count + 1);
    const fingerprint =
      count === 0 ? finding.fingerprint : `${finding.fingerprint}-${count}`;
    const id =
      count === 0
        ? finding.fingerprint.slice(0, 8)
        : `${finding.fingerprint.slice(0, 8)}-${count}`;
    return { ...finding, fingerprint, id };
  });
}
