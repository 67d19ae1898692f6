import { createHmac, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Probot } from 'probot';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CheckRunTracker } from '../../../src/runtime/check-run-tracker.ts';
import { JournalRuntime } from '../../../src/runtime/journal-runtime.ts';
import { SqliteStore } from '../../../src/runtime/sqlite-store.ts';
import { createLogger } from '../../../src/server/create-logger.ts';
import {
  type Outcome,
  webhookIntake,
} from '../../../src/server/webhook-intake.ts';
import { pullRequestPayload } from '../../support/payloads.ts';

/** The intake in front of a real journal (not started, so nothing runs the deliveries it records). */
const SECRET = 'intake-secret';
const PATH = '/api/github/webhooks';

describe('webhookIntake', () => {
  let server: Server;
  let store: SqliteStore;
  let runtime: JournalRuntime;
  let accepting = true;
  const observed: Array<{ event: string; outcome: Outcome }> = [];
  let base = '';

  beforeEach(async () => {
    const log = await createLogger({ level: 'silent' });
    const probot = new Probot({ githubToken: 'verify-only', secret: SECRET });
    await probot.ready();
    store = new SqliteStore(mkdtempSync(join(tmpdir(), 'architect-intake-')));
    runtime = new JournalRuntime({
      store,
      tracker: new CheckRunTracker(store, log),
      logger: log,
      jobTimeoutMs: 60_000,
      sweepIntervalMs: 60_000,
    });
    accepting = true;
    observed.length = 0;
    const intake = webhookIntake({
      path: PATH,
      verify: (body, signature) => probot.webhooks.verify(body, signature),
      runtime,
      accepting: () => accepting,
      observe: (event, outcome) => observed.push({ event, outcome }),
      log,
    });
    server = createServer((req, res) => {
      if (!intake(req, res)) res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    await runtime.stop();
    store.close();
    await new Promise((r) => server.close(r));
  });

  const post = (
    event: string,
    body: string,
    headers: Record<string, string> = {},
  ) =>
    fetch(`${base}${PATH}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': event,
        'x-github-delivery': randomUUID(),
        'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`,
        ...headers,
      },
      body,
    });
  const opened = JSON.stringify(
    pullRequestPayload('opened', {
      owner: 'acme',
      repo: 'orders',
      number: 3,
      headSha: 'c'.repeat(40),
      baseSha: 'b'.repeat(40),
      changedFiles: 1,
    }),
  );

  it('journals a verified pull_request and answers 202; the same delivery again is not journaled twice', async () => {
    const id = randomUUID();
    const first = await post('pull_request', opened, {
      'x-github-delivery': id,
    });
    expect(first.status).toBe(202);
    const second = await post('pull_request', opened, {
      'x-github-delivery': id,
    });
    expect(second.status).toBe(202);
    expect(await second.text()).toBe('already accepted\n');
    expect(store.unfinished().map((d) => d.id)).toEqual([id]);
    expect(observed).toEqual([
      { event: 'pull_request', outcome: 'accepted' },
      { event: 'pull_request', outcome: 'accepted' },
    ]);
  });

  it('answers 200 to an event the app does not act on and records nothing', async () => {
    const res = await post(
      'ping',
      JSON.stringify({ zen: 'Design for failure.' }),
    );
    expect(res.status).toBe(200);
    expect(store.unfinished()).toEqual([]);
    expect(observed).toEqual([{ event: 'ping', outcome: 'ignored' }]);
  });

  it('refuses what is not a GitHub delivery before reading it: headers, content type, size', async () => {
    const unsigned = await post('pull_request', opened, {
      'x-hub-signature-256': '',
    });
    expect(unsigned.status).toBe(400);
    expect(await unsigned.json()).toEqual({
      error: 'Required headers missing: x-hub-signature-256',
    });
    const form = await post('pull_request', opened, {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(form.status).toBe(415);
    const huge = await post('pull_request', ' '.repeat(26 * 1024 * 1024));
    expect(huge.status).toBe(413);
    expect(store.unfinished()).toEqual([]);
    expect(observed.map((o) => o.outcome)).toEqual([
      'rejected',
      'rejected',
      'rejected',
    ]);
  });

  it('answers 503 once not accepting, after checking the signature', async () => {
    accepting = false;
    const forged = await post('pull_request', opened, {
      'x-hub-signature-256': `sha256=${'0'.repeat(64)}`,
    });
    expect(forged.status).toBe(401);
    const refused = await post('pull_request', opened);
    expect(refused.status).toBe(503);
    expect(store.unfinished()).toEqual([]);
    expect(observed.map((o) => o.outcome)).toEqual(['rejected', 'refused']);
  });

  it('answers 503 when the runtime itself has stopped taking work', async () => {
    await runtime.stop();
    const res = await post('pull_request', opened);
    expect(res.status).toBe(503);
    expect(store.unfinished()).toEqual([]);
  });
});
