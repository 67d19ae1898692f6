import { describe, expect, it } from 'vitest';
import { installationClients } from '../../../src/github/client/installation-clients.ts';

interface Client {
  installationId: number;
  prepared: number;
}

function counting(fail: Set<number> = new Set()) {
  const made: number[] = [];
  const auth = async (installationId: number): Promise<Client> => {
    made.push(installationId);
    if (fail.has(installationId))
      throw new Error(`no installation ${installationId}`);
    return { installationId, prepared: 0 };
  };
  return { made, auth };
}

describe('installationClients', () => {
  it('makes and prepares one client per installation', async () => {
    const { made, auth } = counting();
    const clients = installationClients(auth, {
      prepare: (client) => client.prepared++,
    });
    const [a1, b, a2] = await Promise.all([
      clients.get(1),
      clients.get(2),
      clients.get(1),
    ]);
    expect(a1).toBe(a2);
    expect(a1).not.toBe(b);
    expect(a1.installationId).toBe(1);
    expect(a1.prepared).toBe(1);
    expect(made).toEqual([1, 2]);
  });

  it('keeps at most `max` installations, dropping the least recently used', async () => {
    const { made, auth } = counting();
    const clients = installationClients(auth, { max: 2 });
    await clients.get(1);
    await clients.get(2);
    await clients.get(1); // 2 is now the least recently used
    await clients.get(3);
    expect(clients.cached()).toEqual([1, 3]);
    await clients.get(2);
    expect(made).toEqual([1, 2, 3, 2]);
    expect(clients.cached()).toEqual([3, 2]);
  });

  it('does not remember a failed look-up', async () => {
    const fail = new Set([7]);
    const { made, auth } = counting(fail);
    const clients = installationClients(auth);
    await expect(clients.get(7)).rejects.toThrow(/no installation 7/);
    expect(clients.cached()).toEqual([]);
    fail.delete(7);
    await expect(clients.get(7)).resolves.toMatchObject({ installationId: 7 });
    expect(made).toEqual([7, 7]);
  });
});
