import type { RuleDescriptor } from '../../../core/rules.ts';
import type { FileContext } from '../file-context.ts';
import {
  checkCommandInjection,
  COMMAND_INJECTION,
} from './command-injection.ts';
import { checkCors, CORS_CREDENTIALS_ANY_ORIGIN } from './cors.ts';
import {
  checkJwt,
  JWT_DECODE_WITHOUT_VERIFY,
  JWT_HARDCODED_SECRET,
  JWT_NONE_ALGORITHM,
  JWT_WITHOUT_EXPIRY,
} from './jwt.ts';
import { checkNoSqlInjection, NOSQL_INJECTION } from './nosql-injection.ts';
import { checkSecretInLog, SECRET_IN_LOG } from './secret-in-log.ts';
import { checkSqlInjection, SQL_INJECTION } from './sql-injection.ts';
import { checkTls, TLS_VERIFICATION_DISABLED } from './tls.ts';
import {
  BCRYPT_LOW_COST,
  checkWeakCrypto,
  INSECURE_RANDOM,
  WEAK_PASSWORD_HASH,
} from './weak-crypto.ts';

export interface Check {
  /** The rules the check reports, declared with `defineRule` in the check's file. */
  rules: readonly RuleDescriptor[];
  /**
   * Texts a file must all contain somewhere for the check to have anything to find. A shortcut that
   * saves parsing and tree walks on most files; every finding still comes from the syntax tree.
   */
  gate: readonly RegExp[];
  run: (ctx: FileContext) => void;
}

/** Ways to build a string from values: interpolation, `+` next to a literal, `+=`, `%`, format calls. */
const STRING_BUILDING =
  /\$\{|#\{|["'`]\s*\+|\+\s*["'`]|\+=|\bf["']|["']\s*%|\.format\(|Sprintf|String\.format|\.formatted\(|"[^"\n]*\$[A-Za-z_{]/;

export const CHECKS: readonly Check[] = [
  {
    gate: [
      /\b(select|insert|update|delete|where|order|group|having|values|joins?|pluck|truncate|drop|alter|create)\b|Raw\b|literal|unsafe/i,
      STRING_BUILDING,
    ],
    run: checkSqlInjection,
    rules: [SQL_INJECTION],
  },
  {
    gate: [
      /\$where|(req|request|ctx)\.(body|query|json|get_json|request)/,
      /\$where|\b(find|update|delete|replace|count|where|distinct|exists)\w*\s*\(/,
    ],
    run: checkNoSqlInjection,
    rules: [NOSQL_INJECTION],
  },
  {
    gate: [
      /exec|spawn|system|popen|getoutput|subprocess|create_subprocess_shell|Command|ProcessBuilder|capture2|capture3|pipeline|%x|`[^`\n]*#\{/,
    ],
    run: checkCommandInjection,
    rules: [COMMAND_INJECTION],
  },
  {
    gate: [
      /jwt|jws|jsonwebtoken|Jwts|SignedString|SigningMethod|ParseUnverified|HMAC(256|384|512)|hmacShaKeyFor/i,
    ],
    run: checkJwt,
    rules: [
      JWT_NONE_ALGORITHM,
      JWT_DECODE_WITHOUT_VERIFY,
      JWT_HARDCODED_SECRET,
      JWT_WITHOUT_EXPIRY,
    ],
  },
  {
    gate: [
      /createHash|md5|md4|sha1|sha-1|digest|bcrypt|random|\brand\b|\brand\(|RandomStringUtils|math\/rand/i,
    ],
    run: checkWeakCrypto,
    rules: [WEAK_PASSWORD_HASH, BCRYPT_LOW_COST, INSECURE_RANDOM],
  },
  {
    gate: [
      /rejectUnauthorized|strictSSL|NODE_TLS_REJECT_UNAUTHORIZED|verify\s*=|ssl\s*=|cert_reqs|CERT_NONE|_create_unverified_context|check_hostname|verify_mode|InsecureSkipVerify|checkServerTrusted|HostnameVerifier|VERIFY_NONE/,
    ],
    run: checkTls,
    rules: [TLS_VERIFICATION_DISABLED],
  },
  {
    gate: [
      /cors|access-control-allow|CrossOrigin|AllowCredentials|allow_credentials|supports_credentials|allowedOriginPatterns|AllowedOriginPattern/i,
    ],
    run: checkCors,
    rules: [CORS_CREDENTIALS_ANY_ORIGIN],
  },
  {
    gate: [
      /passw|passphrase|secret|token|authoriz|api_?key|apikey|cookie|credential|bearer|jwt|private_?key|session_?id/i,
    ],
    run: checkSecretInLog,
    rules: [SECRET_IN_LOG],
  },
];
