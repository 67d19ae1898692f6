export interface Config {
  port: number;
  databaseUrl: string;
  payments: {
    baseUrl: string;
    secretKey: string;
    timeoutMs: number;
  };
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

export const config: Config = {
  port: Number(process.env.PORT ?? 8080),
  databaseUrl: required('DATABASE_URL'),
  payments: {
    baseUrl: process.env.PAYMENTS_BASE_URL ?? 'https://api.stripe.com',
    secretKey: required('STRIPE_SECRET_KEY'),
    timeoutMs: Number(process.env.PAYMENTS_TIMEOUT_MS ?? 5000),
  },
};
