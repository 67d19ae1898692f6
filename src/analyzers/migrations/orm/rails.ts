import type { SgNode } from '@ast-grep/napi';
import { firstSyntaxError, heredocResolver, nameValue, parseSource, touchesAdded } from './ast.ts';
import { queueSql, recordChange, report, singular, type OrmEnv } from './shared.ts';

export const RAILS_SOURCE = 'rails-migrations';

const FIX = {
  required: 'Add the column without `null: false` (or with a constant `default:`), backfill it, then call `change_column_null` in a later migration.',
  drop: 'Add the column to `self.ignored_columns` in the model and deploy that first; remove the column in a later migration.',
  renameColumn: 'Add the new column, write to both, backfill, move reads over, then remove the old column in a later migration.',
  renameTable: 'Create the new table, write to both, backfill, move reads over, then drop the old table in a later migration.',
  change: 'Add a new column with the new type, write to both, backfill, move reads over, then remove the old column.',
  notNull:
    'Add `add_check_constraint :table, "column IS NOT NULL", name: "…", validate: false`, validate it in a separate migration, then `change_column_null` (Postgres 12+ skips the scan) and remove the check.',
  index: 'Use `algorithm: :concurrently` and add `disable_ddl_transaction!` to the migration.',
  removeIndex: 'Use `remove_index …, algorithm: :concurrently` and add `disable_ddl_transaction!` to the migration.',
  inTransaction: 'Add `disable_ddl_transaction!` to this migration class (and keep the concurrent index in a migration of its own).',
  foreignKey: 'Pass `validate: false`, then call `validate_foreign_key` in a separate migration.',
  check: 'Pass `validate: false`, then call `validate_check_constraint` in a separate migration.',
  dropTable: 'Stop using the table in code and deploy that first; drop the table in a later migration.',
};

const COLUMN_TYPES = new Set([
  'column', 'string', 'text', 'integer', 'bigint', 'float', 'decimal', 'numeric', 'datetime', 'time', 'date', 'binary', 'boolean',
  'json', 'jsonb', 'uuid', 'timestamp', 'timestamptz', 'citext', 'inet', 'hstore', 'virtual',
]);

/** Every method the checks look at, on the migration itself or on a change_table handle. */
const RAILS_METHODS = new Set([
  'create_table', 'execute', 'add_column', 'remove_column', 'remove_columns', 'rename_column', 'rename_table', 'drop_table', 'change_column',
  'change_column_null', 'add_index', 'remove_index', 'add_reference', 'add_belongs_to', 'add_foreign_key', 'add_check_constraint',
  'remove', 'rename', 'change', 'index', ...COLUMN_TYPES,
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
      const name = key ? (key.kind() === 'hash_key_symbol' ? key.text() : nameValue(key)) : undefined;
      if (name && value) options.set(name, value);
    } else if (node.kind() === 'hash') {
      for (const child of node.namedChildren()) take(child);
    } else positional.push(node);
  };
  for (const child of list?.namedChildren() ?? []) take(child);
  return { positional, options };
}

const isFalse = (node: SgNode | undefined): boolean => node?.kind() === 'false';
const isNil = (node: SgNode | undefined): boolean => node === undefined || node.kind() === 'nil';
const isConcurrently = (node: SgNode | undefined): boolean => node !== undefined && nameValue(node) === 'concurrently';

/** Inside `def down`, `def self.down` or a `dir.down` block: reverting, not migrating. */
function inDownDirection(node: SgNode): boolean {
  for (const ancestor of node.ancestors()) {
    const kind = ancestor.kind();
    if ((kind === 'method' || kind === 'singleton_method') && ancestor.field('name')?.text() === 'down') return true;
    if (kind === 'call' && ancestor.field('method')?.text() === 'down' && ancestor.field('receiver')) return true;
  }
  return false;
}

/**
 * Rails migrations (db/migrate/*.rb), with the checks strong_migrations popularised: each risky
 * schema call on an added line, plus `execute` SQL for squawk.
 */
export async function analyzeRails(env: OrmEnv, source: string): Promise<void> {
  const root = parseSource('ruby', source);
  const error = firstSyntaxError(root);
  if (error !== undefined) env.result.notes.push({ source: RAILS_SOURCE, path: env.path, line: error, message: `could not analyse: Ruby syntax error at line ${error}; the rest of the file was read as far as possible` });
  const program = root.root();
  const noTransaction = program.find({ rule: { kind: 'identifier', regex: '^disable_ddl_transaction!$' } }) !== null;
  const heredocFor = heredocResolver(root);
  const ignored = await ignoredColumnsLookup(env);

  for (const call of program.findAll({ rule: { kind: 'call' } })) {
    const method = call.field('method')?.text();
    if (!method || !RAILS_METHODS.has(method)) continue;
    const receiver = call.field('receiver');
    if (method === 'create_table' && !receiver && touchesAdded(call, env.added)) {
      const table = nameValue(argsOf(call).positional[0]);
      if (table) env.result.createdTables.push(table.toLowerCase());
      continue;
    }
    if (!touchesAdded(call, env.added) || inDownDirection(call)) continue;
    if (receiver) {
      await checkTableBlockCall(env, call, method, receiver, ignored);
      continue;
    }
    const args = argsOf(call);
    const table = nameValue(args.positional[0]);
    const second = nameValue(args.positional[1]);
    switch (method) {
      case 'execute': {
        const sql = args.positional[0];
        if (sql) queueSql(env, sql, !noTransaction, heredocFor);
        break;
      }
      case 'add_column':
        if (table && second) {
          env.result.addedColumns.push(`${table}.${second}`.toLowerCase());
          if (isFalse(args.options.get('null')) && isNil(args.options.get('default'))) {
            report(env, 'schema/adding-required-field', call, { table, column: second }, { fix: FIX.required, existingTable: table });
          }
        }
        break;
      case 'remove_column':
      case 'remove_columns':
        for (const node of args.positional.slice(1)) {
          const column = nameValue(node);
          if (!table || !column) continue;
          recordChange(env, call, { kind: 'drop-column', table, column });
          if (!(await ignored(table, column))) report(env, 'schema/ban-drop-column', call, { table, column }, { fix: FIX.drop });
        }
        break;
      case 'rename_column': {
        const to = nameValue(args.positional[2]);
        if (table && second) {
          report(env, 'schema/renaming-column', call, { table, column: second, newName: to }, { fix: FIX.renameColumn });
          recordChange(env, call, { kind: 'rename-column', table, column: second, newName: to });
          if (to) env.result.addedColumns.push(`${table}.${to}`.toLowerCase());
        }
        break;
      }
      case 'rename_table':
        if (table) {
          report(env, 'schema/renaming-table', call, { table, newName: second }, { fix: FIX.renameTable });
          recordChange(env, call, { kind: 'rename-table', table, newName: second });
        }
        break;
      case 'drop_table':
        if (table) {
          report(env, 'schema/ban-drop-table', call, { table }, { fix: FIX.dropTable });
          recordChange(env, call, { kind: 'drop-table', table });
        }
        break;
      case 'change_column':
        if (table && second) report(env, 'schema/changing-column-type', call, { table, column: second }, { fix: FIX.change, existingTable: table });
        break;
      case 'change_column_null':
        if (table && second && isFalse(args.positional[2])) {
          report(env, 'schema/adding-not-nullable-field', call, { table, column: second }, { fix: FIX.notNull, existingTable: table });
        }
        break;
      case 'add_index':
        if (table) checkIndex(env, call, table, args.options.get('algorithm'), noTransaction, 'schema/require-concurrent-index-creation', FIX.index);
        break;
      case 'remove_index':
        if (table) checkIndex(env, call, table, args.options.get('algorithm'), noTransaction, 'schema/require-concurrent-index-deletion', FIX.removeIndex);
        break;
      case 'add_reference':
      case 'add_belongs_to':
        if (table) checkReference(env, call, table, args, noTransaction);
        break;
      case 'add_foreign_key':
        if (table && !isFalse(args.options.get('validate'))) {
          report(env, 'schema/adding-foreign-key-constraint', call, { table }, { fix: FIX.foreignKey, existingTable: table });
        }
        break;
      case 'add_check_constraint':
        if (table && !isFalse(args.options.get('validate'))) {
          report(env, 'schema/constraint-missing-not-valid', call, { table }, { fix: FIX.check, existingTable: table });
        }
        break;
      default:
        break;
    }
  }
}

function checkIndex(env: OrmEnv, call: SgNode, table: string, algorithm: SgNode | undefined, noTransaction: boolean, ruleId: string, fix: string): void {
  if (!isConcurrently(algorithm)) report(env, ruleId, call, { table }, { fix, existingTable: table });
  else if (!noTransaction) report(env, 'schema/ban-concurrent-index-creation-in-transaction', call, { table }, { fix: FIX.inTransaction });
}

/** add_reference creates an index by default (Rails 5+) and a foreign key when asked. */
function checkReference(env: OrmEnv, call: SgNode, table: string, args: { options: Map<string, SgNode> }, noTransaction: boolean): void {
  const index = args.options.get('index');
  if (!isFalse(index)) {
    const algorithm = index?.kind() === 'hash' ? argsFromHash(index).get('algorithm') : undefined;
    checkIndex(env, call, table, algorithm, noTransaction, 'schema/require-concurrent-index-creation', 'Pass `index: { algorithm: :concurrently }` and add `disable_ddl_transaction!` to the migration.');
  }
  const foreignKey = args.options.get('foreign_key');
  if (foreignKey && !isFalse(foreignKey) && !isNil(foreignKey)) {
    const validate = foreignKey.kind() === 'hash' ? argsFromHash(foreignKey).get('validate') : undefined;
    if (!isFalse(validate)) {
      report(env, 'schema/adding-foreign-key-constraint', call, { table }, { fix: 'Add the reference without `foreign_key:`, then `add_foreign_key …, validate: false` and `validate_foreign_key` in a separate migration.', existingTable: table });
    }
  }
}

function argsFromHash(hash: SgNode): Map<string, SgNode> {
  const options = new Map<string, SgNode>();
  for (const pair of hash.namedChildren()) {
    if (pair.kind() !== 'pair') continue;
    const key = pair.field('key');
    const value = pair.field('value');
    const name = key ? (key.kind() === 'hash_key_symbol' ? key.text() : nameValue(key)) : undefined;
    if (name && value) options.set(name, value);
  }
  return options;
}

/** `change_table :users do |t| t.remove :email end` and friends. */
async function checkTableBlockCall(env: OrmEnv, call: SgNode, method: string, receiver: SgNode, ignored: IgnoredLookup): Promise<void> {
  const block = call.ancestors().find((a) => a.kind() === 'do_block' || a.kind() === 'block');
  const owner = block?.parent();
  if (!owner || owner.kind() !== 'call' || owner.field('method')?.text() !== 'change_table') return;
  const param = block!.find({ rule: { kind: 'block_parameters' } })?.namedChildren()[0]?.text();
  if (param !== receiver.text()) return;
  const table = nameValue(argsOf(owner).positional[0]);
  if (!table) return;
  const args = argsOf(call);
  const first = nameValue(args.positional[0]);
  switch (method) {
    case 'remove':
      for (const node of args.positional) {
        const column = nameValue(node);
        if (!column) continue;
        recordChange(env, call, { kind: 'drop-column', table, column });
        if (!(await ignored(table, column))) report(env, 'schema/ban-drop-column', call, { table, column }, { fix: FIX.drop });
      }
      break;
    case 'rename':
      if (first) {
        const to = nameValue(args.positional[1]);
        report(env, 'schema/renaming-column', call, { table, column: first, newName: to }, { fix: FIX.renameColumn });
        recordChange(env, call, { kind: 'rename-column', table, column: first, newName: to });
      }
      break;
    case 'change':
      if (first) report(env, 'schema/changing-column-type', call, { table, column: first }, { fix: FIX.change, existingTable: table });
      break;
    case 'index':
      report(env, 'schema/require-concurrent-index-creation', call, { table }, { fix: 'Use `add_index` outside `change_table` with `algorithm: :concurrently` and `disable_ddl_transaction!`.', existingTable: table });
      break;
    default:
      if (COLUMN_TYPES.has(method) && first) {
        env.result.addedColumns.push(`${table}.${first}`.toLowerCase());
        if (isFalse(args.options.get('null')) && isNil(args.options.get('default'))) {
          report(env, 'schema/adding-required-field', call, { table, column: first }, { fix: FIX.required, existingTable: table });
        }
      }
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
      found = env.readHead(path).then((text) => (text ? parseSource('ruby', text).root() : undefined));
      cache.set(path, found);
    }
    return found;
  };
  return async (table, column) => {
    const root = await model(table);
    if (!root) return false;
    for (const node of root.findAll({ rule: { kind: 'identifier', regex: '^ignored_columns$' } })) {
      const ancestors = node.ancestors();
      const scope = ancestors.find((a) => a.kind() === 'assignment' || a.kind() === 'operator_assignment') ?? ancestors.find((a) => a.kind() === 'call');
      if (!scope) continue;
      const names = scope
        .findAll({ rule: { any: [{ kind: 'string' }, { kind: 'simple_symbol' }, { kind: 'bare_string' }, { kind: 'bare_symbol' }] } })
        .map((n) => (String(n.kind()).startsWith('bare_') ? n.text() : nameValue(n)));
      if (names.includes(column)) return true;
    }
    return false;
  };
}
