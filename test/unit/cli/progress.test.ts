import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ContentReader } from '../../../src/core/change-set.ts';
import { startProgress } from '../../../src/cli/progress.ts';

const reader: ContentReader = {
  read: async () => 'text',
  listHeadPaths: async () => ['a.ts'],
};

afterEach(() => {
  vi.useRealTimers();
});

describe('startProgress', () => {
  it('stays quiet for short work, then prints a line every interval with the files read so far', async () => {
    vi.useFakeTimers();
    const lines: string[] = [];
    const progress = startProgress(
      { write: (t: string) => lines.push(t) },
      { tty: false, delayMs: 3_000, intervalMs: 3_000 },
    );
    const counted = progress.counting(reader);
    await counted.read('head', 'a.ts');
    await counted.read('base', 'a.ts');
    expect(await counted.listHeadPaths!()).toEqual(['a.ts']);

    vi.advanceTimersByTime(2_999);
    expect(lines).toEqual([]);
    vi.advanceTimersByTime(1);
    await counted.read('head', 'b.ts');
    vi.advanceTimersByTime(3_000);
    progress.stop();
    vi.advanceTimersByTime(10_000);

    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /^architect: still reviewing after \d+s \(2 files read\)\n$/,
    );
    expect(lines[1]).toMatch(/\(3 files read\)\n$/);
  });

  it('rewrites one line on a terminal and clears it at the end', () => {
    vi.useFakeTimers();
    const out: string[] = [];
    const progress = startProgress(
      { write: (t: string) => out.push(t) },
      { tty: true, delayMs: 10, intervalMs: 10 },
    );
    vi.advanceTimersByTime(25);
    progress.stop();
    expect(
      out
        .slice(0, -1)
        .every((t) => t.startsWith('\r\x1b[2Karchitect: still reviewing')),
    ).toBe(true);
    expect(out.at(-1)).toBe('\r\x1b[2K');
  });

  it('writes nothing when stopped before the delay', () => {
    vi.useFakeTimers();
    const out: string[] = [];
    startProgress({ write: (t: string) => out.push(t) }, { tty: true }).stop();
    vi.advanceTimersByTime(60_000);
    expect(out).toEqual([]);
  });
});
