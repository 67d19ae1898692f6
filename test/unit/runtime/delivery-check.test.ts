import { Probot } from 'probot';
import { describe, expect, it } from 'vitest';
import { createArchitectApp } from '../../../src/github/app.ts';
import {
  ACTED_ON,
  checkDelivery,
} from '../../../src/runtime/delivery-check.ts';
import { TEST_PRIVATE_KEY } from '../../integration/github-mock.ts';
import { examplePayload, pullRequestPayload } from '../../support/payloads.ts';

const opened = () =>
  pullRequestPayload('opened', {
    owner: 'acme',
    repo: 'orders',
    number: 7,
    headSha: 'a'.repeat(40),
    baseSha: 'b'.repeat(40),
    changedFiles: 1,
  });

describe('checkDelivery (the webhook fast path decides what is work)', () => {
  it('lists exactly the events the app subscribes to', async () => {
    const probot = new Probot({
      appId: 1,
      privateKey: TEST_PRIVATE_KEY,
      logLevel: 'fatal',
    });
    const subscribed: string[] = [];
    const on = probot.on;
    probot.on = ((name, callback) => {
      subscribed.push(...[name].flat());
      return on(name, callback);
    }) as typeof probot.on;
    await probot.load(
      createArchitectApp({ analyzers: [], createReviewer: () => undefined })
        .app,
    );
    const listed = Object.entries(ACTED_ON).flatMap(([event, actions]) =>
      actions.map((action) => `${event}.${action}`),
    );
    expect([...subscribed].sort()).toEqual([...listed].sort());
  });

  it('acts on a real pull_request.opened and a real issue comment', () => {
    expect(checkDelivery('pull_request', opened())).toEqual({ kind: 'act' });
    // GitHub's examples are repository webhooks; an app's deliveries also name the installation.
    const comment = {
      ...examplePayload('issue_comment', 'created'),
      installation: { id: 3 },
    };
    expect(checkDelivery('issue_comment', comment)).toEqual({ kind: 'act' });
  });

  it('ignores events and actions the app does not subscribe to', () => {
    expect(
      checkDelivery('ping', { zen: 'Keep it logically awesome.' }),
    ).toEqual({ kind: 'ignore' });
    const closed = { ...opened(), action: 'closed' };
    expect(checkDelivery('pull_request', closed)).toEqual({ kind: 'ignore' });
  });

  it('rejects a pull_request without its head, naming the field, in one line', () => {
    const payload = opened();
    delete payload.pull_request.head;
    const verdict = checkDelivery('pull_request', payload);
    expect(verdict.kind).toBe('reject');
    if (verdict.kind !== 'reject') return;
    expect(verdict.reason).toMatch(
      /^pull_request payload .*pull_request\.head/,
    );
    expect(verdict.reason).not.toContain('\n');
  });

  it('rejects a subscribed event without the installation the runtime records', () => {
    const payload = examplePayload('issue_comment', 'created');
    const verdict = checkDelivery('issue_comment', payload);
    expect(verdict).toMatchObject({
      kind: 'reject',
      reason: expect.stringContaining('installation'),
    });
  });

  it('rejects a body that is JSON but not an object', () => {
    expect(checkDelivery('pull_request', 42)).toMatchObject({
      kind: 'reject',
    });
    expect(checkDelivery('pull_request', null)).toMatchObject({
      kind: 'reject',
    });
  });
});
