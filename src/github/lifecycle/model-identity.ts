import type { Finding } from '../../core/finding.ts';
import type { TrackedFinding } from '../state/review-state.ts';

/** How far (in lines) a repeated model finding may have moved and still be the same one. */
export const NEARBY_LINES = 5;

/**
 * A model finding's fingerprint hashes the code it points at, so a small edit to that code (a
 * renamed variable, a reformatted line) gives the model's repeat of the same finding a new one, and
 * the old finding would be "fixed" while the same text is posted again beside it. Before a model
 * finding counts as new it is matched against the findings open before this run: the same lens
 * and file, lines close by, the same title once normalised. A match takes over the old identity
 * (fingerprint and id), so its thread stays open and nothing is posted again.
 */
export function adoptModelIdentities(previous: readonly TrackedFinding[], current: readonly Finding[]): Finding[] {
  const reported = new Set(current.map((f) => f.fingerprint));
  // Only findings this run would otherwise call fixed can be taken over, each once.
  const candidates = previous.filter((p) => p.src === 'model' && !reported.has(p.fp));
  const taken = new Set<string>();
  return current.map((finding) => {
    if (finding.source !== 'model' || previous.some((p) => p.fp === finding.fingerprint)) return finding;
    const match = candidates
      .filter((p) => !taken.has(p.fp) && sameSubject(p, finding))
      .sort((a, b) => distance(a, finding) - distance(b, finding))[0];
    if (!match) return finding;
    taken.add(match.fp);
    return { ...finding, fingerprint: match.fp, id: match.id };
  });
}

function sameSubject(previous: TrackedFinding, finding: Finding): boolean {
  if (previous.lens !== finding.lens || previous.path !== finding.path) return false;
  if ((previous.side ?? 'RIGHT') !== (finding.lines?.side ?? 'RIGHT')) return false;
  if (distance(previous, finding) > NEARBY_LINES) return false;
  // Tracked titles are cut at 200 characters.
  return normaliseTitle(previous.title) === normaliseTitle(finding.title.slice(0, 200));
}

/** Lines between the two ranges; 0 when they overlap. A finding without lines is far from everything. */
function distance(previous: TrackedFinding, finding: Finding): number {
  if (previous.start === undefined || finding.lines === undefined) return previous.start === undefined && finding.lines === undefined ? 0 : Number.POSITIVE_INFINITY;
  const end = previous.end ?? previous.start;
  if (finding.lines.end < previous.start) return previous.start - finding.lines.end;
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
