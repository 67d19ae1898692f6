import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { emptyUsage } from '../../../src/core/usage.ts';
import { BudgetGuard, periodsAt } from '../../../src/runtime/budget.ts';
import { SqliteStore } from '../../../src/runtime/sqlite-store.ts';

const dirs: string[] = [];
const store = () => {
  const dir = mkdtempSync(join(tmpdir(), 'architect-budget-'));
  dirs.push(dir);
  return new SqliteStore(dir);
};
afterEach(() => {
  for (const dir of dirs.splice(0))
    rmSync(dir, { recursive: true, force: true });
});

const target = { installationId: 7, owner: 'Acme', repo: 'Orders' };
const usage = (costUsd: number, inputTokens: number) => ({
  ...emptyUsage('m'),
  requests: 1,
  costUsd,
  inputTokens,
});

describe('BudgetGuard', () => {
  it('periods are UTC days and months, resetting at the next midnight and the first of the next month', () => {
    const p = periodsAt(new Date('2026-12-31T23:59:00Z'));
    expect(p).toMatchObject({ day: 'day:2026-12-31', month: 'month:2026-12' });
    expect(p.dayResets.toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect(p.monthResets.toISOString()).toBe('2027-01-01T00:00:00.000Z');
  });

  it('stops the model once the installation spent its daily dollars, counting across repositories, until the next day', async () => {
    const guard = new BudgetGuard(store(), { daily_usd: 1 });
    const noon = new Date('2026-12-04T12:00:00Z');
    await guard.record(target, usage(0.6, 1000), noon);
    expect(
      await guard.exhausted(target, {}, { usd: 0, tokens: 0 }, noon),
    ).toBeUndefined();
    await guard.record({ ...target, repo: 'billing' }, usage(0.5, 1000), noon);
    expect(await guard.exhausted(target, {}, { usd: 0, tokens: 0 }, noon)).toBe(
      "the installation's daily budget of $1.00 is spent ($1.10 used); it resets at 2026-12-05T00:00:00Z",
    );
    expect(
      await guard.exhausted(
        target,
        {},
        { usd: 0, tokens: 0 },
        new Date('2026-12-05T00:00:01Z'),
      ),
    ).toBeUndefined();
  });

  it("applies the repository's monthly tokens and the pull request's ceiling from its own spend", async () => {
    const spent: string[] = [];
    const guard = new BudgetGuard(store(), {}, undefined, (budget) =>
      spent.push(budget),
    );
    const now = new Date('2026-12-04T12:00:00Z');
    await guard.record(target, usage(0, 5000), now);
    expect(
      await guard.exhausted(
        target,
        { monthly_tokens: 5000 },
        { usd: 0, tokens: 0 },
        now,
      ),
    ).toMatch(
      /repository's monthly budget of 5,000 tokens is spent .* resets at 2027-01-01T00:00:00Z/,
    );
    expect(
      await guard.exhausted(
        target,
        { pull_request_usd: 2 },
        { usd: 2.5, tokens: 0 },
        now,
      ),
    ).toMatch(/this pull request's budget of \$2.00 is spent/);
    expect(spent).toEqual(['repository-month-tokens', 'pull-request-usd']);
    // Another repository of the installation is not limited by this one's budget.
    expect(
      await guard.exhausted(
        { ...target, repo: 'billing' },
        { monthly_tokens: 5000 },
        { usd: 0, tokens: 0 },
        now,
      ),
    ).toBeUndefined();
  });
});
