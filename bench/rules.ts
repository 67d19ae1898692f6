/**
 * Measures the deterministic analyzers against the outside reference corpora in ../shared/corpora:
 * oasdiff's OpenAPI spec pairs, buf's protobuf breaking-change cases, graphql-inspector's GraphQL diff
 * cases, squawk's Postgres rule cases and secretlint's fixtures.
 *
 *   npm run bench:rules
 */
import { formatGraphqlBench, runGraphqlBench } from './rules-graphql.ts';
import { formatOpenApiBench, runOpenApiBench } from './rules-openapi.ts';
import {
  formatReport as formatPostgres,
  runPostgresRulesBench,
} from './rules-postgres.ts';
import { formatProtobufBench, runProtobufBench } from './rules-protobuf.ts';
import { formatSecretsBench, runSecretsBench } from './rules-secrets.ts';

console.log('Backend Architect rule benchmark against reference corpora\n');

console.log('== API contract: OpenAPI breaking changes (oasdiff cases) ==');
console.log(formatOpenApiBench(await runOpenApiBench()));

console.log('\n== API contract: protobuf breaking changes (buf cases) ==');
console.log(formatProtobufBench(await runProtobufBench()));

console.log(
  '\n== API contract: GraphQL breaking and dangerous changes (graphql-inspector cases) ==',
);
console.log(formatGraphqlBench(await runGraphqlBench()));

console.log('\n== Schema: Postgres migrations (squawk cases) ==');
console.log(formatPostgres(await runPostgresRulesBench()));

console.log('\n== Security: secrets (secretlint fixtures) ==');
console.log(formatSecretsBench(await runSecretsBench()));
console.log(await (await import('./rules-mysql.ts')).mysqlRulesSection());
