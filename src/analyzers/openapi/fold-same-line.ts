import { severityRank, type DraftFinding } from '../../core/finding.ts';

const lineKey = (finding: DraftFinding): string | undefined =>
  finding.lines
    ? `${finding.path}\u0000${finding.lines.side}:${finding.lines.start}-${finding.lines.end}`
    : undefined;

/**
 * One comment per line of an API description: a property shared by requests and responses, or a
 * schema that gains one required property and loses another, makes several changes anchored on the
 * same line. The most severe is kept and the lesser ones are named in its body; changes of equal
 * severity stay separate findings, each its own risk.
 */
export function foldSameLine(findings: DraftFinding[]): DraftFinding[] {
  const byLine = new Map<string, DraftFinding[]>();
  for (const finding of findings) {
    const key = lineKey(finding);
    if (key) byLine.set(key, [...(byLine.get(key) ?? []), finding]);
  }
  const folded = new Set<DraftFinding>();
  const replaced = new Map<DraftFinding, DraftFinding>();
  for (const group of byLine.values()) {
    if (group.length < 2) continue;
    const top = Math.max(...group.map((f) => severityRank(f.severity)));
    const lesser = group.filter((f) => severityRank(f.severity) < top);
    if (lesser.length === 0) continue;
    const kept = group.find((f) => severityRank(f.severity) === top)!;
    for (const finding of lesser) folded.add(finding);
    replaced.set(kept, {
      ...kept,
      body: `${kept.body}\n\nAlso on this line: ${lesser.map((f) => `${f.title} (\`${f.ruleId}\`, ${f.severity})`).join('; ')}.`,
    });
  }
  return findings
    .filter((finding) => !folded.has(finding))
    .map((finding) => replaced.get(finding) ?? finding);
}
