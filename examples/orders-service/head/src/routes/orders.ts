import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import { pool } from '../db.ts';
import { capturePayment, createPaymentIntent, PaymentError } from '../payments/payment-client.ts';

const CreateOrder = z.object({
  amount_cents: z.int().min(1),
  currency: z.string().length(3),
  customer_ref: z.string().min(1),
});

export const ordersRouter = Router();

ordersRouter.post('/', async (req, res) => {
  const parsed = CreateOrder.safeParse(req.body);
  if (!parsed.success) {
    res.status(400).json({ error: 'invalid_request', details: parsed.error.issues });
    return;
  }
  const { amount_cents, currency, customer_ref } = parsed.data;
  const idempotencyKey = req.header('idempotency-key') ?? randomUUID();
  try {
    const intent = await createPaymentIntent(amount_cents, currency, idempotencyKey);
    const { rows } = await pool.query(
      `INSERT INTO orders (total_cents, currency, payment_intent_id, customer_ref)
       VALUES ($1, $2, $3, $4)
       RETURNING id, status, currency, customer_ref, created_at`,
      [amount_cents, currency, intent.id, customer_ref],
    );
    res.status(201).json(rows[0]);
  } catch (error) {
    if (error instanceof PaymentError) {
      res.status(502).json({ error: 'payment_unavailable' });
      return;
    }
    throw error;
  }
});

ordersRouter.get('/:id', async (req, res) => {
  const { rows } = await pool.query(
    'SELECT id, status, currency, customer_ref, created_at FROM orders WHERE id = $1',
    [req.params.id],
  );
  if (rows.length === 0) {
    res.status(404).json({ error: 'not_found' });
    return;
  }
  res.json(rows[0]);
});

ordersRouter.post('/:id/capture', async (req, res) => {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query('SELECT payment_intent_id FROM orders WHERE id = $1 FOR UPDATE', [req.params.id]);
    if (rows.length === 0) {
      await client.query('ROLLBACK');
      res.status(404).json({ error: 'not_found' });
      return;
    }
    await capturePayment(rows[0].payment_intent_id);
    await client.query("UPDATE orders SET status = 'paid' WHERE id = $1", [req.params.id]);
    await client.query('COMMIT');
    res.status(204).end();
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
});
