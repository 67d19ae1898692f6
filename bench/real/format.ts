import type { CoverageNote } from '../../src/core/coverage.ts';
import {
  strictPrecision,
  type BenchScore,
  type CommitScore,
  type JudgedFinding,
  type Tally,
} from './score.ts';

export interface CommitExtras {
  files: number;
  notes: CoverageNote[];
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) =>
    Math.max(...rows.map((r) => r[i]!.length)),
  );
  return rows
    .map((r) =>
      r
        .map((cell, i) =>
          i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!),
        )
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

const ratio = (value: number | undefined) =>
  value === undefined ? 'n/a' : value.toFixed(2);
const short = (sha: string) => sha.slice(0, 10);

function where(f: JudgedFinding): string {
  return f.line === undefined ? f.path : `${f.path}:${f.line}`;
}

function tallyCells(t: Tally): string[] {
  return [
    String(t.findings),
    String(t.true),
    String(t.false),
    String(t.debatable),
    String(t.unlabelled),
    ratio(strictPrecision(t)),
  ];
}

function percentile(sorted: number[], p: number): number {
  return sorted[
    Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))
  ]!;
}

/** The benchmark's report: per commit, per rule, overall, then what needs attention (misses, unlabelled findings). */
export function formatBench(
  score: BenchScore,
  extras: ReadonlyMap<CommitScore, CommitExtras>,
  options: { list: boolean },
): string {
  const out: string[] = [];
  const repos = new Set(score.commits.map((c) => c.run.repo));

  out.push('== Per commit (findings at medium and above) ==');
  const commitRows = [
    [
      'repository',
      'commit',
      'kind',
      'files',
      'findings',
      'true',
      'false',
      'debatable',
      'unlabelled',
      'low',
      'ms',
    ],
  ];
  for (const c of score.commits) {
    const t = { true: 0, false: 0, debatable: 0, unlabelled: 0 };
    for (const j of c.judged) t[j.verdict] += 1;
    commitRows.push([
      c.run.repo,
      short(c.run.commit.sha),
      c.run.commit.kind,
      String(extras.get(c)?.files ?? '?'),
      String(c.judged.length),
      String(t.true),
      String(t.false),
      String(t.debatable),
      String(t.unlabelled),
      String(c.minor),
      String(Math.round(c.run.durationMs)),
    ]);
  }
  out.push(table(commitRows));

  out.push('', '== Per rule (medium and above; debatable counts as false) ==');
  const ruleRows = [
    [
      'rule',
      'findings',
      'true',
      'false',
      'debatable',
      'unlabelled',
      'precision',
    ],
  ];
  const rules = [...score.byRule.entries()].sort(
    (a, b) => b[1].findings - a[1].findings || a[0].localeCompare(b[0]),
  );
  for (const [rule, tally] of rules)
    ruleRows.push([rule, ...tallyCells(tally)]);
  ruleRows.push(['all rules', ...tallyCells(score.overall)]);
  out.push(table(ruleRows));

  const o = score.overall;
  const durations = score.commits
    .map((c) => c.run.durationMs)
    .sort((a, b) => a - b);
  out.push(
    '',
    '== Overall ==',
    `commits: ${score.commits.length} from ${repos.size} repositories (${score.cleanCommits} clean)`,
    `strict precision at medium and above: ${ratio(score.precision)} (${o.true} true of ${o.true + o.false + o.debatable} labelled: ${o.false} false, ${o.debatable} debatable)`,
    `unlabelled findings at medium and above: ${o.unlabelled}${o.unlabelled > 0 ? ' (label them: they are left out of precision)' : ''}`,
    `false comments per clean commit: ${score.cleanCommits === 0 ? 'n/a' : (score.cleanFalseComments / score.cleanCommits).toFixed(2)} (${score.cleanFalseComments} on ${score.cleanCommits} clean commits)`,
    `recall on labelled risks: ${ratio(score.recall)} (${score.caught} of ${score.risks} caught by a true finding)`,
    durations.length === 0
      ? 'run time per commit: n/a'
      : `run time per commit: median ${Math.round(percentile(durations, 50))} ms, p90 ${Math.round(percentile(durations, 90))} ms, max ${Math.round(durations.at(-1)!)} ms, total ${(durations.reduce((a, b) => a + b, 0) / 1000).toFixed(1)} s`,
  );

  // The targets the product holds itself to on real code.
  const busy = rules.filter(([, t]) => t.findings >= 5);
  const weak = busy
    .filter(([, t]) => (strictPrecision(t) ?? 0) < 0.6)
    .map(([rule]) => rule);
  const met = (ok: boolean) => (ok ? 'met' : 'NOT MET');
  out.push(
    '',
    '== Targets ==',
    `strict precision >= 0.80 at medium and above: ${ratio(score.precision)} ${met((score.precision ?? 0) >= 0.8)}`,
    `precision >= 0.60 for every rule with 5+ findings: ${busy.length - weak.length} of ${busy.length} ${met(weak.length === 0)}${weak.length > 0 ? ` (below: ${weak.join(', ')})` : ''}`,
    `no false comments on clean commits: ${score.cleanFalseComments} ${met(score.cleanFalseComments === 0)}`,
  );

  const missed = score.commits.flatMap((c) =>
    c.missed.map(
      (r) =>
        `${c.run.repo} ${short(c.run.commit.sha)} ${r.id} (${r.path}): ${r.what}`,
    ),
  );
  out.push(
    '',
    `== Risks missed (${missed.length}) ==`,
    ...(missed.length > 0 ? missed : ['none']),
  );

  const unlabelled = score.commits.flatMap((c) =>
    c.judged
      .filter((j) => j.verdict === 'unlabelled')
      .map(
        (j) =>
          `${c.run.repo} ${short(c.run.commit.sha)} ${j.severity} ${j.ruleId} ${where(j)}: ${j.title}`,
      ),
  );
  out.push(
    '',
    `== Unlabelled findings (${unlabelled.length}) ==`,
    ...(unlabelled.length > 0 ? unlabelled : ['none']),
  );

  const notes = score.commits.flatMap((c) =>
    (extras.get(c)?.notes ?? [])
      .filter((n) => /fail|error|timed out/i.test(n.message))
      .map(
        (n) =>
          `${c.run.repo} ${short(c.run.commit.sha)} ${n.source}${n.path ? ` ${n.path}` : ''}: ${n.message}`,
      ),
  );
  if (notes.length > 0)
    out.push(
      '',
      `== Files the analyzers could not read, and analyzer failures (${notes.length}) ==`,
      ...notes,
    );

  if (options.list) {
    out.push('', '== Every finding at medium and above ==');
    for (const c of score.commits) {
      out.push(
        `-- ${c.run.repo} ${c.run.commit.sha} (${c.run.commit.kind}) ${c.run.commit.subject}`,
      );
      for (const j of c.judged)
        out.push(
          `   [${j.verdict}] ${j.severity} ${j.ruleId} ${where(j)}: ${j.title}${j.reason ? ` — ${j.reason}` : ''}`,
        );
    }
  }
  return out.join('\n');
}
