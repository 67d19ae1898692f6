import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type {
  DeliveryJournal,
  JournaledDelivery,
  OpenCheckRun,
  OpenRunStore,
  Spend,
  SpendStore,
} from './stores.ts';

export const DATABASE_FILE = 'architect.sqlite';

/**
 * The embedded runtime's state in one SQLite file (Node's built-in `node:sqlite`): the journal of
 * accepted deliveries, the check runs left open, and model spend. Writes are synchronous and
 * journaled by SQLite (WAL), so a delivery is on disk before the webhook is answered.
 */
export class SqliteStore implements DeliveryJournal, OpenRunStore, SpendStore {
  readonly #db: DatabaseSync;

  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true });
    this.#db = new DatabaseSync(join(dataDir, DATABASE_FILE));
    this.#db.exec(`
      PRAGMA journal_mode = WAL;
      PRAGMA synchronous = NORMAL;
      PRAGMA busy_timeout = 5000;
      CREATE TABLE IF NOT EXISTS deliveries (id TEXT PRIMARY KEY, name TEXT NOT NULL, payload TEXT NOT NULL, received_at INTEGER NOT NULL, runs INTEGER NOT NULL DEFAULT 0);
      CREATE TABLE IF NOT EXISTS open_check_runs (id INTEGER PRIMARY KEY, owner TEXT NOT NULL, repo TEXT NOT NULL, installation_id INTEGER NOT NULL, head_sha TEXT NOT NULL, external_id TEXT, delivery_id TEXT, opened_at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS spend (scope TEXT NOT NULL, period TEXT NOT NULL, usd REAL NOT NULL DEFAULT 0, tokens INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (scope, period));
    `);
  }

  accept(delivery: { id: string; name: string; payload: unknown }): boolean {
    const result = this.#db
      .prepare(
        'INSERT OR IGNORE INTO deliveries (id, name, payload, received_at) VALUES (?, ?, ?, ?)',
      )
      .run(
        delivery.id,
        delivery.name,
        JSON.stringify(delivery.payload),
        Date.now(),
      );
    return Number(result.changes) > 0;
  }

  started(id: string): void {
    this.#db
      .prepare('UPDATE deliveries SET runs = runs + 1 WHERE id = ?')
      .run(id);
  }

  finished(id: string): void {
    this.#db.prepare('DELETE FROM deliveries WHERE id = ?').run(id);
  }

  unfinished(): JournaledDelivery[] {
    const rows = this.#db
      .prepare(
        'SELECT id, name, payload, received_at, runs FROM deliveries ORDER BY received_at',
      )
      .all() as Array<{
      id: string;
      name: string;
      payload: string;
      received_at: number;
      runs: number;
    }>;
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      payload: JSON.parse(row.payload) as unknown,
      receivedAt: row.received_at,
      runs: row.runs,
    }));
  }

  async opened(run: OpenCheckRun): Promise<void> {
    this.#db
      .prepare(
        'INSERT OR REPLACE INTO open_check_runs (id, owner, repo, installation_id, head_sha, external_id, delivery_id, opened_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        run.id,
        run.owner,
        run.repo,
        run.installationId,
        run.headSha,
        run.externalId ?? null,
        run.deliveryId ?? null,
        run.openedAt,
      );
  }

  async closed(id: number): Promise<void> {
    this.#db.prepare('DELETE FROM open_check_runs WHERE id = ?').run(id);
  }

  async list(): Promise<OpenCheckRun[]> {
    const rows = this.#db
      .prepare('SELECT * FROM open_check_runs ORDER BY opened_at')
      .all() as Array<Record<string, string | number | null>>;
    return rows.map((row) => ({
      id: Number(row.id),
      owner: String(row.owner),
      repo: String(row.repo),
      installationId: Number(row.installation_id),
      headSha: String(row.head_sha),
      ...(row.external_id !== null
        ? { externalId: String(row.external_id) }
        : {}),
      ...(row.delivery_id !== null
        ? { deliveryId: String(row.delivery_id) }
        : {}),
      openedAt: Number(row.opened_at),
    }));
  }

  async add(
    scope: string,
    periods: readonly string[],
    spend: Spend,
  ): Promise<void> {
    const upsert = this.#db.prepare(
      'INSERT INTO spend (scope, period, usd, tokens) VALUES (?, ?, ?, ?) ON CONFLICT (scope, period) DO UPDATE SET usd = usd + excluded.usd, tokens = tokens + excluded.tokens',
    );
    for (const period of periods)
      upsert.run(scope, period, spend.usd, spend.tokens);
  }

  async get(scope: string, period: string): Promise<Spend> {
    const row = this.#db
      .prepare('SELECT usd, tokens FROM spend WHERE scope = ? AND period = ?')
      .get(scope, period) as { usd: number; tokens: number } | undefined;
    return { usd: row?.usd ?? 0, tokens: row?.tokens ?? 0 };
  }

  close(): void {
    if (this.#db.isOpen) this.#db.close();
  }
}
