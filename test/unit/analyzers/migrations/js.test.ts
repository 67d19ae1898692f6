import { describe, expect, it } from 'vitest';
import { lines } from './builder.ts';
import { analyze, only, summary } from './helpers.ts';

describe('JavaScript/TypeScript migrations', () => {
  it('reads Knex table builders in up() and ignores down()', async () => {
    const head = lines(
      'exports.up = async (knex) => {',
      "  await knex.schema.alterTable('users', (table) => {",
      "    table.dropColumn('nickname');",
      "    table.string('code').notNullable();",
      "    table.string('region').notNullable().defaultTo('eu');",
      "    table.renameColumn('name', 'full_name');",
      "    table.integer('score').alter();",
      "    table.index(['email']);",
      '  });',
      "  await knex.schema.dropTable('legacy');",
      '};',
      'exports.down = async (knex) => {',
      "  await knex.schema.alterTable('users', (table) => { table.dropColumn('code'); });",
      "  await knex.schema.dropTable('users');",
      '};',
      '',
    );
    const { findings, notes } = await analyze([
      { path: 'db/migrations/20240101_users.js', head },
    ]);
    expect(notes).toEqual([]);
    expect(summary(findings)).toEqual(
      [
        'schema/ban-drop-column@3',
        'schema/adding-required-field@4',
        'schema/renaming-column@6',
        'schema/changing-column-type@7',
        'schema/require-concurrent-index-creation@8',
        'schema/ban-drop-table@10',
      ].sort(),
    );
    expect(only(findings, 'schema/changing-column-type')[0]!.severity).toBe(
      'medium',
    );
    expect(
      only(findings, 'schema/require-concurrent-index-creation')[0]!.fix,
    ).toContain('transaction: false');
  });

  it('reads single-parameter arrows and function expressions as table builders', async () => {
    const head = lines(
      'exports.up = function (knex) {',
      "  return knex.schema.table('orders', t => t.dropColumn('note')).then(() =>",
      "    knex.schema.alterTable('orders', function (table) { table.renameColumn('ref', 'reference'); }));",
      '};',
      '',
    );
    const { findings, notes } = await analyze([
      { path: 'migrations/20240102_orders.js', head },
    ]);
    expect(notes).toEqual([]);
    expect(summary(findings)).toEqual([
      'schema/ban-drop-column@2',
      'schema/renaming-column@3',
    ]);
    expect(only(findings, 'schema/ban-drop-column')[0]!.title).toBe(
      '`orders.note` is dropped',
    );
  });

  it('does not flag columns of a table Knex creates', async () => {
    const head = lines(
      'export async function up(knex) {',
      "  await knex.schema.createTable('widgets', (t) => {",
      "    t.string('name').notNullable();",
      "    t.index(['name']);",
      '  });',
      '}',
      '',
    );
    const { findings } = await analyze([
      { path: 'migrations/20240101_widgets.ts', head },
    ]);
    expect(summary(findings)).toEqual([]);
  });

  it('reads Sequelize queryInterface calls', async () => {
    const head = lines(
      'module.exports = {',
      '  async up(queryInterface, Sequelize) {',
      "    await queryInterface.addColumn('users', 'age', { type: Sequelize.INTEGER, allowNull: false });",
      "    await queryInterface.addColumn('users', 'bio', { type: Sequelize.TEXT });",
      "    await queryInterface.addColumn('users', 'rank', { type: Sequelize.INTEGER, allowNull: false, defaultValue: 0 });",
      "    await queryInterface.removeColumn('users', 'nickname');",
      "    await queryInterface.addIndex('users', ['email']);",
      "    await queryInterface.addIndex('users', ['name'], { concurrently: true });",
      "    await queryInterface.addConstraint('users', { fields: ['org_id'], type: 'foreign key', references: { table: 'orgs', field: 'id' } });",
      '  },',
      '  async down(queryInterface) {',
      "    await queryInterface.removeColumn('users', 'age');",
      '  },',
      '};',
      '',
    );
    const { findings, notes } = await analyze([
      { path: 'migrations/20240101-users.js', head },
    ]);
    expect(notes).toEqual([]);
    expect(summary(findings)).toEqual(
      [
        'schema/adding-required-field@3',
        'schema/ban-drop-column@6',
        'schema/require-concurrent-index-creation@7',
        'schema/adding-foreign-key-constraint@9',
      ].sort(),
    );
    expect(
      only(findings, 'schema/require-concurrent-index-creation')[0]!.fix,
    ).toContain('concurrently: true');
  });

  it('lints TypeORM queryRunner.query SQL with squawk, inside the migration transaction', async () => {
    const head = lines(
      "import type { MigrationInterface, QueryRunner } from 'typeorm';",
      'export class AddEmailIndex1700000000000 implements MigrationInterface {',
      '  async up(queryRunner: QueryRunner): Promise<void> {',
      '    await queryRunner.query(`CREATE INDEX CONCURRENTLY "IDX_user_email" ON "user" ("email")`);',
      "    await queryRunner.dropColumn('user', 'nickname');",
      '  }',
      '  async down(queryRunner: QueryRunner): Promise<void> {',
      '    await queryRunner.query(`DROP INDEX "IDX_user_email"`);',
      '  }',
      '}',
      '',
    );
    const { findings, notes } = await analyze([
      { path: 'src/migrations/1700000000000-AddEmailIndex.ts', head },
    ]);
    expect(notes).toEqual([]);
    expect(
      summary(
        only(findings, 'schema/ban-concurrent-index-creation-in-transaction'),
      ),
    ).toEqual(['schema/ban-concurrent-index-creation-in-transaction@4']);
    expect(summary(only(findings, 'schema/ban-drop-column'))).toEqual([
      'schema/ban-drop-column@5',
    ]);
    expect(only(findings, 'schema/require-concurrent-index-deletion')).toEqual(
      [],
    );

    const optedOut = await analyze([
      {
        path: 'src/migrations/1700000000000-AddEmailIndex.ts',
        head: head.replace(
          'implements MigrationInterface {',
          'implements MigrationInterface {\n  transaction = false;',
        ),
      },
    ]);
    expect(
      only(
        optedOut.findings,
        'schema/ban-concurrent-index-creation-in-transaction',
      ),
    ).toEqual([]);
  });

  it('reads TypeORM TableColumn, NOT NULL unless isNullable', async () => {
    const head = lines(
      'export class AddAge1 {',
      '  async up(queryRunner) {',
      "    await queryRunner.addColumn('user', new TableColumn({ name: 'age', type: 'int' }));",
      "    await queryRunner.addColumn('user', new TableColumn({ name: 'bio', type: 'text', isNullable: true }));",
      '  }',
      '}',
      '',
    );
    const { findings } = await analyze([
      { path: 'src/migrations/1-AddAge.ts', head },
    ]);
    expect(summary(findings)).toEqual(['schema/adding-required-field@3']);
  });

  it('reads node-pg-migrate calls and pgm.sql', async () => {
    const head = lines(
      'exports.up = (pgm) => {',
      "  pgm.addColumn('users', { age: { type: 'integer', notNull: true }, bio: { type: 'text' } });",
      "  pgm.createIndex('users', 'email');",
      "  pgm.createIndex('users', 'name', { concurrently: true });",
      "  pgm.renameTable('users', 'accounts');",
      "  pgm.sql('ALTER TABLE accounts ALTER COLUMN score TYPE bigint');",
      '};',
      '',
    );
    const { findings, notes } = await analyze([
      { path: 'migrations/1700000000000_users.js', head },
    ]);
    expect(notes).toEqual([]);
    expect(
      summary(
        findings.filter((f) => f.severity !== 'low' && f.severity !== 'medium'),
      ),
    ).toEqual(
      [
        'schema/adding-required-field@2',
        'schema/require-concurrent-index-creation@3',
        'schema/renaming-table@5',
        'schema/changing-column-type@6',
      ].sort(),
    );
  });
});
