import { describe, expect, it } from 'vitest';
import {
  estimateTokens,
  fileTokens,
  packChunks,
} from '../../../src/core/chunking.ts';
import { parsePatch } from '../../../src/core/diff/parse-patch.ts';
import type { ChunkFile } from '../../../src/core/ports.ts';

function file(path: string, lines: number, width = 60): ChunkFile {
  const body = Array.from(
    { length: lines },
    (_, i) => `+${'x'.repeat(width - 10)}${String(i).padStart(8, '0')}`,
  );
  return {
    path,
    status: 'modified',
    partial: false,
    hunks: parsePatch([`@@ -1,0 +1,${lines} @@`, ...body].join('\n')),
  };
}

describe('packChunks', () => {
  it('estimates tokens from characters', () => {
    expect(estimateTokens('a'.repeat(35))).toBe(10);
  });

  it('packs small files together and keeps each chunk under the budget', () => {
    const files = Array.from({ length: 30 }, (_, i) =>
      file(`src/f${i}.ts`, 20),
    );
    const perFile = fileTokens(files[0]!);
    const { chunks, omitted, split } = packChunks(files, {
      maxChunkTokens: perFile * 4 + 1,
      maxTotalTokens: 1e9,
    });
    expect(omitted).toEqual([]);
    expect(split).toEqual([]);
    expect(chunks).toHaveLength(8);
    for (const chunk of chunks)
      expect(chunk.estimatedTokens).toBeLessThanOrEqual(perFile * 4 + 1);
    expect(chunks.flatMap((c) => c.files.map((f) => f.path)).sort()).toEqual(
      files.map((f) => f.path).sort(),
    );
  });

  it('fills earlier chunks when a later small file fits (first fit)', () => {
    const big = file('src/big.ts', 100);
    const small = file('src/small.ts', 5);
    const budget = fileTokens(big) + fileTokens(small);
    const { chunks } = packChunks([big, file('src/big2.ts', 100), small], {
      maxChunkTokens: budget,
      maxTotalTokens: 1e9,
    });
    expect(chunks).toHaveLength(2);
    expect(chunks[0]!.files.map((f) => f.path)).toEqual([
      'src/big.ts',
      'src/small.ts',
    ]);
  });

  it('splits a file larger than one chunk, keeping line numbers', () => {
    const huge = file('src/huge.ts', 2000);
    const { chunks, split } = packChunks([huge], {
      maxChunkTokens: 4000,
      maxTotalTokens: 1e9,
    });
    expect(split).toEqual(['src/huge.ts']);
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) {
      expect(chunk.estimatedTokens).toBeLessThanOrEqual(4000);
      expect(chunk.files.every((f) => f.partial)).toBe(true);
    }
    const numbers = chunks.flatMap((c) =>
      c.files.flatMap((f) =>
        f.hunks.flatMap((h) => h.lines.map((l) => l.newLine)),
      ),
    );
    expect(numbers).toEqual(Array.from({ length: 2000 }, (_, i) => i + 1));
  });

  it('stops at the review budget and reports what was left out', () => {
    const files = Array.from({ length: 10 }, (_, i) =>
      file(`src/f${i}.ts`, 50),
    );
    const perFile = fileTokens(files[0]!);
    const { chunks, omitted } = packChunks(files, {
      maxChunkTokens: perFile * 2,
      maxTotalTokens: perFile * 6,
    });
    expect(chunks.flatMap((c) => c.files)).toHaveLength(6);
    expect(omitted).toEqual([
      'src/f6.ts',
      'src/f7.ts',
      'src/f8.ts',
      'src/f9.ts',
    ]);
  });

  it('ignores files without hunks', () => {
    expect(
      packChunks(
        [{ path: 'a.ts', status: 'renamed', hunks: [], partial: false }],
        { maxChunkTokens: 1000, maxTotalTokens: 1000 },
      ).chunks,
    ).toEqual([]);
  });
});
