/**
 * Where the runtime keeps what must outlive a process: on one machine a SQLite file in the data
 * directory, across machines Redis (next to the BullMQ queue).
 */

/** A check run this app opened (`in_progress`) and has not seen completed yet. */
export interface OpenCheckRun {
  id: number;
  owner: string;
  repo: string;
  installationId: number;
  headSha: string;
  externalId?: string;
  /** The delivery whose job opened it, when known. */
  deliveryId?: string;
  openedAt: number;
}

export interface OpenRunStore {
  opened(run: OpenCheckRun): Promise<void>;
  closed(id: number): Promise<void>;
  list(): Promise<OpenCheckRun[]>;
}

/** Model spend per scope (`installation:<id>`, `repository:<owner/repo>`) and period (`day:2026-12-04`, `month:2026-12`). */
export interface Spend {
  usd: number;
  tokens: number;
}

export interface SpendStore {
  add(scope: string, periods: readonly string[], spend: Spend): Promise<void>;
  get(scope: string, period: string): Promise<Spend>;
}

/** A webhook delivery accepted for work and not finished yet. */
export interface JournaledDelivery {
  id: string;
  name: string;
  payload: unknown;
  receivedAt: number;
  /** How many times a process started working on it. */
  runs: number;
}

export interface DeliveryJournal {
  /** Records the delivery; false when it is already there (a redelivery of unfinished work). */
  accept(delivery: { id: string; name: string; payload: unknown }): boolean;
  started(id: string): void;
  finished(id: string): void;
  unfinished(): JournaledDelivery[];
}
