import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fetchWithTimeout } from '../../../src/server/fetch-with-timeout.ts';
import { API, strictNock } from './helpers.ts';

strictNock();

// A real server that accepts requests and never answers: nock's delays do not observe abort signals.
let silent: Server;
let silentUrl = '';
beforeAll(async () => {
  silent = createServer(() => {});
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  silent.closeAllConnections();
  await new Promise((resolve) => silent.close(resolve));
});
beforeEach(() => {
  nock.enableNetConnect('127.0.0.1');
});

describe('fetchWithTimeout', () => {
  it('passes a prompt response through', async () => {
    nock(API).get('/ok').reply(200, { ok: true });
    const response = await fetchWithTimeout(1000)(`${API}/ok`);
    expect(await response.json()).toEqual({ ok: true });
  });

  it('aborts a request that takes longer than the deadline', async () => {
    const started = performance.now();
    await expect(fetchWithTimeout(100)(silentUrl)).rejects.toMatchObject({
      name: 'TimeoutError',
    });
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('still honours the caller`s own signal', async () => {
    const controller = new AbortController();
    const pending = fetchWithTimeout(10_000)(silentUrl, {
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(new Error('caller gave up')), 50);
    await expect(pending).rejects.toThrow('caller gave up');
  });
});
