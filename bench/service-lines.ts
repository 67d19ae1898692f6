/** A realistic service file's lines: eight handlers, each with a query and an outbound call. */
export function serviceLines(i: number): string[] {
  const lines: string[] = [];
  for (let fn = 0; fn < 8; fn++) {
    lines.push(
      `export async function handle${i}_${fn}(req, res) {`,
      `  const id = req.params.id;`,
      `  const row = await db.query('SELECT * FROM orders_${i} WHERE id = $1', [id]);`,
      `  if (!row) return res.status(404).json({ error: 'not found' });`,
      `  const quote = await pricing.quote(row.sku, { currency: req.query.currency });`,
      `  await audit.log({ orderId: id, action: 'viewed', at: new Date() });`,
      `  return res.json({ ...row, price: quote.amount });`,
      `}`,
      ``,
      ``,
    );
  }
  return lines;
}
