import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadServerEnv } from '../../../src/server/env.ts';

const { privateKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});
const base = {
  APP_ID: '123',
  PRIVATE_KEY: privateKey,
  WEBHOOK_SECRET: 's3cret',
};

describe('loadServerEnv', () => {
  it('accepts complete credentials and applies defaults', () => {
    const checked = loadServerEnv(base);
    expect(checked.ok).toBe(true);
    if (!checked.ok) return;
    expect(checked.env).toMatchObject({
      appId: 123,
      privateKey,
      webhookSecret: 's3cret',
      webhookPath: '/api/github/webhooks',
      port: 3000,
      logLevel: 'info',
      concurrency: 2,
      jobTimeoutMs: 600_000,
      modelConfigured: false,
      production: false,
    });
    expect(checked.env.baseUrl).toBeUndefined();
  });

  it('refuses to start without a webhook secret or with Probot`s "development" fallback, in any NODE_ENV', () => {
    for (const NODE_ENV of ['production', 'test', undefined]) {
      const missing = loadServerEnv({
        ...base,
        WEBHOOK_SECRET: undefined,
        NODE_ENV,
      });
      expect(missing.ok).toBe(false);
      if (!missing.ok)
        expect(missing.problems.join('\n')).toMatch(
          /WEBHOOK_SECRET is not set/,
        );
      const dev = loadServerEnv({
        ...base,
        WEBHOOK_SECRET: 'development',
        NODE_ENV,
      });
      expect(dev.ok).toBe(false);
      if (!dev.ok)
        expect(dev.problems.join('\n')).toMatch(/must not be "development"/);
    }
  });

  it('names every missing credential at once', () => {
    const checked = loadServerEnv({ NODE_ENV: 'production' });
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    const text = checked.problems.join('\n');
    expect(text).toMatch(/APP_ID/);
    expect(text).toMatch(/PRIVATE_KEY or PRIVATE_KEY_PATH/);
    expect(text).toMatch(/WEBHOOK_SECRET/);
  });

  it('accepts the key base64-encoded, with \\n escapes, or from a file, and rejects garbage', () => {
    const escaped = privateKey.replace(/\n/g, '\\n');
    expect(loadServerEnv({ ...base, PRIVATE_KEY: escaped }).ok).toBe(true);
    expect(
      loadServerEnv({
        ...base,
        PRIVATE_KEY: Buffer.from(privateKey).toString('base64'),
      }).ok,
    ).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'architect-key-'));
    writeFileSync(join(dir, 'app.pem'), privateKey);
    expect(
      loadServerEnv(
        { ...base, PRIVATE_KEY: undefined, PRIVATE_KEY_PATH: 'app.pem' },
        dir,
      ).ok,
    ).toBe(true);
    const garbage = loadServerEnv({
      ...base,
      PRIVATE_KEY:
        '-----BEGIN RSA PRIVATE KEY-----\nnope\n-----END RSA PRIVATE KEY-----',
    });
    expect(garbage.ok).toBe(false);
    if (!garbage.ok)
      expect(garbage.problems).toEqual([
        'PRIVATE_KEY does not hold a valid PEM private key',
      ]);
  });

  it('builds the GitHub Enterprise base URL and reads the queue settings', () => {
    const checked = loadServerEnv({
      ...base,
      GHE_HOST: 'localhost:4010',
      GHE_PROTOCOL: 'http',
      ARCHITECT_CONCURRENCY: '5',
      ARCHITECT_JOB_TIMEOUT_MS: '60000',
      PORT: '0',
      ANTHROPIC_API_KEY: 'k',
    });
    expect(checked.ok).toBe(true);
    if (!checked.ok) return;
    expect(checked.env).toMatchObject({
      baseUrl: 'http://localhost:4010/api/v3',
      concurrency: 5,
      jobTimeoutMs: 60_000,
      port: 0,
      modelConfigured: true,
    });
  });

  it('rejects malformed numbers and URLs', () => {
    const checked = loadServerEnv({
      ...base,
      ARCHITECT_CONCURRENCY: 'many',
      ANTHROPIC_BASE_URL: 'not a url',
      APP_ID: 'abc',
    });
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.problems).toHaveLength(3);
  });
});
