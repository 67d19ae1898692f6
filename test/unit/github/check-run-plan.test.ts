import { describe, expect, it } from 'vitest';
import {
  externalId,
  planCheckRun,
  readExternalId,
  type ExistingRun,
  type PlanInput,
} from '../../../src/github/checks/check-run-plan.ts';

const HEAD = 'a'.repeat(40);
const NOW = Date.parse('2026-03-01T12:00:00Z');

function run(
  id: number,
  trigger: string,
  outcome: 'working' | 'reviewed' | 'ended',
  over: Partial<ExistingRun> = {},
): ExistingRun {
  return {
    id,
    status: outcome === 'working' ? 'in_progress' : 'completed',
    externalId: externalId({ head: HEAD, trigger, outcome }),
    startedAt: new Date(NOW - 60_000).toISOString(),
    ...over,
  };
}

function plan(runs: ExistingRun[], over: Partial<PlanInput> = {}) {
  return planCheckRun({
    runs,
    head: HEAD,
    trigger: 'push',
    oncePerHead: true,
    now: NOW,
    staleAfterMs: 10 * 60_000,
    ...over,
  });
}

describe('planCheckRun', () => {
  it('creates the head`s run when there is none', () => {
    expect(plan([])).toEqual({ action: 'create' });
  });

  it('skips a push whose head was already reviewed, whatever asked for that review', () => {
    expect(plan([run(1, 'push', 'reviewed')])).toMatchObject({
      action: 'skip',
    });
    expect(plan([run(1, 'command-9', 'reviewed')])).toMatchObject({
      action: 'skip',
    });
  });

  it('retries a request that ended without a verdict on a new run: GitHub never moves a completed run back to in progress', () => {
    expect(plan([run(1, 'push', 'ended')])).toEqual({ action: 'create' });
  });

  it('skips work another worker is doing, but takes over a run left behind', () => {
    expect(plan([run(1, 'push', 'working')])).toMatchObject({
      action: 'skip',
      reason: expect.stringContaining('already working'),
    });
    const abandoned = run(1, 'push', 'working', {
      startedAt: new Date(NOW - 3600_000).toISOString(),
    });
    expect(plan([abandoned])).toEqual({ action: 'reuse', run: abandoned });
  });

  it('runs a person`s request once: a redelivery is skipped, a new request gets a new run that shows it in progress', () => {
    const reviewed = run(1, 'push', 'reviewed');
    const command = { trigger: 'command-42', oncePerHead: false };
    expect(plan([reviewed], command)).toEqual({ action: 'create' });
    expect(
      plan([run(2, 'command-42', 'reviewed'), reviewed], command),
    ).toMatchObject({ action: 'skip' });
  });

  it('ignores runs of other heads or with external ids it did not write', () => {
    const other = {
      id: 3,
      status: 'completed',
      externalId: `${'b'.repeat(40)}/push/reviewed`,
    };
    const foreign = {
      id: 4,
      status: 'completed',
      externalId: 'something-else',
    };
    expect(plan([other, foreign])).toEqual({ action: 'create' });
    const running = {
      id: 5,
      status: 'in_progress',
      externalId: 'something-else',
    };
    expect(plan([other, running])).toEqual({ action: 'reuse', run: running });
  });

  it('reads back what it wrote', () => {
    expect(
      readExternalId(
        externalId({ head: HEAD, trigger: 'rerun-abc-1', outcome: 'ended' }),
      ),
    ).toEqual({ head: HEAD, trigger: 'rerun-abc-1', outcome: 'ended' });
    expect(readExternalId(HEAD)).toBeUndefined();
  });
});
