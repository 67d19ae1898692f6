import { describe, expect, it } from 'vitest';
import { createMigrationAnalyzer } from '../../../../src/analyzers/migrations/index.ts';
import { isCodeFile } from '../../../../src/analyzers/migrations/cross-check.ts';
import { analyzerInput, lines } from './builder.ts';
import { analyze, only } from './helpers.ts';

const dropNickName = {
  path: 'db/migrations/010_drop_nick_name.sql',
  head: 'ALTER TABLE users DROP COLUMN nick_name;\n',
};

const repo = {
  'src/users/service.ts': lines(
    '// reads users',
    'export function label(user: User) {',
    '  // nickName used to be shown here',
    '  return user.nickName ?? user.email;',
    '}',
    '',
  ),
  'src/billing/invoice.ts': lines(
    'export function invoice(order) {',
    '  return order.nick_name;',
    '}',
    '',
  ),
  'src/users/service.test.ts': lines(
    'import { User } from "./user";',
    'expect(user.nickName).toBe("x");',
    '',
  ),
  'db/migrations/001_users.sql':
    'CREATE TABLE users (id bigint, nick_name text);\n',
};

describe('cross-check against code at head', () => {
  it('reports a dropped column that code still uses, pointing at the reference', async () => {
    const { findings } = await analyze([dropNickName], { unchanged: repo });
    const [finding, ...rest] = only(
      findings,
      'schema/dropped-column-still-referenced',
    );
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      severity: 'critical',
      path: dropNickName.path,
      lines: { start: 1, end: 1, side: 'RIGHT' },
      title: '`users.nick_name` is dropped but code still uses it',
      related: [
        {
          path: 'src/users/service.ts',
          line: 4,
          note: 'still uses `nickName`',
        },
      ],
    });
    // invoice.ts never names users; the test file and the migration history are not production code.
  });

  it('reports renames and dropped tables too', async () => {
    const { findings } = await analyze(
      [
        {
          path: 'db/migrations/011_rename.sql',
          head: lines(
            'ALTER TABLE users RENAME COLUMN email TO email_address;',
            'DROP TABLE audit_logs;',
            '',
          ),
        },
      ],
      {
        unchanged: {
          'app/models/user.py': lines(
            'class User(Base):',
            '    __tablename__ = "users"',
            '    email = Column(String)',
            '',
          ),
          'app/audit.py': 'db.execute("INSERT INTO audit_logs VALUES (1)")\n',
        },
      },
    );
    expect(
      only(findings, 'schema/dropped-column-still-referenced')[0],
    ).toMatchObject({
      title: '`users.email` is renamed but code still uses it',
      related: [{ path: 'app/models/user.py', line: 3 }],
    });
    expect(
      only(findings, 'schema/dropped-table-still-referenced')[0],
    ).toMatchObject({
      severity: 'critical',
      lines: { start: 2, end: 2, side: 'RIGHT' },
      related: [
        { path: 'app/audit.py', line: 1, note: 'still uses `audit_logs`' },
      ],
    });
  });

  it('stays quiet when nothing references the name, or the column is added back', async () => {
    const quiet = await analyze([dropNickName], {
      unchanged: { 'src/other.ts': 'export const users = [];\n' },
    });
    expect(
      only(quiet.findings, 'schema/dropped-column-still-referenced'),
    ).toEqual([]);
    const recreated = await analyze(
      [
        {
          path: 'db/migrations/012.sql',
          head: lines(
            'ALTER TABLE users DROP COLUMN nick_name;',
            'ALTER TABLE users ADD COLUMN nick_name varchar(40);',
            '',
          ),
        },
      ],
      { unchanged: repo },
    );
    expect(
      only(recreated.findings, 'schema/dropped-column-still-referenced'),
    ).toEqual([]);
  });

  it('does not count Rails ignored_columns declarations', async () => {
    const migration = lines(
      'class DropNick < ActiveRecord::Migration[7.1]',
      '  def change',
      '    remove_column :users, :nick_name',
      '  end',
      'end',
      '',
    );
    const model = lines(
      'class User < ApplicationRecord',
      '  self.ignored_columns += ["nick_name"]',
      'end',
      '',
    );
    const { findings } = await analyze(
      [{ path: 'db/migrate/20240101_drop_nick.rb', head: migration }],
      { unchanged: { 'app/models/user.rb': model } },
    );
    expect(findings).toEqual([]);
  });

  it('says so when it cannot list or read everything', async () => {
    const unlisted = await analyze([dropNickName], {
      unchanged: repo,
      noListing: true,
    });
    expect(unlisted.notes).toEqual([
      expect.objectContaining({
        source: 'schema-cross-check',
        message: expect.stringContaining('cannot list files at head'),
      }),
    ]);
    const capped = await analyze([dropNickName], {
      unchanged: repo,
      analyzer: { crossCheck: { maxFiles: 1 } },
    });
    expect(capped.notes).toEqual([
      expect.objectContaining({
        source: 'schema-cross-check',
        message: expect.stringMatching(/^checked 1 of 2 code files/),
      }),
    ]);
  });

  it('keeps the migration findings when the code cannot be listed or read', async () => {
    const failingList = analyzerInput([dropNickName], { unchanged: repo });
    failingList.changeSet.contents.listHeadPaths = async () => {
      throw new Error('tree listing failed: 502');
    };
    const listed = await createMigrationAnalyzer().analyze(failingList);
    expect(only(listed.findings, 'schema/ban-drop-column')).toHaveLength(1);
    expect(listed.notes).toEqual([
      {
        source: 'schema-cross-check',
        message:
          'could not check code for uses of dropped or renamed columns and tables: tree listing failed: 502',
      },
    ]);

    const failingRead = analyzerInput([dropNickName], { unchanged: repo });
    const read = failingRead.changeSet.contents.read.bind(
      failingRead.changeSet.contents,
    );
    failingRead.changeSet.contents.read = async (revision, path, signal) => {
      if (path === 'src/billing/invoice.ts')
        throw new Error('blob fetch failed');
      return read(revision, path, signal);
    };
    const partial = await createMigrationAnalyzer().analyze(failingRead);
    expect(
      only(partial.findings, 'schema/dropped-column-still-referenced'),
    ).toHaveLength(1);
    expect(partial.notes).toEqual([
      expect.objectContaining({
        message:
          '1 code file could not be read while checking for uses of dropped or renamed columns and tables',
      }),
    ]);
  });

  it('a column the change moves to another table counts as still used only where code qualifies it with the old table', async () => {
    const move = {
      path: 'db/migrations/012_move_hostname.sql',
      head: lines(
        'ALTER TABLE website_event ADD COLUMN hostname varchar(100);',
        'ALTER TABLE session DROP COLUMN hostname;',
        '',
      ),
    };
    // The session query now reads hostname from website_event: same name, near `session`, unqualified.
    const moved = {
      'src/queries/session.ts': lines(
        'export const sessionQuery = `select session.id, hostname',
        '  from session join website_event on website_event.session_id = session.id`;',
        '',
      ),
    };
    const { findings } = await analyze([move], { unchanged: moved });
    const [cross] = only(findings, 'schema/dropped-column-still-referenced');
    expect(cross).toMatchObject({ severity: 'low' });
    expect(cross!.body).toContain('The change adds `website_event.hostname`');
    // Unsure is not unused: the drop itself keeps its severity.
    expect(
      only(findings, 'schema/ban-drop-column').map((f) => f.severity),
    ).toEqual(['high']);

    const { findings: qualified } = await analyze([move], {
      unchanged: {
        'src/queries/session.ts': lines(
          'export const sessionQuery = `select session.id, session.hostname from session`;',
          '',
        ),
      },
    });
    expect(
      only(qualified, 'schema/dropped-column-still-referenced').map(
        (f) => f.severity,
      ),
    ).toEqual(['critical']);
  });

  it('reads production code only', () => {
    expect(isCodeFile('src/users/service.ts')).toBe(true);
    expect(isCodeFile('app/models/user.rb')).toBe(true);
    expect(isCodeFile('src/users/service.test.ts')).toBe(false);
    expect(isCodeFile('tests/test_users.py')).toBe(false);
    expect(isCodeFile('node_modules/pg/index.js')).toBe(false);
    expect(isCodeFile('README.md')).toBe(false);
    expect(isCodeFile('types/index.d.ts')).toBe(false);
  });
});

describe('cross-check: generated code and references to other tables', () => {
  it('skips generated code by name and by header [-schema/dropped-column-still-referenced]', async () => {
    const drop = {
      path: 'store/migration/postgres/0.31/02__reaction.sql',
      head: 'ALTER TABLE reaction DROP COLUMN content_id;\n',
    };
    const { findings } = await analyze([drop], {
      unchanged: {
        'proto/gen/api/v1/reaction_service.pb.go':
          'package v1\n// Reaction has ContentId\ntype Reaction struct { ContentId string }\n',
        'server/reaction_gen.ts':
          '// Code generated by protoc-gen-ts. DO NOT EDIT.\nexport interface Reaction { contentId: string }\n',
      },
    });
    expect(only(findings, 'schema/dropped-column-still-referenced')).toEqual(
      [],
    );
  });

  it('a column name used far from its table is reported low, saying why; near it, critical [+schema/dropped-column-still-referenced]', async () => {
    const drop = {
      path: 'dcim/migrations/0237_module_remove_local_context_data.py',
      head: lines(
        'from django.db import migrations',
        '',
        'class Migration(migrations.Migration):',
        '    operations = [',
        "        migrations.RemoveField(model_name='module', name='local_context_data'),",
        '    ]',
        '',
      ),
    };
    const far = lines(
      'class Module:',
      '    pass',
      '',
      '',
      '',
      '',
      '',
      '',
      'def render(device):',
      '    return device.local_context_data',
      '',
    );
    const unsure = await analyze([drop], {
      unchanged: { 'dcim/views.py': far },
    });
    expect(
      only(unsure.findings, 'schema/dropped-column-still-referenced')[0],
    ).toMatchObject({
      severity: 'low',
      body: expect.stringContaining('may belong to another table'),
    });
    const near = lines(
      'def render(module: Module):',
      '    return module.local_context_data',
      '',
    );
    const sure = await analyze([drop], {
      unchanged: { 'dcim/views.py': near },
    });
    expect(
      only(sure.findings, 'schema/dropped-column-still-referenced')[0]!
        .severity,
    ).toBe('critical');
  });
});
