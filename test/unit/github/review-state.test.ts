import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/core/finding.ts';
import {
  addCost,
  asFinding,
  compactState,
  emptyState,
  ReviewStateSchema,
  track,
  type TrackedFinding,
} from '../../../src/github/history/review-state.ts';

const fp = (n: number) => n.toString(16).padStart(64, '0');

function tracked(
  n: number,
  over: Partial<TrackedFinding> = {},
): TrackedFinding {
  return {
    fp: fp(n),
    id: fp(n).slice(0, 8),
    rule: 'failure-mode/model',
    src: 'model',
    lens: 'failure-mode',
    sev: 'medium',
    path: `src/file-${n}.ts`,
    title: `Finding number ${n} `.repeat(6).trim(),
    start: 3,
    end: 3,
    side: 'RIGHT',
    ...over,
  };
}

describe('review state', () => {
  it('tracks a finding compactly and turns it back into one the gate and reports can use', () => {
    const finding: Finding = {
      lens: 'security',
      severity: 'high',
      ruleId: 'security/sql-injection',
      source: 'analyzer',
      path: 'src/a.ts',
      lines: { start: 9, end: 7, side: 'RIGHT' },
      title: 'SQL built from input',
      body: 'long body',
      id: 'abcdef12',
      fingerprint: fp(1),
      placement: { kind: 'inline', line: 9, startLine: 7, side: 'RIGHT' },
    };
    const t = track(finding);
    expect(t).toEqual({
      fp: fp(1),
      id: 'abcdef12',
      rule: 'security/sql-injection',
      src: 'analyzer',
      lens: 'security',
      sev: 'high',
      path: 'src/a.ts',
      title: 'SQL built from input',
      start: 7,
      end: 9,
      side: 'RIGHT',
    });
    const back = asFinding(t);
    expect(back).toMatchObject({
      fingerprint: fp(1),
      severity: 'high',
      lines: { start: 7, end: 9, side: 'RIGHT' },
      placement: { kind: 'inline', line: 9, startLine: 7 },
    });
    expect(
      asFinding({ ...t, start: undefined, end: undefined, side: undefined })
        .placement,
    ).toEqual({ kind: 'file', reason: 'about the file as a whole' });
  });

  it('fills defaults when reading an older or minimal state', () => {
    expect(ReviewStateSchema.parse({ v: 1 })).toEqual(emptyState());
    expect(emptyState()).toMatchObject({
      open: [],
      waivers: [],
      fixed: [],
      unreviewed: [],
      reviews: 0,
      cost: { usd: 0, priced: true, requests: 0 },
    });
  });

  it('adds usage to the running cost, remembering when a price was unknown', () => {
    const usage = {
      model: 'm',
      requests: 2,
      inputTokens: 100,
      outputTokens: 10,
      cacheReadTokens: 50,
      cacheCreationTokens: 5,
      costUsd: 0.01,
    };
    const once = addCost(emptyState().cost, usage);
    expect(once).toEqual({
      usd: 0.01,
      priced: true,
      requests: 2,
      inputTokens: 155,
      outputTokens: 10,
    });
    expect(addCost(once, { ...usage, costUsd: undefined }).priced).toBe(false);
    expect(
      addCost(once, { ...usage, requests: 0, costUsd: undefined }).priced,
    ).toBe(true);
  });

  it('fits its budget: drops old fixed entries, then shortens titles, then the least severe open findings', () => {
    const head = 'a'.repeat(40);
    const big = {
      ...emptyState(),
      open: Array.from({ length: 200 }, (_, i) =>
        tracked(i, { sev: i < 5 ? 'critical' : 'low' }),
      ),
      waivers: [
        {
          fp: fp(1),
          id: fp(1).slice(0, 8),
          title: 'w',
          by: 'alice',
          reason: 'accepted risk',
          at: head,
        },
      ],
      fixed: Array.from({ length: 100 }, (_, i) => ({
        fp: fp(1000 + i),
        id: 'x',
        title: 'fixed',
        sev: 'low' as const,
        in: head,
      })),
    };
    const untouched = compactState(big, 1_000_000);
    expect(untouched).toBe(big);
    const fixedTrimmed = compactState(big, JSON.stringify(big).length - 100);
    expect(fixedTrimmed.fixed).toHaveLength(30);
    expect(fixedTrimmed.open).toHaveLength(200);
    const dropped = compactState(big, 20_000);
    expect(JSON.stringify(dropped).length).toBeLessThanOrEqual(20_000);
    expect(dropped.truncated).toBe(true);
    // The most severe findings survive, and waivers only of findings kept.
    expect(dropped.open.slice(0, 5).map((f) => f.sev)).toEqual([
      'critical',
      'critical',
      'critical',
      'critical',
      'critical',
    ]);
    expect(
      dropped.waivers.every((w) => dropped.open.some((f) => f.fp === w.fp)),
    ).toBe(true);
    expect(ReviewStateSchema.safeParse(dropped).success).toBe(true);
  });
});
