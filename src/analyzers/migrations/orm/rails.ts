import type { SgNode } from '@ast-grep/napi';
import type { RuleContext } from '../catalog.ts';
import { analyzeMysql } from '../mysql/mysql.ts';
import { identifierName, splitStatements } from '../sql/lexer.ts';
import { parseAlterTable } from '../sql/pg-statements.ts';
import type { FileResult } from '../types.ts';
import {
  firstSyntaxError,
  heredocResolver,
  literalText,
  nameValue,
  parseSource,
  touchesAdded,
} from './ast.ts';
import {
  loadRailsProject,
  notNullCheckColumn,
  optionMap,
  type RailsProject,
  type RailsTable,
  type StrongMigrationsSettings,
} from './rails-project.ts';
import { changeColumnIsSafe } from './rails-types.ts';
import {
  queueSql,
  recordChange,
  report,
  singular,
  type OrmEnv,
  type ReportOptions,
} from './shared.ts';

export const RAILS_SOURCE = 'rails-migrations';

const FIX = {
  required:
    'Add the column without `null: false` (or with a constant `default:`), backfill it, then call `change_column_null` in a later migration.',
  drop: 'Add the column to `self.ignored_columns` in the model and deploy that first; remove the column in a later migration.',
  renameColumn:
    'Add the new column, write to both, backfill, move reads over, then remove the old column in a later migration.',
  renameTable:
    'Create the new table, write to both, backfill, move reads over, then drop the old table in a later migration.',
  change:
    'Add a new column with the new type, write to both, backfill, move reads over, then remove the old column.',
  notNull:
    'Add `add_check_constraint :table, "column IS NOT NULL", name: "…", validate: false`, validate it in a separate migration, then `change_column_null` (Postgres 12+ skips the scan) and remove the check.',
  index:
    'Use `algorithm: :concurrently` and add `disable_ddl_transaction!` to the migration.',
  removeIndex:
    'Use `remove_index …, algorithm: :concurrently` and add `disable_ddl_transaction!` to the migration.',
  inTransaction:
    'Add `disable_ddl_transaction!` to this migration class (and keep the concurrent index in a migration of its own).',
  foreignKey:
    'Pass `validate: false`, then call `validate_foreign_key` in a separate migration.',
  foreignKeyMysql:
    'MySQL/MariaDB copy the table to add a foreign key with foreign_key_checks on: add it with an online schema change tool, or inside `safety_assured` with `SET foreign_key_checks = 0` around it after checking the data.',
  checkMysql:
    'Enforce the rule in the application, or add the constraint with an online schema change tool.',
  addDefault:
    'Add the column without the default, set it with `change_column_default` in a separate step, and backfill existing rows in batches.',
  check:
    'Pass `validate: false`, then call `validate_check_constraint` in a separate migration.',
  changeConstrained:
    'Drop the check constraints on the column before changing its type, then add them back with `validate: false` and validate them in a separate migration.',
  uniqueConstraint:
    'Add a unique index with `algorithm: :concurrently` (and `disable_ddl_transaction!`) first, then `add_unique_constraint :table, using_index: "<index name>"` in a later migration.',
  dropTable:
    'Stop using the table in code and deploy that first; drop the table in a later migration.',
};

const COLUMN_TYPES = new Set([
  'column',
  'string',
  'text',
  'integer',
  'bigint',
  'float',
  'decimal',
  'numeric',
  'datetime',
  'time',
  'date',
  'binary',
  'boolean',
  'json',
  'jsonb',
  'uuid',
  'timestamp',
  'timestamptz',
  'citext',
  'inet',
  'hstore',
  'virtual',
]);

/** Every method the checks look at, on the migration itself or on a change_table handle. */
const RAILS_METHODS = new Set([
  'create_table',
  'execute',
  'add_column',
  'remove_column',
  'remove_columns',
  'rename_column',
  'rename_table',
  'drop_table',
  'change_column',
  'change_column_null',
  'change_column_default',
  'add_index',
  'remove_index',
  'add_reference',
  'add_belongs_to',
  'add_foreign_key',
  'add_check_constraint',
  'add_unique_constraint',
  'add_exclusion_constraint',
  'rename_enum_value',
  'create_join_table',
  'remove_timestamps',
  'remove_reference',
  'remove_belongs_to',
  'rename_schema',
  'validate_foreign_key',
  'validate_check_constraint',
  'remove',
  'rename',
  'change',
  'index',
  ...COLUMN_TYPES,
]);

interface Args {
  positional: SgNode[];
  options: Map<string, SgNode>;
}

function argsOf(call: SgNode): Args {
  const positional: SgNode[] = [];
  const options = new Map<string, SgNode>();
  const list = call.field('arguments');
  const take = (node: SgNode): void => {
    if (node.kind() === 'pair') {
      const key = node.field('key');
      const value = node.field('value');
      const name = key
        ? key.kind() === 'hash_key_symbol'
          ? key.text()
          : nameValue(key)
        : undefined;
      if (name && value) options.set(name, value);
    } else if (node.kind() === 'hash') {
      for (const child of node.namedChildren()) take(child);
    } else positional.push(node);
  };
  for (const child of list?.namedChildren() ?? []) take(child);
  return { positional, options };
}

const isFalse = (node: SgNode | undefined): boolean => node?.kind() === 'false';
const isNil = (node: SgNode | undefined): boolean =>
  node === undefined || node.kind() === 'nil';
const isConcurrently = (node: SgNode | undefined): boolean =>
  node !== undefined && nameValue(node) === 'concurrently';

/** Inside `def down`, `def self.down` or a `dir.down` block: reverting, not migrating. */
function inDownDirection(node: SgNode): boolean {
  for (const ancestor of node.ancestors()) {
    const kind = ancestor.kind();
    if (
      (kind === 'method' || kind === 'singleton_method') &&
      ancestor.field('name')?.text() === 'down'
    )
      return true;
    if (
      kind === 'call' &&
      ancestor.field('method')?.text() === 'down' &&
      ancestor.field('receiver')
    )
      return true;
  }
  return false;
}

/** Calls whose verdict depends on the existing columns of db/schema.rb (`change` is `t.change` in change_table). */
const SCHEMA_DEPENDENT = new Set([
  'change_column',
  'change_column_null',
  'validate_check_constraint',
  'change',
]);

/** strong_migrations checks that `safe_by_default = true` turns into their safe form. */
const SAFE_BY_DEFAULT = new Set([
  'add_index',
  'add_reference',
  'add_foreign_key',
  'add_check_constraint',
  'change_column_null',
  'remove_index',
]);

/** Schema calls whose `algorithm:` / `lock:` options MySQL/MariaDB honour (Active Record 8.2+). */
const ONLINE_OPTION_METHODS = new Set([
  'add_column',
  'add_index',
  'add_reference',
  'add_belongs_to',
  'change_column',
  'remove_column',
  'remove_columns',
  'remove_index',
  'rename_column',
  'add_timestamps',
  'remove_timestamps',
]);

const VOLATILE_DEFAULT =
  /^(?:gen_random_uuid|uuid_generate_v[14]|random|clock_timestamp|timeofday)\(\)$/i;

/** What one migration's checks share: the app around it and what earlier calls in the file did. */
interface RailsContext {
  env: OrmEnv;
  project: RailsProject;
  noTransaction: boolean;
  /** Before `start_after`: strong_migrations checks nothing, so neither do we. */
  checksOff: boolean;
  ignored: IgnoredLookup;
  /** The base schema with this migration's earlier add_column/change_column/add_index applied. */
  columns(table: string): RailsTable | undefined;
  addedInFile: Set<string>;
  foreignKeyAdded: boolean;
  checkAdded: boolean;
  /** `table.column` with a validated `column IS NOT NULL` check, and the pending (unvalidated) ones by name. */
  notNullChecked: Set<string>;
  pendingNotNull: Map<string, string>;
}

/**
 * Reports one strong_migrations check under our rule id, unless `safety_assured { }` wraps the
 * call or the app's strong_migrations settings turn the check off.
 */
function flag(
  rc: RailsContext,
  check: string,
  ruleId: string,
  node: SgNode,
  ctx: RuleContext,
  options: ReportOptions = {},
): void {
  if (rc.checksOff || inSafetyAssured(node)) return;
  const { settings } = rc.project;
  if (
    settings.disabled.has(check) ||
    (settings.safeByDefault && SAFE_BY_DEFAULT.has(check))
  )
    return;
  report(rc.env, ruleId, node, ctx, options);
}

function inSafetyAssured(node: SgNode): boolean {
  return node
    .ancestors()
    .some(
      (a) =>
        a.kind() === 'call' &&
        !a.field('receiver') &&
        a.field('method')?.text() === 'safety_assured',
    );
}

/** The leading version digits of a migration file name. */
function migrationVersion(path: string): number | undefined {
  const match = /(?:^|\/)(\d+)_[^/]*$/.exec(path);
  return match ? Number(match[1]) : undefined;
}

function majorVersion(version: string | undefined): number | undefined {
  const match = version === undefined ? null : /^(\d+)/.exec(version);
  return match ? Number(match[1]) : undefined;
}

/** `a < b` for dotted version numbers; missing parts count as 0. */
function versionBelow(a: string, b: string): boolean {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? 0;
    const y = pb[i] ?? 0;
    if (x !== y) return x < y;
  }
  return false;
}

/**
 * Whether the app's target MySQL/MariaDB version adds a column with a default in place of a table
 * rebuild: MySQL 8.0.12 and MariaDB 10.3.2 add it instantly. A plain `target_version` of 10 or more is
 * a MariaDB number (MySQL went from 5.7 to 8). Unknown versions are taken as new: no finding.
 */
function mysqlRebuildsForDefault(
  target: StrongMigrationsSettings['targetVersion'],
): boolean {
  const valid = (v: string | undefined): v is string =>
    v !== undefined && /^\d+(\.\d+)*$/.test(v);
  if (valid(target?.mariadb)) return versionBelow(target.mariadb, '10.3.2');
  if (!valid(target?.mysql)) return false;
  return (majorVersion(target.mysql) ?? 0) >= 10
    ? versionBelow(target.mysql, '10.3.2')
    : versionBelow(target.mysql, '8.0.12');
}

/**
 * Rails migrations (db/migrate/*.rb) at strong_migrations' level: each risky schema call on an
 * added line, judged for the app's adapter (config/database.yml or the Gemfile), skipping calls
 * inside `safety_assured` and checks the app's config/initializers/strong_migrations.rb turns off.
 * `execute` SQL goes to squawk on Postgres and to the MySQL rules on MySQL/MariaDB.
 */
export async function analyzeRails(env: OrmEnv, source: string): Promise<void> {
  const root = parseSource('ruby', source);
  const error = firstSyntaxError(root);
  if (error !== undefined)
    env.result.notes.push({
      source: RAILS_SOURCE,
      path: env.path,
      line: error,
      message: `could not analyse: Ruby syntax error at line ${error}; the rest of the file was read as far as possible`,
    });
  const program = root.root();
  // A schema definition (ActiveRecord::Schema.define or a subclass) loads a schema; strong_migrations does not check it.
  const superclass = program
    .find({ rule: { kind: 'superclass' } })
    ?.text()
    .replace(/^<\s*/, '');
  if (
    superclass !== undefined &&
    /Schema$/.test(superclass.replace(/\[.*\]$/, ''))
  )
    return;
  const heredocFor = heredocResolver(root);
  const needsSchema = program
    .findAll({ rule: { kind: 'call' } })
    .some((call) => SCHEMA_DEPENDENT.has(call.field('method')?.text() ?? ''));
  const project = await loadRailsProject(
    env.path,
    env.readHead,
    env.readBase,
    needsSchema,
  );
  const version = migrationVersion(env.path);
  const startAfter = project.settings.startAfter;
  const overlay = new Map<string, RailsTable>();
  const rc: RailsContext = {
    env,
    project,
    noTransaction:
      program.find({
        rule: { kind: 'identifier', regex: '^disable_ddl_transaction!$' },
      }) !== null,
    checksOff:
      startAfter !== undefined &&
      version !== undefined &&
      version <= startAfter,
    ignored: await ignoredColumnsLookup(env),
    columns(table) {
      let found = overlay.get(table);
      if (!found) {
        const base = project.schema.get(table);
        if (!base) return undefined;
        found = {
          columns: new Map(base.columns),
          indexed: new Set(base.indexed),
          notNullChecks: base.notNullChecks,
          checks: [...base.checks],
        };
        overlay.set(table, found);
      }
      return found;
    },
    addedInFile: new Set(),
    foreignKeyAdded: false,
    checkAdded: false,
    notNullChecked: new Set(),
    pendingNotNull: new Map(),
  };
  const adapter = project.adapter.adapter;

  for (const call of program.findAll({ rule: { kind: 'call' } })) {
    const method = call.field('method')?.text();
    if (!method || !RAILS_METHODS.has(method)) continue;
    const receiver = call.field('receiver');
    if (
      (method === 'create_table' || method === 'create_join_table') &&
      !receiver &&
      touchesAdded(call, env.added) &&
      !inDownDirection(call)
    ) {
      checkCreateTable(rc, call, method);
      continue;
    }
    if (!touchesAdded(call, env.added) || inDownDirection(call)) continue;
    if (receiver) {
      await checkTableBlockCall(rc, call, method, receiver);
      continue;
    }
    const args = argsOf(call);
    const table = nameValue(args.positional[0]);
    const second = nameValue(args.positional[1]);
    if (adapter === 'mysql' && table && ONLINE_OPTION_METHODS.has(method))
      checkOnlineOptions(rc, call, table, args.options);
    switch (method) {
      case 'execute':
        checkExecute(rc, call, args.positional[0], heredocFor);
        break;
      case 'add_column':
        if (table && second)
          checkAddColumn(
            rc,
            call,
            table,
            second,
            nameValue(args.positional[2]),
            args.options,
          );
        break;
      case 'remove_column':
      case 'remove_columns':
        for (const node of args.positional.slice(1))
          await removeColumn(rc, call, table, nameValue(node));
        break;
      case 'remove_timestamps':
        for (const column of ['created_at', 'updated_at'])
          await removeColumn(rc, call, table, column);
        break;
      case 'remove_reference':
      case 'remove_belongs_to':
        if (second) {
          await removeColumn(rc, call, table, `${second}_id`);
          if (args.options.get('polymorphic')?.kind() === 'true')
            await removeColumn(rc, call, table, `${second}_type`);
        }
        break;
      case 'rename_column': {
        const to = nameValue(args.positional[2]);
        if (table && second) {
          flag(
            rc,
            'rename_column',
            adapter === 'mysql'
              ? 'schema/mysql-renaming-column'
              : 'schema/renaming-column',
            call,
            { table, column: second, newName: to },
            { fix: FIX.renameColumn },
          );
          recordChange(env, call, {
            kind: 'rename-column',
            table,
            column: second,
            newName: to,
          });
          if (to) env.result.addedColumns.push(`${table}.${to}`.toLowerCase());
        }
        break;
      }
      case 'rename_table':
        if (table) {
          flag(
            rc,
            'rename_table',
            adapter === 'mysql'
              ? 'schema/mysql-renaming-table'
              : 'schema/renaming-table',
            call,
            { table, newName: second },
            { fix: FIX.renameTable },
          );
          recordChange(env, call, {
            kind: 'rename-table',
            table,
            newName: second,
          });
        }
        break;
      case 'rename_schema':
        if (table)
          flag(rc, 'rename_schema', 'schema/rails-rename-schema', call, {
            table,
            newName: second,
          });
        break;
      case 'drop_table':
        if (table) {
          flag(
            rc,
            'drop_table',
            adapter === 'mysql'
              ? 'schema/mysql-drop-table'
              : 'schema/ban-drop-table',
            call,
            { table },
            { fix: FIX.dropTable },
          );
          recordChange(env, call, { kind: 'drop-table', table });
        }
        break;
      case 'change_column':
        if (table && second)
          checkChangeColumn(
            rc,
            call,
            table,
            second,
            nameValue(args.positional[2]),
            optionMap(call),
          );
        break;
      case 'change_column_null':
        if (table && second && isFalse(args.positional[2]))
          checkChangeColumnNull(rc, call, table, second, args.positional[3]);
        break;
      case 'change_column_default':
        if (
          table &&
          second &&
          adapter !== 'other' &&
          !rc.addedInFile.has(`${table}.${second}`)
        ) {
          flag(
            rc,
            'change_column_default',
            'schema/rails-change-column-default',
            call,
            { table, column: second },
            { existingTable: table },
          );
        }
        break;
      case 'add_index':
        if (table) checkAddIndex(rc, call, table, args);
        break;
      case 'remove_index':
        if (table && adapter === 'postgres')
          checkIndex(
            rc,
            call,
            table,
            args.options.get('algorithm'),
            'remove_index',
            'schema/require-concurrent-index-deletion',
            FIX.removeIndex,
          );
        break;
      case 'add_reference':
      case 'add_belongs_to':
        if (table && second) checkReference(rc, call, table, second, args);
        break;
      case 'add_foreign_key':
        rc.foreignKeyAdded = true;
        if (!table) break;
        if (adapter === 'mysql')
          flag(
            rc,
            'add_foreign_key',
            'schema/mysql-adding-foreign-key',
            call,
            { table },
            { fix: FIX.foreignKeyMysql, existingTable: table },
          );
        else if (
          adapter === 'postgres' &&
          !isFalse(args.options.get('validate'))
        ) {
          flag(
            rc,
            'add_foreign_key',
            'schema/adding-foreign-key-constraint',
            call,
            { table },
            { fix: FIX.foreignKey, existingTable: table },
          );
        }
        break;
      case 'validate_foreign_key':
        if (
          table &&
          adapter === 'postgres' &&
          !rc.noTransaction &&
          rc.foreignKeyAdded
        ) {
          flag(
            rc,
            'validate_foreign_key',
            'schema/rails-validate-foreign-key',
            call,
            { table },
            { existingTable: table },
          );
        }
        break;
      case 'add_check_constraint':
        if (table) checkAddCheckConstraint(rc, call, table, args);
        break;
      case 'add_unique_constraint':
        // `using_index:` turns an index built CONCURRENTLY beforehand into the constraint at once.
        if (table && adapter === 'postgres' && !args.options.has('using_index'))
          flag(
            rc,
            'add_unique_constraint',
            'schema/disallowed-unique-constraint',
            call,
            { table },
            { fix: FIX.uniqueConstraint, existingTable: table },
          );
        break;
      case 'add_exclusion_constraint':
        if (table && adapter === 'postgres')
          flag(
            rc,
            'add_exclusion_constraint',
            'schema/rails-add-exclusion-constraint',
            call,
            { table },
            { existingTable: table },
          );
        break;
      case 'rename_enum_value':
        // Unsafe even for a type created in the same migration: code already running reads the old value.
        if (table && adapter === 'postgres')
          flag(
            rc,
            'rename_enum_value',
            'schema/rails-rename-enum-value',
            call,
            { table },
            {},
          );
        break;
      case 'validate_check_constraint':
        if (!table || adapter !== 'postgres') break;
        {
          const name = nameValue(args.options.get('name'));
          const column = name
            ? (rc.pendingNotNull.get(name) ??
              rc.project.schema.get(table)?.notNullChecks.get(name))
            : undefined;
          if (column) rc.notNullChecked.add(`${table}.${column}`);
          if (!rc.noTransaction && rc.checkAdded)
            flag(
              rc,
              'validate_check_constraint',
              'schema/rails-validate-check-constraint',
              call,
              { table },
              { existingTable: table },
            );
        }
        break;
      default:
        break;
    }
  }
}

function checkCreateTable(
  rc: RailsContext,
  call: SgNode,
  method: string,
): void {
  const args = argsOf(call);
  const first = nameValue(args.positional[0]);
  const table =
    method === 'create_join_table'
      ? joinTableName(first, nameValue(args.positional[1]), args.options)
      : first;
  const force = args.options.get('force');
  if (force && !isFalse(force) && !isNil(force))
    flag(
      rc,
      'create_table',
      'schema/rails-create-table-force',
      call,
      { table },
      {},
    );
  if (table) rc.env.result.createdTables.push(table.toLowerCase());
}

/** Rails' join table name: both table names in lexical order, joined by `_`, unless `table_name:` says otherwise. */
function joinTableName(
  a: string | undefined,
  b: string | undefined,
  options: Map<string, SgNode>,
): string | undefined {
  const explicit = nameValue(options.get('table_name'));
  if (explicit) return explicit;
  return a && b ? [a, b].sort().join('_') : undefined;
}

/** `algorithm: :copy` and `lock: :shared|:exclusive` on MySQL/MariaDB, in the call or its `index:` hash. */
function checkOnlineOptions(
  rc: RailsContext,
  call: SgNode,
  table: string,
  options: Map<string, SgNode>,
): void {
  const index = options.get('index');
  const nested =
    index?.kind() === 'hash' ? argsFromHash(index) : new Map<string, SgNode>();
  const algorithm =
    nameValue(options.get('algorithm')) ?? nameValue(nested.get('algorithm'));
  const lock = nameValue(options.get('lock')) ?? nameValue(nested.get('lock'));
  if (algorithm === 'copy')
    flag(
      rc,
      'copy_algorithm',
      'schema/rails-copy-algorithm',
      call,
      { table },
      { existingTable: table },
    );
  if (lock === 'shared' || lock === 'exclusive')
    flag(
      rc,
      'lock_option',
      'schema/rails-lock-option',
      call,
      { table },
      { existingTable: table },
    );
}

function checkExecute(
  rc: RailsContext,
  call: SgNode,
  literal: SgNode | undefined,
  heredocFor: (node: SgNode) => SgNode | undefined,
): void {
  if (!literal || rc.checksOff || inSafetyAssured(call)) {
    if (literal) rememberNotNullChecks(rc, literal, heredocFor);
    return;
  }
  const { adapter } = rc.project.adapter;
  if (adapter === 'postgres') {
    rememberNotNullChecks(rc, literal, heredocFor);
    queueSql(rc.env, literal, !rc.noTransaction, heredocFor);
  } else if (adapter === 'mysql') {
    const text = literalText(literal, heredocFor);
    if (text && text.text.trim() !== '')
      mergeResult(
        rc.env.result,
        analyzeMysql(rc.env.path, text.text, rc.env.added, text.firstLine),
      );
  }
}

/** `ADD CONSTRAINT name CHECK (col IS NOT NULL) NOT VALID` and `VALIDATE CONSTRAINT name` in Postgres SQL, read with the SQL lexer. */
function rememberNotNullChecks(
  rc: RailsContext,
  literal: SgNode,
  heredocFor: (node: SgNode) => SgNode | undefined,
): void {
  if (rc.project.adapter.adapter !== 'postgres') return;
  const text = literalText(literal, heredocFor);
  if (!text) return;
  for (const statement of splitStatements(text.text)) {
    const alter = parseAlterTable(statement);
    if (!alter) continue;
    const table = alter.table.split('.').pop()!;
    for (const action of alter.actions) {
      const words = action.tokens.map(
        (t) => identifierName(t, 'postgres') ?? t.text,
      );
      const upper = words.map((w) => w.toUpperCase());
      if (
        upper[0] === 'ADD' &&
        upper[1] === 'CONSTRAINT' &&
        upper[3] === 'CHECK'
      ) {
        const close = words.indexOf(')');
        const column =
          close > 4
            ? notNullCheckColumn(
                action.tokens
                  .slice(4, close + 1)
                  .map((t) => t.text)
                  .join(' '),
              )
            : undefined;
        if (column) rc.pendingNotNull.set(words[2]!, column);
      } else if (
        upper[0] === 'VALIDATE' &&
        upper[1] === 'CONSTRAINT' &&
        words[2]
      ) {
        const column = rc.pendingNotNull.get(words[2]);
        if (column) rc.notNullChecked.add(`${table}.${column}`);
      }
    }
  }
}

function mergeResult(into: FileResult, from: FileResult): void {
  into.findings.push(...from.findings);
  into.conditional.push(...from.conditional);
  into.notes.push(...from.notes);
  into.changes.push(...from.changes);
  into.createdTables.push(...from.createdTables);
  into.addedColumns.push(...from.addedColumns);
}

function checkAddColumn(
  rc: RailsContext,
  call: SgNode,
  table: string,
  column: string,
  type: string | undefined,
  options: Map<string, SgNode>,
): void {
  const { env } = rc;
  const { adapter } = rc.project.adapter;
  env.result.addedColumns.push(`${table}.${column}`.toLowerCase());
  rc.addedInFile.add(`${table}.${column}`);
  const existing = rc.columns(table);
  if (existing && type)
    existing.columns.set(column, { type, options: optionMap(call) });
  if (adapter === 'other') return;
  const ctx = { table, column };
  const at = { existingTable: table };
  const fallback = (): void => {
    if (isFalse(options.get('null')) && isNil(options.get('default'))) {
      flag(
        rc,
        'add_column',
        adapter === 'mysql'
          ? 'schema/mysql-adding-required-field'
          : 'schema/adding-required-field',
        call,
        ctx,
        { fix: FIX.required, ...at },
      );
    }
  };
  const defaultValue = options.get('default');
  if (
    type === 'primary_key' ||
    (adapter === 'postgres' && (type === 'serial' || type === 'bigserial'))
  ) {
    flag(
      rc,
      'add_column_auto_incrementing',
      'schema/rails-add-column-auto-incrementing',
      call,
      ctx,
      at,
    );
    return;
  }
  if (defaultValue?.kind() === 'lambda') {
    flag(
      rc,
      'add_column_default_callable',
      'schema/rails-add-column-default-callable',
      call,
      ctx,
      at,
    );
    return;
  }
  if (type === 'virtual' && options.get('stored')?.kind() === 'true') {
    flag(
      rc,
      'add_column_generated_stored',
      'schema/rails-add-column-generated-stored',
      call,
      ctx,
      at,
    );
    return;
  }
  if (adapter === 'postgres') {
    const target = majorVersion(rc.project.settings.targetVersion?.postgres);
    const value = nameValue(defaultValue);
    const volatile = value !== undefined && VOLATILE_DEFAULT.test(value.trim());
    if (
      !isNil(defaultValue) &&
      (volatile || (target !== undefined && target < 11))
    ) {
      flag(
        rc,
        'add_column_default',
        'schema/adding-field-with-default',
        call,
        ctx,
        { fix: FIX.addDefault, ...at },
      );
      return;
    }
    if (type === 'json') {
      flag(
        rc,
        'add_column_json',
        'schema/rails-add-column-json',
        call,
        ctx,
        at,
      );
      return;
    }
  }
  if (
    adapter === 'mysql' &&
    !isNil(defaultValue) &&
    mysqlRebuildsForDefault(rc.project.settings.targetVersion)
  ) {
    flag(
      rc,
      'add_column_default',
      'schema/rails-add-column-default',
      call,
      ctx,
      at,
    );
    return;
  }
  fallback();
}

async function removeColumn(
  rc: RailsContext,
  call: SgNode,
  table: string | undefined,
  column: string | undefined,
): Promise<void> {
  if (!table || !column) return;
  recordChange(rc.env, call, { kind: 'drop-column', table, column });
  if (await rc.ignored(table, column)) return;
  flag(
    rc,
    'remove_column',
    rc.project.adapter.adapter === 'mysql'
      ? 'schema/mysql-drop-column'
      : 'schema/ban-drop-column',
    call,
    { table, column },
    { fix: FIX.drop },
  );
}

function checkChangeColumn(
  rc: RailsContext,
  call: SgNode,
  table: string,
  column: string,
  type: string | undefined,
  options: Map<string, string>,
): void {
  const { adapter } = rc.project.adapter;
  const existing = rc.columns(table);
  const old = existing?.columns.get(column);
  const safe =
    type !== undefined &&
    adapter !== 'other' &&
    changeColumnIsSafe(
      adapter,
      old,
      type,
      options,
      existing?.indexed.has(column) ?? false,
    );
  if (existing && type) existing.columns.set(column, { type, options });
  if (adapter === 'other') return;
  if (safe) {
    // An in-place type change still re-checks every row against the check constraints on the column.
    const name = column.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const mention = new RegExp(`(^|[^\\w"])"?${name}"?($|[^\\w"])`, 'i');
    if (
      adapter === 'postgres' &&
      existing?.checks.some((expression) => mention.test(expression))
    )
      flag(
        rc,
        'change_column_constraint',
        'schema/rails-change-column-constraint',
        call,
        { table, column },
        { fix: FIX.changeConstrained, existingTable: table },
      );
    return;
  }
  const ruleId =
    adapter === 'mysql'
      ? 'schema/mysql-changing-column-type'
      : 'schema/changing-column-type';
  flag(
    rc,
    'change_column',
    ruleId,
    call,
    { table, column },
    { fix: FIX.change, existingTable: table },
  );
}

function checkChangeColumnNull(
  rc: RailsContext,
  call: SgNode,
  table: string,
  column: string,
  backfill: SgNode | undefined,
): void {
  const { adapter } = rc.project.adapter;
  const ctx = { table, column };
  if (adapter === 'postgres') {
    if (backfill === undefined && rc.notNullChecked.has(`${table}.${column}`))
      return;
    flag(
      rc,
      'change_column_null',
      'schema/adding-not-nullable-field',
      call,
      ctx,
      { fix: FIX.notNull, existingTable: table },
    );
  } else if (
    adapter === 'mysql' &&
    backfill !== undefined &&
    !isNil(backfill)
  ) {
    flag(
      rc,
      'change_column_null',
      'schema/rails-change-column-null',
      call,
      ctx,
      { existingTable: table },
    );
  }
}

function checkAddIndex(
  rc: RailsContext,
  call: SgNode,
  table: string,
  args: Args,
): void {
  const { adapter } = rc.project.adapter;
  const columns = args.positional[1];
  const names =
    columns?.kind() === 'array'
      ? columns.namedChildren().map((n) => nameValue(n))
      : [nameValue(columns)];
  const existing = rc.columns(table);
  for (const name of names)
    if (name && existing)
      existing.indexed.add(
        /^\w+$/.test(name) ? name : (/\((\w+)\)/.exec(name)?.[1] ?? name),
      );
  if (adapter === 'other') return;
  if (names.length > 3 && args.options.get('unique')?.kind() !== 'true') {
    flag(
      rc,
      'add_index_columns',
      'schema/rails-add-index-columns',
      call,
      { table },
      { existingTable: table },
    );
  }
  if (adapter === 'postgres')
    checkIndex(
      rc,
      call,
      table,
      args.options.get('algorithm'),
      'add_index',
      'schema/require-concurrent-index-creation',
      FIX.index,
    );
}

function checkIndex(
  rc: RailsContext,
  call: SgNode,
  table: string,
  algorithm: SgNode | undefined,
  check: string,
  ruleId: string,
  fix: string,
): void {
  if (!isConcurrently(algorithm))
    flag(rc, check, ruleId, call, { table }, { fix, existingTable: table });
  else if (!rc.noTransaction)
    flag(
      rc,
      check,
      'schema/ban-concurrent-index-creation-in-transaction',
      call,
      { table },
      { fix: FIX.inTransaction },
    );
}

/** add_reference creates an index by default (Rails 5+) and a foreign key when asked. */
function checkReference(
  rc: RailsContext,
  call: SgNode,
  table: string,
  name: string,
  args: Args,
): void {
  const { adapter } = rc.project.adapter;
  rc.env.result.addedColumns.push(`${table}.${name}_id`.toLowerCase());
  rc.addedInFile.add(`${table}.${name}_id`);
  const index = args.options.get('index');
  if (adapter === 'postgres' && !isFalse(index)) {
    const algorithm =
      index?.kind() === 'hash'
        ? argsFromHash(index).get('algorithm')
        : undefined;
    checkIndex(
      rc,
      call,
      table,
      algorithm,
      'add_reference',
      'schema/require-concurrent-index-creation',
      'Pass `index: { algorithm: :concurrently }` and add `disable_ddl_transaction!` to the migration.',
    );
  }
  const foreignKey = args.options.get('foreign_key');
  if (!foreignKey || isFalse(foreignKey) || isNil(foreignKey)) return;
  if (adapter === 'mysql') {
    flag(
      rc,
      'add_reference',
      'schema/mysql-adding-foreign-key',
      call,
      { table },
      { fix: FIX.foreignKeyMysql, existingTable: table },
    );
    return;
  }
  const validate =
    foreignKey.kind() === 'hash'
      ? argsFromHash(foreignKey).get('validate')
      : undefined;
  if (adapter === 'postgres' && !isFalse(validate)) {
    flag(
      rc,
      'add_reference',
      'schema/adding-foreign-key-constraint',
      call,
      { table },
      {
        fix: 'Add the reference without `foreign_key:`, then `add_foreign_key …, validate: false` and `validate_foreign_key` in a separate migration.',
        existingTable: table,
      },
    );
  }
}

function checkAddCheckConstraint(
  rc: RailsContext,
  call: SgNode,
  table: string,
  args: Args,
): void {
  const { adapter } = rc.project.adapter;
  rc.checkAdded = true;
  const expression = literalText(args.positional[1] ?? call)?.text;
  if (expression) rc.columns(table)?.checks.push(expression);
  const name = nameValue(args.options.get('name'));
  const column = expression ? notNullCheckColumn(expression) : undefined;
  const unvalidated = isFalse(args.options.get('validate'));
  if (column && name && unvalidated) rc.pendingNotNull.set(name, column);
  if (column && !unvalidated) rc.notNullChecked.add(`${table}.${column}`);
  if (adapter === 'mysql')
    flag(
      rc,
      'add_check_constraint',
      'schema/mysql-adding-check-constraint',
      call,
      { table },
      { fix: FIX.checkMysql, existingTable: table },
    );
  else if (adapter === 'postgres' && !unvalidated)
    flag(
      rc,
      'add_check_constraint',
      'schema/constraint-missing-not-valid',
      call,
      { table },
      { fix: FIX.check, existingTable: table },
    );
}

function argsFromHash(hash: SgNode): Map<string, SgNode> {
  const options = new Map<string, SgNode>();
  for (const pair of hash.namedChildren()) {
    if (pair.kind() !== 'pair') continue;
    const key = pair.field('key');
    const value = pair.field('value');
    const name = key
      ? key.kind() === 'hash_key_symbol'
        ? key.text()
        : nameValue(key)
      : undefined;
    if (name && value) options.set(name, value);
  }
  return options;
}

/** `change_table :users do |t| t.remove :email end` and friends. */
async function checkTableBlockCall(
  rc: RailsContext,
  call: SgNode,
  method: string,
  receiver: SgNode,
): Promise<void> {
  const block = call
    .ancestors()
    .find((a) => a.kind() === 'do_block' || a.kind() === 'block');
  const owner = block?.parent();
  if (
    owner?.kind() !== 'call' ||
    owner.field('method')?.text() !== 'change_table'
  )
    return;
  const param = block!
    .find({ rule: { kind: 'block_parameters' } })
    ?.namedChildren()[0]
    ?.text();
  if (param !== receiver.text()) return;
  const table = nameValue(argsOf(owner).positional[0]);
  if (!table) return;
  const { adapter } = rc.project.adapter;
  const args = argsOf(call);
  const first = nameValue(args.positional[0]);
  switch (method) {
    case 'remove':
      for (const node of args.positional)
        await removeColumn(rc, call, table, nameValue(node));
      break;
    case 'rename':
      if (first) {
        const to = nameValue(args.positional[1]);
        flag(
          rc,
          'rename_column',
          adapter === 'mysql'
            ? 'schema/mysql-renaming-column'
            : 'schema/renaming-column',
          call,
          { table, column: first, newName: to },
          { fix: FIX.renameColumn },
        );
        recordChange(rc.env, call, {
          kind: 'rename-column',
          table,
          column: first,
          newName: to,
        });
      }
      break;
    case 'change':
      if (first)
        checkChangeColumn(
          rc,
          call,
          table,
          first,
          nameValue(args.positional[1]),
          optionMap(call),
        );
      break;
    case 'index':
      if (adapter === 'postgres') {
        flag(
          rc,
          'add_index',
          'schema/require-concurrent-index-creation',
          call,
          { table },
          {
            fix: 'Use `add_index` outside `change_table` with `algorithm: :concurrently` and `disable_ddl_transaction!`.',
            existingTable: table,
          },
        );
      }
      break;
    default:
      if (COLUMN_TYPES.has(method) && first)
        checkAddColumn(
          rc,
          call,
          table,
          first,
          method === 'column' ? nameValue(args.positional[1]) : method,
          args.options,
        );
  }
}

type IgnoredLookup = (table: string, column: string) => Promise<boolean>;

/**
 * Whether the model for a table lists the column in `ignored_columns` at head: strong_migrations'
 * safe way to remove a column. Looks at app/models/<singular table>.rb next to the db folder.
 */
async function ignoredColumnsLookup(env: OrmEnv): Promise<IgnoredLookup> {
  const railsRoot = /^(.*\/)?db\/[^/]+\/[^/]+$/.exec(env.path)?.[1] ?? '';
  const cache = new Map<string, Promise<SgNode | undefined>>();
  const model = (table: string): Promise<SgNode | undefined> => {
    const path = `${railsRoot}app/models/${singular(table)}.rb`;
    let found = cache.get(path);
    if (!found) {
      found = env
        .readHead(path)
        .then((text) => (text ? parseSource('ruby', text).root() : undefined));
      cache.set(path, found);
    }
    return found;
  };
  return async (table, column) => {
    const root = await model(table);
    if (!root) return false;
    for (const node of root.findAll({
      rule: { kind: 'identifier', regex: '^ignored_columns$' },
    })) {
      const ancestors = node.ancestors();
      const scope =
        ancestors.find(
          (a) =>
            a.kind() === 'assignment' || a.kind() === 'operator_assignment',
        ) ?? ancestors.find((a) => a.kind() === 'call');
      if (!scope) continue;
      const names = scope
        .findAll({
          rule: {
            any: [
              { kind: 'string' },
              { kind: 'simple_symbol' },
              { kind: 'bare_string' },
              { kind: 'bare_symbol' },
            ],
          },
        })
        .map((n) =>
          String(n.kind()).startsWith('bare_') ? n.text() : nameValue(n),
        );
      if (names.includes(column)) return true;
    }
    return false;
  };
}
