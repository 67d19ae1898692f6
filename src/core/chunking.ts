import type { Hunk } from './diff/parse-patch.ts';
import type { Chunk, ChunkFile } from './ports.ts';

/** A cheap, slightly pessimistic token estimate for code (about 3.5 characters a token). */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 3.5);
}

/** Per-file framing the prompt adds around the hunks (path, status, tags). */
const FILE_OVERHEAD = 40;
/** Per-line framing: the line number (up to 4 digits), space and marker the prompt prints, and the newline. */
const LINE_OVERHEAD_CHARS = 7;

function hunkTokens(hunk: Hunk): number {
  let chars = 40;
  for (const line of hunk.lines)
    chars += line.text.length + LINE_OVERHEAD_CHARS;
  return Math.ceil(chars / 3.5);
}

export function fileTokens(file: Pick<ChunkFile, 'hunks'>): number {
  return (
    FILE_OVERHEAD + file.hunks.reduce((sum, hunk) => sum + hunkTokens(hunk), 0)
  );
}

/** Splits a hunk that alone exceeds the budget into consecutive pieces that fit. */
function splitHunk(hunk: Hunk, budget: number): Hunk[] {
  const pieces: Hunk[] = [];
  let lines: Hunk['lines'] = [];
  let tokens = 10;
  const flush = () => {
    if (lines.length === 0) return;
    const olds = lines
      .map((l) => l.oldLine)
      .filter((n): n is number => n !== undefined);
    const news = lines
      .map((l) => l.newLine)
      .filter((n): n is number => n !== undefined);
    pieces.push({
      oldStart: olds[0] ?? hunk.oldStart,
      oldLines: olds.length,
      newStart: news[0] ?? hunk.newStart,
      newLines: news.length,
      section: hunk.section,
      lines,
    });
    lines = [];
    tokens = 10;
  };
  for (const line of hunk.lines) {
    const cost = Math.ceil((line.text.length + LINE_OVERHEAD_CHARS) / 3.5);
    if (tokens + cost > budget && lines.length > 0) flush();
    lines.push(line);
    tokens += cost;
  }
  flush();
  return pieces;
}

/** Cuts a file into parts that each fit in one chunk, splitting at hunk boundaries where possible. */
function splitFile(file: ChunkFile, budget: number): ChunkFile[] {
  const room = budget - FILE_OVERHEAD;
  const parts: ChunkFile[] = [];
  let hunks: Hunk[] = [];
  let tokens = 0;
  const flush = () => {
    if (hunks.length > 0) parts.push({ ...file, hunks, partial: true });
    hunks = [];
    tokens = 0;
  };
  for (const hunk of file.hunks) {
    for (const piece of hunkTokens(hunk) > room
      ? splitHunk(hunk, room)
      : [hunk]) {
      const cost = hunkTokens(piece);
      if (tokens + cost > room) flush();
      hunks.push(piece);
      tokens += cost;
    }
  }
  flush();
  return parts;
}

export interface PackLimits {
  maxChunkTokens: number;
  maxTotalTokens: number;
}

export interface PackResult {
  chunks: Chunk[];
  /** Files left out entirely because the review's token budget ran out. */
  omitted: string[];
  /** Files that had to be split across chunks. */
  split: string[];
}

/**
 * Packs files into as few chunks as fit the per-request budget (first fit, files kept whole when
 * they fit), stopping at the review's total budget. Fewer chunks mean fewer, cheaper requests.
 */
export function packChunks(files: ChunkFile[], limits: PackLimits): PackResult {
  const bins: Array<{ files: ChunkFile[]; tokens: number }> = [];
  const omitted: string[] = [];
  const split: string[] = [];
  let total = 0;
  for (const file of files) {
    if (file.hunks.length === 0) continue;
    const cost = fileTokens(file);
    if (total + cost > limits.maxTotalTokens) {
      omitted.push(file.path);
      continue;
    }
    total += cost;
    const parts =
      cost > limits.maxChunkTokens
        ? splitFile(file, limits.maxChunkTokens)
        : [file];
    if (parts.length > 1) split.push(file.path);
    for (const part of parts) {
      const partCost = fileTokens(part);
      const bin = bins.find(
        (b) => b.tokens + partCost <= limits.maxChunkTokens,
      );
      if (bin) {
        bin.files.push(part);
        bin.tokens += partCost;
      } else {
        bins.push({ files: [part], tokens: partCost });
      }
    }
  }
  return {
    chunks: bins.map((bin, index) => ({
      index,
      files: bin.files,
      estimatedTokens: bin.tokens,
    })),
    omitted,
    split,
  };
}
