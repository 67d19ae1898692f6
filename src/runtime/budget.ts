import type { Usage } from '../core/usage.ts';
import type { Spend, SpendStore } from './stores.ts';

/** Spend limits of one scope; any may be absent (no limit). */
export interface BudgetLimits {
  daily_usd?: number;
  monthly_usd?: number;
  daily_tokens?: number;
  monthly_tokens?: number;
}

export interface PullRequestLimits {
  pull_request_usd?: number;
  pull_request_tokens?: number;
}

export interface BudgetTarget {
  installationId: number;
  owner: string;
  repo: string;
}

/** Observes what was left, e.g. for metrics. */
export type RemainingObserver = (
  scope: 'installation' | 'repository',
  period: 'day' | 'month',
  unit: 'usd' | 'tokens',
  left: number,
) => void;

export function tokensOf(usage: Usage): number {
  return (
    usage.inputTokens +
    usage.outputTokens +
    usage.cacheReadTokens +
    usage.cacheCreationTokens
  );
}

/** Periods are UTC days and months; counters are kept per scope and period. */
export function periodsAt(now: Date): {
  day: string;
  month: string;
  dayResets: Date;
  monthResets: Date;
} {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  const d = now.getUTCDate();
  const iso = now.toISOString();
  return {
    day: `day:${iso.slice(0, 10)}`,
    month: `month:${iso.slice(0, 7)}`,
    dayResets: new Date(Date.UTC(y, m, d + 1)),
    monthResets: new Date(Date.UTC(y, m + 1, 1)),
  };
}

const usd = (n: number) =>
  `$${n >= 0.01 || n === 0 ? n.toFixed(2) : n.toFixed(4)}`;
const tokens = (n: number) => `${Math.round(n).toLocaleString('en-US')} tokens`;

/**
 * Model spend budgets: per installation (the operator's environment) and per repository
 * (`budget:` in .github/architect.yml), daily and monthly, in dollars or tokens, plus a ceiling per
 * pull request (from the spend the pull request's own review state records). Who asked for the
 * review does not matter: a maintainer's `/architect review` spends the same budget.
 */
export class BudgetGuard {
  readonly #store: SpendStore;
  readonly #installation: BudgetLimits;
  readonly #observe: RemainingObserver | undefined;
  readonly #onSpent: ((budget: string) => void) | undefined;

  constructor(
    store: SpendStore,
    installationLimits: BudgetLimits,
    observe?: RemainingObserver,
    onSpent?: (budget: string) => void,
  ) {
    this.#store = store;
    this.#installation = installationLimits;
    this.#observe = observe;
    this.#onSpent = onSpent;
  }

  /** Why the model must not run now, or undefined; counted by budget for metrics. */
  async exhausted(
    target: BudgetTarget,
    repository: BudgetLimits & PullRequestLimits,
    pullRequestSpend: Spend,
    now = new Date(),
  ): Promise<string | undefined> {
    const found = await this.#find(target, repository, pullRequestSpend, now);
    if (found) this.#onSpent?.(found.budget);
    return found?.reason;
  }

  /** Which budget is spent and why (with when it resets), or undefined. */
  async #find(
    target: BudgetTarget,
    repository: BudgetLimits & PullRequestLimits,
    pullRequestSpend: Spend,
    now: Date,
  ): Promise<{ budget: string; reason: string } | undefined> {
    const periods = periodsAt(now);
    const scopes = [
      {
        name: 'installation' as const,
        key: `installation:${target.installationId}`,
        limits: this.#installation,
        label: 'installation',
      },
      {
        name: 'repository' as const,
        key: `repository:${target.owner}/${target.repo}`.toLowerCase(),
        limits: repository,
        label: 'repository',
      },
    ];
    for (const scope of scopes) {
      for (const period of ['day', 'month'] as const) {
        const limitUsd =
          period === 'day' ? scope.limits.daily_usd : scope.limits.monthly_usd;
        const limitTokens =
          period === 'day'
            ? scope.limits.daily_tokens
            : scope.limits.monthly_tokens;
        if (limitUsd === undefined && limitTokens === undefined) continue;
        const spent = await this.#store.get(scope.key, periods[period]);
        const resets = (
          period === 'day' ? periods.dayResets : periods.monthResets
        )
          .toISOString()
          .replace('.000Z', 'Z');
        const word = period === 'day' ? 'daily' : 'monthly';
        if (limitUsd !== undefined) {
          this.#observe?.(
            scope.name,
            period,
            'usd',
            Math.max(0, limitUsd - spent.usd),
          );
          if (spent.usd >= limitUsd)
            return {
              budget: `${scope.name}-${period}-usd`,
              reason: `the ${scope.label}'s ${word} budget of ${usd(limitUsd)} is spent (${usd(spent.usd)} used); it resets at ${resets}`,
            };
        }
        if (limitTokens !== undefined) {
          this.#observe?.(
            scope.name,
            period,
            'tokens',
            Math.max(0, limitTokens - spent.tokens),
          );
          if (spent.tokens >= limitTokens)
            return {
              budget: `${scope.name}-${period}-tokens`,
              reason: `the ${scope.label}'s ${word} budget of ${tokens(limitTokens)} is spent (${tokens(spent.tokens)} used); it resets at ${resets}`,
            };
        }
      }
    }
    if (
      repository.pull_request_usd !== undefined &&
      pullRequestSpend.usd >= repository.pull_request_usd
    ) {
      return {
        budget: 'pull-request-usd',
        reason: `this pull request's budget of ${usd(repository.pull_request_usd)} is spent (${usd(pullRequestSpend.usd)} used); it does not reset`,
      };
    }
    if (
      repository.pull_request_tokens !== undefined &&
      pullRequestSpend.tokens >= repository.pull_request_tokens
    ) {
      return {
        budget: 'pull-request-tokens',
        reason: `this pull request's budget of ${tokens(repository.pull_request_tokens)} is spent (${tokens(pullRequestSpend.tokens)} used); it does not reset`,
      };
    }
    return undefined;
  }

  /** Adds a review's model usage to the installation's and the repository's counters. */
  async record(
    target: BudgetTarget,
    usage: Usage,
    now = new Date(),
  ): Promise<void> {
    const spend = { usd: usage.costUsd ?? 0, tokens: tokensOf(usage) };
    if (spend.usd === 0 && spend.tokens === 0) return;
    const periods = periodsAt(now);
    await this.#store.add(
      `installation:${target.installationId}`,
      [periods.day, periods.month],
      spend,
    );
    await this.#store.add(
      `repository:${target.owner}/${target.repo}`.toLowerCase(),
      [periods.day, periods.month],
      spend,
    );
  }
}
