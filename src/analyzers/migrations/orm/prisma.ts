import { createRequire } from 'node:module';
import type {
  Attribute,
  BlockAttribute,
  Field,
  Schema,
} from '@mrleebo/prisma-ast';
import type { LineRange, Side } from '../../../core/finding.ts';
import { makeFinding } from '../findings.ts';
import { emptyResult, type FileResult } from '../types.ts';
import { messageOf } from '../../../core/error-message.ts';

export const PRISMA_SOURCE = 'prisma-schema';

type PrismaAst = typeof import('@mrleebo/prisma-ast');
let prisma:
  | {
      getSchema: PrismaAst['getSchema'];
      options: Parameters<PrismaAst['getSchema']>[1];
    }
  | undefined;

/** The parser loads on the first schema.prisma (most reviews have none): it takes a tenth of a second. */
function prismaParser(): NonNullable<typeof prisma> {
  if (prisma) return prisma;
  const { getSchema, PrismaParser, VisitorClassFactory } = createRequire(
    import.meta.url,
  )('@mrleebo/prisma-ast') as PrismaAst;
  // The default parser tracks no locations; findings need line numbers.
  const parser = new PrismaParser({ nodeLocationTracking: 'full' });
  const Visitor = VisitorClassFactory(parser);
  prisma = { getSchema, options: { parser, visitor: new Visitor() } };
  return prisma;
}

export interface PrismaSchemaFile {
  path: string;
  base?: string;
  head?: string;
  /** Head lines added and base lines removed by the change. */
  added: ReadonlySet<number>;
  removed: ReadonlySet<number>;
}

interface ColumnInfo {
  field: string;
  column: string;
  type: string;
  nativeType?: string;
  optional: boolean;
  unique: boolean;
  hasDefault: boolean;
  path: string;
  line: number;
}

interface ModelInfo {
  name: string;
  table: string;
  columns: Map<string, ColumnInfo>;
  /** `@@unique`/`@@index` attributes by their printed columns. */
  blockIndexes: Map<
    string,
    { kind: 'unique' | 'index'; path: string; line: number }
  >;
  path: string;
  line: number;
  /** Line of the model's `@@map`, when it has one. */
  mapLine?: number;
}

interface Revision {
  models: Map<string, ModelInfo>;
  mongo: boolean;
}

function unquote(value: unknown): string | undefined {
  return typeof value === 'string'
    ? value.replace(/^"(.*)"$/, '$1')
    : undefined;
}

function mapName(
  attributes: Array<Attribute | BlockAttribute> | undefined,
): string | undefined {
  const map = attributes?.find(
    (a) => a.name === 'map' && a.group === undefined,
  );
  const first = map?.args?.[0]?.value;
  if (typeof first === 'string') return unquote(first);
  if (
    first &&
    typeof first === 'object' &&
    'type' in first &&
    first.type === 'keyValue' &&
    first.key === 'name'
  )
    return unquote(first.value);
  return undefined;
}

function parseRevision(
  files: Array<{ path: string; text: string }>,
  notes: FileResult['notes'],
  revision: string,
): Revision | undefined {
  const schemas: Array<{ path: string; schema: Schema }> = [];
  for (const { path, text } of files) {
    try {
      schemas.push({
        path,
        schema: prismaParser().getSchema(text, prismaParser().options),
      });
    } catch (error) {
      const token = (error as { token?: { startLine?: number } }).token;
      const message = messageOf(error);
      notes.push({
        source: PRISMA_SOURCE,
        path,
        line: revision === 'head' ? token?.startLine : undefined,
        message: `could not analyse the ${revision} schema: ${message}`,
      });
      return undefined;
    }
  }
  const modelNames = new Set<string>();
  for (const { schema } of schemas)
    for (const block of schema.list)
      if (
        block.type === 'model' ||
        block.type === 'type' ||
        block.type === 'view'
      )
        modelNames.add(block.name);
  const models = new Map<string, ModelInfo>();
  let mongo = false;
  for (const { path, schema } of schemas) {
    for (const block of schema.list) {
      if (block.type === 'datasource') {
        mongo ||= block.assignments.some(
          (a) =>
            a.type === 'assignment' &&
            a.key === 'provider' &&
            unquote(a.value) === 'mongodb',
        );
      }
      if (block.type !== 'model') continue;
      const blockAttributes = block.properties.filter(
        (p): p is BlockAttribute => p.type === 'attribute',
      );
      const model: ModelInfo = {
        name: block.name,
        table: mapName(blockAttributes) ?? block.name,
        columns: new Map(),
        blockIndexes: new Map(),
        path,
        line: block.location?.startLine ?? 1,
        mapLine: blockAttributes.find(
          (a) => a.name === 'map' && a.group === undefined,
        )?.location?.startLine,
      };
      for (const attribute of blockAttributes) {
        if (attribute.name !== 'unique' && attribute.name !== 'index') continue;
        const key = `${attribute.name}:${JSON.stringify(attribute.args?.[0]?.value ?? null)}`;
        model.blockIndexes.set(key, {
          kind: attribute.name,
          path,
          line: attribute.location?.startLine ?? model.line,
        });
      }
      for (const property of block.properties) {
        if (property.type !== 'field') continue;
        const column = columnOf(property, modelNames, path);
        if (column) model.columns.set(column.column, column);
      }
      models.set(model.table, model);
    }
  }
  return { models, mongo };
}

/** A field that is a database column; relation fields and lists of models are not. */
function columnOf(
  field: Field,
  modelNames: Set<string>,
  path: string,
): ColumnInfo | undefined {
  const type =
    typeof field.fieldType === 'string'
      ? field.fieldType
      : field.fieldType.name;
  if (modelNames.has(type) || (field.array && modelNames.has(type)))
    return undefined;
  const attributes = field.attributes ?? [];
  const native = attributes.find((a) => a.group === 'db');
  return {
    field: field.name,
    column: mapName(attributes) ?? field.name,
    type: field.array ? `${type}[]` : type,
    nativeType: native
      ? `${native.name}(${JSON.stringify(native.args ?? [])})`
      : undefined,
    optional: field.optional === true || field.array === true,
    unique: attributes.some(
      (a) => a.name === 'unique' && a.group === undefined,
    ),
    hasDefault: attributes.some(
      (a) => a.name === 'default' && a.group === undefined,
    ),
    path,
    line: field.location?.startLine ?? 1,
  };
}

/**
 * Compares Prisma schemas at base and head. When the change also carries Prisma migration SQL,
 * squawk reviews that SQL and this only records drops and renames for the cross-check.
 */
export function analyzePrismaSchemas(
  files: readonly PrismaSchemaFile[],
  migrationSqlInChange: boolean,
): FileResult {
  const result = emptyResult();
  const byPath = new Map(files.map((f) => [f.path, f]));
  const base = parseRevision(
    files.flatMap((f) =>
      f.base === undefined ? [] : [{ path: f.path, text: f.base }],
    ),
    result.notes,
    'base',
  );
  const head = parseRevision(
    files.flatMap((f) =>
      f.head === undefined ? [] : [{ path: f.path, text: f.head }],
    ),
    result.notes,
    'head',
  );
  if (!base || !head || base.mongo || head.mongo) return result;

  const changed = (path: string, line: number, side: Side): boolean => {
    const file = byPath.get(path);
    return side === 'RIGHT'
      ? (file?.added.has(line) ?? false)
      : (file?.removed.has(line) ?? false);
  };
  const emit = (
    ruleId: string,
    path: string,
    line: number,
    side: Side,
    ctx: Parameters<typeof makeFinding>[0]['ctx'],
    note?: string,
  ): void => {
    if (migrationSqlInChange || !changed(path, line, side)) return;
    const lines: LineRange = { start: line, end: line, side };
    result.findings.push(
      makeFinding({ ruleId, path, lines, ctx, note, fix: PRISMA_FIX[ruleId] }),
    );
  };
  const headByName = new Map([...head.models.values()].map((m) => [m.name, m]));

  for (const [table, before] of base.models) {
    let after = head.models.get(table);
    if (!after) {
      const renamed = headByName.get(before.name);
      if (renamed) {
        const line = renamed.mapLine ?? renamed.line;
        emit(
          'schema/renaming-table',
          renamed.path,
          line,
          'RIGHT',
          { table, newName: renamed.table },
          'The model keeps its name but `@@map` now points at another table, so Prisma Migrate renames the table.',
        );
        if (changed(renamed.path, line, 'RIGHT')) {
          result.changes.push({
            kind: 'rename-table',
            table,
            newName: renamed.table,
            tableAliases: [before.name],
            path: renamed.path,
            line,
            side: 'RIGHT',
          });
        }
        after = renamed;
      } else {
        emit('schema/ban-drop-table', before.path, before.line, 'LEFT', {
          table,
        });
        if (changed(before.path, before.line, 'LEFT')) {
          result.changes.push({
            kind: 'drop-table',
            table,
            tableAliases: [before.name],
            path: before.path,
            line: before.line,
            side: 'LEFT',
          });
        }
        continue;
      }
    }
    compareModel(before, after, emit, changed, result);
  }
  return result;
}

type Emit = (
  ruleId: string,
  path: string,
  line: number,
  side: Side,
  ctx: { table?: string; column?: string; newName?: string },
  note?: string,
) => void;

function compareModel(
  before: ModelInfo,
  after: ModelInfo,
  emit: Emit,
  changed: (path: string, line: number, side: Side) => boolean,
  result: FileResult,
): void {
  const table = after.table;
  const headByField = new Map(
    [...after.columns.values()].map((c) => [c.field, c]),
  );
  const baseFields = new Set([...before.columns.values()].map((c) => c.field));
  for (const [column, old] of before.columns) {
    const now = after.columns.get(column);
    if (!now) {
      const moved = headByField.get(old.field);
      if (moved) {
        emit(
          'schema/renaming-column',
          moved.path,
          moved.line,
          'RIGHT',
          { table, column, newName: moved.column },
          'The field keeps its name but `@map` now names another column, so Prisma Migrate renames the column.',
        );
        if (changed(moved.path, moved.line, 'RIGHT')) {
          result.changes.push({
            kind: 'rename-column',
            table,
            column,
            newName: moved.column,
            tableAliases: [after.name],
            columnAliases: [old.field],
            path: moved.path,
            line: moved.line,
            side: 'RIGHT',
          });
        }
        continue;
      }
      emit(
        'schema/ban-drop-column',
        old.path,
        old.line,
        'LEFT',
        { table, column },
        'If the field was only renamed in Prisma, Migrate still drops the column and adds a new empty one; keep the old column name with `@map`.',
      );
      if (changed(old.path, old.line, 'LEFT')) {
        result.changes.push({
          kind: 'drop-column',
          table,
          column,
          tableAliases: [before.name],
          columnAliases: [old.field],
          path: old.path,
          line: old.line,
          side: 'LEFT',
        });
      }
      continue;
    }
    const ctx = { table, column };
    if (
      now.type !== old.type ||
      (now.nativeType ?? '') !== (old.nativeType ?? '')
    ) {
      emit(
        'schema/changing-column-type',
        now.path,
        now.line,
        'RIGHT',
        ctx,
        `The field changes from ${old.nativeType ? `${old.type} ${old.nativeType}` : old.type} to ${now.nativeType ? `${now.type} ${now.nativeType}` : now.type}.`,
      );
    }
    if (old.optional && !now.optional)
      emit(
        'schema/adding-not-nullable-field',
        now.path,
        now.line,
        'RIGHT',
        ctx,
      );
    if (!old.unique && now.unique)
      emit('schema/prisma-unique-added', now.path, now.line, 'RIGHT', ctx);
  }
  for (const [column, now] of after.columns) {
    if (before.columns.has(column) || baseFields.has(now.field)) continue;
    result.addedColumns.push(`${table}.${column}`.toLowerCase());
    if (!now.optional && !now.hasDefault)
      emit('schema/adding-required-field', now.path, now.line, 'RIGHT', {
        table,
        column,
      });
  }
  for (const [key, index] of after.blockIndexes) {
    if (before.blockIndexes.has(key)) continue;
    emit(
      index.kind === 'unique'
        ? 'schema/prisma-unique-added'
        : 'schema/require-concurrent-index-creation',
      index.path,
      index.line,
      'RIGHT',
      { table },
    );
  }
}

const PRISMA_FIX: Record<string, string> = {
  'schema/adding-required-field':
    'Make the field optional (`?`) or give it a `@default(…)`, backfill, then make it required in a later migration.',
  'schema/adding-not-nullable-field':
    'Backfill NULLs first; on large tables, create the migration with --create-only and add a validated CHECK (col IS NOT NULL) before SET NOT NULL.',
  'schema/ban-drop-column':
    'Remove the field from code first and deploy that; drop the column in a later migration (or keep it and map a renamed field with `@map`).',
  'schema/ban-drop-table':
    'Remove every use of the model and deploy that first; drop the table in a later migration.',
  'schema/renaming-column':
    'Keep the old column name with `@map` while code moves, or add a new field, backfill it and remove the old one later.',
  'schema/renaming-table':
    'Keep the old table name with `@@map`, or create the new table, copy the data and retire the old one later.',
  'schema/changing-column-type':
    'Add a new field with the new type, backfill it, move code to it, then remove the old field.',
  'schema/require-concurrent-index-creation':
    'Generate the migration with `prisma migrate dev --create-only` and change it to CREATE INDEX CONCURRENTLY in a migration of its own.',
};
