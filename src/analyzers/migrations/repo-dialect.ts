import type { ChangeSet } from '../../core/change-set.ts';
import { presentPaths } from '../settings/team-file.ts';
import type { FileDialect } from './classify.ts';

/** The database drivers a repository's root manifests name, by dialect. */
const DRIVERS: Array<{ file: string; signs: Array<[FileDialect, RegExp]> }> = [
  {
    file: 'package.json',
    signs: [
      [
        'postgres',
        /"(?:pg|postgres|pg-promise|@neondatabase\/serverless|@vercel\/postgres)"\s*:/,
      ],
      ['mysql', /"(?:mysql|mysql2|mariadb|@planetscale\/database)"\s*:/],
      ['sqlite', /"(?:sqlite3|better-sqlite3|@libsql\/client)"\s*:/],
    ],
  },
  {
    file: 'go.mod',
    signs: [
      ['postgres', /\b(?:github\.com\/lib\/pq|github\.com\/jackc\/pgx)/],
      ['mysql', /\bgithub\.com\/go-sql-driver\/mysql\b/],
      ['sqlite', /\b(?:github\.com\/mattn\/go-sqlite3|modernc\.org\/sqlite)\b/],
    ],
  },
  {
    file: 'requirements.txt',
    signs: [
      ['postgres', /^(?:psycopg2?(?:-binary)?|psycopg\[?|asyncpg)\b/im],
      ['mysql', /^(?:mysqlclient|pymysql|aiomysql|mysql-connector-python)\b/im],
    ],
  },
  {
    file: 'pyproject.toml',
    signs: [
      ['postgres', /["'\s](?:psycopg2?(?:-binary)?|psycopg|asyncpg)\b/i],
      [
        'mysql',
        /["'\s](?:mysqlclient|pymysql|aiomysql|mysql-connector-python)\b/i,
      ],
    ],
  },
  {
    file: 'Gemfile',
    signs: [
      ['postgres', /^\s*gem\s+["']pg["']/m],
      ['mysql', /^\s*gem\s+["'](?:mysql2|trilogy)["']/m],
      ['sqlite', /^\s*gem\s+["']sqlite3["']/m],
    ],
  },
  {
    file: 'composer.json',
    signs: [
      ['postgres', /"ext-pgsql"|"ext-pdo_pgsql"/],
      ['mysql', /"ext-mysqli"|"ext-pdo_mysql"/],
    ],
  },
  {
    file: 'pom.xml',
    signs: [
      ['postgres', /<artifactId>postgresql<\/artifactId>/],
      [
        'mysql',
        /<artifactId>(?:mysql-connector-j|mysql-connector-java|mariadb-java-client)<\/artifactId>/,
      ],
    ],
  },
  {
    file: 'Cargo.toml',
    signs: [
      ['postgres', /\b(?:tokio-postgres|postgres\s*=|"postgres")/],
      ['mysql', /\b(?:mysql_async|"mysql")/],
      ['sqlite', /\b(?:rusqlite|"sqlite")/],
    ],
  },
];

export interface RepositoryDialect {
  dialect: FileDialect;
  reason: string;
}

/**
 * The one SQL dialect a repository's root manifests point to: the database drivers they depend on,
 * or a `.squawk.toml` (squawk lints Postgres only). Undefined when they name none, or several (an
 * app that supports several databases keeps each one's migrations apart, and says so by directory).
 */
export async function repositoryDialect(
  changeSet: Pick<ChangeSet, 'contents' | 'files'>,
  signal: AbortSignal,
): Promise<RepositoryDialect | undefined> {
  const found = new Map<FileDialect, string>();
  const present = new Set(
    await presentPaths(
      changeSet,
      [...DRIVERS.map((d) => d.file), '.squawk.toml'],
      signal,
    ),
  );
  const read = async (path: string) =>
    present.has(path)
      ? changeSet.contents.read('head', path, signal).catch(() => undefined)
      : undefined;
  await Promise.all(
    DRIVERS.map(async ({ file, signs }) => {
      const text = await read(file);
      if (text === undefined) return;
      for (const [dialect, sign] of signs)
        if (sign.test(text) && !found.has(dialect)) found.set(dialect, file);
    }),
  );
  if ((await read('.squawk.toml')) !== undefined && !found.has('postgres'))
    found.set('postgres', '.squawk.toml');
  const [only, ...others] = [...found];
  if (!only || others.length > 0) return undefined;
  return { dialect: only[0], reason: `the repository's ${only[1]}` };
}
