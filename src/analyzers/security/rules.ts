import type { RuleDescriptor } from '../../core/rules.ts';
import { COMMAND_INJECTION } from './checks/command-injection.ts';
import { CORS_CREDENTIALS_ANY_ORIGIN } from './checks/cors.ts';
import { JWT_DECODE_WITHOUT_VERIFY, JWT_HARDCODED_SECRET, JWT_NONE_ALGORITHM, JWT_WITHOUT_EXPIRY } from './checks/jwt.ts';
import { NOSQL_INJECTION } from './checks/nosql-injection.ts';
import { SECRET_IN_LOG } from './checks/secret-in-log.ts';
import { SQL_INJECTION } from './checks/sql-injection.ts';
import { TLS_VERIFICATION_DISABLED } from './checks/tls.ts';
import { BCRYPT_LOW_COST, INSECURE_RANDOM, WEAK_PASSWORD_HASH } from './checks/weak-crypto.ts';

export const rules: RuleDescriptor[] = [
  { id: SQL_INJECTION, lens: 'security', severity: 'high', title: 'SQL text built from non-constant values is passed to a query API' },
  { id: NOSQL_INJECTION, lens: 'security', severity: 'high', title: 'Request data or built strings reach MongoDB query operators or `$where`' },
  { id: COMMAND_INJECTION, lens: 'security', severity: 'high', title: 'A shell command built from non-constant values is executed' },
  { id: JWT_NONE_ALGORITHM, lens: 'security', severity: 'high', title: 'JWTs signed or accepted with the unsigned `none` algorithm' },
  { id: JWT_DECODE_WITHOUT_VERIFY, lens: 'security', severity: 'medium', title: 'JWT claims read without verifying the signature' },
  { id: JWT_HARDCODED_SECRET, lens: 'security', severity: 'high', title: 'JWT signing key written in the source code' },
  { id: JWT_WITHOUT_EXPIRY, lens: 'security', severity: 'medium', title: 'JWT issued without an expiry' },
  { id: WEAK_PASSWORD_HASH, lens: 'security', severity: 'high', title: 'Passwords hashed with MD5 or SHA-1' },
  { id: BCRYPT_LOW_COST, lens: 'security', severity: 'medium', title: 'bcrypt cost factor below 10' },
  { id: INSECURE_RANDOM, lens: 'security', severity: 'high', title: 'Tokens, secrets or codes generated with a non-cryptographic random generator' },
  { id: TLS_VERIFICATION_DISABLED, lens: 'security', severity: 'high', title: 'TLS certificate or hostname verification turned off' },
  { id: CORS_CREDENTIALS_ANY_ORIGIN, lens: 'security', severity: 'high', title: 'CORS allows credentials for any origin' },
  { id: SECRET_IN_LOG, lens: 'security', severity: 'high', title: 'Passwords, tokens or other credentials written to logs' },
];
