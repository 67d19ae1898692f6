import type { SgNode } from '@ast-grep/napi';
import type { FileContext } from '../file-context.ts';
import type { LanguageCall } from '../../code/expressions/language-call.ts';
import {
  isBoolean,
  kindOf,
  namedChildren,
  operatorOf,
  stringValue,
  unwrap,
} from '../../code/expressions/nodes.ts';
import { entry, readObject } from '../../code/expressions/objects.ts';
import {
  isIdentifier,
  resolveIdentifier,
} from '../../code/expressions/resolve.ts';
import { assignedValue, mentionsModule } from './helpers.ts';
import { defineRule } from '../../../core/rules.ts';
import type { CodeLanguage } from '../../code/languages.ts';

export const JWT_NONE_ALGORITHM = defineRule({
  id: 'security/jwt-none-algorithm',
  severity: 'high',
  title: 'JWTs signed or accepted with the unsigned `none` algorithm',
  appliesTo: {
    languages: ['javascript', 'typescript', 'python', 'go', 'java'],
  },
});

export const JWT_DECODE_WITHOUT_VERIFY = defineRule({
  id: 'security/jwt-decode-without-verify',
  severity: 'medium',
  title: 'JWT claims read without verifying the signature',
  appliesTo: {
    languages: ['javascript', 'typescript', 'python', 'go', 'java'],
  },
});

export const JWT_HARDCODED_SECRET = defineRule({
  id: 'security/jwt-hardcoded-secret',
  severity: 'high',
  title: 'JWT signing key written in the source code',
  appliesTo: {
    languages: ['javascript', 'typescript', 'python', 'go', 'java'],
  },
});

export const JWT_WITHOUT_EXPIRY = defineRule({
  id: 'security/jwt-without-expiry',
  severity: 'medium',
  title: 'JWT issued without an expiry',
  appliesTo: {
    languages: ['javascript', 'typescript', 'python', 'go', 'java'],
  },
});

const SECRET_FIX =
  'Load the signing key at startup from the environment or a secret manager, fail to start when it is missing, and rotate the key that was committed: every token signed with it can be forged.';

/** JSON Web Token misuse: unsigned tokens accepted, signatures not checked, keys in code, tokens that never expire. */
export function checkJwt(ctx: FileContext): void {
  BY_LANGUAGE[ctx.language]?.(ctx);
}

/** The JWT libraries of these languages are known; Kotlin and Ruby code is not checked. */
const BY_LANGUAGE: Partial<Record<CodeLanguage, (ctx: FileContext) => void>> = {
  javascript: checkNode,
  typescript: checkNode,
  python: checkPython,
  go: checkGo,
  java: checkJava,
};

function reportNone(ctx: FileContext, at: SgNode, what: string): void {
  ctx.report({
    rule: JWT_NONE_ALGORITHM,
    at,
    title: 'JWT accepts the unsigned `none` algorithm',
    body: `${what} A token with \`"alg": "none"\` carries no signature, so anyone can mint one with any user id or role and it will be accepted.`,
    fix: 'Allow only the algorithm you sign with (`algorithms: [\'HS256\']` / `algorithms=["RS256"]`, `jwt.WithValidMethods`), never `none`.',
  });
}

function reportHardcoded(
  ctx: FileContext,
  at: SgNode | SgNode[],
  callee: string,
  fallback: boolean,
  related?: SgNode,
): void {
  ctx.report({
    rule: JWT_HARDCODED_SECRET,
    severity: fallback ? 'medium' : 'high',
    at,
    title: fallback
      ? `JWT signing key falls back to a hard-coded value in \`${callee}\``
      : `JWT signing key is hard-coded in \`${callee}\``,
    body: fallback
      ? `When the environment variable is missing, \`${callee}\` signs and verifies with a key written in the source. A deployment that forgets the variable silently accepts tokens anyone with the source can forge.`
      : `\`${callee}\` signs or verifies tokens with a key written in the source. Anyone who can read the code — or a leaked copy of it — can forge a valid token for any user.`,
    fix: SECRET_FIX,
    ...(related
      ? { related: { node: related, note: 'the key is defined here' } }
      : {}),
  });
}

function reportNoExpiry(
  ctx: FileContext,
  at: SgNode,
  callee: string,
  how: string,
): void {
  ctx.report({
    rule: JWT_WITHOUT_EXPIRY,
    at,
    title: `JWT issued by \`${callee}\` never expires`,
    body: `The token has no expiry (${how}). A token that leaks — from a log, a browser, a proxy — stays valid for as long as the key does, and logging out or disabling the user does not end it.`,
    fix: "Give every token a short lifetime (`expiresIn: '15m'`, an `exp` claim, `withExpiresAt`, `setExpiration`) and refresh it through a revocable refresh token.",
  });
}

/** A key argument: a string literal, `process.env.X || 'literal'`, or a variable assigned one of those. */
function keyLiteral(
  ctx: FileContext,
  node: SgNode,
  followed = false,
): { fallback: boolean; origin?: SgNode } | undefined {
  const target = unwrap(ctx.language, node);
  if (stringValue(ctx.language, target) !== undefined)
    return { fallback: false };
  if (isIdentifier(ctx.language, target) && !followed) {
    const origin = resolveIdentifier(ctx.language, target, true).origin;
    const found = origin
      ? keyLiteral(ctx, assignedValue(origin), true)
      : undefined;
    return found && origin ? { ...found, origin } : undefined;
  }
  const operator = operatorOf(target);
  if (['||', '??', 'or'].includes(operator ?? '')) {
    const right = target.field('right') ?? namedChildren(target).at(-1);
    if (right && stringValue(ctx.language, right) !== undefined)
      return { fallback: true };
  }
  // os.environ.get("KEY", "literal"), os.getenv("KEY", "literal")
  if (
    ctx.language === 'python' &&
    /^os\.(environ\.get|getenv)\(/.test(target.text())
  ) {
    const args = namedChildren(target.field('arguments') ?? target);
    if (args.length >= 2 && stringValue(ctx.language, args[1]!) !== undefined)
      return { fallback: true };
  }
  return undefined;
}

function checkKey(
  ctx: FileContext,
  site: LanguageCall,
  key: SgNode | undefined,
): void {
  if (!key) return;
  const literal = keyLiteral(ctx, key);
  if (literal)
    reportHardcoded(
      ctx,
      literal.origin ? [site.node, literal.origin] : site.node,
      site.callee,
      literal.fallback,
      literal.origin,
    );
}

const JS_JWT_RECEIVER = /(^|\.)(jwt|jsonwebtoken|JWT|jws|Jwt)$/;

function checkNode(ctx: FileContext): void {
  const bareImport = () => mentionsModule(ctx, '^["\'`]jsonwebtoken["\'`]$');
  const isJwt = (site: LanguageCall) =>
    site.receiver === '' ? bareImport() : JS_JWT_RECEIVER.test(site.receiver);
  let verifies: boolean | undefined;
  for (const site of ctx.calls('sign|verify|decode|decodeJwt')) {
    if (site.name === 'decodeJwt' || (site.name === 'decode' && isJwt(site))) {
      verifies ??= ctx.calls('verify|jwtVerify|verifyAsync').length > 0;
      if (!verifies) {
        ctx.report({
          rule: JWT_DECODE_WITHOUT_VERIFY,
          at: site.node,
          title: `\`${site.callee}\` reads a JWT without checking its signature`,
          body: `\`${site.callee}\` only base64-decodes the token, and nothing in this file verifies it. If the claims decide who the caller is or what they may do, anyone can edit them.`,
          fix: 'Use `jwt.verify(token, key, { algorithms: [...] })` (or jose `jwtVerify`) and read the claims from its result; decode only to pick a key (`kid`) before verifying.',
        });
      }
      continue;
    }
    if (!isJwt(site) || (site.name !== 'sign' && site.name !== 'verify'))
      continue;
    checkKey(ctx, site, site.args[1]);
    const options = readObject(ctx.language, site.args[2] ?? site.node);
    const algorithm = entry(options, 'algorithm');
    if (
      algorithm &&
      stringValue(ctx.language, algorithm.value)?.toLowerCase() === 'none'
    )
      reportNone(
        ctx,
        algorithm.node,
        `\`${site.callee}\` is told to use \`algorithm: 'none'\`.`,
      );
    const algorithms = entry(options, 'algorithms');
    if (
      algorithms &&
      namedChildren(unwrap(ctx.language, algorithms.value)).some(
        (item) => stringValue(ctx.language, item)?.toLowerCase() === 'none',
      )
    ) {
      reportNone(
        ctx,
        algorithms.node,
        `\`${site.callee}\` lists \`'none'\` among the accepted algorithms.`,
      );
    }
    if (site.name === 'sign') checkNodeExpiry(ctx, site);
  }
}

function checkNodeExpiry(ctx: FileContext, site: LanguageCall): void {
  const payload = site.args[0]
    ? readObject(ctx.language, site.args[0])
    : undefined;
  if (!payload || payload.spread || entry(payload, 'exp')) return;
  const third = site.args[2] ? unwrap(ctx.language, site.args[2]) : undefined;
  const options = third ? readObject(ctx.language, third) : undefined;
  const callback = third && /function|arrow_function/.test(kindOf(third));
  if (third && !options && !callback) return;
  if (options && (options.spread || entry(options, 'expiresIn', 'exp'))) return;
  reportNoExpiry(
    ctx,
    site.node,
    site.callee,
    'no `exp` claim in the payload and no `expiresIn` option',
  );
}

function checkPython(ctx: FileContext): void {
  for (const site of ctx.calls('encode|decode|get_unverified_claims')) {
    if (!/(^|\.)jwt$/.test(site.receiver)) continue;
    if (site.name === 'get_unverified_claims') {
      ctx.report({
        rule: JWT_DECODE_WITHOUT_VERIFY,
        at: site.node,
        title: `\`${site.callee}\` reads JWT claims without checking the signature`,
        body: 'The claims returned are whatever the caller wrote into the token. If they decide identity or permissions, anyone can edit them.',
        fix: 'Use `jwt.decode(token, key, algorithms=[...])`, which verifies the signature, and read the claims from its result.',
      });
      continue;
    }
    const algorithm =
      site.named.get('algorithm') ??
      (site.name === 'encode' ? site.args[2] : undefined);
    if (
      algorithm &&
      stringValue(ctx.language, algorithm)?.toLowerCase() === 'none'
    )
      reportNone(
        ctx,
        algorithm,
        `\`${site.callee}\` uses \`algorithm="none"\`.`,
      );
    const algorithms = site.named.get('algorithms');
    if (
      algorithms &&
      namedChildren(unwrap(ctx.language, algorithms)).some(
        (item) => stringValue(ctx.language, item)?.toLowerCase() === 'none',
      )
    ) {
      reportNone(
        ctx,
        algorithms,
        `\`${site.callee}\` accepts \`"none"\` among its algorithms.`,
      );
    }
    checkKey(ctx, site, site.named.get('key') ?? site.args[1]);
    if (site.name === 'decode') {
      const options = readObject(
        ctx.language,
        site.named.get('options') ?? site.node,
      );
      const off = entry(options, 'verify_signature');
      const verify = site.named.get('verify');
      const disabled =
        (off && isBoolean(off.value, false) ? off.node : undefined) ??
        (verify && isBoolean(verify, false) ? verify : undefined);
      if (disabled) {
        ctx.report({
          rule: JWT_DECODE_WITHOUT_VERIFY,
          severity: 'high',
          at: [disabled, site.node],
          title: `\`${site.callee}\` is told not to verify the signature`,
          body: 'With signature verification off, the decoded claims are whatever the caller put in the token: anyone can claim any user id or role.',
          fix: 'Remove `verify_signature: False` / `verify=False` and pass the key and `algorithms=[...]` so the signature is checked.',
        });
      }
    }
    if (site.name === 'encode') {
      const payload = site.args[0] ?? site.named.get('payload');
      const object = payload ? readObject(ctx.language, payload) : undefined;
      if (object && !object.spread && !entry(object, 'exp'))
        reportNoExpiry(
          ctx,
          site.node,
          site.callee,
          'no `"exp"` claim in the payload',
        );
    }
  }
}

function checkGo(ctx: FileContext): void {
  for (const node of ctx.find({
    kind: 'selector_expression',
    regex: '^jwt\\.(SigningMethodNone|UnsafeAllowNoneSignatureType)$',
  })) {
    reportNone(ctx, node, `\`${node.text()}\` is used.`);
  }
  for (const site of ctx.calls('ParseUnverified')) {
    ctx.report({
      rule: JWT_DECODE_WITHOUT_VERIFY,
      at: site.node,
      title: `\`${site.callee}\` reads a JWT without checking its signature`,
      body: 'The claims returned are whatever the caller wrote into the token. If they decide identity or permissions, anyone can edit them.',
      fix: 'Use `jwt.ParseWithClaims` with a key function and `jwt.WithValidMethods`, and read the claims only when the token is valid.',
    });
  }
  const byteLiteral = (node: SgNode | undefined) => {
    const target = node ? unwrap(ctx.language, node) : undefined;
    if (
      !target ||
      kindOf(target) !== 'type_conversion_expression' ||
      !/^\[\]byte\(/.test(target.text())
    )
      return false;
    const value = namedChildren(target).at(-1);
    return (
      value !== undefined && stringValue(ctx.language, value) !== undefined
    );
  };
  for (const site of ctx.calls('SignedString')) {
    if (byteLiteral(site.args[0]))
      reportHardcoded(ctx, site.node, site.callee, false);
  }
  for (const site of ctx.calls('Parse|ParseWithClaims')) {
    if (site.receiver !== 'jwt' && !/parser$/i.test(site.receiver)) continue;
    const keyFunc = site.args.find((arg) => kindOf(arg) === 'func_literal');
    for (const ret of keyFunc?.findAll({
      rule: { kind: 'return_statement' },
    }) ?? []) {
      const value = namedChildren(namedChildren(ret)[0] ?? ret)[0];
      if (byteLiteral(value))
        reportHardcoded(ctx, [ret, site.node], site.callee, false);
    }
  }
  for (const site of ctx.calls('NewWithClaims')) {
    const claims = site.args[1]
      ? unwrap(ctx.language, site.args[1])
      : undefined;
    if (!claims || kindOf(claims) !== 'composite_literal') continue;
    const type = claims.field('type')?.text() ?? '';
    const object = readObject(ctx.language, claims);
    if (!object) continue;
    if (/MapClaims$/.test(type) && !entry(object, 'exp'))
      reportNoExpiry(ctx, site.node, site.callee, 'no `"exp"` in the claims');
    if (
      /(RegisteredClaims|StandardClaims)$/.test(type) &&
      !entry(object, 'ExpiresAt')
    )
      reportNoExpiry(
        ctx,
        site.node,
        site.callee,
        'no `ExpiresAt` in the claims',
      );
  }
}

function checkJava(ctx: FileContext): void {
  for (const site of ctx.calls('none|unsecured')) {
    if (
      (site.name === 'none' && site.receiver === 'Algorithm') ||
      (site.name === 'unsecured' && /Jwts\.parser\(\)/.test(site.receiver))
    ) {
      reportNone(ctx, site.node, `\`${site.callee}()\` is used.`);
    }
  }
  for (const site of ctx.calls(
    'HMAC256|HMAC384|HMAC512|hmacShaKeyFor|signWith|setSigningKey|verifyWith',
  )) {
    const key = site.name === 'signWith' ? site.args.at(-1) : site.args[0];
    if (!key) continue;
    const target = unwrap(ctx.language, key);
    // "literal".getBytes(...) is the same key as the literal.
    const literal =
      kindOf(target) === 'method_invocation' &&
      target.field('name')?.text() === 'getBytes'
        ? target.field('object')
        : target;
    if (literal && stringValue(ctx.language, literal) !== undefined)
      reportHardcoded(ctx, site.node, site.callee, false);
  }
  let verifies: boolean | undefined;
  for (const site of ctx.calls('decode')) {
    if (site.receiver !== 'JWT') continue;
    verifies ??= ctx.calls('verify|require').length > 0;
    if (!verifies) {
      ctx.report({
        rule: JWT_DECODE_WITHOUT_VERIFY,
        at: site.node,
        title: '`JWT.decode` reads a JWT without checking its signature',
        body: '`JWT.decode` only parses the token, and nothing in this file verifies it. If the claims decide who the caller is, anyone can edit them.',
        fix: 'Verify with `JWT.require(algorithm).build().verify(token)` and read the claims from the verified token.',
      });
    }
  }
  for (const site of ctx.calls('sign|compact')) {
    const chain = site.receiver;
    if (
      site.name === 'sign' &&
      chain.startsWith('JWT.create()') &&
      !/\.withExpiresAt\(/.test(chain)
    ) {
      reportNoExpiry(ctx, site.node, 'JWT.create()', 'no `withExpiresAt`');
    }
    if (
      site.name === 'compact' &&
      chain.startsWith('Jwts.builder()') &&
      !/\.(setExpiration|expiration)\(/.test(chain)
    ) {
      reportNoExpiry(
        ctx,
        site.node,
        'Jwts.builder()',
        'no `setExpiration`/`expiration`',
      );
    }
  }
}
