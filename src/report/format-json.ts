import type { FileReviewStatus, ModelStatus } from '../core/coverage.ts';
import type { FindingSource, Lens, Severity, Side } from '../core/finding.ts';
import type { Conclusion } from '../core/gate.ts';
import type { ReviewResult } from '../core/review.ts';
import {
  emptyChangeMap,
  type ChangeMap,
} from '../core/change-map/change-map.ts';
import { countBySeverity } from './severity.ts';

/**
 * The JSON report, version 1. Every key is always present (absent values are `null`), keys come in
 * this order, and findings keep the engine's order (most severe first), so output is stable for
 * diffs and scripts. A breaking change to this shape bumps `version`.
 */
export interface JsonReport {
  version: 1;
  headSha: string;
  gate: { conclusion: Conclusion; reason: string; blockingIds: string[] };
  counts: {
    critical: number;
    high: number;
    medium: number;
    low: number;
    total: number;
  };
  findings: JsonFinding[];
  coverage: {
    complete: boolean;
    unlistedFiles: number;
    files: Array<{ path: string; status: FileReviewStatus; reasons: string[] }>;
    notes: Array<{
      source: string;
      message: string;
      path: string | null;
      line: number | null;
    }>;
    model: {
      status: ModelStatus;
      detail: string | null;
      chunksTotal: number;
      chunksReviewed: number;
    };
  };
  usage: {
    model: string | null;
    requests: number;
    inputTokens: number;
    outputTokens: number;
    cacheReadTokens: number;
    cacheCreationTokens: number;
    costUsd: number | null;
  };
  summaries: string[];
  changeMap: ChangeMap;
}

export interface JsonFinding {
  id: string;
  fingerprint: string;
  ruleId: string;
  lens: Lens;
  severity: Severity;
  source: FindingSource;
  path: string;
  lines: { start: number; end: number; side: Side } | null;
  placement:
    | {
        kind: 'inline';
        line: number;
        startLine: number | null;
        side: Side;
        movedFrom: number | null;
      }
    | { kind: 'file'; reason: string };
  title: string;
  body: string;
  fix: string | null;
  confidence: number | null;
  related: Array<{ path: string; line: number; note: string }>;
  evidence: Array<{ path: string; line: number; endLine: number | null }>;
  /** `suppressed`: dropped by the verification pass; not posted, not counted, not gating. */
  state: 'open' | 'suppressed';
  suppression: { by: 'verification'; reason: string } | null;
}

export function toJsonReport(result: ReviewResult): JsonReport {
  const counts = countBySeverity(result.findings);
  const { coverage, usage } = result;
  return {
    version: 1,
    headSha: result.headSha,
    gate: {
      conclusion: result.gate.conclusion,
      reason: result.gate.reason,
      blockingIds: result.gate.blocking.map((f) => f.id),
    },
    counts: {
      critical: counts.critical,
      high: counts.high,
      medium: counts.medium,
      low: counts.low,
      total: counts.total,
    },
    findings: [...result.findings, ...(result.suppressed ?? [])].map((f) => ({
      id: f.id,
      fingerprint: f.fingerprint,
      ruleId: f.ruleId,
      lens: f.lens,
      severity: f.severity,
      source: f.source,
      path: f.path,
      lines: f.lines
        ? { start: f.lines.start, end: f.lines.end, side: f.lines.side }
        : null,
      placement:
        f.placement.kind === 'inline'
          ? {
              kind: 'inline',
              line: f.placement.line,
              startLine: f.placement.startLine ?? null,
              side: f.placement.side,
              movedFrom: f.placement.movedFrom ?? null,
            }
          : { kind: 'file', reason: f.placement.reason },
      title: f.title,
      body: f.body,
      fix: f.fix ?? null,
      confidence: f.confidence ?? null,
      related: (f.related ?? []).map((r) => ({
        path: r.path,
        line: r.line,
        note: r.note,
      })),
      evidence: (f.evidence ?? []).map((e) => ({
        path: e.path,
        line: e.line,
        endLine: e.endLine ?? null,
      })),
      state: f.suppressed ? ('suppressed' as const) : ('open' as const),
      suppression: f.suppressed
        ? { by: f.suppressed.by, reason: f.suppressed.reason }
        : null,
    })),
    coverage: {
      complete: coverage.complete,
      unlistedFiles: coverage.unlistedFiles,
      files: coverage.files.map((file) => ({
        path: file.path,
        status: file.status,
        reasons: [...file.reasons],
      })),
      notes: coverage.notes.map((n) => ({
        source: n.source,
        message: n.message,
        path: n.path ?? null,
        line: n.line ?? null,
      })),
      model: {
        status: coverage.model.status,
        detail: coverage.model.detail ?? null,
        chunksTotal: coverage.model.chunksTotal,
        chunksReviewed: coverage.model.chunksReviewed,
      },
    },
    usage: {
      model: usage.model ?? null,
      requests: usage.requests,
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
      cacheReadTokens: usage.cacheReadTokens,
      cacheCreationTokens: usage.cacheCreationTokens,
      costUsd: usage.costUsd ?? null,
    },
    summaries: [...result.summaries],
    changeMap: result.changeMap ?? emptyChangeMap(),
  };
}

/** The JSON report as pretty-printed text with a trailing newline. */
export function formatJson(result: ReviewResult): string {
  return `${JSON.stringify(toJsonReport(result), null, 2)}\n`;
}
