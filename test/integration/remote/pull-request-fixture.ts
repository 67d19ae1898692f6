import type { FakePullRequest } from '../../support/fake-github.ts';

export const OWNER = 'acme';
export const REPO = 'orders';
export const BASE = '2'.repeat(40);
/** Each pull request of a test gets its own head: check runs belong to commits, not to pull requests. */
export function headOf(number: number): string {
  return `c0ffee${String(number).padStart(34, '0')}`;
}

const clientBefore = [
  'export async function charge(order) {',
  '  return { ok: true };',
  '}',
];
const clientAfter = [
  'export async function charge(order) {',
  "  const res = await fetch('https://payments.internal/charges', {",
  "    method: 'POST',",
  '    body: JSON.stringify({ amount: order.total }),',
  '  });',
  '  return res.json();',
  '}',
];
const migration = 'CREATE INDEX orders_customer_idx ON orders (customer_id);';

/**
 * A pull request the deterministic analyzers have something to say about: an index built without
 * CONCURRENTLY (high, fails the default gate) and a payment call without a timeout.
 */
export function pullRequest(
  number: number,
  overrides: Partial<FakePullRequest> = {},
): FakePullRequest {
  const HEAD = overrides.headSha ?? headOf(number);
  return {
    owner: OWNER,
    repo: REPO,
    number,
    headSha: HEAD,
    baseSha: BASE,
    files: [
      {
        filename: 'src/payments/client.ts',
        status: 'modified',
        additions: 6,
        deletions: 1,
        patch: [
          '@@ -1,3 +1,7 @@',
          ' export async function charge(order) {',
          '-  return { ok: true };',
          ...clientAfter.slice(1, 6).map((l) => `+${l}`),
          ' }',
        ].join('\n'),
      },
      {
        filename: 'db/migrations/002_orders_customer_idx.sql',
        status: 'added',
        additions: 1,
        deletions: 0,
        patch: `@@ -0,0 +1 @@\n+${migration}`,
      },
      {
        filename: 'README.md',
        status: 'modified',
        additions: 1,
        deletions: 0,
        patch: '@@ -1 +1,2 @@\n # Orders\n+Now with payments.',
      },
    ],
    contents: {
      [BASE]: {
        'src/payments/client.ts': `${clientBefore.join('\n')}\n`,
        'README.md': '# Orders\n',
      },
      [HEAD]: {
        'src/payments/client.ts': `${clientAfter.join('\n')}\n`,
        'db/migrations/002_orders_customer_idx.sql': `${migration}\n`,
        'README.md': '# Orders\nNow with payments.\n',
      },
    },
    ...overrides,
  };
}
