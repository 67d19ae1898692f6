import { describe, expect, it } from 'vitest';
import { buildChangeMap } from '../../../src/core/change-map/build-change-map.ts';
import { parsePatch } from '../../../src/core/diff/parse-patch.ts';
import type { DraftFinding } from '../../../src/core/finding.ts';
import type { ScopedFile } from '../../../src/core/ports.ts';
import { changeMapMarkdown } from '../../../src/report/change-map-markdown.ts';
import { formatText } from '../../../src/report/format-text.ts';
import { addedFile } from '../../support/change-set.ts';

function scoped(path: string, lines: string[], patch?: string): ScopedFile {
  const file = patch
    ? { path, status: 'modified' as const, additions: 1, deletions: 1, patch }
    : addedFile(path, lines);
  return { file, hunks: parsePatch(file.patch) };
}

const files: ScopedFile[] = [
  scoped('db/migrations/004_orders.sql', [
    "ALTER TABLE orders ADD COLUMN currency text NOT NULL DEFAULT 'EUR',",
    '  DROP COLUMN legacy_total;',
    'CREATE INDEX CONCURRENTLY orders_customer_idx ON orders (customer_id);',
    'CREATE TABLE refunds (',
    '  id bigserial PRIMARY KEY',
    ');',
  ]),
  scoped('alembic/versions/5_users.py', [
    "    op.add_column('users', sa.Column('plan', sa.Text()))",
    "    op.drop_column('users', 'nickname')",
  ]),
  scoped('src/routes/refunds.ts', [
    "router.post('/refunds', requireAuth, async (req, res) => {",
    "  const r = await fetch('https://payments.example.com/refunds', { method: 'POST' });",
    '  const a = await axios.post(`${process.env.LEDGER_URL}/entries`, body, { timeout: 2000 });',
    "  await queue.add('refund', { id });",
    "  const q = new Queue('refunds');",
    '});',
  ]),
  scoped(
    'api/openapi.yaml',
    [],
    [
      '@@ -10,3 +10,3 @@',
      ' paths:',
      '-  /v1/orders/{id}/cancel:',
      '+  /v1/refunds:',
      '     post:',
    ].join('\n'),
  ),
  scoped('app/jobs.py', [
    '@shared_task',
    'def settle():',
    "    key = os.environ.get('SETTLE_KEY')",
  ]),
];

const contract: DraftFinding = {
  lens: 'api-contract',
  severity: 'high',
  ruleId: 'api-contract/removed-operation',
  source: 'analyzer',
  path: 'api/openapi.yaml',
  lines: { start: 11, end: 11, side: 'LEFT' },
  title: 'Operation POST /v1/orders/{id}/cancel removed',
  body: '',
};

describe('the backend change map', () => {
  it('lists data model, contract, outbound calls, configuration and messaging facts from the diff', () => {
    const map = buildChangeMap(files, [contract]);
    expect(map.dataModel).toEqual([
      {
        path: 'db/migrations/004_orders.sql',
        changes: [
          'adds column orders.currency',
          'drops column orders.legacy_total',
          'creates index orders_customer_idx on orders (concurrently)',
          'creates table refunds',
        ],
      },
      {
        path: 'alembic/versions/5_users.py',
        changes: ['adds column users.plan', 'drops column users.nickname'],
      },
    ]);
    expect(map.api.map((f) => f.text)).toEqual([
      'adds route POST /refunds',
      'adds path /v1/refunds to the API description',
      'removes path /v1/orders/{id}/cancel from the API description',
      'Operation POST /v1/orders/{id}/cancel removed',
    ]);
    expect(map.outboundCalls).toEqual([
      {
        text: 'fetch → payments.example.com',
        path: 'src/routes/refunds.ts',
        line: 2,
        timeout: true,
        retry: false,
      },
      {
        text: 'axios',
        path: 'src/routes/refunds.ts',
        line: 3,
        timeout: true,
        retry: false,
      },
    ]);
    expect(map.config.map((f) => f.text)).toEqual(['LEDGER_URL', 'SETTLE_KEY']);
    expect(map.messaging.map((f) => f.text)).toEqual([
      'BullMQ queue "refunds"',
      'Celery task',
    ]);
  });

  it('says a call has no timeout only when none is visible at the call', () => {
    const map = buildChangeMap(
      [
        scoped('src/client.ts', [
          "const r = await fetch('https://api.example.com/x');",
          'return r.json();',
        ]),
      ],
      [],
    );
    expect(map.outboundCalls[0]).toMatchObject({
      timeout: false,
      retry: false,
    });
  });

  it('renders sanitized markdown and text, and nothing for an empty map', () => {
    const map = buildChangeMap(files, [contract]);
    map.narrative = [
      'Deploy the migration before the code: the new column has a default. @everyone',
    ];
    const md = changeMapMarkdown(map);
    expect(md).toContain('### Backend change map');
    expect(md).toContain(
      '- `db/migrations/004_orders.sql`: adds column orders.currency; drops column orders.legacy_total',
    );
    expect(md).toContain(
      'fetch → payments.example.com at `src/routes/refunds.ts:2`: timeout set, no retry',
    );
    expect(md).not.toContain('@everyone');
    expect(changeMapMarkdown(buildChangeMap([], []))).toBe('');
    const text = formatText({
      headSha: 'a'.repeat(40),
      findings: [],
      coverage: {
        files: [],
        notes: [],
        model: { status: 'not-configured', chunksTotal: 0, chunksReviewed: 0 },
        complete: true,
        unlistedFiles: 0,
      },
      usage: {
        requests: 0,
        inputTokens: 0,
        outputTokens: 0,
        cacheReadTokens: 0,
        cacheCreationTokens: 0,
      },
      summaries: [],
      gate: { conclusion: 'success', reason: 'ok', blocking: [] } as never,
      changeMap: map,
    });
    expect(text.split('\n')[0]).toBe('Backend change map');
    expect(text).toContain('  Configuration read:');
  });
});
