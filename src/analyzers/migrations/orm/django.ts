import type { SgNode, SgRoot } from '@ast-grep/napi';
import {
  firstSyntaxError,
  nameValue,
  parseSource,
  touchesAdded,
} from './ast.ts';
import {
  arg,
  calleeName,
  isPyFalse,
  isPyNone,
  isPyTrue,
  pythonArgs,
  type PythonArgs,
} from './python.ts';
import { queueSql, recordChange, report, type OrmEnv } from './shared.ts';

export const DJANGO_SOURCE = 'django-migrations';

const FIX = {
  required:
    'Add the field with `null=True` (or a `default=` / `db_default=`), backfill it, then make it non-null in a later migration.',
  drop: 'Remove the field from the model first while keeping the column (SeparateDatabaseAndState with only state_operations), deploy, then drop the column in a later migration.',
  renameField:
    'Keep the database name with `db_column=` and rename only in Python, or add a new field, backfill it and remove the old one later.',
  renameModel:
    'Keep the table name with `Meta.db_table`, or create the new model, copy the data and remove the old model later.',
  alterType:
    'Add a new field with the new type, backfill it, switch code to it, then remove the old field.',
  notNull:
    'Backfill NULLs, add a CHECK (col IS NOT NULL) with AddConstraintNotValid and ValidateConstraint, then make the field non-null.',
  index:
    'Use `AddIndexConcurrently` (django.contrib.postgres.operations) in a migration with `atomic = False`.',
  removeIndex:
    'Use `RemoveIndexConcurrently` (django.contrib.postgres.operations) in a migration with `atomic = False`.',
  check:
    'Use `AddConstraintNotValid`, then `ValidateConstraint` in a separate migration (django.contrib.postgres.operations).',
  unique:
    'Create the unique index with `AddIndexConcurrently` (atomic = False), then attach it with RunSQL `ALTER TABLE … ADD CONSTRAINT … UNIQUE USING INDEX …`.',
  dropModel:
    'Remove the model from code first while keeping the table (SeparateDatabaseAndState), deploy, then delete the table later.',
};

/** Field classes that add no column to the model's table. */
const NO_COLUMN_FIELDS = new Set(['ManyToManyField', 'GeneratedField']);

/**
 * Django migrations (`<app>/migrations/*.py`). Operations under SeparateDatabaseAndState's
 * state_operations do not touch the database and are skipped.
 */
export async function analyzeDjango(env: OrmEnv, root: SgRoot): Promise<void> {
  const error = firstSyntaxError(root);
  if (error !== undefined)
    env.result.notes.push({
      source: DJANGO_SOURCE,
      path: env.path,
      line: error,
      message: `could not analyse: Python syntax error at line ${error}; the rest of the file was read as far as possible`,
    });
  const program = root.root();
  const atomic = !program
    .findAll({ rule: { kind: 'assignment' } })
    .some(
      (a) =>
        a.field('left')?.text() === 'atomic' &&
        isPyFalse(a.field('right') ?? undefined),
    );
  const app = appLabel(env.path);
  const table = (model: string): string => `${app}_${model.toLowerCase()}`;
  const baseModels = baseModelReader(env);

  for (const call of program.findAll({ rule: { kind: 'call' } })) {
    const op = calleeName(call);
    if (
      !op ||
      (op !== 'CreateModel' && !OPERATIONS.has(op)) ||
      !touchesAdded(call, env.added)
    )
      continue;
    const args = pythonArgs(call);
    if (op === 'CreateModel') {
      const name = nameValue(arg(args, 0, 'name'));
      if (name) env.result.createdTables.push(table(name));
      continue;
    }
    if (stateOnly(call)) continue;
    const model = nameValue(
      arg(
        args,
        0,
        op === 'RenameModel'
          ? 'old_name'
          : op === 'DeleteModel'
            ? 'name'
            : 'model_name',
      ),
    );
    switch (op) {
      case 'RunSQL': {
        const sql = arg(args, 0, 'sql');
        if (!sql) break;
        const pieces =
          sql.kind() === 'list' || sql.kind() === 'tuple'
            ? sql.namedChildren()
            : [sql];
        for (const piece of pieces) queueSql(env, piece, atomic);
        break;
      }
      case 'AddField': {
        const name = nameValue(arg(args, 1, 'name'));
        const field = arg(args, 2, 'field');
        if (!model || !name || field?.kind() !== 'call') break;
        const fieldArgs = pythonArgs(field);
        if (NO_COLUMN_FIELDS.has(calleeName(field) ?? '')) break;
        env.result.addedColumns.push(`${table(model)}.${name}`.toLowerCase());
        const nullable = isPyTrue(fieldArgs.keywords.get('null'));
        const hasDefault = ['default', 'db_default'].some(
          (k) =>
            fieldArgs.keywords.has(k) && !isPyNone(fieldArgs.keywords.get(k)),
        );
        if (!nullable && !hasDefault) {
          report(
            env,
            'schema/adding-required-field',
            call,
            { table: table(model), column: name },
            { fix: FIX.required, existingTable: table(model) },
          );
        }
        break;
      }
      case 'RemoveField': {
        const name = nameValue(arg(args, 1, 'name'));
        if (!model || !name) break;
        report(
          env,
          'schema/ban-drop-column',
          call,
          { table: table(model), column: name },
          { fix: FIX.drop },
        );
        recordChange(env, call, {
          kind: 'drop-column',
          table: table(model),
          column: name,
          tableAliases: modelAliases(model),
        });
        break;
      }
      case 'RenameField': {
        const from = nameValue(arg(args, 1, 'old_name'));
        const to = nameValue(arg(args, 2, 'new_name'));
        if (!model || !from) break;
        report(
          env,
          'schema/renaming-column',
          call,
          { table: table(model), column: from, newName: to },
          { fix: FIX.renameField },
        );
        recordChange(env, call, {
          kind: 'rename-column',
          table: table(model),
          column: from,
          newName: to,
          tableAliases: modelAliases(model),
        });
        if (to)
          env.result.addedColumns.push(`${table(model)}.${to}`.toLowerCase());
        break;
      }
      case 'RenameModel': {
        const to = nameValue(arg(args, 1, 'new_name'));
        if (!model) break;
        report(
          env,
          'schema/renaming-table',
          call,
          { table: table(model), newName: to ? table(to) : undefined },
          { fix: FIX.renameModel },
        );
        recordChange(env, call, {
          kind: 'rename-table',
          table: table(model),
          newName: to ? table(to) : undefined,
          tableAliases: modelAliases(model),
        });
        break;
      }
      case 'DeleteModel':
        if (!model) break;
        report(
          env,
          'schema/ban-drop-table',
          call,
          { table: table(model) },
          { fix: FIX.dropModel },
        );
        recordChange(env, call, {
          kind: 'drop-table',
          table: table(model),
          tableAliases: modelAliases(model),
        });
        break;
      case 'AlterField': {
        const name = nameValue(arg(args, 1, 'name'));
        const field = arg(args, 2, 'field');
        if (!model || !name || field?.kind() !== 'call') break;
        const before = await baseModels.field(model, name);
        if (!before) break;
        const after = { type: calleeName(field), args: pythonArgs(field) };
        const ctx = { table: table(model), column: name };
        if (after.type && before.type && after.type !== before.type) {
          report(env, 'schema/changing-column-type', call, ctx, {
            fix: FIX.alterType,
            existingTable: table(model),
            note: `The field changes from ${before.type} to ${after.type}.`,
          });
        } else if (
          isPyTrue(before.args.keywords.get('null')) &&
          !isPyTrue(after.args.keywords.get('null'))
        ) {
          report(env, 'schema/adding-not-nullable-field', call, ctx, {
            fix: FIX.notNull,
            existingTable: table(model),
          });
        }
        break;
      }
      case 'AddIndex':
        if (model)
          report(
            env,
            'schema/require-concurrent-index-creation',
            call,
            { table: table(model) },
            { fix: FIX.index, existingTable: table(model) },
          );
        break;
      case 'RemoveIndex':
        if (model)
          report(
            env,
            'schema/require-concurrent-index-deletion',
            call,
            { table: table(model) },
            { fix: FIX.removeIndex, existingTable: table(model) },
          );
        break;
      case 'AddConstraint': {
        const constraint = arg(args, 1, 'constraint');
        const kind =
          constraint?.kind() === 'call' ? calleeName(constraint) : undefined;
        if (!model) break;
        if (kind === 'CheckConstraint')
          report(
            env,
            'schema/constraint-missing-not-valid',
            call,
            { table: table(model) },
            { fix: FIX.check, existingTable: table(model) },
          );
        if (kind === 'UniqueConstraint')
          report(
            env,
            'schema/disallowed-unique-constraint',
            call,
            { table: table(model) },
            { fix: FIX.unique, existingTable: table(model) },
          );
        break;
      }
      default:
        break;
    }
  }
}

const OPERATIONS = new Set([
  'RunSQL',
  'AddField',
  'RemoveField',
  'RenameField',
  'RenameModel',
  'DeleteModel',
  'AlterField',
  'AddIndex',
  'RemoveIndex',
  'AddConstraint',
]);

/** Inside `SeparateDatabaseAndState(state_operations=[…])`: model state only, no SQL. */
function stateOnly(call: SgNode): boolean {
  return call
    .ancestors()
    .some(
      (a) =>
        a.kind() === 'keyword_argument' &&
        a.field('name')?.text() === 'state_operations',
    );
}

/** The app label Django uses as the table prefix: the folder that holds `migrations/`. */
function appLabel(path: string): string {
  const parts = path.split('/');
  return parts[parts.length - 3] ?? 'app';
}

function modelAliases(model: string): string[] {
  const pascal = model[0]!.toUpperCase() + model.slice(1);
  return [...new Set([model, pascal])];
}

interface BaseField {
  type?: string;
  args: PythonArgs;
}

/** Most modules of an app's `models/` package read to find a model class. */
const MAX_MODEL_MODULES = 50;

/** Reads field definitions from the app's models at the base revision, to see what AlterField changes. */
function baseModelReader(env: OrmEnv): {
  field(model: string, name: string): Promise<BaseField | undefined>;
} {
  const appDir = env.path.split('/').slice(0, -2).join('/');
  const cache = new Map<string, Promise<SgNode | undefined>>();
  let listing: Promise<string[] | undefined> | undefined;
  const modules = (): Promise<string[] | undefined> =>
    (listing ??=
      env.listHead?.().catch(() => undefined) ?? Promise.resolve(undefined));
  const parsed = (path: string): Promise<SgNode | undefined> => {
    let found = cache.get(path);
    if (!found) {
      found = env
        .readBase(path)
        .then((text) =>
          text ? parseSource('python', text).root() : undefined,
        );
      cache.set(path, found);
    }
    return found;
  };
  return {
    async field(model, name) {
      const prefix = appDir ? `${appDir}/` : '';
      const conventional = [
        `${prefix}models.py`,
        `${prefix}models/${model.toLowerCase()}.py`,
      ];
      // Apps that split models over a package name the files freely (netbox's models/device_components.py).
      const listed = ((await modules()) ?? []).filter(
        (path) =>
          path.startsWith(`${prefix}models/`) &&
          path.endsWith('.py') &&
          !conventional.includes(path),
      );
      for (const path of [
        ...conventional,
        ...listed.sort().slice(0, MAX_MODEL_MODULES),
      ]) {
        const root = await parsed(path);
        const cls = root
          ?.findAll({ rule: { kind: 'class_definition' } })
          .find(
            (c) =>
              c.field('name')?.text().toLowerCase() === model.toLowerCase(),
          );
        if (!cls) continue;
        for (const assignment of cls
          .field('body')
          ?.findAll({ rule: { kind: 'assignment' } }) ?? []) {
          const right = assignment.field('right');
          if (
            assignment.field('left')?.text() !== name ||
            right?.kind() !== 'call'
          )
            continue;
          return { type: calleeName(right), args: pythonArgs(right) };
        }
      }
      return undefined;
    },
  };
}
