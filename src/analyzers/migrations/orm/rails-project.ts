import type { SgNode } from '@ast-grep/napi';
import { parse as parseYaml } from 'yaml';
import { identifierName, splitStatements } from '../sql/lexer.ts';
import { nameValue, parseSource } from './ast.ts';

/** The database family a Rails app's migrations run on; `other` is SQLite and adapters strong_migrations does not check. */
export type RailsAdapter = 'postgres' | 'mysql' | 'other';

/** Where the adapter decision came from, for the coverage note and tests. */
export interface AdapterDecision {
  adapter: RailsAdapter;
  basis: string;
}

/** The plain-value settings of config/initializers/strong_migrations.rb the checks honour. */
export interface StrongMigrationsSettings {
  startAfter?: number;
  /** `target_version` / `target_<adapter>_version`, as the major (and minor) number written. */
  targetVersion?: { postgres?: string; mysql?: string; mariadb?: string };
  disabled: Set<string>;
  enabled: Set<string>;
  safeByDefault: boolean;
}

export interface RailsProject {
  root: string;
  adapter: AdapterDecision;
  settings: StrongMigrationsSettings;
  /** Tables and columns of db/schema.rb at the base revision (the schema the migration changes). */
  schema: RailsSchema;
}

export interface RailsColumn {
  type: string;
  options: Map<string, string>;
}

export interface RailsTable {
  columns: Map<string, RailsColumn>;
  indexed: Set<string>;
  /** Check constraints `<column> IS NOT NULL` by name (e.g. added with `validate: false` by an earlier migration). */
  notNullChecks: Map<string, string>;
  /** The expression of every check constraint on the table. */
  checks: string[];
}

export type RailsSchema = Map<string, RailsTable>;

const ADAPTERS: Record<string, RailsAdapter> = {
  postgresql: 'postgres',
  postgis: 'postgres',
  'postgresql-cockroachdb': 'postgres',
  mysql2: 'mysql',
  trilogy: 'mysql',
  mysql: 'mysql',
  jdbcmysql: 'mysql',
  sqlite3: 'other',
  sqlite: 'other',
};

const GEMS: Record<string, RailsAdapter> = {
  pg: 'postgres',
  'activerecord-postgis-adapter': 'postgres',
  mysql2: 'mysql',
  trilogy: 'mysql',
  sqlite3: 'other',
};

/** The Rails app root of a migration path: the folder that holds `db/`. */
export function railsRoot(path: string): string {
  return /^(.*\/)?db\/[^/]+\/[^/]+$/.exec(path)?.[1] ?? '';
}

/**
 * The adapter of config/database.yml (production first, then any environment), else the database
 * gem in the Gemfile; Postgres when neither says, as before adapters were read.
 */
export function decideAdapter(
  databaseYml: string | undefined,
  gemfile: string | undefined,
  database?: string,
): AdapterDecision {
  const fromYml =
    databaseYml === undefined
      ? undefined
      : adapterFromYml(databaseYml, database);
  if (fromYml) return { adapter: fromYml, basis: 'config/database.yml' };
  if (gemfile !== undefined) {
    const root = parseSource('ruby', gemfile).root();
    const found = new Set<RailsAdapter>();
    for (const call of root.findAll({ rule: { kind: 'call' } })) {
      if (call.field('method')?.text() !== 'gem' || call.field('receiver'))
        continue;
      const name = nameValue(call.field('arguments')?.namedChildren()[0]);
      const adapter = name ? GEMS[name] : undefined;
      if (adapter) found.add(adapter);
    }
    // An app with several database gems is decided by the first real server it names.
    for (const adapter of ['postgres', 'mysql', 'other'] as const)
      if (found.has(adapter)) return { adapter, basis: 'Gemfile' };
  }
  return {
    adapter: 'postgres',
    basis: 'default (no adapter in config/database.yml or the Gemfile)',
  };
}

/**
 * `database` is the multi-database name a `db/<name>_migrate` folder belongs to: its entry wins
 * over the primary one (Rails 8 apps keep queue and cache databases on other adapters).
 */
function adapterFromYml(
  text: string,
  database?: string,
): RailsAdapter | undefined {
  let doc: unknown;
  try {
    doc = parseYaml(text, { merge: true, uniqueKeys: false });
  } catch {
    return undefined;
  }
  if (!doc || typeof doc !== 'object') return undefined;
  const envs = doc as Record<string, unknown>;
  const adapterOf = (value: unknown): RailsAdapter | undefined => {
    if (!value || typeof value !== 'object') return undefined;
    const record = value as Record<string, unknown>;
    const named = database === undefined ? undefined : record[database];
    if (
      named &&
      typeof named === 'object' &&
      typeof (named as Record<string, unknown>).adapter === 'string'
    ) {
      return ADAPTERS[
        String((named as Record<string, unknown>).adapter)
          .trim()
          .toLowerCase()
      ];
    }
    if (typeof record.adapter === 'string')
      return ADAPTERS[record.adapter.trim().toLowerCase()];
    // Multi-database apps nest one level: production: { primary: { adapter: … } }.
    for (const nested of Object.values(record)) {
      const found =
        nested &&
        typeof nested === 'object' &&
        typeof (nested as Record<string, unknown>).adapter === 'string'
          ? adapterOf(nested)
          : undefined;
      if (found) return found;
    }
    return undefined;
  };
  for (const env of ['production', 'development', 'default']) {
    const found = adapterOf(envs[env]);
    if (found) return found;
  }
  for (const value of Object.values(envs)) {
    const found = adapterOf(value);
    if (found) return found;
  }
  return undefined;
}

/**
 * Reads `StrongMigrations.x = <literal>` and `StrongMigrations.disable_check(:x)` /
 * `enable_check(:x)` from the initializer; anything computed is ignored.
 */
export function readSettings(
  source: string | undefined,
): StrongMigrationsSettings {
  const settings: StrongMigrationsSettings = {
    disabled: new Set(),
    enabled: new Set(),
    safeByDefault: false,
  };
  if (source === undefined) return settings;
  const root = parseSource('ruby', source).root();
  for (const node of root.findAll({ rule: { kind: 'assignment' } })) {
    const left = node.field('left');
    const right = node.field('right');
    if (
      !left ||
      !right ||
      left.kind() !== 'call' ||
      left.field('receiver')?.text() !== 'StrongMigrations'
    )
      continue;
    const name = left.field('method')?.text();
    const value = literal(right);
    if (value === undefined) continue;
    if (name === 'start_after' && /^\d+$/.test(value))
      settings.startAfter = Number(value);
    else if (name === 'safe_by_default')
      settings.safeByDefault = value === 'true';
    else if (name === 'target_version')
      settings.targetVersion = {
        postgres: value,
        mysql: value,
        mariadb: value,
      };
    else if (name === 'target_postgresql_version')
      settings.targetVersion = { ...settings.targetVersion, postgres: value };
    else if (name === 'target_mysql_version')
      settings.targetVersion = { ...settings.targetVersion, mysql: value };
    else if (name === 'target_mariadb_version')
      settings.targetVersion = { ...settings.targetVersion, mariadb: value };
  }
  for (const call of root.findAll({ rule: { kind: 'call' } })) {
    if (call.field('receiver')?.text() !== 'StrongMigrations') continue;
    const method = call.field('method')?.text();
    if (method !== 'disable_check' && method !== 'enable_check') continue;
    const check = nameValue(call.field('arguments')?.namedChildren()[0]);
    if (check)
      (method === 'disable_check' ? settings.disabled : settings.enabled).add(
        check,
      );
  }
  return settings;
}

/** A plain literal's text: integers, floats, strings, symbols, true/false. */
function literal(node: SgNode): string | undefined {
  const kind = String(node.kind());
  if (kind === 'integer' || kind === 'float')
    return node.text().replace(/_/g, '');
  if (kind === 'true' || kind === 'false') return kind;
  return nameValue(node);
}

/** Tables of db/schema.rb: each `create_table` with its `t.<type>` columns and `t.index` columns. */
export function readSchema(source: string | undefined): RailsSchema {
  const schema: RailsSchema = new Map();
  if (source === undefined) return schema;
  const root = parseSource('ruby', source).root();
  for (const call of root.findAll({ rule: { kind: 'call' } })) {
    if (
      call.field('method')?.text() !== 'create_table' ||
      call.field('receiver')
    )
      continue;
    const name = nameValue(call.field('arguments')?.namedChildren()[0]);
    const block = call.field('block');
    if (!name || !block) continue;
    const table: RailsTable = {
      columns: new Map(),
      indexed: new Set(),
      notNullChecks: new Map(),
      checks: [],
    };
    schema.set(name, table);
    const options = optionMap(call);
    if (options.get('id') !== 'false')
      table.columns.set('id', {
        type: options.get('id') ?? 'bigint',
        options: new Map(),
      });
    for (const inner of block.findAll({ rule: { kind: 'call' } })) {
      const type = inner.field('method')?.text();
      if (!type || !inner.field('receiver')) continue;
      const args = inner.field('arguments')?.namedChildren() ?? [];
      if (type === 'check_constraint') {
        const expression = args[0] ? nameValue(args[0]) : undefined;
        const name = optionMap(inner).get('name');
        const column = expression ? notNullCheckColumn(expression) : undefined;
        if (name && column) table.notNullChecks.set(name, column);
        if (expression) table.checks.push(expression);
        continue;
      }
      if (type === 'index') {
        const first = args[0];
        const columns =
          first?.kind() === 'array'
            ? first.namedChildren().map((n) => nameValue(n))
            : [nameValue(first)];
        // Expression indexes ("lower(name)") name no column directly; the column they mention is indexed too.
        for (const column of columns)
          if (column)
            table.indexed.add(
              /^\w+$/.test(column)
                ? column
                : (/\((\w+)\)/.exec(column)?.[1] ?? column),
            );
        continue;
      }
      const column = nameValue(args[0]);
      if (column)
        table.columns.set(column, { type, options: optionMap(inner) });
    }
  }
  return schema;
}

/** `key: value` options of a call as source text (symbols without the colon, strings unquoted). */
export function optionMap(call: SgNode): Map<string, string> {
  const options = new Map<string, string>();
  const visit = (node: SgNode): void => {
    if (node.kind() === 'pair') {
      const key = node.field('key');
      const value = node.field('value');
      const name = key
        ? key.kind() === 'hash_key_symbol'
          ? key.text()
          : nameValue(key)
        : undefined;
      if (name && value) options.set(name, nameValue(value) ?? value.text());
    } else if (node.kind() === 'hash')
      for (const child of node.namedChildren()) visit(child);
  };
  for (const child of call.field('arguments')?.namedChildren() ?? [])
    visit(child);
  return options;
}

/**
 * Reads everything the Rails checks need about the app a migration belongs to. db/schema.rb is
 * large in real apps and slow to parse, so it is read only when `withSchema` says the migration
 * has a call whose verdict depends on existing columns.
 */
export async function loadRailsProject(
  path: string,
  readHead: (path: string) => Promise<string | undefined>,
  readBase: (path: string) => Promise<string | undefined>,
  withSchema = true,
): Promise<RailsProject> {
  const root = railsRoot(path);
  const database = /(?:^|\/)db\/(\w+)_migrate\/[^/]+$/.exec(path)?.[1];
  const [databaseYml, gemfile, initializer, schema] = await Promise.all([
    readHead(`${root}config/database.yml`),
    readHead(`${root}Gemfile`),
    readHead(`${root}config/initializers/strong_migrations.rb`),
    // The base revision's schema: what the tables look like before this migration runs.
    withSchema ? readBase(`${root}db/schema.rb`) : Promise.resolve(undefined),
  ]);
  return {
    root,
    adapter: decideAdapter(databaseYml, gemfile, database),
    settings: readSettings(initializer),
    schema: readSchema(schema),
  };
}

/** The column of a check expression `column IS NOT NULL` (optionally parenthesised), read with the SQL lexer. */
export function notNullCheckColumn(expression: string): string | undefined {
  const words = (splitStatements(expression)[0]?.tokens ?? []).map(
    (t) => identifierName(t, 'postgres') ?? t.text,
  );
  const inner =
    words[0] === '(' && words[words.length - 1] === ')'
      ? words.slice(1, -1)
      : words;
  return inner.length === 4 &&
    /^is$/i.test(inner[1]!) &&
    /^not$/i.test(inner[2]!) &&
    /^null$/i.test(inner[3]!)
    ? inner[0]
    : undefined;
}
