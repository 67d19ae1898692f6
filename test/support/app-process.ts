import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac, generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A fresh RSA key for the app, made per run rather than committed. */
export function generatePrivateKey(): string {
  return generateKeyPairSync('rsa', { modulusLength: 2048 })
    .privateKey.export({ type: 'pkcs1', format: 'pem' })
    .toString();
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The environment of an app process against the fake GitHub and fake model, with JSON logs. */
export function fakeAppEnv(
  fakes: {
    github: { app: { id: number }; host: string };
    model: { url: string };
    privateKey: string;
    secret: string;
  },
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    APP_ID: String(fakes.github.app.id),
    PRIVATE_KEY: fakes.privateKey,
    WEBHOOK_SECRET: fakes.secret,
    GHE_HOST: fakes.github.host,
    GHE_PROTOCOL: 'http',
    LOG_LEVEL: 'info',
    LOG_FORMAT: 'json',
    ANTHROPIC_API_KEY: 'sk-ant-test',
    ANTHROPIC_BASE_URL: fakes.model.url,
    ...extra,
  };
}

export function sign(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/**
 * The app as operators run it: `node src/main.ts` (what `npm start` runs) in a child process,
 * configured only through environment variables.
 */
export class AppProcess {
  readonly output: string[] = [];
  private child: ChildProcess | undefined;
  private exit: Promise<number | null> | undefined;

  readonly port: number;
  private readonly env: Record<string, string>;

  constructor(port: number, env: Record<string, string>) {
    this.port = port;
    // Each app gets its own data directory (kept across its restarts) unless the test shares one.
    this.env = {
      ARCHITECT_DATA_DIR: mkdtempSync(join(tmpdir(), 'architect-data-')),
      ...env,
    };
  }

  /** The process's data directory (the SQLite journal). */
  get dataDir(): string {
    return this.env.ARCHITECT_DATA_DIR!;
  }

  /** Ends the process at once, as an OOM kill or a lost machine would. */
  async kill9(): Promise<void> {
    if (!this.child || this.child.exitCode !== null) return;
    this.child.kill('SIGKILL');
    await this.exit;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(timeoutMs = 60_000): Promise<void> {
    const child = spawn(process.execPath, ['src/main.ts'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        PORT: String(this.port),
        HOST: '127.0.0.1',
        ...this.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stdout!.on('data', (d: Buffer) => this.output.push(d.toString()));
    child.stderr!.on('data', (d: Buffer) => this.output.push(d.toString()));
    this.exit = new Promise((resolve) =>
      child.once('exit', (code) => resolve(code)),
    );
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (child.exitCode !== null)
        throw new Error(
          `app exited with ${child.exitCode}:\n${this.output.join('')}`,
        );
      try {
        const res = await fetch(`${this.url}/healthz`, {
          signal: AbortSignal.timeout(1000),
        });
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(
      `app did not become healthy in ${timeoutMs} ms:\n${this.output.join('')}`,
    );
  }

  /** Sends a signed webhook delivery the way GitHub does. */
  async deliver(
    event: string,
    payload: unknown,
    secret: string,
    delivery = randomUUID(),
  ): Promise<Response> {
    return this.deliverRaw(event, JSON.stringify(payload), secret, delivery);
  }

  /** Sends a correctly signed delivery whose body is exactly `body`, JSON or not. */
  async deliverRaw(
    event: string,
    body: string,
    secret: string,
    delivery = randomUUID(),
  ): Promise<Response> {
    return fetch(`${this.url}/api/github/webhooks`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'GitHub-Hookshot/fake',
        'x-github-event': event,
        'x-github-delivery': delivery,
        'x-hub-signature-256': sign(secret, body),
      },
      body,
      signal: AbortSignal.timeout(10_000),
    });
  }

  async stop(): Promise<number | null> {
    if (!this.child || this.child.exitCode !== null)
      return this.child?.exitCode ?? null;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child?.kill('SIGKILL'), 10_000);
    const code = await this.exit!;
    clearTimeout(timer);
    return code;
  }

  /** Runs a command-line process of the app to completion (for start-up failure tests). */
  static async runOnce(
    env: Record<string, string>,
    timeoutMs = 20_000,
  ): Promise<{ code: number | null; output: string }> {
    const child = spawn(process.execPath, ['src/main.ts'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        ARCHITECT_DATA_DIR: mkdtempSync(join(tmpdir(), 'architect-data-')),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const code = await new Promise<number | null>((resolve) =>
      child.once('exit', resolve),
    );
    clearTimeout(timer);
    return { code, output };
  }
}

/** Polls until `check` returns a value, or fails with the app's output for context. */
export async function waitFor<T>(
  check: () => T | undefined,
  what: string,
  timeoutMs = 20_000,
  app?: AppProcess,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = check();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(
    `timed out waiting for ${what}${app ? `\n--- app output ---\n${app.output.join('').slice(-4000)}` : ''}`,
  );
}
