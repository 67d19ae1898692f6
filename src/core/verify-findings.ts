import type { Config } from '../config/schema.ts';
import type { ChangeSet } from './change-set.ts';
import { mapLimit } from './concurrency.ts';
import type { CoverageNote } from './coverage.ts';
import {
  isAtLeast,
  SEVERITIES,
  severityRank,
  type DraftFinding,
} from './finding.ts';
import type { Logger } from './logger.ts';
import type { CodeExcerpt, ModelReviewer, SecretRedactor } from './ports.ts';
import { isSecretBearingPath } from './repository/path-policy.ts';
import { addUsage, emptyUsage, type Usage } from './usage.ts';

/** Lines of context around a finding and around each evidence location. */
const FINDING_CONTEXT = 15;
const EVIDENCE_CONTEXT = 6;
const MAX_EXCERPTS = 5;
/** Findings per verification request: enough to share the prompt, few enough to judge each with care. */
export const VERIFY_BATCH = 6;

export interface VerificationOutcome {
  kept: DraftFinding[];
  dropped: Array<{ finding: DraftFinding; reason: string }>;
  usage: Usage;
  notes: CoverageNote[];
  stats: VerificationStats;
}

export interface VerificationStats {
  checked: number;
  dropped: number;
  downgraded: number;
  failed: number;
}

/**
 * The precision pass: each model finding that would be posted is shown again, with the code it
 * points at, to a second request that keeps, drops or downgrades it. A failed check keeps the
 * finding: verification may only take noise away, never lose a finding to an outage.
 */
export async function verifyFindings(
  findings: DraftFinding[],
  context: {
    changeSet: ChangeSet;
    config: Config;
    reviewer: ModelReviewer;
    redactor?: SecretRedactor;
    logger: Logger;
    signal: AbortSignal;
  },
): Promise<VerificationOutcome> {
  const { config, reviewer, logger, signal } = context;
  const stats: VerificationStats = {
    checked: 0,
    dropped: 0,
    downgraded: 0,
    failed: 0,
  };
  if (!config.model.verify || !reviewer.verify || findings.length === 0)
    return {
      kept: findings,
      dropped: [],
      usage: emptyUsage(),
      notes: [],
      stats,
    };
  const verify = reviewer.verify.bind(reviewer);
  let usage = emptyUsage();
  const dropped: VerificationOutcome['dropped'] = [];
  const failures: string[] = [];

  // Findings that will be posted are checked, a few per request (by file, so they share context).
  const eligible = findings
    .map((finding, index) => ({ finding, index }))
    .filter(
      ({ finding }) =>
        finding.source === 'model' &&
        isAtLeast(finding.severity, config.comments.min_severity),
    )
    .sort(
      (a, b) =>
        a.finding.path.localeCompare(b.finding.path) || a.index - b.index,
    );
  const batches: Array<typeof eligible> = [];
  for (let i = 0; i < eligible.length; i += VERIFY_BATCH)
    batches.push(eligible.slice(i, i + VERIFY_BATCH));
  const outcome: Array<DraftFinding | undefined> = [...findings];
  await mapLimit(
    batches,
    config.model.concurrency,
    async (batch) => {
      stats.checked += batch.length;
      try {
        const items = await Promise.all(
          batch.map(async ({ finding }) => ({
            finding,
            code: await excerptsFor(finding, context),
          })),
        );
        const answer = await verify({ items, signal });
        usage = addUsage(usage, answer.usage);
        batch.forEach(({ finding, index }, k) => {
          const verdict = answer.verdicts[k];
          if (!verdict) {
            stats.failed++;
            failures.push('no verdict for it in the answer');
            return;
          }
          if (verdict.verdict === 'drop') {
            stats.dropped++;
            dropped.push({ finding, reason: verdict.reason });
            outcome[index] = undefined;
          } else if (verdict.verdict === 'downgrade') {
            const lower =
              verdict.severity &&
              severityRank(verdict.severity) < severityRank(finding.severity)
                ? verdict.severity
                : oneBelow(finding.severity);
            if (lower === finding.severity)
              outcome[index] = {
                ...finding,
                verification: { verdict: 'keep', reason: verdict.reason },
              };
            else {
              stats.downgraded++;
              outcome[index] = {
                ...finding,
                severity: lower,
                verification: {
                  verdict: 'downgrade',
                  reason: verdict.reason,
                  from: finding.severity,
                },
              };
            }
          } else
            outcome[index] = {
              ...finding,
              verification: { verdict: 'keep', reason: verdict.reason },
            };
        });
      } catch (error) {
        signal.throwIfAborted();
        stats.failed += batch.length;
        failures.push(error instanceof Error ? error.message : String(error));
        logger.warn(
          { err: error, findings: batch.length },
          'verification failed; the findings are kept',
        );
      }
    },
    signal,
  );
  const verdicts = outcome;

  const notes: CoverageNote[] = [];
  if (stats.dropped > 0)
    notes.push({
      source: 'verification',
      message: `${stats.dropped} model finding${stats.dropped === 1 ? '' : 's'} dropped by verification`,
    });
  if (stats.downgraded > 0)
    notes.push({
      source: 'verification',
      message: `${stats.downgraded} model finding${stats.downgraded === 1 ? '' : 's'} downgraded by verification`,
    });
  if (stats.failed > 0)
    notes.push({
      source: 'verification',
      message: `${stats.failed} model finding${stats.failed === 1 ? ' was' : 's were'} not verified (${[...new Set(failures)].slice(0, 2).join('; ')}) and kept as reported`,
    });
  return {
    kept: verdicts.filter((f): f is DraftFinding => f !== undefined),
    dropped,
    usage,
    notes,
    stats,
  };
}

function oneBelow(
  severity: DraftFinding['severity'],
): DraftFinding['severity'] {
  return SEVERITIES[
    Math.min(SEVERITIES.length - 1, SEVERITIES.indexOf(severity) + 1)
  ]!;
}

/** The finding's own lines and its evidence, read from the repository view or the change's contents, secrets masked. */
async function excerptsFor(
  finding: DraftFinding,
  context: {
    changeSet: ChangeSet;
    redactor?: SecretRedactor;
    signal: AbortSignal;
  },
): Promise<CodeExcerpt[]> {
  const wanted: Array<{
    path: string;
    revision: 'head' | 'base';
    start: number;
    end: number;
  }> = [];
  if (finding.lines) {
    wanted.push({
      path: finding.path,
      revision: finding.lines.side === 'LEFT' ? 'base' : 'head',
      start: finding.lines.start - FINDING_CONTEXT,
      end: finding.lines.end + FINDING_CONTEXT,
    });
  }
  for (const e of finding.evidence ?? [])
    wanted.push({
      path: e.path,
      revision: 'head',
      start: e.line - EVIDENCE_CONTEXT,
      end: (e.endLine ?? e.line) + EVIDENCE_CONTEXT,
    });
  const excerpts: CodeExcerpt[] = [];
  for (const w of wanted.slice(0, MAX_EXCERPTS)) {
    if (isSecretBearingPath(w.path) || !context.redactor) continue;
    const text = await readText(
      context.changeSet,
      w.revision,
      w.path,
      context.signal,
    );
    if (text === undefined) continue;
    const masked = await context.redactor.redact(w.path, text);
    const lines = masked.split('\n');
    const start = Math.max(1, w.start);
    const end = Math.min(lines.length, Math.max(start, w.end));
    excerpts.push({
      path: w.path,
      startLine: start,
      text: lines.slice(start - 1, end).join('\n'),
    });
  }
  return excerpts;
}

async function readText(
  changeSet: ChangeSet,
  revision: 'head' | 'base',
  path: string,
  signal: AbortSignal,
): Promise<string | undefined> {
  if (changeSet.repository) {
    const file = await changeSet.repository.readFile(revision, path, signal);
    return file.kind === 'file' && !file.bytes.subarray(0, 8000).includes(0)
      ? file.bytes.toString('utf8')
      : undefined;
  }
  return changeSet.contents.read(revision, path, signal);
}
