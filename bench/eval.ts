/**
 * Model-quality evaluation against labelled real commits: each commit is reviewed through the full
 * engine (analyzers, model, tools, verification) with a real model, in two variants — the plain
 * diff review, and the investigating review with tools and verification — and the model's findings
 * are scored against the labels per lens, with cost and time per commit.
 *
 *   ANTHROPIC_API_KEY=… npm run eval [-- --commits bench/real/commits.json] [--model <id>] [--limit N]
 *
 * Without a key, or without a commit list, it says so and exits 0: there is nothing to measure.
 *
 * The commit list (JSON) is `{ "commits": [ … ] }`, each entry
 *   { "id": "…", "repo": "<path to a local clone, relative to the list file>", "base": "<sha>", "head": "<sha>",
 *     "labels": [ { "path": "…", "line": 12, "lens": "security" } ] }
 * where labels are the problems a senior reviewer would raise (a label without a line matches anywhere in its file).
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { createReviewer } from '../src/agent/create-reviewer.ts';
import { defaultAnalyzers, defaultRedactor } from '../src/analyzers/index.ts';
import { gitChangeSet } from '../src/cli/git-change-set.ts';
import { gitRepositoryView } from '../src/cli/git-repository-view.ts';
import { ConfigSchema, DEFAULT_MODEL, type Config } from '../src/config/schema.ts';
import { LENSES, LensSchema, type Finding, type Lens } from '../src/core/finding.ts';
import { reviewChangeSet } from '../src/core/review.ts';

const LINE_TOLERANCE = 5;
const DEFAULT_LIST = 'bench/real/commits.json';

const CommitListSchema = z.object({
  commits: z.array(
    z.object({
      id: z.string().optional(),
      repo: z.string().min(1),
      base: z.string().min(4),
      head: z.string().min(4),
      labels: z.array(z.object({ path: z.string().min(1), line: z.int().min(1).optional(), lens: LensSchema })),
    }),
  ),
});
type Commit = z.infer<typeof CommitListSchema>['commits'][number];

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const apiKey = process.env.ANTHROPIC_API_KEY?.trim();
if (!apiKey) {
  console.log('eval: skipped: ANTHROPIC_API_KEY is not set. The evaluation replays labelled commits through a real model; set a key to run it.');
  process.exit(0);
}
const listPath = resolve(arg('--commits') ?? DEFAULT_LIST);
let raw: string;
try {
  raw = await readFile(listPath, 'utf8');
} catch {
  console.log(`eval: skipped: no labelled commit list at ${listPath}. Pass one with --commits <file> (format in bench/eval.ts).`);
  process.exit(0);
}
const parsed = CommitListSchema.safeParse(JSON.parse(raw));
if (!parsed.success) {
  console.error(`eval: ${listPath} is not a valid commit list: ${parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  process.exit(2);
}
const limit = Number(arg('--limit') ?? Infinity);
const commits = parsed.data.commits.slice(0, limit);
const model = arg('--model') ?? DEFAULT_MODEL;

interface Variant {
  name: string;
  config: Config;
}
const variants: Variant[] = [
  { name: 'diff only', config: ConfigSchema.parse({ model: { name: model, tools: false, verify: false } }) },
  { name: 'tools + verification', config: ConfigSchema.parse({ model: { name: model } }) },
];

interface Score {
  matchedFindings: number;
  findings: number;
  matchedLabels: number;
  labels: number;
}
const empty = (): Score => ({ matchedFindings: 0, findings: 0, matchedLabels: 0, labels: 0 });

function matches(finding: Finding, label: Commit['labels'][number]): boolean {
  if (finding.path !== label.path || finding.lens !== label.lens) return false;
  if (label.line === undefined || !finding.lines) return true;
  return label.line >= finding.lines.start - LINE_TOLERANCE && label.line <= finding.lines.end + LINE_TOLERANCE;
}

async function reviewOne(commit: Commit, variant: Variant) {
  const repo = resolve(dirname(listPath), commit.repo);
  const changeSet = await gitChangeSet({ repo, base: commit.base, head: commit.head, maxFileBytes: variant.config.limits.max_file_bytes });
  const repository = gitRepositoryView({ cwd: repo, baseSha: changeSet.baseSha, headSha: changeSet.headSha, maxFileBytes: variant.config.limits.max_file_bytes });
  const reviewer = createReviewer({
    env: process.env,
    model: variant.config.model.name,
    maxOutputTokens: variant.config.model.max_output_tokens,
    timeoutMs: variant.config.model.timeout_seconds * 1000,
    ...(variant.config.model.verify ? { verifyModel: variant.config.model.verify_model } : {}),
  });
  const started = performance.now();
  try {
    const result = await reviewChangeSet({ ...changeSet, repository }, variant.config, { analyzers: defaultAnalyzers(), reviewer, redactor: defaultRedactor() });
    return { result, ms: performance.now() - started };
  } finally {
    await repository.close();
  }
}

console.log(`Backend Architect model evaluation: ${commits.length} labelled commits from ${listPath}, model ${model}`);
for (const variant of variants) {
  const byLens = new Map<Lens, Score>(LENSES.map((lens) => [lens, empty()]));
  let cost = 0;
  let ms = 0;
  let failed = 0;
  for (const commit of commits) {
    try {
      const { result, ms: took } = await reviewOne(commit, variant);
      const found = result.findings.filter((f) => f.source === 'model');
      for (const lens of LENSES) {
        const score = byLens.get(lens)!;
        const lensFindings = found.filter((f) => f.lens === lens);
        const lensLabels = commit.labels.filter((l) => l.lens === lens);
        score.findings += lensFindings.length;
        score.labels += lensLabels.length;
        score.matchedFindings += lensFindings.filter((f) => lensLabels.some((l) => matches(f, l))).length;
        score.matchedLabels += lensLabels.filter((l) => lensFindings.some((f) => matches(f, l))).length;
      }
      cost += result.usage.costUsd ?? 0;
      ms += took;
    } catch (error) {
      failed++;
      console.error(`eval: ${commit.id ?? commit.head}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const done = commits.length - failed;
  console.log('');
  console.log(`${variant.name}: ${done} commits reviewed${failed ? `, ${failed} failed` : ''}; cost per commit $${(cost / Math.max(1, done)).toFixed(4)}, time per commit ${(ms / Math.max(1, done) / 1000).toFixed(1)} s`);
  const total = empty();
  for (const [lens, s] of byLens) {
    for (const key of Object.keys(total) as Array<keyof Score>) total[key] += s[key];
    console.log(`  ${lens.padEnd(13)} precision ${ratio(s.matchedFindings, s.findings)}  recall ${ratio(s.matchedLabels, s.labels)}  (${s.findings} findings, ${s.labels} labels)`);
  }
  console.log(`  ${'all lenses'.padEnd(13)} precision ${ratio(total.matchedFindings, total.findings)}  recall ${ratio(total.matchedLabels, total.labels)}`);
}

function ratio(a: number, b: number): string {
  return b === 0 ? '  n/a' : (a / b).toFixed(3);
}
