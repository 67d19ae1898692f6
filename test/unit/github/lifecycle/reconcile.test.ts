import { describe, expect, it } from 'vitest';
import type { Finding, Lens } from '../../../../src/core/finding.ts';
import {
  reconcile,
  type Examined,
} from '../../../../src/github/history/reconcile.ts';
import {
  track,
  type TrackedFinding,
} from '../../../../src/github/history/review-state.ts';

const fp = (name: string) =>
  Buffer.from(name).toString('hex').padEnd(64, '0').slice(0, 64);

function finding(
  name: string,
  path: string,
  source: 'analyzer' | 'model' = 'model',
  lens: Lens = 'failure-mode',
): Finding {
  return {
    lens,
    severity: 'high',
    ruleId: `${lens}/${source === 'model' ? 'model' : 'rule'}`,
    source,
    path,
    lines: { start: 1, end: 1, side: 'RIGHT' },
    title: name,
    body: 'b',
    id: fp(name).slice(0, 8),
    fingerprint: fp(name),
    placement: { kind: 'inline', line: 1, side: 'RIGHT' },
  };
}

function examined(over: Partial<Examined> = {}): Examined {
  return {
    lenses: new Set<Lens>(['failure-mode', 'security']),
    analyzerPaths: new Set(),
    modelPaths: new Set(),
    gonePaths: new Set(),
    ...over,
  };
}

const none = new Set<string>();

describe('reconcile', () => {
  it('keeps a finding still reported, and posts only what was never posted', () => {
    const old = finding('timeout', 'src/a.ts');
    const fresh = finding('retry', 'src/a.ts');
    const out = reconcile({
      previous: [track(old)],
      current: [old, fresh],
      posted: new Set([old.fingerprint]),
      fixedBefore: none,
      examined: examined({ modelPaths: new Set(['src/a.ts']) }),
    });
    expect(out.toPost.map((f) => f.title)).toEqual(['retry']);
    expect(out.fixed).toEqual([]);
    expect(out.open.map((f) => f.title)).toEqual(['timeout', 'retry']);
  });

  it('fixes a model finding only when the model reviewed its file again', () => {
    const a = track(finding('in a', 'src/a.ts'));
    const b = track(finding('in b', 'src/b.ts'));
    const out = reconcile({
      previous: [a, b],
      current: [],
      posted: new Set([a.fp, b.fp]),
      fixedBefore: none,
      examined: examined({
        modelPaths: new Set(['src/a.ts']),
        analyzerPaths: new Set(['src/a.ts', 'src/b.ts']),
      }),
    });
    expect(out.fixed.map((f) => f.title)).toEqual(['in a']);
    // The analyzers saw src/b.ts, but a model finding needs the model to look again.
    expect(out.carried.map((f) => f.title)).toEqual(['in b']);
    expect(out.open.map((f) => f.title)).toEqual(['in b']);
  });

  it('fixes an analyzer finding whenever the analyzers saw its file again', () => {
    const a: TrackedFinding = track(
      finding('rule hit', 'src/a.ts', 'analyzer'),
    );
    const out = reconcile({
      previous: [a],
      current: [],
      posted: new Set([a.fp]),
      fixedBefore: none,
      examined: examined({ analyzerPaths: new Set(['src/a.ts']) }),
    });
    expect(out.fixed).toHaveLength(1);
  });

  it('says nothing about lenses that did not run, e.g. in a one-lens review', () => {
    const perf = track(finding('slow', 'src/a.ts', 'model', 'performance'));
    const out = reconcile({
      previous: [perf],
      current: [],
      posted: new Set([perf.fp]),
      fixedBefore: none,
      examined: examined({ modelPaths: new Set(['src/a.ts']) }),
    });
    expect(out.carried).toHaveLength(1);
    expect(out.fixed).toHaveLength(0);
  });

  it('fixes findings of files the pull request deleted or no longer changes, whatever reported them', () => {
    const perf = track(finding('slow', 'src/gone.ts', 'model', 'performance'));
    const out = reconcile({
      previous: [perf],
      current: [],
      posted: new Set([perf.fp]),
      fixedBefore: none,
      examined: examined({ gonePaths: new Set(['src/gone.ts']) }),
    });
    expect(out.fixed).toHaveLength(1);
  });

  it('reports findings that came back after a fix, without posting them again', () => {
    const back = finding('regressed', 'src/a.ts');
    const out = reconcile({
      previous: [],
      current: [back],
      posted: new Set([back.fingerprint]),
      fixedBefore: new Set([back.fingerprint]),
      examined: examined(),
    });
    expect(out.reopened.map((f) => f.title)).toEqual(['regressed']);
    expect(out.toPost).toEqual([]);
  });

  it('never lists a previous finding twice', () => {
    const a = track(finding('dup', 'src/a.ts'));
    const out = reconcile({
      previous: [a, a],
      current: [],
      posted: new Set([a.fp]),
      fixedBefore: none,
      examined: examined(),
    });
    expect(out.carried).toHaveLength(1);
  });
});
