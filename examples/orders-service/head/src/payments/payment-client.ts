import { config } from '../config.ts';

export interface PaymentIntent {
  id: string;
  status: string;
}

export class PaymentError extends Error {
  readonly status: number;

  constructor(message: string, status: number) {
    super(message);
    this.status = status;
  }
}

/** Creates a payment intent; the idempotency key makes a retried request safe. */
export async function createPaymentIntent(amountCents: number, currency: string, idempotencyKey: string): Promise<PaymentIntent> {
  const response = await fetch(`${config.payments.baseUrl}/v1/payment_intents`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${config.payments.secretKey}`,
      'content-type': 'application/x-www-form-urlencoded',
      'idempotency-key': idempotencyKey,
    },
    body: new URLSearchParams({ amount: String(amountCents), currency: currency.toLowerCase() }),
    signal: AbortSignal.timeout(config.payments.timeoutMs),
  });
  if (!response.ok) throw new PaymentError(`payment provider answered ${response.status}`, response.status);
  const body = (await response.json()) as PaymentIntent;
  return { id: body.id, status: body.status };
}

/** Captures an authorised payment intent once the order is confirmed. */
export async function capturePayment(intentId: string): Promise<PaymentIntent> {
  const response = await fetch(`${config.payments.baseUrl}/v1/payment_intents/${intentId}/capture`, {
    method: 'POST',
    headers: { authorization: `Bearer ${config.payments.secretKey}` },
  });
  if (!response.ok) throw new PaymentError(`capture failed with ${response.status}`, response.status);
  const body = (await response.json()) as PaymentIntent;
  return { id: body.id, status: body.status };
}
