import type { SgNode } from '@ast-grep/napi';
import { languageOf } from '../../code/languages.ts';
import {
  firstSyntaxError,
  isStringNode,
  nameValue,
  parseSource,
  touchesAdded,
} from './ast.ts';
import { queueSql, recordChange, report, type OrmEnv } from './shared.ts';

export const JS_SOURCE = 'js-migrations';

type Tool = 'knex' | 'sequelize' | 'typeorm' | 'node-pg-migrate' | 'unknown';

const INDEX_FIX: Record<Tool, string> = {
  knex: "Create the index with `knex.raw('CREATE INDEX CONCURRENTLY …')` in a migration that exports `config = { transaction: false }`.",
  sequelize: 'Pass `concurrently: true` to addIndex, outside any transaction.',
  typeorm:
    "Use `queryRunner.query('CREATE INDEX CONCURRENTLY …')` in a migration class with `transaction = false`.",
  'node-pg-migrate':
    'Pass `{ concurrently: true }` and call `pgm.noTransaction()` in this migration.',
  unknown:
    'Create the index with CREATE INDEX CONCURRENTLY in a migration that does not run inside a transaction.',
};
const DROP_INDEX_FIX: Record<Tool, string> = {
  knex: "Drop the index with `knex.raw('DROP INDEX CONCURRENTLY …')` in a migration that exports `config = { transaction: false }`.",
  sequelize:
    "Drop the index with `queryInterface.sequelize.query('DROP INDEX CONCURRENTLY …')`, outside any transaction.",
  typeorm:
    "Use `queryRunner.query('DROP INDEX CONCURRENTLY …')` in a migration class with `transaction = false`.",
  'node-pg-migrate':
    'Pass `{ concurrently: true }` and call `pgm.noTransaction()` in this migration.',
  unknown:
    'Drop the index with DROP INDEX CONCURRENTLY in a migration that does not run inside a transaction.',
};
const FIX = {
  required:
    'Add the column as nullable (or with a constant default), backfill it, then make it NOT NULL in a later migration.',
  drop: 'Stop using the column in code (and in the ORM model) and deploy that first; drop the column in a later migration.',
  rename:
    'Add the new column, write to both, backfill, move reads over, then drop the old column in a later migration.',
  renameTable:
    'Create the new table (or a view with the new name), move code to it, then retire the old name.',
  change:
    'Add a new column with the new definition, write to both, backfill, move reads over, then drop the old column.',
  notNull:
    'Backfill NULLs, add CHECK (col IS NOT NULL) NOT VALID and VALIDATE it separately, then set NOT NULL.',
  dropTable:
    'Stop using the table in code and deploy that first; drop the table in a later migration.',
  foreignKey:
    'Add the foreign key NOT VALID through raw SQL, then VALIDATE CONSTRAINT in a separate migration.',
  unique:
    'Build a unique index CONCURRENTLY first, then attach it with ADD CONSTRAINT … UNIQUE USING INDEX.',
  check:
    'Add the check NOT VALID through raw SQL, then VALIDATE CONSTRAINT in a separate migration.',
};

/** Knex column builders whose chain may end in `.notNullable()` or `.alter()`. */
const KNEX_COLUMN_TYPES = new Set([
  'increments',
  'bigIncrements',
  'integer',
  'bigInteger',
  'bigint',
  'tinyint',
  'smallint',
  'mediumint',
  'text',
  'string',
  'float',
  'double',
  'decimal',
  'boolean',
  'date',
  'datetime',
  'time',
  'timestamp',
  'binary',
  'enum',
  'enu',
  'json',
  'jsonb',
  'uuid',
  'specificType',
  'geometry',
  'geography',
  'point',
]);
const SQL_METHODS = new Set(['query', 'raw', 'sql']);
const INTERFACE_METHODS = [
  'removeColumn',
  'dropColumn',
  'dropColumns',
  'renameColumn',
  'dropTable',
  'dropTableIfExists',
  'renameTable',
  'addColumn',
  'addColumns',
  'changeColumn',
  'alterColumn',
  'addIndex',
  'createIndex',
  'removeIndex',
  'dropIndex',
  'createForeignKey',
  'createForeignKeys',
  'addConstraint',
];
/** Every method the checks look at; other calls are skipped before any tree walking. */
const JS_METHODS = new Set([
  ...SQL_METHODS,
  ...INTERFACE_METHODS,
  ...KNEX_COLUMN_TYPES,
  'createTable',
  'createTableIfNotExists',
  'index',
  'unique',
]);

/** Which tool wrote the migration, from the names its API hands to `up`. */
function detectTool(program: SgNode, typescript: boolean): Tool {
  const kinds = typescript ? ['identifier', 'type_identifier'] : ['identifier'];
  const uses = (pattern: string): boolean =>
    program.find({
      rule: { any: kinds.map((kind) => ({ kind, regex: pattern })) },
    }) !== null;
  if (uses('^queryInterface$')) return 'sequelize';
  if (uses('^(?:queryRunner|MigrationInterface|QueryRunner)$'))
    return 'typeorm';
  if (uses('^pgm$')) return 'node-pg-migrate';
  if (uses('^(?:knex|Knex)$')) return 'knex';
  return 'unknown';
}

/** Call arguments; a tagged template (sql`…`) has none. */
function callArgs(call: SgNode): SgNode[] {
  const list = call.field('arguments');
  if (list?.kind() !== 'arguments') return [];
  return list.namedChildren().filter((c) => c.kind() !== 'comment');
}

function methodOf(call: SgNode): { name?: string; receiver?: SgNode } {
  const fn = call.field('function');
  if (fn?.kind() === 'member_expression')
    return {
      name: fn.field('property')?.text(),
      receiver: fn.field('object') ?? undefined,
    };
  if (fn?.kind() === 'identifier') return { name: fn.text() };
  return {};
}

/** Properties of an object literal, also through `new TableColumn({ … })`. */
function objectProps(node: SgNode | undefined): Map<string, SgNode> {
  const props = new Map<string, SgNode>();
  let object = node;
  if (object?.kind() === 'new_expression') object = callArgs(object)[0];
  if (object?.kind() !== 'object') return props;
  for (const pair of object.namedChildren()) {
    if (pair.kind() !== 'pair') continue;
    const key = pair.field('key');
    const value = pair.field('value');
    const name =
      key?.kind() === 'property_identifier' ? key.text() : nameValue(key);
    if (name && value) props.set(name, value);
  }
  return props;
}

const isTrue = (node: SgNode | undefined): boolean => node?.kind() === 'true';
const isFalse = (node: SgNode | undefined): boolean => node?.kind() === 'false';
const isAbsent = (node: SgNode | undefined): boolean =>
  node === undefined || node.kind() === 'null' || node.text() === 'undefined';

/** Inside the `down` migration, in any of the shapes the tools use. */
function inDown(node: SgNode): boolean {
  for (const a of node.ancestors()) {
    const kind = a.kind();
    if (
      (kind === 'method_definition' || kind === 'function_declaration') &&
      a.field('name')?.text() === 'down'
    )
      return true;
    if (
      kind === 'pair' &&
      a
        .field('key')
        ?.text()
        .replace(/^['"]|['"]$/g, '') === 'down'
    )
      return true;
    if (kind === 'variable_declarator' && a.field('name')?.text() === 'down')
      return true;
    if (
      kind === 'assignment_expression' &&
      /(?:^|\.)down$/.test(a.field('left')?.text() ?? '')
    )
      return true;
  }
  return false;
}

/** Whether the migration runs inside a transaction, by each tool's default and opt-out. */
function runsInTransaction(
  tool: Tool,
  program: SgNode,
  typescript: boolean,
): boolean {
  const field = typescript ? 'public_field_definition' : 'field_definition';
  const nameField = typescript ? 'name' : 'property';
  const optedOut =
    program.find({
      rule: {
        kind: 'pair',
        all: [
          { has: { field: 'key', regex: '^transaction$' } },
          { has: { field: 'value', kind: 'false' } },
        ],
      },
    }) !== null ||
    program.find({
      rule: {
        kind: field,
        all: [
          { has: { field: nameField, regex: '^transaction$' } },
          { has: { field: 'value', kind: 'false' } },
        ],
      },
    }) !== null ||
    program.find({
      rule: {
        kind: 'call_expression',
        has: { field: 'function', regex: 'noTransaction$' },
      },
    }) !== null;
  if (optedOut) return false;
  return tool === 'knex' || tool === 'typeorm' || tool === 'node-pg-migrate';
}

interface TableBlock {
  table: string;
  param: string;
  creating: boolean;
}

/** `schema.alterTable('users', (t) => …)`: the table and the builder parameter a call is inside of. */
function tableBlock(call: SgNode): TableBlock | undefined {
  for (const fn of call.ancestors()) {
    if (
      fn.kind() !== 'arrow_function' &&
      fn.kind() !== 'function_expression' &&
      fn.kind() !== 'function'
    )
      continue;
    const owner = fn.parent()?.parent();
    if (owner?.kind() !== 'call_expression') continue;
    const { name } = methodOf(owner);
    if (
      name !== 'alterTable' &&
      name !== 'table' &&
      name !== 'createTable' &&
      name !== 'createTableIfNotExists'
    )
      continue;
    const table = nameValue(callArgs(owner)[0]);
    const params = fn.field('parameters') ?? fn.field('parameter');
    const param =
      params?.kind() === 'identifier'
        ? params.text()
        : params?.find({ rule: { kind: 'identifier' } })?.text();
    if (table && param)
      return {
        table,
        param,
        creating: name !== 'alterTable' && name !== 'table',
      };
  }
  return undefined;
}

/** Method names along a builder chain starting at `call`: t.string('x').notNullable().defaultTo('') → [notNullable, defaultTo]. */
function chainAfter(call: SgNode): { names: string[]; outer: SgNode } {
  const names: string[] = [];
  let outer = call;
  for (;;) {
    const member = outer.parent();
    const next = member?.parent();
    if (
      member?.kind() !== 'member_expression' ||
      next?.kind() !== 'call_expression' ||
      member.field('object')?.id() !== outer.id()
    )
      break;
    names.push(member.field('property')?.text() ?? '');
    outer = next;
  }
  return { names, outer };
}

/**
 * JavaScript/TypeScript migrations: Knex, Sequelize, TypeORM and node-pg-migrate schema calls in
 * the `up` direction, and raw SQL they pass to the database, which goes to squawk.
 */
export async function analyzeJsMigration(
  env: OrmEnv,
  source: string,
): Promise<void> {
  const language = languageOf(env.path) ?? 'javascript';
  const root = parseSource(language, source);
  const error = firstSyntaxError(root);
  if (error !== undefined)
    env.result.notes.push({
      source: JS_SOURCE,
      path: env.path,
      line: error,
      message: `could not analyse: syntax error at line ${error}; the rest of the file was read as far as possible`,
    });
  const program = root.root();
  const typescript = language === 'typescript';
  const tool = detectTool(program, typescript);
  const inTransaction = runsInTransaction(tool, program, typescript);

  for (const call of program.findAll({ rule: { kind: 'call_expression' } })) {
    const { name, receiver } = methodOf(call);
    if (!name || !JS_METHODS.has(name)) continue;
    const args = callArgs(call);
    if (
      (name === 'createTable' || name === 'createTableIfNotExists') &&
      touchesAdded(call, env.added)
    ) {
      const table =
        nameValue(args[0]) ?? nameValue(objectProps(args[0]).get('name'));
      if (table) env.result.createdTables.push(table.toLowerCase());
      continue;
    }
    if (!touchesAdded(call, env.added) || inDown(call)) continue;

    // sql`…` tagged templates and query/raw/sql calls with literal SQL.
    const tagged = call.field('arguments');
    if (tagged?.kind() === 'template_string') {
      if (name === 'sql' && !receiver) queueSql(env, tagged, inTransaction);
      continue;
    }
    if (
      SQL_METHODS.has(name) &&
      args[0] &&
      (isStringNode(args[0]) || args[0].kind() === 'binary_expression')
    ) {
      queueSql(env, args[0], inTransaction);
      continue;
    }

    const block =
      receiver?.kind() === 'identifier' ? tableBlock(call) : undefined;
    if (block && receiver!.text() === block.param) {
      checkBuilderCall(env, call, name, args, block, tool);
      continue;
    }
    checkInterfaceCall(env, call, name, args, tool);
  }
}

/** A dropped column (Knex builder or Sequelize queryInterface): a finding and a change for the cross-check. */
function dropColumn(
  env: OrmEnv,
  call: SgNode,
  table: string,
  column: string,
): void {
  report(
    env,
    'schema/ban-drop-column',
    call,
    { table, column },
    { fix: FIX.drop },
  );
  recordChange(env, call, { kind: 'drop-column', table, column });
}

/** A renamed column: a finding, a change for the cross-check, and the new name as an added column. */
function renameColumn(
  env: OrmEnv,
  call: SgNode,
  table: string,
  from: string,
  to: string | undefined,
): void {
  report(
    env,
    'schema/renaming-column',
    call,
    { table, column: from, newName: to },
    { fix: FIX.rename },
  );
  recordChange(env, call, {
    kind: 'rename-column',
    table,
    column: from,
    newName: to,
  });
  if (to) env.result.addedColumns.push(`${table}.${to}`.toLowerCase());
}

/** Calls on a Knex table builder inside alterTable/table/createTable. */
function checkBuilderCall(
  env: OrmEnv,
  call: SgNode,
  name: string,
  args: SgNode[],
  block: TableBlock,
  tool: Tool,
): void {
  const { table } = block;
  if (name === 'dropColumn' || name === 'dropColumns') {
    for (const column of args
      .flatMap((a) => (a.kind() === 'array' ? a.namedChildren() : [a]))
      .map(nameValue)) {
      if (!column || block.creating) continue;
      dropColumn(env, call, table, column);
    }
    return;
  }
  if (name === 'renameColumn' && !block.creating) {
    const from = nameValue(args[0]);
    const to = nameValue(args[1]);
    if (!from) return;
    renameColumn(env, call, table, from, to);
    return;
  }
  if ((name === 'index' || name === 'unique') && !block.creating) {
    report(
      env,
      'schema/require-concurrent-index-creation',
      call,
      { table },
      { fix: INDEX_FIX[tool], existingTable: table },
    );
    return;
  }
  if (!KNEX_COLUMN_TYPES.has(name) || block.creating) return;
  const column = nameValue(args[0]);
  if (!column) return;
  const chain = chainAfter(call);
  const lines = {
    start: call.range().start.line + 1,
    end: chain.outer.range().end.line + 1,
    side: 'RIGHT' as const,
  };
  if (chain.names.includes('alter')) {
    report(
      env,
      'schema/changing-column-type',
      call,
      { table, column },
      {
        fix: FIX.change,
        existingTable: table,
        severity: 'medium',
        lines,
        note: 'Knex `.alter()` re-states the column type, so Postgres rewrites the table if the type differs.',
      },
    );
    if (chain.names.includes('notNullable'))
      report(
        env,
        'schema/adding-not-nullable-field',
        call,
        { table, column },
        { fix: FIX.notNull, existingTable: table, lines },
      );
    return;
  }
  env.result.addedColumns.push(`${table}.${column}`.toLowerCase());
  if (
    chain.names.includes('notNullable') &&
    !chain.names.includes('defaultTo')
  ) {
    report(
      env,
      'schema/adding-required-field',
      call,
      { table, column },
      { fix: FIX.required, existingTable: table, lines },
    );
  }
}

/** queryInterface.* (Sequelize), queryRunner.* (TypeORM) and pgm.* (node-pg-migrate) calls. */
function checkInterfaceCall(
  env: OrmEnv,
  call: SgNode,
  name: string,
  args: SgNode[],
  tool: Tool,
): void {
  const table = nameValue(args[0]);
  if (!table) return;
  switch (name) {
    case 'removeColumn':
    case 'dropColumn':
    case 'dropColumns': {
      const columns = args
        .slice(1, 2)
        .flatMap((a) => (a.kind() === 'array' ? a.namedChildren() : [a]));
      for (const node of columns) {
        const column =
          nameValue(node) ?? nameValue(objectProps(node).get('name'));
        if (!column) continue;
        dropColumn(env, call, table, column);
      }
      return;
    }
    case 'renameColumn': {
      const from = nameValue(args[1]);
      const to = nameValue(args[2]);
      if (!from) return;
      renameColumn(env, call, table, from, to);
      return;
    }
    case 'dropTable':
    case 'dropTableIfExists':
      report(
        env,
        'schema/ban-drop-table',
        call,
        { table },
        { fix: FIX.dropTable },
      );
      recordChange(env, call, { kind: 'drop-table', table });
      return;
    case 'renameTable': {
      const to = nameValue(args[1]);
      report(
        env,
        'schema/renaming-table',
        call,
        { table, newName: to },
        { fix: FIX.renameTable },
      );
      recordChange(env, call, { kind: 'rename-table', table, newName: to });
      return;
    }
    case 'addColumn':
    case 'addColumns':
      checkAddColumn(env, call, table, args, tool);
      return;
    case 'changeColumn':
      if (nameValue(args[1]) ?? args[1]) {
        const column =
          nameValue(args[1]) ?? nameValue(objectProps(args[1]).get('name'));
        report(
          env,
          'schema/changing-column-type',
          call,
          { table, column },
          {
            fix: FIX.change,
            existingTable: table,
            severity: 'medium',
            note: 'The call re-states the column definition; if the type differs, Postgres rewrites the table.',
          },
        );
      }
      return;
    case 'alterColumn': {
      const column = nameValue(args[1]);
      const props = objectProps(args[2]);
      if (props.has('type'))
        report(
          env,
          'schema/changing-column-type',
          call,
          { table, column },
          { fix: FIX.change, existingTable: table },
        );
      if (isTrue(props.get('notNull')))
        report(
          env,
          'schema/adding-not-nullable-field',
          call,
          { table, column },
          { fix: FIX.notNull, existingTable: table },
        );
      return;
    }
    case 'addIndex':
    case 'createIndex':
      if (!hasConcurrently(args))
        report(
          env,
          'schema/require-concurrent-index-creation',
          call,
          { table },
          { fix: INDEX_FIX[tool], existingTable: table },
        );
      return;
    case 'removeIndex':
    case 'dropIndex':
      if (!hasConcurrently(args))
        report(
          env,
          'schema/require-concurrent-index-deletion',
          call,
          { table },
          { fix: DROP_INDEX_FIX[tool], existingTable: table },
        );
      return;
    case 'createForeignKey':
    case 'createForeignKeys':
      report(
        env,
        'schema/adding-foreign-key-constraint',
        call,
        { table },
        { fix: FIX.foreignKey, existingTable: table },
      );
      return;
    case 'addConstraint':
      checkConstraint(env, call, table, args);
      return;
    default:
      return;
  }
}

function hasConcurrently(args: SgNode[]): boolean {
  return args.some((a) => isTrue(objectProps(a).get('concurrently')));
}

function checkAddColumn(
  env: OrmEnv,
  call: SgNode,
  table: string,
  args: SgNode[],
  tool: Tool,
): void {
  const required = (
    column: string,
    props: Map<string, SgNode>,
    nullKey: 'allowNull' | 'isNullable' | 'notNull',
    defaultKey: string,
  ): void => {
    env.result.addedColumns.push(`${table}.${column}`.toLowerCase());
    const notNull =
      nullKey === 'notNull'
        ? isTrue(props.get(nullKey))
        : nullKey === 'isNullable'
          ? !isTrue(props.get(nullKey))
          : isFalse(props.get(nullKey));
    const generated =
      isTrue(props.get('isGenerated')) ||
      props.has('generatedType') ||
      isTrue(props.get('autoIncrement'));
    if (notNull && isAbsent(props.get(defaultKey)) && !generated) {
      report(
        env,
        'schema/adding-required-field',
        call,
        { table, column },
        { fix: FIX.required, existingTable: table },
      );
    }
  };
  if (
    tool === 'node-pg-migrate' ||
    (args[1]?.kind() === 'object' && !nameValue(args[1]) && tool !== 'typeorm')
  ) {
    // pgm.addColumn('t', { name: { type, notNull, default } })
    for (const [column, spec] of objectProps(args[1])) {
      if (column === 'type') continue;
      required(column, objectProps(spec), 'notNull', 'default');
    }
    return;
  }
  if (args[1]?.kind() === 'new_expression' || tool === 'typeorm') {
    // queryRunner.addColumn('t', new TableColumn({ name, type, isNullable, default })); TableColumn is NOT NULL unless isNullable.
    const specs = args
      .slice(1)
      .flatMap((a) => (a.kind() === 'array' ? a.namedChildren() : [a]));
    for (const spec of specs) {
      const props = objectProps(spec);
      const column = nameValue(props.get('name'));
      if (column) required(column, props, 'isNullable', 'default');
    }
    return;
  }
  // queryInterface.addColumn('t', 'c', { type, allowNull, defaultValue }); Sequelize columns allow NULL by default.
  const column = nameValue(args[1]);
  if (column)
    required(column, objectProps(args[2]), 'allowNull', 'defaultValue');
}

function checkConstraint(
  env: OrmEnv,
  call: SgNode,
  table: string,
  args: SgNode[],
): void {
  // Sequelize: addConstraint('t', { type: 'foreign key' | 'unique' | 'check' }); node-pg-migrate: addConstraint('t', name, { foreignKeys | unique | check }).
  const props = new Map([...objectProps(args[1]), ...objectProps(args[2])]);
  const type = nameValue(props.get('type'))?.toLowerCase();
  const options = { existingTable: table };
  if (
    type === 'foreign key' ||
    props.has('foreignKeys') ||
    props.has('references')
  ) {
    report(
      env,
      'schema/adding-foreign-key-constraint',
      call,
      { table },
      { ...options, fix: FIX.foreignKey },
    );
  } else if (type === 'unique' || props.has('unique')) {
    report(
      env,
      'schema/disallowed-unique-constraint',
      call,
      { table },
      { ...options, fix: FIX.unique },
    );
  } else if (type === 'check' || props.has('check')) {
    report(
      env,
      'schema/constraint-missing-not-valid',
      call,
      { table },
      { ...options, fix: FIX.check },
    );
  }
}
