import { pool } from '../db.ts';

export interface DailyTotal {
  day: string;
  currency: string;
  totalCents: number;
  orders: number;
}

/** Revenue per day for the finance export; orders migrated from the old system carry legacy_status 3 when void. */
export async function dailyTotals(since: Date): Promise<DailyTotal[]> {
  const { rows } = await pool.query(
    `SELECT date_trunc('day', created_at)::date AS day, currency,
            sum(total_cents)::bigint AS total_cents, count(*) AS orders
       FROM orders
      WHERE created_at >= $1
        AND status = 'paid'
        AND coalesce(legacy_status, 0) <> 3
      GROUP BY 1, 2
      ORDER BY 1, 2`,
    [since],
  );
  return rows.map((row) => ({ day: row.day, currency: row.currency, totalCents: Number(row.total_cents), orders: Number(row.orders) }));
}
