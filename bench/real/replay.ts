import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { defaultAnalyzers, defaultRedactor } from '../../src/analyzers/index.ts';
import { gitChangeSet } from '../../src/cli/git-change-set.ts';
import { runGitRaw } from '../../src/cli/git.ts';
import { DEFAULT_CONFIG } from '../../src/config/schema.ts';
import type { CoverageNote } from '../../src/core/coverage.ts';
import { reviewChangeSet } from '../../src/core/review.ts';
import type { ObservedFinding } from './score.ts';

/**
 * Where a repository's mirror may sit in the mirrors folder: `owner+name` (optionally holding a
 * `repo` git directory), `owner/name`, or `name`, each with or without `.git`.
 */
export async function findMirror(mirrors: string, repo: string): Promise<string | undefined> {
  const [owner, name] = repo.split('/') as [string, string];
  const candidates = [`${owner}+${name}/repo`, `${owner}+${name}`, `${owner}/${name}`, name].flatMap((p) => [p, `${p}.git`]);
  for (const candidate of candidates) {
    const dir = join(mirrors, candidate);
    if (!(await stat(dir).catch(() => undefined))?.isDirectory()) continue;
    const probe = await runGitRaw(['rev-parse', '--git-dir'], { cwd: dir }).catch(() => undefined);
    if (probe?.exitCode === 0) return dir;
  }
  return undefined;
}

export async function hasCommit(gitDir: string, sha: string): Promise<boolean> {
  const result = await runGitRaw(['cat-file', '-e', `${sha}^{commit}`], { cwd: gitDir });
  return result.exitCode === 0;
}

export interface Replay {
  findings: ObservedFinding[];
  files: number;
  notes: CoverageNote[];
  durationMs: number;
}

/**
 * Replays one commit as a pull request whose base is its (first) parent, through the engine the CLI
 * runs: the change set from git objects, every built-in analyzer, no model, the default config (what
 * a team gets on installing the app, with no `.github/architect.yml`).
 */
export async function replayCommit(gitDir: string, sha: string): Promise<Replay> {
  const started = performance.now();
  const changeSet = await gitChangeSet({ repo: gitDir, gitDir, base: `${sha}^`, head: sha, maxFileBytes: DEFAULT_CONFIG.limits.max_file_bytes });
  const result = await reviewChangeSet(changeSet, DEFAULT_CONFIG, { analyzers: defaultAnalyzers(), redactor: defaultRedactor() });
  return {
    findings: result.findings.map((f) => ({
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
