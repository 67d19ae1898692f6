import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TEST_PRIVATE_KEY } from './github-mock.ts';

const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));

/** Runs `node src/main.ts` with exactly the given environment (plus PATH). */
function launch(env: Record<string, string>) {
  const child = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env.PATH ?? '',
      ARCHITECT_DATA_DIR: mkdtempSync(join(tmpdir(), 'architect-main-')),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  return { child, exited, output: () => output };
}

async function waitFor<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('timed out waiting');
}

describe('node src/main.ts', () => {
  it('exits 1 with a clear message instead of entering setup mode when credentials are missing', async () => {
    const run = launch({ NODE_ENV: 'production' });
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain('Backend Architect cannot start');
    expect(run.output()).toContain('APP_ID is not set');
    expect(run.output()).toContain('WEBHOOK_SECRET is not set');
  });

  it('refuses the "development" webhook secret', async () => {
    const run = launch({
      APP_ID: '1',
      PRIVATE_KEY: TEST_PRIVATE_KEY,
      WEBHOOK_SECRET: 'development',
    });
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain('must not be "development"');
  });

  it('serves /healthz and exits 0 on SIGTERM', async () => {
    const run = launch({
      APP_ID: '1',
      PRIVATE_KEY: TEST_PRIVATE_KEY,
      WEBHOOK_SECRET: 'secret',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_FORMAT: 'json',
    });
    try {
      // PORT=0 picks a free port; the server logs which.
      const port = await waitFor(
        async () => /Listening on http:\/\/[^:]+:(\d+)/.exec(run.output())?.[1],
        15_000,
      );
      const body = await waitFor(async () => {
        const response = await fetch(`http://127.0.0.1:${port}/healthz`);
        return response.ok
          ? ((await response.json()) as { status: string })
          : undefined;
      }, 15_000);
      expect(body.status).toBe('ok');
      run.child.kill('SIGTERM');
      expect(await run.exited).toBe(0);
      expect(run.output()).toContain('received stop signal');
    } finally {
      if (run.child.exitCode === null) run.child.kill('SIGKILL');
    }
  });
});
