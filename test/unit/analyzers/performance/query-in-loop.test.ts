import { describe, expect, it } from 'vitest';
import { createPerformanceAnalyzer } from '../../../../src/analyzers/performance/index.ts';
import {
  findingsOf,
  runAnalyzer,
} from '../failure-modes/change-set-builder.ts';

const RULE = 'performance/query-in-loop';
const check = async (path: string, head: string) =>
  (await findingsOf(createPerformanceAnalyzer(), [{ path, head }])).filter(
    (f) => f.startsWith(RULE),
  );

describe('query-in-loop', () => {
  it('JavaScript: ORM and SQL calls in for-of loops and in map/forEach callbacks [+performance/query-in-loop]', async () => {
    const head = [
      'export async function enrich(orders) {', // 1
      '  for (const order of orders) {',
      '    order.customer = await prisma.customer.findUnique({ where: { id: order.customerId } });',
      "    order.items = (await pool.query('SELECT * FROM items WHERE order_id = $1', [order.id])).rows;",
      '  }', // 5
      '  return Promise.all(orders.map((o) => Invoice.findOne({ where: { orderId: o.id } })));',
      '}',
    ].join('\n');
    expect(await check('src/enrich.ts', head)).toEqual([
      `${RULE}@3:medium`,
      `${RULE}@4:medium`,
      `${RULE}@6:medium`,
    ]);
  });

  it('JavaScript: not for array methods, pagination loops, retries or queries outside loops [-performance/query-in-loop]', async () => {
    const head = [
      'export async function ok(ids) {',
      '  const users = await prisma.user.findMany({ where: { id: { in: ids } } });',
      '  const byId = new Map(users.map((u) => [u.id, u]));',
      '  for (const id of ids) { const u = users.find((x) => x.id === id); byId.get(id); }',
      '  let cursor;',
      '  while (true) {',
      '    const page = await prisma.event.findMany({ take: 100, cursor });',
      '    if (page.length === 0) break;',
      '    cursor = page.at(-1).id;',
      '  }',
      '  for (let attempt = 0; attempt < 3; attempt++) {',
      "    try { return await pool.query('SELECT 1'); } catch (err) { await sleep(2 ** attempt); }",
      '  }',
      '}',
    ].join('\n');
    expect(await check('src/ok.ts', head)).toEqual([]);
  });

  it('Python, Go and Java: Django managers, comprehensions, database/sql in range loops, repositories in for-each and forEach', async () => {
    const python = [
      'def report(orders):', // 1
      '    for order in orders:',
      '        order.customer = Customer.objects.get(id=order.customer_id)',
      '    names = [User.query.get(i).name for i in ids]',
      '    for row in rows:', // 5
      '        cursor.execute("SELECT 1 FROM t WHERE id = %s", (row.id,))',
      '        requests.get(row.url, timeout=3)',
    ].join('\n');
    expect(await check('app/report.py', python)).toEqual([
      `${RULE}@3:medium`,
      `${RULE}@4:medium`,
      `${RULE}@6:medium`,
    ]);
    const go = [
      'package store', // 1
      'func Load(ids []int) {',
      '  for _, id := range ids {',
      '    row := s.db.QueryRowContext(ctx, "SELECT name FROM users WHERE id = $1", id)',
      '    _ = row', // 5
      '    cache.Get(id)',
      '  }',
      '}',
    ].join('\n');
    expect(await check('store/load.go', go)).toEqual([`${RULE}@4:medium`]);
    const java = [
      'class Report {', // 1
      '  void build(List<Order> orders) {',
      '    for (Order o : orders) {',
      '      customerRepository.findById(o.getCustomerId());',
      '      o.getTotal();', // 5
      '    }',
      '    orders.forEach(o -> jdbcTemplate.queryForObject("SELECT 1", Integer.class));',
      '  }',
      '}',
    ].join('\n');
    expect(await check('src/Report.java', java)).toEqual([
      `${RULE}@4:medium`,
      `${RULE}@7:medium`,
    ]);
  });

  it('reports at the loop when a loop was added around an existing query', async () => {
    const base = [
      'export async function load(id) {',
      '  {',
      '    await Order.findOne({ where: { id } });',
      '  }',
      '}',
    ].join('\n');
    const head = [
      'export async function load(ids) {',
      '  for (const id of ids) {',
      '    await Order.findOne({ where: { id } });',
      '  }',
      '}',
    ].join('\n');
    const output = await runAnalyzer(createPerformanceAnalyzer(), [
      { path: 'src/load.ts', base, head },
    ]);
    expect(
      output.findings.map((f) => [
        f.ruleId,
        f.lines?.start,
        f.related?.[0]?.line,
      ]),
    ).toEqual([[RULE, 2, 3]]);
  });
});

describe('query-in-loop: batching is the fix, not the problem', () => {
  it('Go and Python: one query per batch, literal lists of models, conditional bulk flushes [-performance/query-in-loop]', async () => {
    const go = [
      'package store',
      'func deleteReactions(ctx context.Context, tx *sql.Tx, ids []int32) error {',
      '	for _, batch := range deleteUserBatches(ids, 500) {',
      '		if _, err := tx.ExecContext(ctx, "DELETE FROM reaction WHERE memo_id = ANY($1)", batch); err != nil {',
      '			return err',
      '		}',
      '	}',
      '	return nil',
      '}',
    ].join('\n');
    const py = [
      'def forwards(apps, schema_editor):',
      '    for model in (Service, ServiceTemplate):',
      '        model.objects.filter(ports__len__gt=0).update(ordering=1)',
      '    batch = []',
      '    for i, image in enumerate(ImageAttachment.objects.iterator(chunk_size=BATCH_SIZE), start=1):',
      '        batch.append(image)',
      '        if len(batch) >= BATCH_SIZE:',
      '            ImageAttachment.objects.bulk_update(batch, ["size"])',
      '            batch = []',
    ].join('\n');
    expect(await check('store/delete.go', go)).toEqual([]);
    expect(await check('app/management/commands/populate.py', py)).toEqual([]);
  });

  it('Python: a query per row of a chunked iterator is still N+1 [+performance/query-in-loop]', async () => {
    const py = [
      'def populate():',
      '    for image in ImageAttachment.objects.iterator(chunk_size=BATCH_SIZE):',
      '        Owner.objects.get(id=image.owner_id)',
    ].join('\n');
    expect(await check('app/management/commands/populate.py', py)).toEqual([
      `${RULE}@3:medium`,
    ]);
  });
});
