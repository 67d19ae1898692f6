import type { Config } from '../config/schema.ts';
import type { ChangeSet, ChangedFile, ContentReader } from './change-set.ts';
import { packChunks } from './chunking.ts';
import { mapLimit } from './concurrency.ts';
import type {
  Coverage,
  CoverageNote,
  FileCoverage,
  ModelCoverage,
} from './coverage.ts';
import { anchorRange } from './diff/anchor.ts';
import { parsePatch } from './diff/parse-patch.ts';
import { assignIds, fingerprintOf } from './fingerprint.ts';
import {
  LENSES,
  severityRank,
  type DraftFinding,
  type Finding,
  type Lens,
} from './finding.ts';
import { evaluateGate, type GateResult } from './gate.ts';
import { silentLogger, type Logger } from './logger.ts';
import type {
  Analyzer,
  ChunkFile,
  ModelReviewer,
  ScopedFile,
  SecretRedactor,
} from './ports.ts';
import { redactHunks, redactText } from './redact-text.ts';
import { applyRuleSettings } from './rule-settings.ts';
import { runAnalyzers } from './run-analyzers.ts';
import { scopeMatcher } from './scope.ts';
import { addUsage, emptyUsage, type Usage } from './usage.ts';
import { messageOf } from './error-message.ts';
import { buildChangeMap } from './change-map/build-change-map.ts';
import type { ChangeMap } from './change-map/change-map.ts';
import { modelTools } from './repository/model-tools.ts';
import type { RepositoryTools } from './repository/repository-tools.ts';
import type { ViewStats } from './repository/repository-view.ts';
import { verifyFindings, type VerificationStats } from './verify-findings.ts';

export interface ReviewDeps {
  analyzers: Analyzer[];
  /** Absent when no model is configured; the review then says so instead of pretending. */
  reviewer?: ModelReviewer;
  redactor?: SecretRedactor;
  logger?: Logger;
  signal?: AbortSignal;
  /**
   * Limits the model to these paths, e.g. the files a push changed; the deterministic analyzers
   * still see every file. Absent: every in-scope file.
   */
  modelPaths?: ReadonlySet<string>;
}

export interface ReviewResult {
  headSha: string;
  findings: Finding[];
  coverage: Coverage;
  usage: Usage;
  /** The model's own short summaries, one per chunk that gave one. */
  summaries: string[];
  gate: GateResult;
  /** Model findings the verification pass dropped: never posted or gating, still listed in JSON and SARIF. */
  suppressed?: Finding[];
  /** What the change does to the backend, facts first; the summary opens with it. */
  changeMap?: ChangeMap;
  /** What the model's repository tools did, when it had them. */
  tools?: ToolStats;
  /** What the repository view fetched, when there is one. */
  repository?: ViewStats;
  verification?: VerificationStats;
}

export interface ToolStats {
  calls: number;
  rounds: number;
  resultBytes: number;
  tokens: number;
  /** Chunks made to report early by a limit. */
  forcedReports: number;
}

/** The review engine: a change set and config in; findings, coverage and usage out. */
export async function reviewChangeSet(
  changeSet: ChangeSet,
  config: Config,
  deps: ReviewDeps,
): Promise<ReviewResult> {
  const logger = deps.logger ?? silentLogger;
  const signal = deps.signal ?? new AbortController().signal;
  const lenses = new Set<Lens>(LENSES.filter((lens) => config.lenses[lens]));

  const { scoped, fileCoverage } = selectFiles(changeSet.files, config);
  // Analyzers read whole files, one after another; fetching the head contents ahead of them, a few at a
  // time, turns a chain of round trips into a short burst. Reads are memoised, so nothing is read twice.
  const memo = memoisedReader(changeSet.contents);
  changeSet = { ...changeSet, contents: memo };
  const prefetch = mapLimit(
    scoped.filter((s) => s.file.status !== 'removed'),
    PREFETCH_CONCURRENCY,
    (s) =>
      changeSet.contents
        .read('head', s.file.path, signal)
        .catch(() => undefined),
    signal,
  ).catch(() => undefined);
  // Every changed file can carry a finding (a leaked key in a README still leaked), so anchor against all patches.
  const hunksByPath = new Map(scoped.map((s) => [s.file.path, s.hunks]));
  for (const file of changeSet.files)
    if (!hunksByPath.has(file.path))
      hunksByPath.set(file.path, parsePatch(file.patch));
  const notes: CoverageNote[] = [];

  const prepared = modelWillRun(config, deps, lenses)
    ? prepareModelFiles(scoped, deps, fileCoverage, logger, signal)
    : Promise.resolve([]);
  // The model will read the repository: start fetching it (a tarball on GitHub) while the analyzers run.
  if (
    changeSet.repository &&
    modelWillRun(config, deps, lenses) &&
    config.model.tools &&
    config.model.max_tool_rounds > 0
  ) {
    changeSet.repository.listFiles('head', signal).catch(() => undefined);
  }
  // An early failure (an abort) is reported where the promise is awaited, not as an unhandled rejection.
  prepared.catch(() => undefined);

  // 1. Deterministic analyzers: free, offline, and the model's grounding.
  const analyzed = await runAnalyzers(deps.analyzers, {
    changeSet,
    files: scoped,
    lenses,
    config,
    logger,
    signal,
  });
  // The team's per-rule settings (rules:, overrides:) apply to what the analyzers found.
  const analyzerDrafts: DraftFinding[] = applyRuleSettings(
    analyzed.findings,
    config,
  ).filter((f) => lenses.has(f.lens));
  notes.push(...analyzed.notes);
  // Nothing after the analyzers reads whole files: the contents need not stay through the model's minutes.
  memo.release();

  // 2. The model, over redacted chunks of the diff.
  const tools = modelTools(changeSet.repository, config, deps.redactor, logger);
  const model = await runModel(
    changeSet,
    config,
    deps,
    prepared,
    lenses,
    analyzerDrafts,
    fileCoverage,
    signal,
    logger,
    tools,
  );

  notes.push(...model.notes);
  await prefetch;

  // 3. The precision pass over what the model would post.
  let modelDrafts = dropRepeats(model.findings, analyzerDrafts);
  let usage = model.usage;
  let verification: VerificationStats | undefined;
  let droppedDrafts: DraftFinding[] = [];
  if (deps.reviewer && modelDrafts.length > 0) {
    const verified = await verifyFindings(modelDrafts, {
      changeSet,
      config,
      reviewer: deps.reviewer,
      redactor: deps.redactor,
      logger,
      signal,
    });
    modelDrafts = verified.kept;
    droppedDrafts = verified.dropped.map(({ finding, reason }) => ({
      ...finding,
      suppressed: { by: 'verification' as const, reason },
    }));
    usage = addUsage(usage, verified.usage);
    notes.push(...verified.notes);
    if (verified.stats.checked > 0) verification = verified.stats;
  }

  // 4. Identity and placement.
  const place = (draft: DraftFinding) => {
    const hunks = hunksByPath.get(draft.path) ?? [];
    const placement = anchorRange(hunks, draft.lines);
    return {
      ...draft,
      placement,
      fingerprint: fingerprintOf(draft, placement, hunks),
    };
  };
  const findings = assignIds(
    [...analyzerDrafts, ...modelDrafts].map(place),
  ).sort(compareFindings);
  const suppressed = assignIds(droppedDrafts.map(place)).sort(compareFindings);
  const changeMap = buildChangeMap(scoped, analyzerDrafts);
  changeMap.narrative = model.deployment;

  const unlistedFiles = changeSet.listingComplete
    ? 0
    : Math.max(
        0,
        (changeSet.totalFiles ?? changeSet.files.length) -
          changeSet.files.length,
      );
  const files = [...fileCoverage.values()];
  const coverage: Coverage = {
    files,
    notes,
    model: model.coverage,
    unlistedFiles,
    ...(analyzed.failed ? { failedAnalyzers: analyzed.failed } : {}),
    complete:
      !analyzed.failed &&
      unlistedFiles === 0 &&
      changeSet.listingComplete &&
      files.every(
        (f) => f.status === 'reviewed' || f.status === 'out-of-scope',
      ) &&
      model.coverage.status !== 'failed' &&
      model.coverage.status !== 'partial',
  };
  const result: ReviewResult = {
    headSha: changeSet.headSha,
    findings,
    coverage,
    usage,
    summaries: model.summaries,
    gate: evaluateGate(findings, coverage, config),
    suppressed,
    changeMap,
  };
  if (tools) {
    const b = tools.budget;
    result.tools = {
      calls: b.calls,
      rounds: b.rounds,
      resultBytes: b.resultBytes,
      tokens: b.tokens,
      forcedReports: b.forcedReports,
    };
  }
  if (changeSet.repository) result.repository = changeSet.repository.stats();
  if (verification) result.verification = verification;
  return result;
}

const PREFETCH_CONCURRENCY = 8;

/**
 * One read per revision and path; failures are not remembered, so a later caller may try again.
 * `release` drops what was read and stops remembering.
 */
function memoisedReader(
  reader: ContentReader,
): ContentReader & { release(): void } {
  const reads = new Map<string, Promise<string | undefined>>();
  let paths: Promise<string[]> | undefined;
  let released = false;
  return {
    release() {
      released = true;
      reads.clear();
    },
    read(revision, path, signal) {
      if (released) return reader.read(revision, path, signal);
      const key = `${revision}\u0000${path}`;
      let pending = reads.get(key);
      if (!pending) {
        pending = reader.read(revision, path, signal);
        reads.set(key, pending);
        pending.catch(() => reads.delete(key));
      }
      return pending;
    },
    ...(reader.listHeadPaths
      ? {
          listHeadPaths(signal?: AbortSignal) {
            paths ??= reader.listHeadPaths!(signal);
            paths.catch(() => (paths = undefined));
            return paths;
          },
        }
      : {}),
  };
}

function selectFiles(
  files: ChangedFile[],
  config: Config,
): { scoped: ScopedFile[]; fileCoverage: Map<string, FileCoverage> } {
  const inScope = scopeMatcher(config.paths);
  const fileCoverage = new Map<string, FileCoverage>();
  const scoped: ScopedFile[] = [];
  let taken = 0;
  for (const file of files) {
    if (
      !inScope(file.path) &&
      !(file.previousPath && inScope(file.previousPath))
    ) {
      fileCoverage.set(file.path, {
        path: file.path,
        status: 'out-of-scope',
        reasons: ['not backend code under the configured paths'],
      });
      continue;
    }
    if (taken >= config.limits.max_files) {
      fileCoverage.set(file.path, {
        path: file.path,
        status: 'not-reviewed',
        reasons: [
          `over the limit of ${config.limits.max_files} files a review (limits.max_files)`,
        ],
      });
      continue;
    }
    taken++;
    if (file.patch === undefined || file.patch === '') {
      if (
        file.patchMissingReason === undefined &&
        file.additions + file.deletions === 0
      ) {
        const what =
          file.status === 'renamed'
            ? 'renamed without content changes'
            : 'no content changes';
        fileCoverage.set(file.path, {
          path: file.path,
          status: 'reviewed',
          reasons: [what],
        });
        scoped.push({ file, hunks: [] });
      } else {
        const reason =
          file.patchMissingReason ??
          'no diff available (binary or too large for GitHub to show)';
        fileCoverage.set(file.path, {
          path: file.path,
          status: 'not-reviewed',
          reasons: [reason],
        });
        scoped.push({ file, hunks: [] });
      }
      continue;
    }
    fileCoverage.set(file.path, {
      path: file.path,
      status: 'reviewed',
      reasons: [],
    });
    scoped.push({ file, hunks: parsePatch(file.patch) });
  }
  return { scoped, fileCoverage };
}

interface ModelOutcome {
  findings: DraftFinding[];
  notes: CoverageNote[];
  usage: Usage;
  summaries: string[];
  deployment: string[];
  coverage: ModelCoverage;
}

async function runModel(
  changeSet: ChangeSet,
  config: Config,
  deps: ReviewDeps,
  prepared: Promise<ChunkFile[]>,
  lenses: Set<Lens>,
  grounding: DraftFinding[],
  fileCoverage: Map<string, FileCoverage>,
  signal: AbortSignal,
  logger: Logger,
  tools?: RepositoryTools,
): Promise<ModelOutcome> {
  const idle = (
    status: ModelCoverage['status'],
    detail: string,
  ): ModelOutcome => ({
    findings: [],
    notes: [],
    usage: emptyUsage(deps.reviewer?.model),
    summaries: [],
    deployment: [],
    coverage: { status, detail, chunksTotal: 0, chunksReviewed: 0 },
  });
  if (!config.model.enabled)
    return idle('disabled', 'turned off in config (model.enabled: false)');
  if (!deps.reviewer) return idle('not-configured', 'no ANTHROPIC_API_KEY');
  if (lenses.size === 0) return idle('skipped', 'every lens is turned off');
  const reviewer = deps.reviewer;

  const candidates = await prepared;
  if (candidates.length === 0)
    return idle(
      'skipped',
      deps.modelPaths
        ? 'no file selected for the AI review has a diff'
        : 'no diff to send to the model',
    );

  const packed = packChunks(candidates, {
    maxChunkTokens: config.limits.max_chunk_tokens,
    maxTotalTokens: config.limits.max_review_tokens,
  });
  for (const path of packed.omitted) {
    markPartial(
      fileCoverage,
      path,
      'not sent to the model: the review token budget (limits.max_review_tokens) was reached',
    );
  }

  // The pull request's own text is as untrusted as its diff, and may hold a pasted credential too;
  // analyzer titles can quote its code, so they are masked the same way.
  const [title, description, groundingTitles] = await Promise.all([
    redactText(
      deps.redactor,
      'pull-request-title.txt',
      changeSet.title,
      logger,
    ),
    redactText(
      deps.redactor,
      'pull-request-description.md',
      changeSet.description,
      logger,
    ),
    redactText(
      deps.redactor,
      'analyzer-findings.txt',
      grounding.map((g) => g.title.replace(/\n/g, ' ')).join('\n'),
      logger,
    ),
  ]);
  const maskedTitles = groundingTitles?.split('\n');
  const safeGrounding = grounding.map((g, i) => ({
    ...g,
    title:
      maskedTitles?.length === grounding.length ? maskedTitles[i]! : g.ruleId,
  }));
  let usage = emptyUsage(reviewer.model);
  const findings: DraftFinding[] = [];
  const summaries: string[] = [];
  const deployment: string[] = [];
  let reviewed = 0;
  let dropped = 0;
  const failures: string[] = [];
  await mapLimit(
    packed.chunks,
    config.model.concurrency,
    async (chunk) => {
      const paths = new Set(chunk.files.map((f) => f.path));
      try {
        const response = await reviewer.review({
          chunk,
          chunkCount: packed.chunks.length,
          lenses: [...lenses],
          instructions: config.instructions,
          title,
          description,
          grounding: safeGrounding.filter((g) => paths.has(g.path)),
          ...(tools ? { tools: tools.session() } : {}),
          signal,
        });
        usage = addUsage(usage, response.usage);
        reviewed++;
        dropped += response.droppedItems;
        if (response.summary) summaries.push(response.summary);
        if (response.deployment) deployment.push(response.deployment);
        for (const finding of response.findings) {
          // The model may only speak about files it was shown, through lenses that are on.
          if (paths.has(finding.path) && lenses.has(finding.lens))
            findings.push(finding);
          else
            logger.warn(
              { path: finding.path, lens: finding.lens },
              'dropped model finding outside its chunk or lenses',
            );
        }
      } catch (error) {
        signal.throwIfAborted();
        const message = messageOf(error);
        logger.error(
          { err: error, chunk: chunk.index },
          'model request failed',
        );
        failures.push(message);
        for (const path of paths)
          markPartial(
            fileCoverage,
            path,
            `the model request for this file failed: ${message}`,
          );
      }
    },
    signal,
  );

  const total = packed.chunks.length;
  const status =
    reviewed === total && packed.omitted.length === 0
      ? 'completed'
      : reviewed === 0
        ? 'failed'
        : 'partial';
  const detail =
    failures.length > 0
      ? [...new Set(failures)].slice(0, 3).join('; ')
      : packed.omitted.length > 0
        ? `${packed.omitted.length} files over the token budget`
        : undefined;
  const toolNotes: CoverageNote[] =
    tools && tools.budget.forcedReports > 0
      ? [
          {
            source: 'model',
            message: `the model was asked to report early in ${tools.budget.forcedReports} chunk${tools.budget.forcedReports === 1 ? '' : 's'}: a tool limit was reached (model.max_tool_rounds, tool_budget_bytes or tool_budget_tokens)`,
          },
        ]
      : [];
  return {
    findings,
    usage,
    summaries,
    deployment,
    notes: [
      ...toolNotes,
      ...(dropped > 0
        ? [
            {
              source: 'model',
              message: `${dropped} malformed item${dropped === 1 ? '' : 's'} in the model's answers ${dropped === 1 ? 'was' : 'were'} dropped`,
            },
          ]
        : []),
    ],
    coverage: { status, detail, chunksTotal: total, chunksReviewed: reviewed },
  };
}

/** Whether the model step will send anything, decided before the analyzers run. */
function modelWillRun(
  config: Config,
  deps: ReviewDeps,
  lenses: Set<Lens>,
): boolean {
  return config.model.enabled && deps.reviewer !== undefined && lenses.size > 0;
}

/**
 * The files the model will see, with secrets masked. Runs alongside the analyzers: redaction does not
 * depend on their findings, and the model step should not wait for it.
 */
async function prepareModelFiles(
  scoped: ScopedFile[],
  deps: ReviewDeps,
  fileCoverage: Map<string, FileCoverage>,
  logger: Logger,
  signal: AbortSignal,
): Promise<ChunkFile[]> {
  const wanted = scoped.filter(
    ({ file, hunks }) =>
      hunks.length > 0 && (!deps.modelPaths || deps.modelPaths.has(file.path)),
  );
  const files = await mapLimit(
    wanted,
    PREFETCH_CONCURRENCY,
    async ({ file, hunks }): Promise<ChunkFile | undefined> => {
      let redacted = hunks;
      if (deps.redactor) {
        try {
          redacted = await redactHunks(deps.redactor, file.path, hunks);
        } catch (error) {
          // Unredacted text never leaves: the file is kept from the model instead.
          logger.error(
            { err: error, path: file.path },
            'secret redaction failed',
          );
          markPartial(
            fileCoverage,
            file.path,
            `not sent to the model: secret redaction failed (${messageOf(error)})`,
          );
          return undefined;
        }
      }
      return {
        path: file.path,
        previousPath: file.previousPath,
        status: file.status,
        hunks: redacted,
        partial: false,
      };
    },
    signal,
  );
  return files.filter((f): f is ChunkFile => f !== undefined);
}

function markPartial(
  coverage: Map<string, FileCoverage>,
  path: string,
  reason: string,
): void {
  const entry = coverage.get(path);
  if (!entry) return;
  if (entry.status === 'reviewed') entry.status = 'partial';
  if (!entry.reasons.includes(reason)) entry.reasons.push(reason);
}

/** A model finding about the same lines and lens as an analyzer finding adds noise, not information. */
function dropRepeats(
  modelFindings: DraftFinding[],
  analyzerFindings: DraftFinding[],
): DraftFinding[] {
  return modelFindings.filter(
    (m) =>
      !analyzerFindings.some(
        (a) =>
          a.path === m.path &&
          a.lens === m.lens &&
          a.lines !== undefined &&
          m.lines !== undefined &&
          a.lines.side === m.lines.side &&
          m.lines.start <= a.lines.end + 2 &&
          a.lines.start <= m.lines.end + 2,
      ),
  );
}

function compareFindings(a: Finding, b: Finding): number {
  return (
    severityRank(b.severity) - severityRank(a.severity) ||
    a.path.localeCompare(b.path) ||
    (a.lines?.start ?? 0) - (b.lines?.start ?? 0) ||
    a.fingerprint.localeCompare(b.fingerprint)
  );
}
