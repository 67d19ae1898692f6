import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/parse-config.ts';
import { DEFAULT_CONFIG } from '../../../src/config/schema.ts';
import type { Coverage } from '../../../src/core/coverage.ts';
import type { Severity } from '../../../src/core/finding.ts';
import { decideGate, evaluateGate } from '../../../src/core/gate.ts';

function coverage(over: Partial<Coverage> = {}): Coverage {
  return {
    files: [{ path: 'src/a.ts', status: 'reviewed', reasons: [] }],
    notes: [],
    model: { status: 'completed', chunksTotal: 1, chunksReviewed: 1 },
    complete: true,
    unlistedFiles: 0,
    ...over,
  };
}

const finding = (fingerprint: string, severity: Severity) => ({
  fingerprint,
  severity,
});
const failClosed = parseConfig(
  { gate: { incomplete_conclusion: 'failure' } },
  'x',
).config;

describe('evaluateGate', () => {
  it('fails on an open finding at the threshold and passes below it', () => {
    expect(
      evaluateGate([finding('a', 'high')], coverage(), DEFAULT_CONFIG),
    ).toMatchObject({
      conclusion: 'failure',
      reason: '1 finding at or above the gate severity (high).',
    });
    expect(
      evaluateGate([finding('a', 'medium')], coverage(), DEFAULT_CONFIG),
    ).toMatchObject({ conclusion: 'success', blocking: [] });
  });

  it('uses action_required for blocking findings when configured', () => {
    const config = parseConfig(
      { gate: { blocking_conclusion: 'action_required' } },
      'x',
    ).config;
    expect(
      evaluateGate([finding('a', 'critical')], coverage(), config).conclusion,
    ).toBe('action_required');
  });

  it('lets waived findings pass the gate and says how many were waived', () => {
    const findings = [finding('a', 'high'), finding('b', 'critical')];
    const partlyWaived = evaluateGate(findings, coverage(), DEFAULT_CONFIG, {
      waived: new Set(['a']),
    });
    expect(partlyWaived).toMatchObject({
      conclusion: 'failure',
      reason: '1 finding at or above the gate severity (high) (1 more waived).',
    });
    expect(partlyWaived.blocking.map((f) => f.fingerprint)).toEqual(['b']);
    const allWaived = evaluateGate(findings, coverage(), DEFAULT_CONFIG, {
      waived: new Set(['a', 'b']),
    });
    expect(allWaived).toMatchObject({
      conclusion: 'success',
      reason:
        'No unwaived findings at or above the gate severity (high); 2 waived.',
    });
  });

  it('concludes an incomplete review as configured: neutral by default, failure when failing closed', () => {
    const partial = coverage({
      complete: false,
      model: {
        status: 'partial',
        chunksTotal: 2,
        chunksReviewed: 1,
        detail: '529',
      },
    });
    expect(evaluateGate([], partial, DEFAULT_CONFIG)).toMatchObject({
      conclusion: 'neutral',
    });
    const closed = evaluateGate([], partial, failClosed);
    expect(closed.conclusion).toBe('failure');
    expect(closed.reason).toMatch(
      /^The review is incomplete: the model reviewed 1 of 2 chunks \(529\)\. This repository fails closed/,
    );
  });

  it('treats a review on hold (AI review awaiting a maintainer) as incomplete', () => {
    const pending = 'The AI review awaits a maintainer.';
    expect(
      evaluateGate([], coverage(), DEFAULT_CONFIG, { pending }),
    ).toMatchObject({ conclusion: 'neutral', reason: pending });
    expect(
      evaluateGate([], coverage(), failClosed, { pending }).conclusion,
    ).toBe('failure');
    // Blocking findings still decide first.
    expect(
      evaluateGate([finding('a', 'high')], coverage(), DEFAULT_CONFIG, {
        pending,
      }).conclusion,
    ).toBe('failure');
  });

  it('never passes with success without a model key', () => {
    const notConfigured = coverage({
      model: { status: 'not-configured', chunksTotal: 0, chunksReviewed: 0 },
    });
    expect(evaluateGate([], notConfigured, DEFAULT_CONFIG).conclusion).toBe(
      'neutral',
    );
    expect(evaluateGate([], notConfigured, failClosed).conclusion).toBe(
      'failure',
    );
  });
});

describe('decideGate', () => {
  it('decides from a stored completeness summary, as after a waiver', () => {
    const result = decideGate(
      [finding('a', 'high')],
      { modelNotConfigured: false, incomplete: '1 file was not reviewed' },
      DEFAULT_CONFIG,
      new Set(['a']),
    );
    expect(result).toMatchObject({
      conclusion: 'neutral',
      reason: 'The review is incomplete: 1 file was not reviewed.',
    });
  });
});
