import type { FileContext } from '../file-context.ts';
import { checkCommandInjection } from './command-injection.ts';
import { checkCors } from './cors.ts';
import { checkJwt } from './jwt.ts';
import { checkNoSqlInjection } from './nosql-injection.ts';
import { checkSecretInLog } from './secret-in-log.ts';
import { checkSqlInjection } from './sql-injection.ts';
import { checkTls } from './tls.ts';
import { checkWeakCrypto } from './weak-crypto.ts';

export interface Check {
  /**
   * Texts a file must all contain somewhere for the check to have anything to find. A shortcut that
   * saves parsing and tree walks on most files; every finding still comes from the syntax tree.
   */
  gate: readonly RegExp[];
  run: (ctx: FileContext) => void;
}

/** Ways to build a string from values: interpolation, `+` next to a literal, `+=`, `%`, format calls. */
const STRING_BUILDING = /\$\{|#\{|["'`]\s*\+|\+\s*["'`]|\+=|\bf["']|["']\s*%|\.format\(|Sprintf|String\.format|\.formatted\(|"[^"\n]*\$[A-Za-z_{]/;

export const CHECKS: readonly Check[] = [
  {
    gate: [/\b(select|insert|update|delete|where|order|group|having|values|joins?|pluck|truncate|drop|alter|create)\b|Raw\b|literal|unsafe/i, STRING_BUILDING],
    run: checkSqlInjection,
  },
  {
    gate: [/\$where|(req|request|ctx)\.(body|query|json|get_json|request)/, /\$where|\b(find|update|delete|replace|count|where|distinct|exists)\w*\s*\(/],
    run: checkNoSqlInjection,
  },
  { gate: [/exec|spawn|system|popen|getoutput|subprocess|create_subprocess_shell|Command|ProcessBuilder|capture2|capture3|pipeline|%x|`[^`\n]*#\{/], run: checkCommandInjection },
  { gate: [/jwt|jws|jsonwebtoken|Jwts|SignedString|SigningMethod|ParseUnverified|HMAC(256|384|512)|hmacShaKeyFor/i], run: checkJwt },
  { gate: [/createHash|md5|md4|sha1|sha-1|digest|bcrypt|random|\brand\b|\brand\(|RandomStringUtils|math\/rand/i], run: checkWeakCrypto },
  {
    gate: [/rejectUnauthorized|strictSSL|NODE_TLS_REJECT_UNAUTHORIZED|verify\s*=|ssl\s*=|cert_reqs|CERT_NONE|_create_unverified_context|check_hostname|verify_mode|InsecureSkipVerify|checkServerTrusted|HostnameVerifier|VERIFY_NONE/],
    run: checkTls,
  },
  { gate: [/cors|access-control-allow|CrossOrigin|AllowCredentials|allow_credentials|supports_credentials|allowedOriginPatterns|AllowedOriginPattern/i], run: checkCors },
  { gate: [/passw|passphrase|secret|token|authoriz|api_?key|apikey|cookie|credential|bearer|jwt|private_?key|session_?id/i], run: checkSecretInLog },
];
