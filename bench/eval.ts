/**
 * Model-quality evaluation on the real-commit benchmark's labelled commits (bench/real/repos): each
 * commit is replayed as a pull request (base = its parent) from a local mirror through the full
 * engine with a real model, in two variants — the plain diff review, and the investigating review
 * with repository tools and verification — and the model's findings at medium and above are scored
 * per lens, with cost and time per commit.
 *
 *   ANTHROPIC_API_KEY=… npm run eval -- --mirrors DIR [--repo owner/name] [--model <id>] [--limit N]
 *
 * Scoring: a model finding is true or false by a label of its commit whose rule is `<lens>/model`
 * (labels are added the same way as for analyzer findings); otherwise it is true when it points at
 * the file of one of the commit's labelled risks, false on a clean commit, and unlabelled elsewhere
 * (listed for labelling). Recall is the share of labelled risks a true model finding points at.
 * Without a key or without the mirrors it says so and exits 0: there is nothing to measure.
 */
import { stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createReviewer } from '../src/agent/create-reviewer.ts';
import {
  ConfigSchema,
  DEFAULT_MODEL,
  type Config,
} from '../src/config/schema.ts';
import { isAtLeast, LENSES, type Lens } from '../src/core/finding.ts';
import { type BenchCommit, loadRepositories } from './real/labels.ts';
import { findMirror, hasCommit, replayCommit } from './real/replay.ts';
import {
  labelFor,
  pathMatches,
  SCORED_SEVERITY,
  type ObservedFinding,
} from './real/score.ts';

const { values } = parseArgs({
  options: {
    mirrors: { type: 'string' },
    repo: { type: 'string' },
    model: { type: 'string' },
    limit: { type: 'string' },
  },
});

const apiKey = process.env.ANTHROPIC_API_KEY?.trim();
if (!apiKey) {
  console.log(
    'eval: skipped: ANTHROPIC_API_KEY is not set. The evaluation replays the labelled real commits through a real model; set a key to run it.',
  );
  process.exit(0);
}
const mirrors = values.mirrors ?? process.env.ARCHITECT_BENCH_MIRRORS;
if (!mirrors || !(await stat(mirrors).catch(() => undefined))?.isDirectory()) {
  console.log(
    'eval: skipped: no mirrors folder. Pass --mirrors DIR or set ARCHITECT_BENCH_MIRRORS to a folder of `git clone --mirror` copies of the repositories in bench/real/repos/.',
  );
  process.exit(0);
}
const model = values.model ?? DEFAULT_MODEL;
const limit = Number(values.limit ?? Number.POSITIVE_INFINITY);

interface Replayable {
  repo: string;
  gitDir: string;
  commit: BenchCommit;
}
const commits: Replayable[] = [];
for (const repository of await loadRepositories(
  fileURLToPath(new URL('./real/repos/', import.meta.url)),
)) {
  if (values.repo && repository.repo !== values.repo) continue;
  const gitDir = await findMirror(mirrors, repository.repo);
  if (!gitDir) continue;
  for (const commit of repository.commits)
    if (await hasCommit(gitDir, commit.sha))
      commits.push({ repo: repository.repo, gitDir, commit });
}
if (commits.length === 0) {
  console.log(`eval: skipped: none of the labelled commits is in ${mirrors}.`);
  process.exit(0);
}
const selected = commits.slice(0, limit);

const variants: Array<{ name: string; config: Config }> = [
  {
    name: 'diff only',
    config: ConfigSchema.parse({
      model: { name: model, tools: false, verify: false },
    }),
  },
  {
    name: 'tools + verification',
    config: ConfigSchema.parse({ model: { name: model } }),
  },
];

type Verdict = 'true' | 'false' | 'unlabelled';
interface Tally {
  findings: number;
  true: number;
  false: number;
  unlabelled: number;
}
const emptyTally = (): Tally => ({
  findings: 0,
  true: 0,
  false: 0,
  unlabelled: 0,
});

function judge(finding: ObservedFinding, commit: BenchCommit): Verdict {
  const label = labelFor(commit.labels, finding);
  if (label) return label.verdict === 'true' ? 'true' : 'false';
  if (commit.risks.some((risk) => pathMatches(risk.path, finding.path)))
    return 'true';
  return commit.kind === 'clean' ? 'false' : 'unlabelled';
}

console.log(
  `Backend Architect model evaluation: ${selected.length} labelled real commits, model ${model}`,
);
for (const variant of variants) {
  const byLens = new Map<Lens, Tally>(
    LENSES.map((lens) => [lens, emptyTally()]),
  );
  const unlabelled: string[] = [];
  let risks = 0;
  let caught = 0;
  let cost = 0;
  let ms = 0;
  let failed = 0;
  for (const { repo, gitDir, commit } of selected) {
    const reviewer = createReviewer({
      env: process.env,
      model: variant.config.model.name,
      maxOutputTokens: variant.config.model.max_output_tokens,
      timeoutMs: variant.config.model.timeout_seconds * 1000,
      ...(variant.config.model.verify
        ? { verifyModel: variant.config.model.verify_model }
        : {}),
    });
    if (!reviewer)
      throw new Error('no model client could be built from the environment');
    try {
      const replay = await replayCommit(gitDir, commit.sha, {
        config: variant.config,
        reviewer,
      });
      const found = replay.findings.filter(
        (f) => f.source === 'model' && isAtLeast(f.severity, SCORED_SEVERITY),
      );
      const trueOnes: ObservedFinding[] = [];
      for (const finding of found) {
        const tally = byLens.get(finding.ruleId.split('/')[0] as Lens);
        if (!tally) continue;
        const verdict = judge(finding, commit);
        tally.findings++;
        tally[verdict]++;
        if (verdict === 'true') trueOnes.push(finding);
        if (verdict === 'unlabelled')
          unlabelled.push(
            `${repo} ${commit.sha.slice(0, 10)} ${finding.severity} ${finding.ruleId} ${finding.path}:${finding.line ?? '-'}: ${finding.title}`,
          );
      }
      risks += commit.risks.length;
      caught += commit.risks.filter((risk) =>
        trueOnes.some((f) => pathMatches(risk.path, f.path)),
      ).length;
      cost += replay.costUsd;
      ms += replay.durationMs;
    } catch (error) {
      failed++;
      console.error(
        `eval: ${repo} ${commit.sha.slice(0, 10)}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  const done = selected.length - failed;
  console.log('');
  console.log(
    `${variant.name}: ${done} commits reviewed${failed ? `, ${failed} failed` : ''}; cost per commit $${(cost / Math.max(1, done)).toFixed(4)}, time per commit ${(ms / Math.max(1, done) / 1000).toFixed(1)} s`,
  );
  const total = emptyTally();
  for (const [lens, t] of byLens) {
    for (const key of Object.keys(total) as Array<keyof Tally>)
      total[key] += t[key];
    console.log(
      `  ${lens.padEnd(13)} findings ${String(t.findings).padStart(3)}  true ${String(t.true).padStart(3)}  false ${String(t.false).padStart(3)}  unlabelled ${String(t.unlabelled).padStart(3)}  precision ${ratio(t.true, t.findings)}`,
    );
  }
  console.log(
    `  ${'all lenses'.padEnd(13)} findings ${String(total.findings).padStart(3)}  precision ${ratio(total.true, total.findings)}  recall on labelled risks ${ratio(caught, risks)} (${caught} of ${risks})`,
  );
  if (unlabelled.length > 0)
    console.log(
      `  unlabelled (${unlabelled.length}):\n${unlabelled.map((line) => `    ${line}`).join('\n')}`,
    );
}

function ratio(a: number, b: number): string {
  return b === 0 ? '  n/a' : (a / b).toFixed(3);
}
