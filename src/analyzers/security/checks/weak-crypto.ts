import type { SgNode } from '@ast-grep/napi';
import type { FileContext } from '../file-context.ts';
import type { LanguageCall } from '../../code/expressions/language-call.ts';
import { isUnguessableName } from '../../code/expressions/names.ts';
import { numberValue, stringValue } from '../../code/expressions/nodes.ts';
import { aboutPasswords, destinationName, mentionsModule } from './helpers.ts';
import { defineRule } from '../../../core/rules.ts';
import { SECURITY_LANGUAGES } from '../languages.ts';

export const WEAK_PASSWORD_HASH = defineRule({
  id: 'security/weak-password-hash',
  severity: 'high',
  title: 'Passwords hashed with MD5 or SHA-1',
  appliesTo: { languages: SECURITY_LANGUAGES },
});

export const BCRYPT_LOW_COST = defineRule({
  id: 'security/bcrypt-low-cost',
  severity: 'medium',
  title: 'bcrypt cost factor below 10',
  appliesTo: { languages: SECURITY_LANGUAGES },
});

export const INSECURE_RANDOM = defineRule({
  id: 'security/insecure-random',
  severity: 'high',
  title:
    'Tokens, secrets or codes generated with a non-cryptographic random generator',
  appliesTo: { languages: SECURITY_LANGUAGES },
});

const WEAK_DIGESTS = /^(md5|md4|sha1|sha-1)$/i;
const MIN_BCRYPT_COST = 10;

const HASH_FIX: Record<string, string> = {
  javascript:
    "Hash passwords with a slow, salted algorithm: `argon2.hash(password)` or `bcrypt.hash(password, 12)`, and compare with the library's verify function.",
  python:
    "Hash passwords with `argon2-cffi` (`PasswordHasher().hash(pw)`), `bcrypt.hashpw(pw, bcrypt.gensalt(12))` or Django/passlib's password hashers.",
  go: 'Hash passwords with `bcrypt.GenerateFromPassword(pw, 12)` or `argon2.IDKey` from golang.org/x/crypto.',
  jvm: "Hash passwords with Spring Security's `BCryptPasswordEncoder(12)` / `Argon2PasswordEncoder`, or jBCrypt `BCrypt.hashpw(pw, BCrypt.gensalt(12))`.",
  ruby: 'Hash passwords with `has_secure_password` / `BCrypt::Password.create(pw)` (cost 12).',
};

/** Passwords hashed with fast digests, bcrypt with a low cost, and predictable randomness for secrets. */
export function checkWeakCrypto(ctx: FileContext): void {
  weakDigests(ctx);
  bcryptCost(ctx);
  predictableRandom(ctx);
}

function fixFor(ctx: FileContext): string {
  const key =
    ctx.language === 'typescript'
      ? 'javascript'
      : ctx.language === 'java' || ctx.language === 'kotlin'
        ? 'jvm'
        : ctx.language;
  return HASH_FIX[key]!;
}

function reportDigest(ctx: FileContext, node: SgNode, algorithm: string): void {
  if (!aboutPasswords(ctx.language, node)) return;
  ctx.report({
    rule: WEAK_PASSWORD_HASH,
    at: node,
    title: `Password hashed with ${algorithm.toUpperCase()}`,
    body: `${algorithm.toUpperCase()} is a fast digest: a stolen table of these hashes is cracked at billions of guesses per second on one GPU, and unsalted hashes fall to precomputed tables at once. Every user's password is exposed by a database leak.`,
    fix: fixFor(ctx),
  });
}

function weakDigests(ctx: FileContext): void {
  const literalArg = (site: LanguageCall) =>
    site.args[0] ? stringValue(ctx.language, site.args[0]) : undefined;
  switch (ctx.language) {
    case 'javascript':
    case 'typescript':
      for (const site of ctx.calls('createHash')) {
        const algorithm = literalArg(site);
        if (algorithm && WEAK_DIGESTS.test(algorithm))
          reportDigest(ctx, site.node, algorithm);
      }
      return;
    case 'python':
      for (const site of ctx.calls('md5|sha1|new')) {
        if (site.name === 'new') {
          const algorithm = literalArg(site);
          if (
            site.receiver === 'hashlib' &&
            algorithm &&
            WEAK_DIGESTS.test(algorithm)
          )
            reportDigest(ctx, site.node, algorithm);
        } else if (site.receiver === 'hashlib' || site.receiver === '')
          reportDigest(ctx, site.node, site.name);
      }
      return;
    case 'go':
      for (const site of ctx.calls('Sum|New')) {
        if (site.receiver === 'md5' || site.receiver === 'sha1')
          reportDigest(ctx, site.node, site.receiver);
      }
      return;
    case 'java':
    case 'kotlin':
      for (const site of ctx.calls(
        'getInstance|md5Hex|sha1Hex|md5DigestAsHex|md5|sha1',
      )) {
        if (site.name === 'getInstance') {
          const algorithm = literalArg(site);
          if (
            site.receiver === 'MessageDigest' &&
            algorithm &&
            WEAK_DIGESTS.test(algorithm)
          )
            reportDigest(ctx, site.node, algorithm);
        } else if (/^(DigestUtils|Hashing)$/.test(site.receiver))
          reportDigest(
            ctx,
            site.node,
            site.name.startsWith('md5') ? 'md5' : 'sha1',
          );
      }
      return;
    case 'ruby':
      for (const site of ctx.calls('hexdigest|digest|base64digest')) {
        const match = /^Digest\.(MD5|SHA1)$/.exec(site.receiver);
        if (match) reportDigest(ctx, site.node, match[1]!);
      }
      return;
  }
}

function reportCost(
  ctx: FileContext,
  node: SgNode,
  callee: string,
  cost: number | string,
): void {
  ctx.report({
    rule: BCRYPT_LOW_COST,
    at: node,
    title: `bcrypt cost ${cost} in \`${callee}\` is below ${MIN_BCRYPT_COST}`,
    body: `Each step below ${MIN_BCRYPT_COST} halves the work an attacker needs per guess; at cost ${cost} a leaked hash table is cracked many times faster than intended.`,
    fix: `Use a cost of at least ${MIN_BCRYPT_COST} (12 is a common default today) and rehash on the next login when the stored cost is lower.`,
  });
}

function bcryptCost(ctx: FileContext): void {
  const low = (node: SgNode | undefined) => {
    const value = node ? numberValue(ctx.language, node) : undefined;
    return value !== undefined && value < MIN_BCRYPT_COST ? value : undefined;
  };
  switch (ctx.language) {
    case 'javascript':
    case 'typescript':
      for (const site of ctx.calls('hash|hashSync|genSalt|genSaltSync')) {
        if (!/(^|\.)(bcrypt|bcryptjs)$/i.test(site.receiver)) continue;
        const cost = low(site.args[site.name.startsWith('genSalt') ? 0 : 1]);
        if (cost !== undefined) reportCost(ctx, site.node, site.callee, cost);
      }
      return;
    case 'python':
      for (const site of ctx.calls('gensalt|using')) {
        if (!/(^|\.)bcrypt$/.test(site.receiver)) continue;
        const cost = low(
          site.named.get('rounds') ??
            (site.name === 'gensalt' ? site.args[0] : undefined),
        );
        if (cost !== undefined) reportCost(ctx, site.node, site.callee, cost);
      }
      return;
    case 'go':
      for (const site of ctx.calls('GenerateFromPassword')) {
        if (site.receiver !== 'bcrypt') continue;
        const costArg = site.args[1];
        const cost =
          low(costArg) ??
          (costArg?.text() === 'bcrypt.MinCost' ? 'bcrypt.MinCost' : undefined);
        if (cost !== undefined) reportCost(ctx, site.node, site.callee, cost);
      }
      return;
    case 'java':
    case 'kotlin':
      for (const site of ctx.calls('gensalt|BCryptPasswordEncoder')) {
        if (site.name === 'gensalt' && site.receiver !== 'BCrypt') continue;
        const cost = low(site.args[0]);
        if (cost !== undefined) reportCost(ctx, site.node, site.callee, cost);
      }
      return;
    case 'ruby':
      for (const site of ctx.calls('create')) {
        if (!/BCrypt\.Password$/.test(site.receiver)) continue;
        const cost = low(site.named.get('cost'));
        if (cost !== undefined) reportCost(ctx, site.node, site.callee, cost);
      }
      return;
  }
}

const RANDOM_FIX: Record<string, string> = {
  javascript:
    "Use `crypto.randomBytes(32).toString('base64url')` or `crypto.randomUUID()`.",
  python:
    'Use the `secrets` module: `secrets.token_urlsafe(32)`, `secrets.choice(...)`.',
  go: 'Use `crypto/rand`: `rand.Read(buf)` then encode, or `rand.Text()`.',
  jvm: 'Use `SecureRandom` (`new SecureRandom().nextBytes(buf)`) and encode the bytes.',
  ruby: 'Use `SecureRandom.urlsafe_base64(32)` / `SecureRandom.hex(32)`.',
};

function predictableRandom(ctx: FileContext): void {
  let sites: LanguageCall[] = [];
  switch (ctx.language) {
    case 'javascript':
    case 'typescript':
      sites = ctx.calls('random').filter((site) => site.receiver === 'Math');
      break;
    case 'python':
      sites = ctx
        .calls(
          'random|randint|randrange|choice|choices|sample|getrandbits|uniform',
        )
        .filter((site) => site.receiver === 'random');
      break;
    case 'go':
      if (
        !mentionsModule(ctx, '^["`]math/rand(/v2)?["`]$') ||
        mentionsModule(ctx, '^["`]crypto/rand["`]$')
      )
        return;
      sites = ctx
        .calls(
          'Int|Intn|IntN|Int31|Int31n|Int63|Int63n|Uint32|Uint64|Float64|Read|N|Perm',
        )
        .filter((site) => site.receiver === 'rand');
      break;
    case 'java':
    case 'kotlin':
      sites = ctx
        .calls(
          'random|Random|randomAlphanumeric|randomAlphabetic|randomNumeric|randomAscii',
        )
        .filter(
          (site) =>
            (site.name === 'random' && site.receiver === 'Math') ||
            (site.name === 'Random' && site.receiver === '') ||
            site.receiver === 'RandomStringUtils',
        );
      break;
    case 'ruby':
      sites = ctx
        .calls('rand')
        .filter((site) => site.receiver === '' || site.receiver === 'Random');
      break;
  }
  const fixKey =
    ctx.language === 'typescript'
      ? 'javascript'
      : ctx.language === 'java' || ctx.language === 'kotlin'
        ? 'jvm'
        : ctx.language;
  for (const site of sites) {
    const name = destinationName(ctx.language, site.node);
    if (!name || !isUnguessableName(name)) continue;
    ctx.report({
      rule: INSECURE_RANDOM,
      at: site.node,
      title: `\`${name}\` is generated with a predictable random number generator`,
      body: `\`${site.callee}\` is not cryptographically secure: its output can be predicted from a few observed values. An attacker who sees some issued values can compute \`${name}\` values for other users — reset links, sessions, one-time codes.`,
      fix: RANDOM_FIX[fixKey]!,
    });
  }
}
