import { describe, expect, it } from 'vitest';
import {
  migrationKind,
  sqlDialect,
  sqlFileRole,
} from '../../../../src/analyzers/migrations/classify.ts';

const role = (path: string, content = 'SELECT 1;\n') =>
  sqlFileRole(path, content);

describe('migration file classification', () => {
  it('routes paths to the right reader', () => {
    expect(migrationKind('db/migrate/20240101_add_users.rb')).toBe('rails');
    expect(migrationKind('db/animals_migrate/20240101_add_cats.rb')).toBe(
      'rails',
    );
    expect(migrationKind('app/models/user.rb')).toBeUndefined();
    expect(migrationKind('shop/migrations/0002_order_total.py')).toBe('python');
    expect(migrationKind('alembic/versions/abc_add.py')).toBe('python');
    expect(migrationKind('shop/migrations/__init__.py')).toBeUndefined();
    expect(migrationKind('src/migrations/1700-AddUser.ts')).toBe('js');
    expect(
      migrationKind('src/migrations/1700-AddUser.test.ts'),
    ).toBeUndefined();
    expect(migrationKind('src/services/user.ts')).toBeUndefined();
    expect(migrationKind('prisma/schema.prisma')).toBe('prisma-schema');
    expect(migrationKind('queries/users.sql')).toBe('sql');
  });

  it('knows which tools run a SQL file inside a transaction', () => {
    const expectRole = (
      path: string,
      framework: string,
      inTransaction: boolean,
      content?: string,
    ) =>
      expect(role(path, content)).toMatchObject({
        kind: 'lint',
        framework,
        assumeInTransaction: inTransaction,
      });
    expectRole(
      'prisma/migrations/20240101000000_init/migration.sql',
      'Prisma Migrate',
      true,
    );
    expectRole(
      'src/main/resources/db/migration/V2__add_users.sql',
      'Flyway',
      true,
    );
    expectRole('migrations/2024-01-01-000000_users/up.sql', 'Diesel', true);
    expectRole('migrations/000002_users.up.sql', 'golang-migrate', false);
    expectRole(
      'db/migrations/20240101.sql',
      'goose',
      true,
      '-- +goose Up\nSELECT 1;\n',
    );
    expectRole(
      'db/migrations/20240101.sql',
      'goose',
      false,
      '-- +goose Up\n-- +goose NO TRANSACTION\nSELECT 1;\n',
    );
    expectRole(
      'db/migrations/20240101.sql',
      'dbmate',
      false,
      '-- migrate:up transaction:false\nSELECT 1;\n',
    );
    expectRole(
      'changelog/001.sql',
      'Liquibase',
      true,
      '--liquibase formatted sql\n--changeset a:1\nSELECT 1;\n',
    );
    expectRole('sql/backfill.sql', 'plain SQL', false);
  });

  it('marks down sections and skips down files and dumps', () => {
    const content =
      '-- migrate:up\nCREATE TABLE t (id int);\n-- migrate:down\nDROP TABLE t;\n';
    const lint = sqlFileRole('db/migrations/1.sql', content);
    expect(lint.kind === 'lint' && [...lint.downLines]).toEqual([3, 4, 5]);
    expect(role('migrations/000002_users.down.sql').kind).toBe('skip');
    expect(role('src/main/resources/db/migration/U2__undo.sql').kind).toBe(
      'skip',
    );
    expect(
      role('db/dump.sql', '--\n-- PostgreSQL database dump\n--\n').kind,
    ).toBe('skip');
    expect(
      role('models/orders.sql', '{% if x %}select 1{% endif %}').kind,
    ).toBe('skip');
  });

  it('detects MySQL from syntax, path or a dialect comment, but not from comments', () => {
    expect(
      sqlDialect('db/1.sql', 'ALTER TABLE `users` ADD COLUMN a INT;'),
    ).toBe('mysql');
    expect(
      sqlDialect(
        'db/1.sql',
        'CREATE TABLE t (id INT AUTO_INCREMENT) ENGINE=InnoDB;',
      ),
    ).toBe('mysql');
    expect(
      sqlDialect('db/mysql/1.sql', 'ALTER TABLE users ADD COLUMN a INT;'),
    ).toBe('mysql');
    expect(
      sqlDialect(
        'db/1.sql',
        '-- dialect: mysql\nALTER TABLE users ADD COLUMN a INT;',
      ),
    ).toBe('mysql');
    expect(
      sqlDialect(
        'db/1.sql',
        '-- adds the `age` column\nALTER TABLE users ADD COLUMN age int;',
      ),
    ).toBe('postgres');
    expect(
      sqlDialect('db/mysql_compat/1.sql', '-- dialect: postgres\nSELECT 1;'),
    ).toBe('postgres');
  });
});
