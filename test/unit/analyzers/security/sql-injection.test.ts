import { describe, expect, it } from 'vitest';
import { added, changed } from './build-input.ts';
import { analyze, hits } from './run.ts';

describe('security/sql-injection', () => {
  it('flags interpolated, concatenated and variable-built SQL in JS/TS [+security/sql-injection]', async () => {
    const file = added(
      'src/users/repo.ts',
      `
export async function byId(db, id, name) {
  await db.query(\`SELECT * FROM users WHERE id = \${id}\`);
  await db.query('SELECT * FROM users WHERE name = \\'' + name + '\\'');
  const sql = \`DELETE FROM sessions WHERE user_id = \${id}\`;
  await pool.query(sql);
  await knex('users').whereRaw(\`name = '\${name}'\`);
  await prisma.$queryRawUnsafe(\`SELECT * FROM t WHERE a = \${name}\`);
}
`,
    );
    expect(await hits('sql-injection', file)).toEqual([
      'src/users/repo.ts:2:high',
      'src/users/repo.ts:3:high',
      'src/users/repo.ts:5:high',
      'src/users/repo.ts:6:high',
      'src/users/repo.ts:7:high',
    ]);
  });

  it('does not flag parameterised queries, constants, tagged templates or placeholder lists', async () => {
    const file = added(
      'src/users/safe.ts',
      `
const TABLE = 'users';
export async function safe(db, sql, id, ids, input) {
  await db.query('SELECT * FROM users WHERE id = $1', [id]);
  await db.query(\`SELECT * FROM \${TABLE} WHERE id = $1\`, [id]);
  await db.query(\`SELECT * FROM users WHERE id IN (\${ids.map(() => '?').join(', ')})\`, ids);
  await prisma.$queryRaw\`SELECT * FROM users WHERE id = \${id}\`;
  await sql\`SELECT * FROM users WHERE id = \${id}\`;
  const query = 'SELECT * FROM users WHERE id = ?';
  await db.query(query, [id]);
  await db.query(buildQuery(input));
  await cache.get(\`user:\${id}\`);
  await runner.execute(\`deploy \${input}\`);
}
`,
    );
    expect(await hits('sql-injection', file)).toEqual([]);
  });

  it('covers Python f-strings, % and .format, but not bound parameters', async () => {
    const file = added(
      'app/db.py',
      `
def find(cursor, uid, name):
    cursor.execute(f"SELECT * FROM users WHERE id = {uid}")
    cursor.execute("SELECT * FROM users WHERE name = '%s'" % name)
    cursor.execute("SELECT * FROM users WHERE name = '{}'".format(name))
    q = "DELETE FROM users WHERE id = " + str(uid)
    cursor.execute(q)
    cursor.execute("SELECT * FROM users WHERE id = %s", (uid,))
    session.execute(text("SELECT * FROM users WHERE id = :id"), {"id": uid})
`,
    );
    expect(await hits('sql-injection', file)).toEqual([
      'app/db.py:2:high',
      'app/db.py:3:high',
      'app/db.py:4:high',
      'app/db.py:6:high',
    ]);
  });

  it('covers Go fmt.Sprintf and concatenation in any argument position', async () => {
    const file = added(
      'internal/store/users.go',
      `
package store

func (s *Store) Find(ctx context.Context, id string) error {
	rows, err := s.db.QueryContext(ctx, fmt.Sprintf("SELECT * FROM users WHERE id = '%s'", id))
	_, err = s.db.Exec("UPDATE users SET name = '" + id + "'")
	row := s.db.QueryRowContext(ctx, "SELECT * FROM users WHERE id = $1", id)
	return err
}
`,
    );
    expect(await hits('sql-injection', file)).toEqual([
      'internal/store/users.go:4:high',
      'internal/store/users.go:5:high',
    ]);
  });

  it('covers Java, Kotlin and Ruby', async () => {
    const java = added(
      'src/main/java/app/UserDao.java',
      `
class UserDao {
  List<User> find(String name) {
    ResultSet rs = stmt.executeQuery("SELECT * FROM users WHERE name = '" + name + "'");
    jdbc.query(String.format("SELECT * FROM users WHERE id = %s", name), mapper);
    PreparedStatement ps = conn.prepareStatement("SELECT * FROM users WHERE name = ?");
    return null;
  }
}
`,
    );
    const kotlin = added(
      'src/main/kotlin/app/UserRepo.kt',
      `
fun find(name: String) {
    stmt.executeQuery("SELECT * FROM users WHERE name = '$name'")
    stmt.executeQuery("SELECT * FROM users")
}
`,
    );
    const ruby = added(
      'app/models/user.rb',
      `
class User < ApplicationRecord
  def self.named(name)
    where("name = '#{name}'")
    where("name = ?", name)
  end
end
`,
    );
    expect(await hits('sql-injection', java, kotlin, ruby)).toEqual([
      'app/models/user.rb:3:high',
      'src/main/java/app/UserDao.java:3:high',
      'src/main/java/app/UserDao.java:4:high',
      'src/main/kotlin/app/UserRepo.kt:2:high',
    ]);
  });

  it('reports only when the call or the statement building the SQL is on an added line', async () => {
    const untouched = changed(
      'src/legacy.ts',
      `
 export async function legacy(db, id) {
   return db.query(\`SELECT * FROM users WHERE id = \${id}\`);
 }
+export const VERSION = 2;
`,
    );
    const builtEarlier = changed(
      'src/report.ts',
      `
 export async function report(db, from) {
+  const sql = \`SELECT * FROM orders WHERE created_at > '\${from}'\`;
   return db.query(sql);
 }
`,
    );
    const output = await analyze(untouched, builtEarlier);
    const findings = output.findings.filter(
      (f) => f.ruleId === 'security/sql-injection',
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      path: 'src/report.ts',
      lines: { start: 2, end: 2, side: 'RIGHT' },
      source: 'analyzer',
      lens: 'security',
    });
    expect(findings[0]!.body).toContain('via `sql`, assembled on line 2');
  });

  it('points at the unchanged assembly line as related code when only the call changed', async () => {
    const file = changed(
      'src/audit.ts',
      `
 export async function audit(db, user) {
   const sql = "SELECT * FROM audit WHERE user_id = " + user.id;
+  return db.query(sql);
 }
`,
    );
    const [finding] = (await analyze(file)).findings;
    expect(finding).toMatchObject({
      ruleId: 'security/sql-injection',
      lines: { start: 3, end: 3 },
    });
    expect(finding!.related).toEqual([
      { path: 'src/audit.ts', line: 2, note: 'the SQL text is assembled here' },
    ]);
  });
});

describe('security/sql-injection: placeholder lists', () => {
  it('Go: conditions and `?` / `$n` lists joined into the text, values passed as arguments [-security/sql-injection]', async () => {
    const file = added(
      'store/db/reaction.go',
      `package db

func (d *DB) ListReactions(ctx context.Context, find *FindReaction) error {
	where, args := []string{"1 = 1"}, []any{}
	if find.ID != nil {
		where, args = append(where, "id = ?"), append(args, *find.ID)
	}
	if v := find.UID; v != nil {
		where, args = append(where, fmt.Sprintf("uid = $%d", len(args)+1)), append(args, *v)
	}
	placeholders := make([]string, 0, len(find.MemoIDList))
	for _, id := range find.MemoIDList {
		placeholders = append(placeholders, "?")
		args = append(args, id)
	}
	where = append(where, "memo_id IN ("+strings.Join(placeholders, ",")+")")
	_, err := d.db.QueryContext(ctx, \`SELECT id FROM reaction WHERE \`+strings.Join(where, " AND ")+\` ORDER BY id\`, args...)
	_, err = d.db.ExecContext(ctx, "DELETE FROM memo WHERE id = "+placeholder(1), find.ID)
	clause, ids := inClause(1, find.MemoIDList)
	_, err = d.db.ExecContext(ctx, "DELETE FROM reaction WHERE memo_id IN "+clause, ids...)
	return err
}

func inClause(start int, ids []int32) (string, []any) {
	marks := make([]string, 0, len(ids))
	for i := range ids {
		marks = append(marks, fmt.Sprintf("$%d", start+i))
	}
	return "(" + strings.Join(marks, ", ") + ")", nil
}
`,
    );
    expect(await hits('sql-injection', file)).toEqual([]);
  });

  it('Go and JS: a list that takes a caller value is still injection [+security/sql-injection]', async () => {
    const go = added(
      'store/db/user.go',
      `package db

func (d *DB) Find(ctx context.Context, name string) error {
	where := []string{"1 = 1"}
	where = append(where, "name = '"+name+"'")
	_, err := d.db.QueryContext(ctx, "SELECT id FROM users WHERE "+strings.Join(where, " AND "))
	return err
}
`,
    );
    const js = added(
      'src/repo.ts',
      `export async function find(db, ids, order) {
  const marks = ids.map(() => '?').join(', ');
  await db.query(\`SELECT * FROM t WHERE id IN (\${marks})\`, ids);
  await db.query(\`SELECT * FROM t WHERE id IN (\${marks}) ORDER BY \${order}\`, ids);
}
`,
    );
    expect(await hits('sql-injection', go, js)).toEqual([
      'src/repo.ts:4:high',
      'store/db/user.go:6:high',
    ]);
  });
});
