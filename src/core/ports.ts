import type { ChangeSet, ChangedFile } from './change-set.ts';
import type { Config } from '../config/schema.ts';
import type { CoverageNote } from './coverage.ts';
import type { DraftFinding, Lens, Severity } from './finding.ts';
import type { Hunk } from './diff/parse-patch.ts';
import type { Logger } from './logger.ts';
import type { ToolSession } from './repository/repository-tools.ts';
import type { Usage } from './usage.ts';

/** An in-scope changed file with its parsed hunks. */
export interface ScopedFile {
  file: ChangedFile;
  hunks: Hunk[];
}

export interface AnalyzerInput {
  changeSet: ChangeSet;
  /** In-scope files only; an analyzer may still read any file through `changeSet.contents`. */
  files: ScopedFile[];
  /** Lenses enabled by config; an analyzer skips work whose lens is off. */
  lenses: ReadonlySet<Lens>;
  config: Config;
  logger: Logger;
  signal: AbortSignal;
}

export interface AnalyzerOutput {
  findings: DraftFinding[];
  /** "Could not analyse" entries and similar, shown in the coverage report. */
  notes: CoverageNote[];
  /** Analyzers that failed as a whole: what they check was not reviewed, so the review is incomplete. */
  failed?: string[];
}

/** A deterministic analyzer: same input, same findings, no network, no model. */
export interface Analyzer {
  name: string;
  lenses: readonly Lens[];
  analyze(input: AnalyzerInput): Promise<AnalyzerOutput>;
}

/** A file (or part of one) as the model sees it: hunks after secret redaction. */
export interface ChunkFile {
  path: string;
  previousPath?: string;
  status: ChangedFile['status'];
  hunks: Hunk[];
  /** True when the file was split across chunks or cut to fit the budget. */
  partial: boolean;
}

export interface Chunk {
  index: number;
  files: ChunkFile[];
  estimatedTokens: number;
}

export interface ModelReviewRequest {
  chunk: Chunk;
  chunkCount: number;
  lenses: Lens[];
  /** Team guidance from config; still subordinate to the system prompt. */
  instructions: string;
  /** Untrusted PR text, passed as data. */
  title?: string;
  description?: string;
  /** What the deterministic analyzers already found in this chunk's files, so the model does not repeat it. */
  grounding: DraftFinding[];
  /** Read-only repository tools for this chunk, when the review has a repository view and tools are on. */
  tools?: ToolSession;
  signal: AbortSignal;
}

export interface ModelReviewResponse {
  findings: DraftFinding[];
  summary?: string;
  usage: Usage;
  /** Items of the model's output that failed validation and were dropped. */
  droppedItems: number;
  /** The model's note on trade-offs and what to watch when deploying, when it gave one. */
  deployment?: string;
  /** Tool rounds this chunk used, and whether a limit made the model report early. */
  toolRounds?: number;
  forcedReport?: boolean;
}

/** The model port. The Anthropic adapter implements it; tests use fakes over HTTP. */
export interface ModelReviewer {
  readonly model: string;
  review(request: ModelReviewRequest): Promise<ModelReviewResponse>;
  /** The verification pass: a second look at one finding, usually by a cheaper model. Absent: findings are not verified. */
  verify?(request: VerificationRequest): Promise<VerificationResponse>;
}

/** Code shown to the verifier: a finding's lines or one of its evidence locations, secrets masked. */
export interface CodeExcerpt {
  path: string;
  startLine: number;
  text: string;
}

/** Findings checked together in one request, each with the code it points at. */
export interface VerificationRequest {
  items: Array<{ finding: DraftFinding; code: CodeExcerpt[] }>;
  signal: AbortSignal;
}

export type VerificationVerdict = 'keep' | 'drop' | 'downgrade';

export interface Verdict {
  verdict: VerificationVerdict;
  /** For downgrades: the severity the verifier thinks right (always lower than the finding's). */
  severity?: Severity;
  reason: string;
}

export interface VerificationResponse {
  /** One per item, in order; undefined where the verifier gave no usable answer (the finding is kept). */
  verdicts: Array<Verdict | undefined>;
  usage: Usage;
}

/**
 * Masks secrets in text before it leaves for the model. Must keep every line break, so line
 * numbers still match the diff.
 */
export interface SecretRedactor {
  redact(path: string, text: string): Promise<string>;
}
