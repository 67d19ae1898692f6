/**
 * Precision and recall on real commits: each commit listed in bench/real/repos/*.json is replayed as
 * a pull request (base = its parent) from a local git mirror through the CLI's engine with no model,
 * and its findings are scored against the labels recorded next to it.
 *
 *   npm run bench:real -- --mirrors DIR [--repo owner/name] [--commit SHA] [--list]
 *   ARCHITECT_BENCH_MIRRORS=DIR npm run bench:real
 *
 * DIR holds one mirror per repository (`git clone --mirror`), named `owner+name`, `owner/name` or
 * `name` (with or without `.git`). Without DIR the benchmark says so and exits 0: it needs the
 * network to get the mirrors, so it is not part of the test suite.
 */
import { stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { formatBench, type CommitExtras } from './real/format.ts';
import { loadRepositories } from './real/labels.ts';
import { findMirror, hasCommit, replayCommit } from './real/replay.ts';
import { scoreBench, type CommitRun, type CommitScore } from './real/score.ts';

const { values } = parseArgs({
  options: {
    mirrors: { type: 'string' },
    repo: { type: 'string' },
    commit: { type: 'string' },
    list: { type: 'boolean', default: false },
  },
  strict: true,
});

const mirrors = values.mirrors ?? process.env.ARCHITECT_BENCH_MIRRORS;
if (!mirrors) {
  console.log(
    'bench:real skipped: no mirrors folder. Pass --mirrors DIR or set ARCHITECT_BENCH_MIRRORS to a folder of `git clone --mirror` copies of the repositories in bench/real/repos/.',
  );
  process.exit(0);
}
if (!(await stat(mirrors).catch(() => undefined))?.isDirectory()) {
  console.log(
    `bench:real skipped: the mirrors folder ${mirrors} does not exist or is not a folder.`,
  );
  process.exit(0);
}

const repositories = (
  await loadRepositories(
    fileURLToPath(new URL('./real/repos/', import.meta.url)),
  )
).filter(
  (r) => !values.repo || r.repo.toLowerCase() === values.repo.toLowerCase(),
);
const runs: CommitRun[] = [];
const extras = new Map<CommitRun, CommitExtras>();
const skipped: string[] = [];
for (const repository of repositories) {
  const gitDir = await findMirror(mirrors, repository.repo);
  if (!gitDir) {
    skipped.push(
      `${repository.repo}: no mirror in the mirrors folder (${repository.commits.length} commits skipped)`,
    );
    continue;
  }
  for (const commit of repository.commits) {
    if (values.commit && !commit.sha.startsWith(values.commit)) continue;
    if (!(await hasCommit(gitDir, commit.sha))) {
      skipped.push(
        `${repository.repo} ${commit.sha.slice(0, 10)}: not in the mirror`,
      );
      continue;
    }
    process.stderr.write(
      `bench:real: ${repository.repo} ${commit.sha.slice(0, 10)} ${commit.subject}\n`,
    );
    const replay = await replayCommit(gitDir, commit.sha);
    const run: CommitRun = {
      repo: repository.repo,
      commit,
      findings: replay.findings,
      durationMs: replay.durationMs,
    };
    runs.push(run);
    extras.set(run, { files: replay.files, notes: replay.notes });
  }
}

if (runs.length === 0) {
  console.log(
    `bench:real skipped: none of the listed commits is in ${mirrors}.\n${skipped.join('\n')}`,
  );
  process.exit(0);
}

const score = scoreBench(runs);
const byScore = new Map<CommitScore, CommitExtras>(
  score.commits.map((c) => [c, extras.get(c.run)!]),
);
console.log(
  'Backend Architect on real commits: each replayed as a pull request (base = parent), default config, no model\n',
);
console.log(formatBench(score, byScore, { list: values.list }));
if (skipped.length > 0)
  console.log(`\n== Skipped (${skipped.length}) ==\n${skipped.join('\n')}`);
