import { describe, expect, it } from 'vitest';
import { lines } from './builder.ts';
import { analyze, only, summary } from './helpers.ts';

const path = 'prisma/schema.prisma';
const datasource = [
  'datasource db {',
  '  provider = "postgresql"',
  '  url      = env("DATABASE_URL")',
  '}',
  '',
];

const base = lines(
  ...datasource,
  'model User {',
  '  id        Int      @id @default(autoincrement())',
  '  email     String',
  '  nickname  String?',
  '  score     Int',
  '  city      String?',
  '  posts     Post[]',
  '}',
  '',
  'model Post {',
  '  id       Int    @id',
  '  authorId Int',
  '  author   User   @relation(fields: [authorId], references: [id])',
  '}',
  '',
  'model AuditLog {',
  '  id Int @id',
  '}',
  '',
);

describe('Prisma schema changes', () => {
  it('compares models and fields between base and head', async () => {
    const head = lines(
      ...datasource,
      'model User {',
      '  id        Int      @id @default(autoincrement())',
      '  email     String   @unique',
      '  score     BigInt',
      '  city      String',
      '  plan      String',
      '  region    String   @default("eu")',
      '  bio       String?',
      '  posts     Post[]',
      '}',
      '',
      'model Post {',
      '  id       Int    @id',
      '  authorId Int',
      '  author   User   @relation(fields: [authorId], references: [id])',
      '',
      '  @@index([authorId])',
      '}',
      '',
    );
    const { findings, notes } = await analyze([{ path, base, head }]);
    expect(notes).toEqual([]);
    expect(summary(findings)).toEqual(
      [
        'schema/prisma-unique-added@8',
        'schema/changing-column-type@9',
        'schema/adding-not-nullable-field@10',
        'schema/adding-required-field@11',
        'schema/ban-drop-column@L9',
        'schema/require-concurrent-index-creation@22',
        'schema/ban-drop-table@L21',
      ].sort(),
    );
    expect(only(findings, 'schema/ban-drop-column')[0]!.title).toBe(
      '`User.nickname` is dropped',
    );
    expect(only(findings, 'schema/changing-column-type')[0]!.body).toContain(
      'from Int to BigInt',
    );
  });

  it('treats @map and @@map changes as renames, and a Prisma-only rename with @map as no change', async () => {
    const mapped = base
      .replace('  email     String', '  emailAddress String @map("email")')
      .replace('  score     Int', '  score     Int      @map("points")')
      .replace(
        'model AuditLog {\n  id Int @id\n}',
        'model AuditLog {\n  id Int @id\n  @@map("audit_logs")\n}',
      );
    const { findings } = await analyze([{ path, base, head: mapped }]);
    expect(summary(findings)).toEqual([
      'schema/renaming-column@10',
      'schema/renaming-table@23',
    ]);
    expect(only(findings, 'schema/renaming-column')[0]!.title).toBe(
      '`User.score` is renamed to `points`',
    );
  });

  it('leaves the review to squawk when the change carries the migration SQL', async () => {
    const head = base.replace('  nickname  String?\n', '');
    const { findings } = await analyze([
      { path, base, head },
      {
        path: 'prisma/migrations/20240101000000_drop_nickname/migration.sql',
        head: 'ALTER TABLE "User" DROP COLUMN "nickname";\n',
      },
    ]);
    expect(findings.filter((f) => f.path === path)).toEqual([]);
    expect(summary(only(findings, 'schema/ban-drop-column'))).toEqual([
      'schema/ban-drop-column@1',
    ]);
    expect(only(findings, 'schema/ban-drop-column')[0]!.path).toBe(
      'prisma/migrations/20240101000000_drop_nickname/migration.sql',
    );
  });

  it('reports a schema that does not parse instead of passing it', async () => {
    const { findings, notes } = await analyze([
      { path, base, head: base.replace('model Post {', 'model Post {{') },
    ]);
    expect(findings).toEqual([]);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ source: 'prisma-schema', path });
    expect(notes[0]!.message).toMatch(/^could not analyse the head schema/);
  });
});
