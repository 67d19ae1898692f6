/**
 * One GitHub client per installation, made by Probot's `app.auth(installationId)`. Such a client's
 * throttle is keyed by its installation, so the write pacing GitHub asks for (a second between
 * writes, three between writes that notify people) applies per installation, as GitHub counts its
 * limits. The client Probot hands each event (`context.octokit`) shares one key with every other
 * installation's: the writes of the whole server would queue behind each other.
 *
 * The pacing lives in the throttling plugin's limiters, keyed by installation id and shared by
 * every client of the process, so a client dropped from this cache and made again keeps its pace.
 * The cache only saves making a client (and installing the request hooks) per event.
 */

/** Installations whose clients are kept; the least recently used one goes first. */
export const DEFAULT_CACHED_INSTALLATIONS = 1000;

export interface InstallationClients<C> {
  /** The installation's client, made on first use. */
  get(installationId: number): Promise<C>;
  /** Installations with a cached client, least recently used first (tests). */
  cached(): number[];
}

export function installationClients<C>(
  auth: (installationId: number) => Promise<C>,
  options: { max?: number; prepare?: (client: C) => void } = {},
): InstallationClients<C> {
  const max = options.max ?? DEFAULT_CACHED_INSTALLATIONS;
  const clients = new Map<number, Promise<C>>();
  return {
    get(installationId) {
      const known = clients.get(installationId);
      if (known) {
        // Map order is insertion order: re-inserting marks it as the most recently used.
        clients.delete(installationId);
        clients.set(installationId, known);
        return known;
      }
      const made = auth(installationId).then((client) => {
        options.prepare?.(client);
        return client;
      });
      clients.set(installationId, made);
      // A failed look-up is not remembered, so the next event tries again.
      made.catch(() => {
        if (clients.get(installationId) === made)
          clients.delete(installationId);
      });
      if (clients.size > max) clients.delete(clients.keys().next().value!);
      return made;
    },
    cached: () => [...clients.keys()],
  };
}
