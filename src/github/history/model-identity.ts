import type { Finding } from '../../core/finding.ts';
import type { FixedFinding, TrackedFinding } from './review-state.ts';

/** What a finding is matched on. */
type Candidate = Pick<
  TrackedFinding,
  'fp' | 'id' | 'src' | 'lens' | 'path' | 'title' | 'start' | 'end' | 'side'
>;

/** How far (in lines) a repeated model finding may have moved and still be the same one. */
export const NEARBY_LINES = 5;

/**
 * A model finding's fingerprint hashes the code it points at, so a small edit to that code (a
 * renamed variable, a reformatted line) gives the model's repeat of the same finding a new one, and
 * the old finding would be "fixed" while the same text is posted again beside it. Before a model
 * finding counts as new it is matched against the findings open before this run: the same lens
 * and file, lines close by, the same title once normalised — and then against the findings fixed
 * earlier. A match takes over the old identity (fingerprint and id), so its thread stays open (or
 * reopens) and nothing is posted again.
 */
export function adoptModelIdentities(
  previous: readonly Candidate[],
  current: readonly Finding[],
  fixed: readonly FixedFinding[] = [],
): Finding[] {
  const reported = new Set(current.map((f) => f.fingerprint));
  // Findings this run would otherwise call fixed, then those fixed earlier (their threads reopen); each once.
  const located = fixed.flatMap((f) =>
    f.src && f.lens && f.path
      ? [{ ...f, src: f.src, lens: f.lens, path: f.path }]
      : [],
  );
  const candidates = [...previous, ...located].filter(
    (p) => p.src === 'model' && !reported.has(p.fp),
  );
  const known = new Set([...previous, ...fixed].map((p) => p.fp));
  const taken = new Set<string>();
  return current.map((finding) => {
    if (finding.source !== 'model' || known.has(finding.fingerprint))
      return finding;
    const match = candidates
      .filter((p) => !taken.has(p.fp) && sameSubject(p, finding))
      .sort((a, b) => distance(a, finding) - distance(b, finding))[0];
    if (!match) return finding;
    taken.add(match.fp);
    return { ...finding, fingerprint: match.fp, id: match.id };
  });
}

function sameSubject(previous: Candidate, finding: Finding): boolean {
  if (previous.lens !== finding.lens || previous.path !== finding.path)
    return false;
  if ((previous.side ?? 'RIGHT') !== (finding.lines?.side ?? 'RIGHT'))
    return false;
  if (distance(previous, finding) > NEARBY_LINES) return false;
  // Tracked titles are cut at 200 characters.
  return (
    normaliseTitle(previous.title) ===
    normaliseTitle(finding.title.slice(0, 200))
  );
}

/** Lines between the two ranges; 0 when they overlap. A finding without lines is far from everything. */
function distance(previous: Candidate, finding: Finding): number {
  if (previous.start === undefined || finding.lines === undefined)
    return previous.start === undefined && finding.lines === undefined
      ? 0
      : Number.POSITIVE_INFINITY;
  const end = previous.end ?? previous.start;
  if (finding.lines.end < previous.start)
    return previous.start - finding.lines.end;
  if (finding.lines.start > end) return finding.lines.start - end;
  return 0;
}

/** Case, spacing, punctuation and code quoting never make a title new. */
export function normaliseTitle(title: string): string {
  return title
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[`*_"'“”‘’.,:;!?()[\]{}]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
