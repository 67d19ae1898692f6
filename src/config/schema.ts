import { z } from 'zod';
import { LENSES, SeveritySchema } from './vocabulary.ts';

/** The repository file Probot reads from the default branch (and the owner's `.github` repository). */
export const CONFIG_FILE = 'architect.yml';
export const CONFIG_PATH = `.github/${CONFIG_FILE}`;

export const DEFAULT_MODEL = 'claude-sonnet-5-5';
/** A small, fast model: verification reads one finding and the code it points at. */
export const DEFAULT_VERIFY_MODEL = 'claude-haiku-4-5';

const PathsSchema = z
  .strictObject({
    use_defaults: z
      .boolean()
      .default(true)
      .describe('Start from the built-in backend include/exclude globs.'),
    include: z
      .array(z.string().min(1))
      .default([])
      .describe('Extra globs of files to review.'),
    exclude: z
      .array(z.string().min(1))
      .default([])
      .describe('Extra globs of files never to review; exclusion wins.'),
  })
  .prefault({});

const GateSchema = z
  .strictObject({
    severity: SeveritySchema.default('high').describe(
      'Findings at or above this severity fail the check run.',
    ),
    blocking_conclusion: z
      .enum(['failure', 'action_required'])
      .default('failure')
      .describe(
        'Check conclusion while findings at or above the gate severity are open and not waived. Both block a required check.',
      ),
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
  .strictObject(
    Object.fromEntries(
      LENSES.map((lens) => [lens, z.boolean().default(true)]),
    ) as Record<(typeof LENSES)[number], z.ZodDefault<z.ZodBoolean>>,
  )
  .prefault({})
  .describe('Turn individual lenses on or off.');

const ModelSchema = z
  .strictObject({
    name: z
      .string()
      .min(1)
      .default(DEFAULT_MODEL)
      .describe('Anthropic model id.'),
    enabled: z
      .boolean()
      .default(true)
      .describe('Set false to run only the deterministic analyzers.'),
    run_for: z
      .enum(['everyone', 'trusted'])
      .default('trusted')
      .describe(
        'Whose pull requests get the AI review automatically. `trusted` leaves it out for fork pull requests and first-time contributors until someone with write access comments `/architect review`; the deterministic analyzers always run.',
      ),
    concurrency: z
      .int()
      .min(1)
      .max(16)
      .default(4)
      .describe('Chunks reviewed in parallel.'),
    max_output_tokens: z.int().min(256).max(32_000).default(4096),
    timeout_seconds: z
      .int()
      .min(5)
      .max(600)
      .default(120)
      .describe('Per model request.'),
    tools: z
      .boolean()
      .default(true)
      .describe(
        'Let the model read the repository (read-only: read_file, search_code, list_files, find_symbol) before it reports.',
      ),
    max_tool_rounds: z
      .int()
      .min(0)
      .max(30)
      .default(8)
      .describe(
        'Tool rounds per chunk before the model must report with what it has.',
      ),
    tool_budget_bytes: z
      .int()
      .min(1000)
      .max(20_000_000)
      .default(600_000)
      .describe(
        'Bytes of tool results handed to the model per review, over all chunks.',
      ),
    tool_budget_tokens: z
      .int()
      .min(1000)
      .max(20_000_000)
      .default(1_500_000)
      .describe(
        'Tokens (input, output and cached) the tool rounds may spend per review, over all chunks.',
      ),
    verify: z
      .boolean()
      .default(true)
      .describe(
        'Check each model finding at or above comments.min_severity with a second, cheaper request that keeps, drops or downgrades it.',
      ),
    verify_model: z
      .string()
      .min(1)
      .default(DEFAULT_VERIFY_MODEL)
      .describe('Anthropic model id for the verification pass.'),
  })
  .prefault({});

const LimitsSchema = z
  .strictObject({
    max_files: z
      .int()
      .min(1)
      .max(3000)
      .default(300)
      .describe(
        'In-scope files reviewed per run; the rest are reported as not reviewed.',
      ),
    max_chunk_tokens: z
      .int()
      .min(1000)
      .max(150_000)
      .default(12_000)
      .describe('Estimated diff tokens per model request.'),
    max_review_tokens: z
      .int()
      .min(1000)
      .max(2_000_000)
      .default(200_000)
      .describe('Estimated diff tokens sent to the model per review.'),
    max_file_bytes: z
      .int()
      .min(1000)
      .max(5_000_000)
      .default(400_000)
      .describe('Largest file whose contents are read.'),
  })
  .prefault({});

const BudgetSchema = z
  .strictObject({
    daily_usd: z
      .number()
      .positive()
      .optional()
      .describe(
        'Model spend allowed per UTC day for this repository, in US dollars (estimated from token prices).',
      ),
    monthly_usd: z
      .number()
      .positive()
      .optional()
      .describe(
        'Model spend allowed per UTC month for this repository, in US dollars.',
      ),
    daily_tokens: z
      .int()
      .positive()
      .optional()
      .describe(
        'Model tokens (input, output and cached) allowed per UTC day for this repository.',
      ),
    monthly_tokens: z
      .int()
      .positive()
      .optional()
      .describe('Model tokens allowed per UTC month for this repository.'),
    pull_request_usd: z
      .number()
      .positive()
      .optional()
      .describe(
        'Model spend allowed over the life of one pull request, in US dollars.',
      ),
    pull_request_tokens: z
      .int()
      .positive()
      .optional()
      .describe('Model tokens allowed over the life of one pull request.'),
  })
  .prefault({})
  .describe(
    "Model spend limits. When one is spent the deterministic analyzers still run and the check run says which budget ran out and when it resets. The installation's own limits (set by the operator) apply as well and cannot be bypassed.",
  );
/** A rule's setting: `off`, or the severity its findings are reported with. */
export const RuleSettingSchema = z.union([z.literal('off'), SeveritySchema]);
export type RuleSetting = z.infer<typeof RuleSettingSchema>;

const RulesSchema = z
  .record(z.string().min(1), RuleSettingSchema)
  .default({})
  .describe(
    'Per rule: `off`, or the severity its findings get. Keys are rule ids such as `schema/ban-drop-column`.',
  );

const OverrideSchema = z.strictObject({
  paths: z
    .array(z.string().min(1))
    .min(1)
    .describe('Globs of the files these rule settings apply to.'),
  rules: RulesSchema,
});

export const ConfigSchema = z
  .strictObject({
    _extends: z
      .string()
      .optional()
      .describe(
        'Inherit from another repository\'s config, e.g. "my-org/.github".',
      ),
    enabled: z.boolean().default(true),
    review_drafts: z
      .boolean()
      .default(false)
      .describe('Review draft pull requests too.'),
    paths: PathsSchema,
    gate: GateSchema,
    comments: CommentsSchema,
    lenses: LensesSchema,
    model: ModelSchema,
    limits: LimitsSchema,
    budget: BudgetSchema,
    rules: RulesSchema,
    overrides: z
      .array(OverrideSchema)
      .default([])
      .describe(
        'Rule settings for some paths, like eslint overrides: later entries win over earlier ones and over `rules`.',
      ),
    instructions: z
      .string()
      .max(4000)
      .default('')
      .describe('Team guidance appended to the review prompt.'),
  })
  .describe('Backend Architect configuration (.github/architect.yml)');

export type Config = z.infer<typeof ConfigSchema>;
export type ConfigInput = z.input<typeof ConfigSchema>;

export const DEFAULT_CONFIG: Config = ConfigSchema.parse({});
