import { describe, expect, it } from 'vitest';
import { lines } from './builder.ts';
import { analyze, only, summary } from './helpers.ts';

const path = 'db/migrations/20240101_orders.sql';

describe('MySQL migrations', () => {
  it('detects MySQL and checks each added statement', async () => {
    const head = lines(
      'ALTER TABLE `orders` ADD COLUMN `total` INT NOT NULL;',
      'ALTER TABLE orders DROP COLUMN note;',
      'ALTER TABLE orders MODIFY COLUMN status VARCHAR(32) NOT NULL;',
      'ALTER TABLE orders CHANGE COLUMN ref reference VARCHAR(64);',
      'ALTER TABLE orders RENAME COLUMN placed TO placed_at;',
      'CREATE INDEX ix_orders_total ON orders (total);',
      'ALTER TABLE orders ADD INDEX ix_orders_status (status), ALGORITHM=INPLACE, LOCK=NONE;',
      'ALTER TABLE orders ADD CONSTRAINT fk_orders_user FOREIGN KEY (user_id) REFERENCES users (id);',
      'RENAME TABLE carts TO baskets;',
      'DROP TABLE legacy_orders;',
      '',
    );
    const { findings, notes } = await analyze([{ path, head }]);
    expect(summary(findings)).toEqual(
      [
        'schema/mysql-adding-required-field@1',
        'schema/mysql-drop-column@2',
        'schema/mysql-changing-column-type@3',
        'schema/mysql-renaming-column@4',
        'schema/mysql-renaming-column@5',
        'schema/mysql-index-without-online-ddl@6',
        'schema/mysql-adding-foreign-key@8',
        'schema/mysql-renaming-table@9',
        'schema/mysql-drop-table@10',
      ].sort(),
    );
    expect(notes).toEqual([]);
    expect(
      only(findings, 'schema/mysql-renaming-column').map((f) => f.title),
    ).toEqual([
      '`orders.ref` is renamed to `reference`',
      '`orders.placed` is renamed to `placed_at`',
    ]);
  });

  it('turns a statement the parser rejects into a note and still checks the others', async () => {
    const head = lines(
      'ALTER TABLE `orders` RENAME COLUMN placed placed_at DATETIME;',
      'ALTER TABLE `orders` DROP COLUMN note;',
      '',
    );
    const { findings, notes } = await analyze([{ path, head }]);
    expect(summary(findings)).toEqual(['schema/mysql-drop-column@2']);
    expect(notes).toEqual([
      expect.objectContaining({
        source: 'mysql-migrations',
        path,
        line: 1,
        message: expect.stringMatching(/^could not analyse: /),
      }),
    ]);
  });

  it('accepts defaults, nullable columns, online index builds and tables created by the change', async () => {
    const head = lines(
      '-- dialect: mysql',
      'CREATE TABLE widgets (id BIGINT AUTO_INCREMENT PRIMARY KEY) ENGINE=InnoDB;',
      'ALTER TABLE widgets ADD COLUMN size INT NOT NULL;',
      'CREATE INDEX ix_widgets_size ON widgets (size);',
      'ALTER TABLE orders ADD COLUMN region VARCHAR(8) NOT NULL DEFAULT "eu";',
      'ALTER TABLE orders ADD COLUMN note TEXT;',
      'CREATE INDEX ix_orders_region ON orders (region) ALGORITHM=INPLACE LOCK=NONE;',
      '',
    );
    const { findings, notes } = await analyze([{ path, head }]);
    expect(notes).toEqual([]);
    expect(summary(findings)).toEqual([]);
  });

  it('does not send MySQL files to squawk', async () => {
    const { findings, notes } = await analyze(
      [
        {
          path: 'db/mysql/002.sql',
          head: 'ALTER TABLE orders ADD COLUMN note TEXT;\n',
        },
      ],
      { analyzer: { squawkBinary: null } },
    );
    expect(findings).toEqual([]);
    expect(notes).toEqual([]);
  });
});

describe('MySQL online DDL', () => {
  const sql = (...statements: string[]) =>
    lines('-- dialect: mysql', ...statements, '');

  it('reports ALGORITHM=COPY and blocking locks, not INPLACE/NONE [+schema/mysql-alter-not-online -schema/mysql-alter-not-online]', async () => {
    const { findings } = await analyze([
      {
        path,
        head: sql(
          'ALTER TABLE orders ADD COLUMN note TEXT, ALGORITHM=COPY, LOCK=SHARED;',
          'CREATE INDEX ix_orders_note ON orders (note) LOCK=EXCLUSIVE;',
          'ALTER TABLE orders ADD INDEX ix_orders_ref (ref), ALGORITHM=INPLACE, LOCK=NONE;',
        ),
      },
    ]);
    expect(summary(findings)).toEqual([
      'schema/mysql-alter-not-online@2',
      'schema/mysql-alter-not-online@3',
    ]);
    expect(findings[0]!.title).toBe(
      'The ALTER on `orders` cannot run online: it asks for ALGORITHM=COPY, LOCK=SHARED',
    );
    const offline = await analyze([
      {
        path,
        head: sql(
          'ALTER TABLE posts ADD FULLTEXT INDEX ft_body (body);',
          'CREATE FULLTEXT INDEX ft_title ON posts (title);',
          'ALTER TABLE posts DROP PRIMARY KEY;',
          'ALTER TABLE posts DROP PRIMARY KEY, ADD PRIMARY KEY (id, site_id);',
        ),
      },
    ]);
    // Replacing the primary key in one statement rebuilds the table in place, with writes allowed.
    expect(summary(offline.findings)).toEqual([
      'schema/mysql-alter-not-online@2',
      'schema/mysql-alter-not-online@3',
      'schema/mysql-alter-not-online@4',
      'schema/mysql-index-without-online-ddl@5',
    ]);
  });

  it('reports character set and collation changes, not plain type changes [+schema/mysql-charset-change -schema/mysql-charset-change]', async () => {
    const { findings } = await analyze([
      {
        path,
        head: sql(
          'ALTER TABLE users DEFAULT CHARSET=utf8mb4;',
          'ALTER TABLE users MODIFY name VARCHAR(100) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;',
          'ALTER TABLE users MODIFY bio TEXT;',
        ),
      },
    ]);
    expect(summary(findings)).toEqual([
      'schema/mysql-changing-column-type@4',
      'schema/mysql-charset-change@2',
      'schema/mysql-charset-change@3',
    ]);
  });

  it('says in coverage when the parser cannot read CONVERT TO CHARACTER SET', async () => {
    const { findings, notes } = await analyze([
      {
        path,
        head: sql('ALTER TABLE users CONVERT TO CHARACTER SET utf8mb4;'),
      },
    ]);
    expect(findings).toEqual([]);
    expect(notes).toEqual([
      expect.objectContaining({
        line: 2,
        message: expect.stringMatching(
          /^could not analyse: node-sql-parser cannot parse this statement/,
        ),
      }),
    ]);
  });

  it('reports check constraints on existing tables only [+schema/mysql-adding-check-constraint -schema/mysql-adding-check-constraint]', async () => {
    const { findings } = await analyze([
      {
        path,
        head: sql(
          'CREATE TABLE items (id INT PRIMARY KEY, price INT);',
          'ALTER TABLE items ADD CHECK (price > 0);',
          'ALTER TABLE users ADD CONSTRAINT credit_positive CHECK (credit_score > 0);',
        ),
      },
    ]);
    expect(summary(findings)).toEqual([
      'schema/mysql-adding-check-constraint@4',
    ]);
  });

  it('reports a table swap split over two statements, not one RENAME TABLE [+schema/mysql-non-atomic-table-swap -schema/mysql-non-atomic-table-swap]', async () => {
    const split = await analyze([
      {
        path,
        head: sql(
          'RENAME TABLE users TO users_old;',
          'ALTER TABLE users_new RENAME TO users;',
        ),
      },
    ]);
    expect(
      summary(only(split.findings, 'schema/mysql-non-atomic-table-swap')),
    ).toEqual(['schema/mysql-non-atomic-table-swap@3']);
    const atomic = await analyze([
      {
        path,
        head: sql('RENAME TABLE users TO users_old, users_new TO users;'),
      },
    ]);
    expect(only(atomic.findings, 'schema/mysql-non-atomic-table-swap')).toEqual(
      [],
    );
  });
});

describe('MySQL in-place redefinitions', () => {
  const create = lines(
    'CREATE TABLE orders (',
    '  id BIGINT AUTO_INCREMENT PRIMARY KEY,',
    '  ref VARCHAR(20) NOT NULL,',
    "  status ENUM('new', 'paid') NOT NULL,",
    '  note VARCHAR(40) CHARACTER SET latin1',
    ') ENGINE=InnoDB;',
    '',
  );
  const earlier = {
    unchanged: { 'db/migrations/20230101_create_orders.sql': create },
  };

  it('accepts VARCHAR growth within its length prefix and ENUM appends, from the columns earlier migrations define', async () => {
    const head = lines(
      'ALTER TABLE orders MODIFY ref VARCHAR(63) NOT NULL;',
      "ALTER TABLE orders MODIFY status ENUM('new', 'paid', 'refunded') NOT NULL;",
      'ALTER TABLE orders CHANGE note note VARCHAR(200) CHARACTER SET latin1;',
      '',
    );
    const { findings, notes } = await analyze([{ path, head }], earlier);
    expect(notes).toEqual([]);
    expect(summary(findings)).toEqual([]);
  });

  it('still reports redefinitions that copy the table', async () => {
    const head = lines(
      'ALTER TABLE orders MODIFY ref VARCHAR(64) NOT NULL;',
      "ALTER TABLE orders MODIFY status ENUM('paid', 'new') NOT NULL;",
      'ALTER TABLE orders MODIFY ref VARCHAR(10) NOT NULL;',
      'ALTER TABLE orders MODIFY note VARCHAR(41);',
      '',
    );
    const { findings } = await analyze([{ path, head }], earlier);
    expect(summary(findings)).toEqual([
      'schema/mysql-changing-column-type@1',
      'schema/mysql-changing-column-type@2',
      'schema/mysql-changing-column-type@3',
    ]);
  });
});

describe('MySQL foreign keys and the index they need', () => {
  const teams = {
    unchanged: {
      'db/migrations/20230101_teams.sql': lines(
        'CREATE TABLE teams (id INT PRIMARY KEY, code VARCHAR(8), region VARCHAR(8), KEY ix_region_code (region, code)) ENGINE=InnoDB;',
        '',
      ),
    },
  };

  it('reports a foreign key to columns no index of a known table starts with [+schema/mysql-foreign-key-without-index]', async () => {
    const head = lines(
      '-- dialect: mysql',
      'ALTER TABLE users ADD CONSTRAINT fk_users_team FOREIGN KEY (team_code) REFERENCES teams (code);',
      '',
    );
    const { findings } = await analyze([{ path, head }], teams);
    expect(
      summary(only(findings, 'schema/mysql-foreign-key-without-index')),
    ).toEqual(['schema/mysql-foreign-key-without-index@2']);
    expect(
      only(findings, 'schema/mysql-foreign-key-without-index')[0]!.title,
    ).toBe('No index of `teams` starts with `code`');
  });

  it('accepts keys to the primary key, to the leading columns of an index, to an index made earlier in the file, and to tables it cannot see [-schema/mysql-foreign-key-without-index]', async () => {
    const head = lines(
      '-- dialect: mysql',
      'ALTER TABLE users ADD CONSTRAINT fk_users_team FOREIGN KEY (team_id) REFERENCES teams (id);',
      'ALTER TABLE users ADD CONSTRAINT fk_users_region FOREIGN KEY (team_region) REFERENCES teams (region);',
      'CREATE UNIQUE INDEX ux_teams_code ON teams (code);',
      'ALTER TABLE users ADD CONSTRAINT fk_users_code FOREIGN KEY (team_code) REFERENCES teams (code);',
      'ALTER TABLE users ADD CONSTRAINT fk_users_org FOREIGN KEY (org_id) REFERENCES orgs (slug);',
      'CREATE TABLE badges (id INT PRIMARY KEY, team_id INT, FOREIGN KEY (team_id) REFERENCES teams (id));',
      '',
    );
    const { findings, notes } = await analyze([{ path, head }], teams);
    expect(notes).toEqual([]);
    expect(only(findings, 'schema/mysql-adding-foreign-key')).toHaveLength(4);
    expect(only(findings, 'schema/mysql-foreign-key-without-index')).toEqual(
      [],
    );
  });
});
