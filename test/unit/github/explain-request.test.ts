import { describe, expect, it } from 'vitest';
import {
  CONTEXT_LINES,
  explainChunkFile,
  explainInstructions,
  threadText,
} from '../../../src/github/commands/explain-request.ts';
import type { TrackedFinding } from '../../../src/github/history/review-state.ts';

const finding: TrackedFinding = {
  fp: 'f'.repeat(64),
  id: 'ffffffff',
  rule: 'failure-mode/model',
  src: 'model',
  lens: 'failure-mode',
  sev: 'high',
  path: 'src/pay.ts',
  title: 'No timeout on charge',
  start: 50,
  end: 52,
  side: 'RIGHT',
};

describe('explain request', () => {
  it('shows the head file around the finding, marking the lines the pull request added', () => {
    const text = `${Array.from({ length: 200 }, (_, i) => `line ${i + 1}`).join('\n')}\n`;
    const file = explainChunkFile(finding, text, new Set([51, 52]), 'modified');
    const lines = file.hunks[0]!.lines;
    expect(lines[0]).toEqual({
      kind: 'ctx',
      oldLine: 50 - CONTEXT_LINES,
      newLine: 50 - CONTEXT_LINES,
      text: `line ${50 - CONTEXT_LINES}`,
    });
    expect(lines.at(-1)!.newLine).toBe(52 + CONTEXT_LINES);
    expect(lines.filter((l) => l.kind === 'add').map((l) => l.newLine)).toEqual(
      [51, 52],
    );
    expect(file.hunks[0]).toMatchObject({
      newStart: 10,
      newLines: lines.length,
    });
  });

  it('stays inside short files', () => {
    const file = explainChunkFile(
      { ...finding, start: 2, end: 2 },
      'a\nb\nc',
      new Set(),
      'added',
    );
    expect(file.hunks[0]!.lines.map((l) => l.text)).toEqual(['a', 'b', 'c']);
  });

  it('narrows the review to the one finding, after the team`s own guidance', () => {
    const text = explainInstructions(finding, 'We use RFC 9457.');
    expect(text.startsWith('We use RFC 9457.')).toBe(true);
    expect(text).toContain(
      'failure-mode/model [high] at src/pay.ts:50-52: No timeout on charge',
    );
  });

  it('keeps the newest part of a long thread', () => {
    const text = threadText(
      [
        { author: 'a', body: 'x'.repeat(10_000) },
        { author: 'b', body: 'latest question' },
      ],
      100,
    );
    expect(text).toHaveLength(100);
    expect(text.endsWith('b: latest question')).toBe(true);
  });
});
