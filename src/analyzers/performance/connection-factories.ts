import type { SgNode } from '@ast-grep/napi';
import type { CallSite } from '../code/calls.ts';
import { bindingsOf, type Bindings } from '../code/imports.ts';
import type { SourceFile } from '../code/source-file.ts';

/** A call that opens a database connection or builds a whole pool/client. */
export interface ConnectionFactory {
  node: SgNode;
  label: string;
  kind: 'pool' | 'connection';
}

/** `module` + exported name (or `*` for a call on the module itself) → what the call creates. */
type Catalogue = Array<{
  module: RegExp;
  member: string;
  kind: ConnectionFactory['kind'];
}>;

const JS: Catalogue = [
  { module: /^(?:pg|pg-pool)$/, member: 'Pool', kind: 'pool' },
  { module: /^pg$/, member: 'Client', kind: 'connection' },
  { module: /^@prisma\/client$/, member: 'PrismaClient', kind: 'pool' },
  { module: /^mongodb$/, member: 'MongoClient', kind: 'pool' },
  { module: /^sequelize$/, member: 'Sequelize', kind: 'pool' },
  { module: /^ioredis$/, member: 'Redis', kind: 'pool' },
  { module: /^ioredis$/, member: 'default', kind: 'pool' },
  { module: /^redis$/, member: 'createClient', kind: 'pool' },
  { module: /^knex$/, member: 'default', kind: 'pool' },
  { module: /^knex$/, member: 'knex', kind: 'pool' },
  { module: /^mysql2?(?:\/promise)?$/, member: 'createPool', kind: 'pool' },
  {
    module: /^mysql2?(?:\/promise)?$/,
    member: 'createConnection',
    kind: 'connection',
  },
  { module: /^mongoose$/, member: 'connect', kind: 'pool' },
  { module: /^mongoose$/, member: 'createConnection', kind: 'pool' },
];

const PYTHON: Catalogue = [
  { module: /^psycopg2?$/, member: 'connect', kind: 'connection' },
  { module: /^pymysql$/, member: 'connect', kind: 'connection' },
  { module: /^mysql\.connector$/, member: 'connect', kind: 'connection' },
  { module: /^asyncpg$/, member: 'connect', kind: 'connection' },
  { module: /^asyncpg$/, member: 'create_pool', kind: 'pool' },
  {
    module: /^sqlalchemy(?:\.ext\.asyncio)?$/,
    member: 'create_engine',
    kind: 'pool',
  },
  {
    module: /^sqlalchemy\.ext\.asyncio$/,
    member: 'create_async_engine',
    kind: 'pool',
  },
  { module: /^psycopg_pool$/, member: 'ConnectionPool', kind: 'pool' },
  { module: /^pymongo$/, member: 'MongoClient', kind: 'pool' },
  { module: /^redis$/, member: 'Redis', kind: 'pool' },
  { module: /^redis$/, member: 'StrictRedis', kind: 'pool' },
];

const GO: Catalogue = [
  { module: /^database\/sql$/, member: 'Open', kind: 'pool' },
  { module: /^github\.com\/jmoiron\/sqlx$/, member: 'Open', kind: 'pool' },
  { module: /^github\.com\/jmoiron\/sqlx$/, member: 'Connect', kind: 'pool' },
  { module: /^gorm\.io\/gorm$/, member: 'Open', kind: 'pool' },
  { module: /pgxpool$/, member: 'New', kind: 'pool' },
  { module: /pgxpool$/, member: 'NewWithConfig', kind: 'pool' },
  { module: /pgxpool$/, member: 'Connect', kind: 'pool' },
  {
    module: /^github\.com\/jackc\/pgx(?:\/v\d+)?$/,
    member: 'Connect',
    kind: 'connection',
  },
  {
    module: /mongo-driver(?:\/v\d+)?\/mongo$/,
    member: 'Connect',
    kind: 'pool',
  },
  { module: /redis(?:\/v\d+)?$/, member: 'NewClient', kind: 'pool' },
];

const JAVA: Array<{ callee: RegExp; kind: ConnectionFactory['kind'] }> = [
  {
    callee: /^(?:java\.sql\.)?DriverManager\.getConnection$/,
    kind: 'connection',
  },
  { callee: /^HikariDataSource$/, kind: 'pool' },
  { callee: /^MongoClients\.create$/, kind: 'pool' },
  { callee: /^MongoClient$/, kind: 'pool' },
];

/** Database connection and pool construction among `sites`. */
export function connectionFactories(
  file: SourceFile,
  sites: readonly CallSite[],
): ConnectionFactory[] {
  const found: ConnectionFactory[] = [];
  const label = (site: CallSite) =>
    site.node.kind() === 'new_expression' ||
    site.node.kind() === 'object_creation_expression'
      ? `new ${site.callee}()`
      : `${site.callee}()`;
  if (file.family === 'java') {
    for (const site of sites) {
      const entry = JAVA.find((e) => e.callee.test(site.callee));
      if (entry)
        found.push({ node: site.node, label: label(site), kind: entry.kind });
    }
    return found;
  }
  const catalogue =
    file.family === 'js' ? JS : file.family === 'python' ? PYTHON : GO;
  const callees = calleesOf(bindingsOf(file), catalogue);
  if (callees.size === 0) return [];
  for (const site of sites) {
    const kind = callees.get(site.callee);
    if (kind) found.push({ node: site.node, label: label(site), kind });
  }
  return found;
}

/** The callee texts that reach a catalogue entry through this file's imports: `Pool`, `pg.Pool`, `sql.Open`. */
function calleesOf(
  bindings: Bindings,
  catalogue: Catalogue,
): Map<string, ConnectionFactory['kind']> {
  const callees = new Map<string, ConnectionFactory['kind']>();
  for (const [local, binding] of bindings) {
    for (const entry of catalogue) {
      if (!entry.module.test(binding.module)) continue;
      if (binding.member === entry.member) callees.set(local, entry.kind);
      else if (
        binding.member === '*' ||
        (binding.member === 'default' && entry.member !== 'default')
      )
        callees.set(`${local}.${entry.member}`, entry.kind);
    }
  }
  return callees;
}
