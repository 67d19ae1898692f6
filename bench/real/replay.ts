import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  defaultAnalyzers,
  defaultRedactor,
} from '../../src/analyzers/index.ts';
import { gitChangeSet } from '../../src/cli/git-change-set.ts';
import { runGitRaw } from '../../src/cli/git.ts';
import { DEFAULT_CONFIG, type Config } from '../../src/config/schema.ts';
import type { ModelReviewer } from '../../src/core/ports.ts';
import { gitRepositoryView } from '../../src/cli/git-repository-view.ts';
import type { CoverageNote } from '../../src/core/coverage.ts';
import { reviewChangeSet } from '../../src/core/review.ts';
import type { ObservedFinding } from './score.ts';

/**
 * Where a repository's mirror may sit in the mirrors folder: `owner+name` (optionally holding a
 * `repo` git directory), `owner/name`, or `name`, each with or without `.git`.
 */
export async function findMirror(
  mirrors: string,
  repo: string,
): Promise<string | undefined> {
  const [owner, name] = repo.split('/') as [string, string];
  const candidates = [
    `${owner}+${name}/repo`,
    `${owner}+${name}`,
    `${owner}/${name}`,
    name,
  ].flatMap((p) => [p, `${p}.git`]);
  for (const candidate of candidates) {
    const dir = join(mirrors, candidate);
    if (!(await stat(dir).catch(() => undefined))?.isDirectory()) continue;
    const probe = await runGitRaw(['rev-parse', '--git-dir'], {
      cwd: dir,
    }).catch(() => undefined);
    if (probe?.exitCode === 0) return dir;
  }
  return undefined;
}

export async function hasCommit(gitDir: string, sha: string): Promise<boolean> {
  const result = await runGitRaw(['cat-file', '-e', `${sha}^{commit}`], {
    cwd: gitDir,
  });
  return result.exitCode === 0;
}

/** A replay through the model as well (the evaluation): its config and reviewer. */
export interface ModelReplay {
  config: Config;
  reviewer: ModelReviewer;
}

export interface Replay {
  findings: ObservedFinding[];
  /** Estimated model spend of the replay (0 without a model). */
  costUsd: number;
  files: number;
  notes: CoverageNote[];
  durationMs: number;
}

/**
 * Replays one commit as a pull request whose base is its (first) parent, through the engine the CLI
 * runs: the change set from git objects, every built-in analyzer, no model, the default config (what
 * a team gets on installing the app, with no `.github/architect.yml`).
 */
export async function replayCommit(
  gitDir: string,
  sha: string,
  withModel?: ModelReplay,
): Promise<Replay> {
  const started = performance.now();
  const config = withModel?.config ?? DEFAULT_CONFIG;
  const changeSet = await gitChangeSet({
    repo: gitDir,
    gitDir,
    base: `${sha}^`,
    head: sha,
    maxFileBytes: config.limits.max_file_bytes,
  });
  // With a model, its tools read the repository at the commit through the same view the CLI uses.
  const repository = withModel
    ? gitRepositoryView({
        cwd: gitDir,
        baseSha: changeSet.baseSha,
        headSha: changeSet.headSha,
        maxFileBytes: config.limits.max_file_bytes,
      })
    : undefined;
  const result = await reviewChangeSet(
    repository ? { ...changeSet, repository } : changeSet,
    config,
    {
      analyzers: defaultAnalyzers(),
      redactor: defaultRedactor(),
      ...(withModel ? { reviewer: withModel.reviewer } : {}),
    },
  ).finally(() => repository?.close());
  return {
    costUsd: result.usage.costUsd ?? 0,
    findings: result.findings.map((f) => ({
      source: f.source,
      ruleId: f.ruleId,
      severity: f.severity,
      path: f.path,
      line: f.lines?.start,
      title: f.title,
    })),
    files: changeSet.files.length,
    notes: result.coverage.notes,
    durationMs: performance.now() - started,
  };
}
