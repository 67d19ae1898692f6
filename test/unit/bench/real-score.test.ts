import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  CommitSchema,
  RepositorySchema,
  type BenchCommit,
} from '../../../bench/real/labels.ts';
import {
  labelFor,
  normaliseTitle,
  scoreBench,
  type CommitRun,
  type ObservedFinding,
} from '../../../bench/real/score.ts';

const finding = (over: Partial<ObservedFinding> = {}): ObservedFinding => ({
  ruleId: 'schema/ban-drop-column',
  severity: 'high',
  path: 'db/migrate/1_drop.sql',
  line: 3,
  title: '`users.email` is dropped',
  ...over,
});

const commit = (over: Partial<BenchCommit>): BenchCommit =>
  CommitSchema.parse({
    sha: 'a'.repeat(40),
    subject: 'change',
    kind: 'risky',
    ...over,
  });

const run = (c: BenchCommit, findings: ObservedFinding[]): CommitRun => ({
  repo: 'o/r',
  commit: c,
  findings,
  durationMs: 10,
});

describe('labels', () => {
  it('match on rule and path, then on the line window and title words when given; the first match wins', () => {
    const labels = commit({
      labels: [
        {
          rule: 'schema/ban-drop-column',
          path: 'db/migrate/1_drop.sql',
          lines: [10, 20],
          verdict: 'true',
          reason: 'late lines',
        },
        {
          rule: 'schema/ban-drop-column',
          path: 'db/migrate/1_drop.sql',
          title: 'USERS.EMAIL',
          verdict: 'false',
          reason: 'by title',
        },
        {
          rule: 'schema/ban-drop-column',
          path: 'db/migrate/*.sql',
          verdict: 'debatable',
          reason: 'any migration',
        },
      ],
    }).labels;

    expect(labelFor(labels, finding({ line: 12 }))?.reason).toBe('late lines');
    expect(labelFor(labels, finding())?.reason).toBe('by title');
    expect(
      labelFor(labels, finding({ title: '`users.name` is dropped' }))?.reason,
    ).toBe('any migration');
    expect(
      labelFor(labels, finding({ path: 'db/migrate/nested/2.sql' })),
    ).toBeUndefined();
    expect(
      labelFor(labels, finding({ ruleId: 'schema/ban-drop-table' })),
    ).toBeUndefined();
    expect(
      labelFor(labels, finding({ line: undefined, title: 'other' }))?.reason,
    ).toBe('any migration');
  });

  it('normalise titles so punctuation and case do not break a label', () => {
    expect(normaliseTitle('`Users.Email` is dropped!')).toBe(
      'users email is dropped',
    );
  });

  it('reject a risk link on a false label, an unknown risk, and risks on a clean commit', () => {
    const base = { sha: 'b'.repeat(40), subject: 's' };
    const label = {
      rule: 'r',
      path: 'p',
      verdict: 'false',
      reason: 'x',
      risk: 'k',
    };
    expect(
      CommitSchema.safeParse({
        ...base,
        kind: 'risky',
        labels: [label],
        risks: [{ id: 'k', path: 'p', what: 'w' }],
      }).success,
    ).toBe(false);
    expect(
      CommitSchema.safeParse({
        ...base,
        kind: 'risky',
        labels: [{ ...label, verdict: 'true', risk: 'nope' }],
      }).success,
    ).toBe(false);
    expect(
      CommitSchema.safeParse({
        ...base,
        kind: 'clean',
        risks: [{ id: 'k', path: 'p', what: 'w' }],
      }).success,
    ).toBe(false);
    expect(
      CommitSchema.safeParse({ ...base, sha: 'abc', kind: 'clean' }).success,
    ).toBe(false);
  });
});

describe('scoreBench', () => {
  it('counts per rule at medium and above, strict precision with debatable as false, false comments on clean commits and recall', () => {
    const risky = commit({
      labels: [
        {
          rule: 'schema/ban-drop-column',
          path: 'db/migrate/1_drop.sql',
          verdict: 'true',
          reason: 'real',
          risk: 'drop',
        },
        {
          rule: 'security/sql-injection',
          path: 'app.go',
          verdict: 'debatable',
          reason: 'maybe',
        },
      ],
      risks: [
        {
          id: 'drop',
          path: 'db/migrate/1_drop.sql',
          what: 'drops a column in use',
        },
        { id: 'missed', path: 'api.yaml', what: 'breaking API change' },
      ],
    });
    const clean = commit({
      sha: 'c'.repeat(40),
      kind: 'clean',
      labels: [
        {
          rule: 'schema/require-lock-timeout',
          path: 'm.sql',
          verdict: 'false',
          reason: 'new table',
        },
      ],
    });

    const score = scoreBench([
      run(risky, [
        finding(),
        finding({ ruleId: 'security/sql-injection', path: 'app.go' }),
        finding({
          ruleId: 'performance/query-in-loop',
          path: 'x.py',
          severity: 'medium',
        }),
        finding({ ruleId: 'schema/prefer-robust-stmts', severity: 'low' }),
      ]),
      run(clean, [
        finding({
          ruleId: 'schema/require-lock-timeout',
          path: 'm.sql',
          severity: 'medium',
        }),
        finding({ path: 'other.sql' }),
      ]),
    ]);

    expect(score.overall).toEqual({
      findings: 5,
      true: 1,
      false: 1,
      debatable: 1,
      unlabelled: 2,
    });
    expect(score.byRule.get('schema/ban-drop-column')).toEqual({
      findings: 2,
      true: 1,
      false: 0,
      debatable: 0,
      unlabelled: 1,
    });
    expect(score.byRule.has('schema/prefer-robust-stmts')).toBe(false);
    expect(score.precision).toBeCloseTo(1 / 3);
    expect(score.cleanCommits).toBe(1);
    // An unlabelled finding on a clean commit is a false comment too: a clean commit deserves none.
    expect(score.cleanFalseComments).toBe(2);
    expect(score.risks).toBe(2);
    expect(score.caught).toBe(1);
    expect(score.recall).toBe(0.5);
    expect(score.commits[0]!.missed.map((r) => r.id)).toEqual(['missed']);
    expect(score.commits[0]!.minor).toBe(1);
  });

  it('has no precision or recall when nothing is labelled or at risk', () => {
    const score = scoreBench([run(commit({ kind: 'clean' }), [])]);
    expect(score.precision).toBeUndefined();
    expect(score.recall).toBeUndefined();
    expect(score.cleanFalseComments).toBe(0);
  });
});

describe('the recorded commits', () => {
  it('are valid, at least 40 from at least 8 repositories with at least 10 clean, and carry no machine paths', async () => {
    const dir = fileURLToPath(
      new URL('../../../bench/real/repos/', import.meta.url),
    );
    const files = (await readdir(dir)).filter((n) => n.endsWith('.json'));
    const repos = await Promise.all(
      files.map(async (n) =>
        RepositorySchema.parse(
          JSON.parse(await readFile(`${dir}${n}`, 'utf8')),
        ),
      ),
    );
    const commits = repos.flatMap((r) => r.commits);
    expect(repos.length).toBeGreaterThanOrEqual(8);
    expect(commits.length).toBeGreaterThanOrEqual(40);
    expect(
      commits.filter((c) => c.kind === 'clean').length,
    ).toBeGreaterThanOrEqual(10);
    expect(new Set(commits.map((c) => c.sha)).size).toBe(commits.length);
    for (const name of files)
      expect(await readFile(`${dir}${name}`, 'utf8')).not.toMatch(
        /\/(work|home|tmp|Users)\//,
      );
  });
});
