import { z } from 'zod';
import { LENSES, SeveritySchema } from './vocabulary.ts';

/** The repository file Probot reads from the default branch (and the owner's `.github` repository). */
export const CONFIG_FILE = 'architect.yml';
export const CONFIG_PATH = `.github/${CONFIG_FILE}`;

export const DEFAULT_MODEL = 'claude-sonnet-5-5';

const PathsSchema = z
  .strictObject({
    use_defaults: z.boolean().default(true).describe('Start from the built-in backend include/exclude globs.'),
    include: z.array(z.string().min(1)).default([]).describe('Extra globs of files to review.'),
    exclude: z.array(z.string().min(1)).default([]).describe('Extra globs of files never to review; exclusion wins.'),
  })
  .prefault({});

const GateSchema = z
  .strictObject({
    severity: SeveritySchema.default('high').describe('Findings at or above this severity fail the check run.'),
    blocking_conclusion: z
      .enum(['failure', 'action_required'])
      .default('failure')
      .describe('Check conclusion while findings at or above the gate severity are open and not waived. Both block a required check.'),
    incomplete_conclusion: z
      .enum(['neutral', 'failure'])
      .default('neutral')
      .describe(
        'Check conclusion of a review that did not fully happen (files not reviewed, model failures, no model key, AI review awaiting a maintainer). `neutral` passes a required check; `failure` fails closed.',
      ),
  })
  .prefault({});

const CommentsSchema = z
  .strictObject({
    min_severity: SeveritySchema.default('medium').describe(
      'Least severe finding posted as an inline review comment. Less severe ones still count in the check run, its annotations and the summary comment.',
    ),
  })
  .prefault({});

const LensesSchema = z
  .strictObject(Object.fromEntries(LENSES.map((lens) => [lens, z.boolean().default(true)])) as Record<
    (typeof LENSES)[number],
    z.ZodDefault<z.ZodBoolean>
  >)
  .prefault({})
  .describe('Turn individual lenses on or off.');

const ModelSchema = z
  .strictObject({
    name: z.string().min(1).default(DEFAULT_MODEL).describe('Anthropic model id.'),
    enabled: z.boolean().default(true).describe('Set false to run only the deterministic analyzers.'),
    run_for: z
      .enum(['everyone', 'trusted'])
      .default('trusted')
      .describe(
        'Whose pull requests get the AI review automatically. `trusted` leaves it out for fork pull requests and first-time contributors until someone with write access comments `/architect review`; the deterministic analyzers always run.',
      ),
    concurrency: z.int().min(1).max(16).default(4).describe('Chunks reviewed in parallel.'),
    max_output_tokens: z.int().min(256).max(32_000).default(4096),
    timeout_seconds: z.int().min(5).max(600).default(120).describe('Per model request.'),
  })
  .prefault({});

const LimitsSchema = z
  .strictObject({
    max_files: z.int().min(1).max(3000).default(300).describe('In-scope files reviewed per run; the rest are reported as not reviewed.'),
    max_chunk_tokens: z.int().min(1000).max(150_000).default(12_000).describe('Estimated diff tokens per model request.'),
    max_review_tokens: z.int().min(1000).max(2_000_000).default(200_000).describe('Estimated diff tokens sent to the model per review.'),
    max_file_bytes: z.int().min(1000).max(5_000_000).default(400_000).describe('Largest file whose contents are read.'),
  })
  .prefault({});

/** A rule's setting: `off`, or the severity its findings are reported with. */
export const RuleSettingSchema = z.union([z.literal('off'), SeveritySchema]);
export type RuleSetting = z.infer<typeof RuleSettingSchema>;

const RulesSchema = z
  .record(z.string().min(1), RuleSettingSchema)
  .default({})
  .describe('Per rule: `off`, or the severity its findings get. Keys are rule ids such as `schema/ban-drop-column`.');

const OverrideSchema = z.strictObject({
  paths: z.array(z.string().min(1)).min(1).describe('Globs of the files these rule settings apply to.'),
  rules: RulesSchema,
});

export const ConfigSchema = z
  .strictObject({
    _extends: z.string().optional().describe('Inherit from another repository\'s config, e.g. "my-org/.github".'),
    enabled: z.boolean().default(true),
    review_drafts: z.boolean().default(false).describe('Review draft pull requests too.'),
    paths: PathsSchema,
    gate: GateSchema,
    comments: CommentsSchema,
    lenses: LensesSchema,
    model: ModelSchema,
    limits: LimitsSchema,
    rules: RulesSchema,
    overrides: z
      .array(OverrideSchema)
      .default([])
      .describe('Rule settings for some paths, like eslint overrides: later entries win over earlier ones and over `rules`.'),
    instructions: z.string().max(4000).default('').describe('Team guidance appended to the review prompt.'),
  })
  .describe('Backend Architect configuration (.github/architect.yml)');

export type Config = z.infer<typeof ConfigSchema>;
export type ConfigInput = z.input<typeof ConfigSchema>;

export const DEFAULT_CONFIG: Config = ConfigSchema.parse({});
