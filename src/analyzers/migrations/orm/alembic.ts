import type { SgNode, SgRoot } from '@ast-grep/napi';
import { firstSyntaxError, nameValue, touchesAdded } from './ast.ts';
import {
  arg,
  calleeName,
  calleeObject,
  isPyFalse,
  isPyNone,
  isPyTrue,
  pythonArgs,
  insideFunction,
  type PythonArgs,
} from './python.ts';
import { queueSql, recordChange, report, type OrmEnv } from './shared.ts';

export const ALEMBIC_SOURCE = 'alembic-migrations';

const FIX = {
  required:
    'Add the column with `nullable=True` (or a `server_default=`), backfill it, then `op.alter_column(…, nullable=False)` in a later migration.',
  drop: 'Stop using the column in code (and remove it from the SQLAlchemy model) and deploy that first; drop the column in a later migration.',
  rename:
    'Add the new column, write to both, backfill, move reads over, then drop the old column in a later migration.',
  renameTable:
    'Create the new table (or a view with the new name), move code to it, then retire the old name.',
  alterType:
    'Add a new column with the new type, write to both, backfill, move reads over, then drop the old column.',
  notNull:
    'Backfill NULLs, add `CHECK (col IS NOT NULL) NOT VALID` with op.execute, VALIDATE it in a separate migration, then `alter_column(nullable=False)` and drop the check.',
  index:
    'Pass `postgresql_concurrently=True` and run it inside `with op.get_context().autocommit_block():`.',
  dropIndex:
    'Pass `postgresql_concurrently=True` to drop_index and run it inside `with op.get_context().autocommit_block():`.',
  foreignKey:
    "Add the key with `op.execute('ALTER TABLE … ADD CONSTRAINT … FOREIGN KEY … NOT VALID')`, then VALIDATE CONSTRAINT in a separate migration.",
  unique:
    "Create a unique index with `postgresql_concurrently=True` inside an autocommit block, then `op.execute('ALTER TABLE … ADD CONSTRAINT … UNIQUE USING INDEX …')`.",
  check:
    "Add the check with `op.execute('ALTER TABLE … ADD CONSTRAINT … CHECK (…) NOT VALID')`, then VALIDATE CONSTRAINT in a separate migration.",
  dropTable:
    'Stop using the table in code and deploy that first; drop the table in a later migration.',
};

interface Target {
  /** The table for batch operations, which leave it out of every call. */
  batchTable?: string;
}

/**
 * Alembic revisions (`versions/*.py`): `op.*` calls in `upgrade()`, including those on a
 * `batch_alter_table` handle; `op.execute` SQL goes to squawk, inside a transaction unless it is in
 * an autocommit block.
 */
export async function analyzeAlembic(env: OrmEnv, root: SgRoot): Promise<void> {
  const error = firstSyntaxError(root);
  if (error !== undefined)
    env.result.notes.push({
      source: ALEMBIC_SOURCE,
      path: env.path,
      line: error,
      message: `could not analyse: Python syntax error at line ${error}; the rest of the file was read as far as possible`,
    });
  const batches = batchHandles(root.root());

  for (const call of root.root().findAll({ rule: { kind: 'call' } })) {
    const method = calleeName(call);
    const receiver = calleeObject(call);
    if (!method || !receiver || receiver.kind() !== 'identifier') continue;
    const batchTable = batches.get(receiver.text())?.(call);
    if (receiver.text() !== 'op' && batchTable === undefined) continue;
    if (insideFunction(call, 'downgrade')) continue;
    const args = pythonArgs(call);
    if (method === 'create_table' && touchesAdded(call, env.added)) {
      const table = nameValue(arg(args, 0, 'table_name'));
      if (table) env.result.createdTables.push(table.toLowerCase());
      continue;
    }
    if (!touchesAdded(call, env.added)) continue;
    checkOperation(env, call, method, args, { batchTable });
  }
}

/** Alembic revisions import from alembic; Django migrations from django.db. */
export function isAlembicRevision(path: string, root: SgRoot): boolean {
  const imports = root.root().findAll({
    rule: {
      any: [{ kind: 'import_from_statement' }, { kind: 'import_statement' }],
    },
  });
  const from = (name: string): boolean =>
    imports.some((i) =>
      i
        .findAll({ rule: { kind: 'dotted_name' } })
        .some((d) => d.text() === name || d.text().startsWith(`${name}.`)),
    );
  if (from('alembic')) return true;
  if (from('django')) return false;
  return path.split('/').includes('versions');
}

/** `with op.batch_alter_table("users") as batch_op:` → batch_op refers to users within that block. */
function batchHandles(
  program: SgNode,
): Map<string, (call: SgNode) => string | undefined> {
  const handles = new Map<string, Array<{ block: SgNode; table: string }>>();
  for (const item of program.findAll({ rule: { kind: 'with_item' } })) {
    const value = item.field('value');
    const opener =
      value?.kind() === 'as_pattern' ? value.namedChildren()[0] : undefined;
    const alias =
      value?.kind() === 'as_pattern' ? value.field('alias')?.text() : undefined;
    if (
      opener?.kind() !== 'call' ||
      calleeName(opener) !== 'batch_alter_table' ||
      !alias
    )
      continue;
    const table = nameValue(arg(pythonArgs(opener), 0, 'table_name'));
    const block = item
      .ancestors()
      .find((a) => a.kind() === 'with_statement')
      ?.field('body');
    if (!table || !block) continue;
    const list = handles.get(alias) ?? [];
    list.push({ block, table });
    handles.set(alias, list);
  }
  const lookup = new Map<string, (call: SgNode) => string | undefined>();
  for (const [alias, list] of handles) {
    lookup.set(alias, (call) => {
      const at = call.range().start.index;
      return list.find(
        ({ block }) =>
          block.range().start.index <= at && at <= block.range().end.index,
      )?.table;
    });
  }
  return lookup;
}

function inAutocommitBlock(call: SgNode): boolean {
  return call.ancestors().some((a) => {
    if (a.kind() !== 'with_statement') return false;
    const clause = a.children().find((c) => c.kind() === 'with_clause');
    return (
      clause?.find({
        rule: { kind: 'attribute', regex: 'autocommit_block$' },
      }) != null
    );
  });
}

function checkOperation(
  env: OrmEnv,
  call: SgNode,
  method: string,
  args: PythonArgs,
  target: Target,
): void {
  // Batch calls omit the table argument; shift positions by one.
  const shift = target.batchTable !== undefined ? -1 : 0;
  const at = (index: number, name: string): SgNode | undefined =>
    index + shift < 0 ? undefined : arg(args, index + shift, name);
  const tableArg = (index: number, name: string): string | undefined =>
    target.batchTable ?? nameValue(at(index, name));

  switch (method) {
    case 'execute': {
      let sql = args.positional[0] ?? args.keywords.get('sqltext');
      if (sql?.kind() === 'call' && calleeName(sql) === 'text')
        sql = pythonArgs(sql).positional[0];
      if (sql) queueSql(env, sql, !inAutocommitBlock(call));
      break;
    }
    case 'add_column': {
      const table = tableArg(0, 'table_name');
      const column = at(1, 'column');
      if (
        !table ||
        column?.kind() !== 'call' ||
        calleeName(column) !== 'Column'
      )
        break;
      const columnArgs = pythonArgs(column);
      const name = nameValue(columnArgs.positional[0]);
      if (!name) break;
      env.result.addedColumns.push(`${table}.${name}`.toLowerCase());
      const notNull =
        isPyFalse(columnArgs.keywords.get('nullable')) ||
        (isPyTrue(columnArgs.keywords.get('primary_key')) &&
          !columnArgs.keywords.has('nullable'));
      if (notNull && isPyNone(columnArgs.keywords.get('server_default'))) {
        report(
          env,
          'schema/adding-required-field',
          call,
          { table, column: name },
          { fix: FIX.required, existingTable: table },
        );
      }
      break;
    }
    case 'drop_column': {
      const table = tableArg(0, 'table_name');
      const column = nameValue(at(1, 'column_name'));
      if (!table || !column) break;
      report(
        env,
        'schema/ban-drop-column',
        call,
        { table, column },
        { fix: FIX.drop },
      );
      recordChange(env, call, { kind: 'drop-column', table, column });
      break;
    }
    case 'alter_column': {
      const table = tableArg(0, 'table_name');
      const column = nameValue(at(1, 'column_name'));
      if (!table || !column) break;
      const ctx = { table, column };
      const renamed = nameValue(args.keywords.get('new_column_name'));
      if (renamed) {
        report(
          env,
          'schema/renaming-column',
          call,
          { ...ctx, newName: renamed },
          { fix: FIX.rename },
        );
        recordChange(env, call, {
          kind: 'rename-column',
          table,
          column,
          newName: renamed,
        });
        env.result.addedColumns.push(`${table}.${renamed}`.toLowerCase());
      }
      if (args.keywords.has('type_'))
        report(env, 'schema/changing-column-type', call, ctx, {
          fix: FIX.alterType,
          existingTable: table,
        });
      if (isPyFalse(args.keywords.get('nullable')))
        report(env, 'schema/adding-not-nullable-field', call, ctx, {
          fix: FIX.notNull,
          existingTable: table,
        });
      break;
    }
    case 'create_index': {
      const table = tableArg(1, 'table_name');
      if (table && !isPyTrue(args.keywords.get('postgresql_concurrently'))) {
        report(
          env,
          'schema/require-concurrent-index-creation',
          call,
          { table },
          { fix: FIX.index, existingTable: table },
        );
      } else if (table && !inAutocommitBlock(call)) {
        report(
          env,
          'schema/ban-concurrent-index-creation-in-transaction',
          call,
          { table },
          { fix: FIX.index },
        );
      }
      break;
    }
    case 'drop_index': {
      const table =
        target.batchTable ??
        nameValue(args.keywords.get('table_name') ?? args.positional[1]);
      if (!isPyTrue(args.keywords.get('postgresql_concurrently'))) {
        report(
          env,
          'schema/require-concurrent-index-deletion',
          call,
          table ? { table } : {},
          { fix: FIX.dropIndex, ...(table ? { existingTable: table } : {}) },
        );
      }
      break;
    }
    case 'create_foreign_key': {
      const table = tableArg(1, 'source_table');
      if (table)
        report(
          env,
          'schema/adding-foreign-key-constraint',
          call,
          { table },
          { fix: FIX.foreignKey, existingTable: table },
        );
      break;
    }
    case 'create_unique_constraint': {
      const table = tableArg(1, 'table_name');
      if (table)
        report(
          env,
          'schema/disallowed-unique-constraint',
          call,
          { table },
          { fix: FIX.unique, existingTable: table },
        );
      break;
    }
    case 'create_check_constraint': {
      const table = tableArg(1, 'table_name');
      if (table)
        report(
          env,
          'schema/constraint-missing-not-valid',
          call,
          { table },
          { fix: FIX.check, existingTable: table },
        );
      break;
    }
    case 'drop_table': {
      const table = nameValue(arg(args, 0, 'table_name'));
      if (!table) break;
      report(
        env,
        'schema/ban-drop-table',
        call,
        { table },
        { fix: FIX.dropTable },
      );
      recordChange(env, call, { kind: 'drop-table', table });
      break;
    }
    case 'rename_table': {
      const table = nameValue(arg(args, 0, 'old_table_name'));
      const to = nameValue(arg(args, 1, 'new_table_name'));
      if (!table) break;
      report(
        env,
        'schema/renaming-table',
        call,
        { table, newName: to },
        { fix: FIX.renameTable },
      );
      recordChange(env, call, { kind: 'rename-table', table, newName: to });
      break;
    }
    default:
      break;
  }
}
