import { describe, expect, it } from 'vitest';
import { createFailureModeAnalyzer } from '../../../../src/analyzers/failure-modes/index.ts';
import { findingsOf, runAnalyzer } from './change-set-builder.ts';

const RULE = 'failure-mode/external-call-in-transaction';
const check = async (path: string, head: string) =>
  (await findingsOf(createFailureModeAnalyzer(), [{ path, head }])).filter(
    (f) => f.startsWith(RULE),
  );

describe('external-call-in-transaction', () => {
  it('JavaScript: HTTP, queue and e-mail calls inside prisma.$transaction / knex.transaction callbacks [+failure-mode/external-call-in-transaction]', async () => {
    const head = [
      "import axios from 'axios';", // 1
      'export async function placeOrder(order) {',
      '  await prisma.$transaction(async (tx) => {',
      '    await tx.order.create({ data: order });',
      '    await axios.post(WAREHOUSE_URL, order, { timeout: 2000 });', // 5
      '    await emailQueue.add("confirmation", { orderId: order.id });',
      '  });',
      '  await knex.transaction(async (trx) => {',
      "    await trx('orders').update({ state: 'paid' });",
      '    await transporter.sendMail({ to: order.email });', // 10
      '  });',
      '  await axios.post(ANALYTICS_URL, order, { timeout: 2000 });',
      '}',
    ].join('\n');
    expect(await check('src/orders.ts', head)).toEqual([
      `${RULE}@10:medium`,
      `${RULE}@5:medium`,
      `${RULE}@6:medium`,
    ]);
  });

  it('Python: Django atomic blocks and decorators, SQLAlchemy session.begin()', async () => {
    const head = [
      'import requests', // 1
      'from django.db import transaction',
      'def checkout(order):',
      '    with transaction.atomic():',
      '        order.save()', // 5
      '        send_receipt.delay(order.id)',
      '    requests.post(ANALYTICS, json=order.data, timeout=3)',
      '@transaction.atomic',
      'def refund(order):',
      '    requests.post(PSP_URL, json={"id": order.id}, timeout=3)', // 10
      'def rename(session, user):',
      '    with session.begin():',
      '        user.name = "x"',
      '        producer.send("users", user.id)',
    ].join('\n');
    expect(await check('app/orders.py', head)).toEqual([
      `${RULE}@10:medium`,
      `${RULE}@14:medium`,
      `${RULE}@6:medium`,
    ]);
  });

  it('Go and Java: GORM Transaction closures, BeginTx…Commit, @Transactional methods', async () => {
    const go = [
      'package orders', // 1
      'import "net/http"',
      'func Place(db *gorm.DB, o Order) error {',
      '  return db.Transaction(func(tx *gorm.DB) error {',
      '    tx.Create(&o)', // 5
      '    _, err := http.Post(warehouseURL, "application/json", body)',
      '    return err',
      '  })',
      '}',
      'func Pay(ctx context.Context, db *sql.DB) error {', // 10
      '  tx, err := db.BeginTx(ctx, nil)',
      '  if err != nil { return err }',
      '  nc.Publish("payments", payload)',
      '  return tx.Commit()',
      '}', // 15
    ].join('\n');
    expect(await check('orders/place.go', go)).toEqual([
      `${RULE}@13:medium`,
      `${RULE}@6:medium`,
    ]);
    const java = [
      '@Service', // 1
      'class OrderService {',
      '  @Transactional',
      '  public void place(Order o) {',
      '    repo.save(o);', // 5
      '    restTemplate.postForObject(warehouseUrl, o, Void.class);',
      '    kafkaTemplate.send("orders", o.id());',
      '  }',
      '  public void notifyLater(Order o) {',
      '    restTemplate.postForObject(url, o, Void.class);', // 10
      '  }',
      '  @Transactional(propagation = Propagation.NOT_SUPPORTED)',
      '  public void report(Order o) {',
      '    restTemplate.postForObject(url, o, Void.class);',
      '  }', // 15
      '}',
    ].join('\n');
    expect(await check('src/OrderService.java', java)).toEqual([
      `${RULE}@6:medium`,
      `${RULE}@7:medium`,
    ]);
  });

  it('reports at the transaction when only the transaction changed around an existing call', async () => {
    const body = [
      '    await fetch(CRM_URL, { signal });',
      '    await tx.user.update(user);',
      '  });',
      '}',
    ];
    const base = [
      'export async function sync(user) {',
      '  await withRetries(async (tx) => {',
      ...body,
    ].join('\n');
    const head = [
      'export async function sync(user) {',
      '  await db.$transaction(async (tx) => {',
      ...body,
    ].join('\n');
    const output = await runAnalyzer(createFailureModeAnalyzer(), [
      { path: 'src/sync.ts', base, head },
    ]);
    const found = output.findings.filter((f) => f.ruleId === RULE);
    expect(found.map((f) => [f.lines?.start, f.related?.[0]?.line])).toEqual([
      [2, 3],
    ]);
  });

  it('follows a call into another changed file, inside an explicit BEGIN ... COMMIT', async () => {
    const client = [
      'export async function capturePayment(id) {', // 1
      "  const response = await fetch(`${PSP}/capture/${id}`, { method: 'POST', signal: AbortSignal.timeout(5000) });",
      '  return response.json();',
      '}',
      'export function formatCents(cents) { return (cents / 100).toFixed(2); }', // 5
    ].join('\n');
    const route = [
      "import { capturePayment, formatCents } from '../payments/client.js';", // 1
      'export async function capture(pool, id) {',
      '  const db = await pool.connect();',
      '  try {',
      "    await db.query('BEGIN');", // 5
      "    await db.query('SELECT 1 FROM orders WHERE id = $1 FOR UPDATE', [id]);",
      '    formatCents(100);',
      '    await capturePayment(id);',
      "    await db.query('COMMIT');",
      '    await capturePayment(id);', // 10
      '  } finally {',
      '    db.release();',
      '  }',
      '}',
    ].join('\n');
    const output = await runAnalyzer(createFailureModeAnalyzer(), [
      { path: 'src/payments/client.ts', head: client },
      { path: 'src/routes/capture.ts', head: route },
    ]);
    const found = output.findings.filter((f) => f.ruleId === RULE);
    expect(found.map((f) => [f.path, f.lines?.start, f.related])).toEqual([
      [
        'src/routes/capture.ts',
        8,
        [
          {
            path: 'src/payments/client.ts',
            line: 2,
            note: 'fetch() is made here',
          },
        ],
      ],
    ]);
    expect(found[0]!.title).toBe(
      "capturePayment() (which calls fetch()) inside the transaction opened by db.query('BEGIN')",
    );
  });

  it('does not flag database work alone inside a transaction, nor calls outside one [-failure-mode/external-call-in-transaction]', async () => {
    const head = [
      'export async function move(a, b) {',
      '  await prisma.$transaction(async (tx) => {',
      '    await tx.account.update({ where: { id: a }, data: { balance: { decrement: 1 } } });',
      '    await tx.account.update({ where: { id: b }, data: { balance: { increment: 1 } } });',
      '  });',
      '  await prisma.$transaction([prisma.a.create({}), prisma.b.create({})]);',
      '  await fetch(NOTIFY_URL, { method: "POST", signal: AbortSignal.timeout(1000) });',
      '}',
    ].join('\n');
    expect(await check('src/move.ts', head)).toEqual([]);
  });
});
