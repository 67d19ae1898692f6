/**
 * Measures the deterministic analyzers against the outside reference corpora in ../shared/corpora:
 * oasdiff's OpenAPI spec pairs, squawk's Postgres rule cases and secretlint's fixtures.
 *
 *   npm run bench:rules
 */
import { formatOpenApiBench, runOpenApiBench } from './rules-openapi.ts';
import { formatReport as formatPostgres, runPostgresRulesBench } from './rules-postgres.ts';
import { formatSecretsBench, runSecretsBench } from './rules-secrets.ts';

console.log('Backend Architect rule benchmark against reference corpora\n');

console.log('== API contract: OpenAPI breaking changes (oasdiff cases) ==');
console.log(formatOpenApiBench(await runOpenApiBench()));

console.log('\n== Schema: Postgres migrations (squawk cases) ==');
console.log(formatPostgres(await runPostgresRulesBench()));

console.log('\n== Security: secrets (secretlint fixtures) ==');
console.log(formatSecretsBench(await runSecretsBench()));
console.log(await (await import('./rules-mysql.ts')).mysqlRulesSection());
