import type { SgNode } from '@ast-grep/napi';
import type { FileContext } from '../file-context.ts';
import type { LanguageCall } from '../../code/expressions/language-call.ts';
import {
  enclosingFunction,
  isBoolean,
  kindOf,
  namedChildren,
  stringValue,
  unwrap,
} from '../../code/expressions/nodes.ts';
import { entry, readObject } from '../../code/expressions/objects.ts';
import { defineRule } from '../../../core/rules.ts';

export const CORS_CREDENTIALS_ANY_ORIGIN = defineRule({
  id: 'security/cors-credentials-any-origin',
  severity: 'high',
  title: 'CORS allows credentials for any origin',
  appliesTo: {
    languages: ['javascript', 'typescript', 'python', 'go', 'java'],
  },
});

const FIX =
  'Allow credentials only for an explicit list of trusted origins (compare the request origin against the list and echo it back only on a match); never reflect arbitrary origins or use `*` with credentials.';

/** Credentialed CORS (cookies, auth headers) for any origin: any website can act as the logged-in user. */
export function checkCors(ctx: FileContext): void {
  const exploitable = (at: SgNode | SgNode[], how: string) =>
    ctx.report({
      rule: CORS_CREDENTIALS_ANY_ORIGIN,
      at,
      title: 'CORS allows credentials from any origin',
      body: `${how} Any website a logged-in user visits can then call this API with the user's cookies or auth header and read the responses — account data, CSRF tokens, anything the user can see.`,
      fix: FIX,
    });
  const broken = (at: SgNode | SgNode[], how: string) =>
    ctx.report({
      rule: CORS_CREDENTIALS_ANY_ORIGIN,
      severity: 'medium',
      at,
      title: 'CORS combines the `*` origin with credentials',
      body: `${how} Browsers refuse credentialed responses for \`*\`, so cross-origin calls that need cookies fail; the usual "fix" — reflecting the request origin — lets every website act as the user.`,
      fix: FIX,
    });

  switch (ctx.language) {
    case 'javascript':
    case 'typescript':
      return checkNode(ctx, exploitable, broken);
    case 'python':
      return checkPython(ctx, exploitable);
    case 'go':
      return checkGo(ctx, exploitable);
    case 'java':
      return checkJava(ctx, exploitable, broken);
    default:
      return;
  }
}

type Reporter = (at: SgNode | SgNode[], how: string) => void;

/** `(origin, cb) => cb(null, true)`: an origin callback that allows everything. */
function allowsEveryOrigin(node: SgNode): boolean {
  if (!/arrow_function|function/.test(kindOf(node))) return false;
  const body = node.field('body');
  if (!body) return false;
  if (
    /\b(if|switch|includes|indexOf|test|match|has|some|find)\b|\?/.test(
      body.text(),
    )
  )
    return false;
  return (
    /\(\s*null\s*,\s*true\s*\)/.test(body.text()) ||
    /^(\{\s*return\s+)?true;?\s*\}?$/.test(body.text())
  );
}

const REFLECTED_ORIGIN =
  /^((req|request|ctx|c|r)\.(request\.)?(headers?\.origin|headers?\[['"]origin['"]\]|headers?\.get\(['"]origin['"]\)|get\(['"]origin['"]\)|header\(['"]origin['"]\))|origin)$/i;

function checkNode(
  ctx: FileContext,
  exploitable: Reporter,
  broken: Reporter,
): void {
  for (const object of ctx.find({
    kind: 'object',
    all: [
      {
        has: { kind: 'pair', regex: '^["\']?credentials["\']?\\s*:\\s*true$' },
      },
      { has: { kind: 'pair', regex: '^["\']?origin["\']?\\s*:' } },
    ],
  })) {
    const origin = entry(readObject(ctx.language, object), 'origin');
    if (!origin) continue;
    const value = unwrap(ctx.language, origin.value);
    if (isBoolean(value, true))
      exploitable(
        origin.node,
        '`origin: true` reflects whatever origin the request names, and `credentials: true` lets that origin send cookies.',
      );
    else if (
      kindOf(value) === 'regex' &&
      /^\/\^?\.[*+]\$?\//.test(value.text())
    )
      exploitable(
        origin.node,
        `\`origin: ${value.text()}\` matches every origin, and \`credentials: true\` lets them send cookies.`,
      );
    else if (allowsEveryOrigin(value))
      exploitable(
        origin.node,
        'The origin callback approves every origin, and `credentials: true` lets them send cookies.',
      );
    else if (stringValue(ctx.language, value) === '*')
      broken(origin.node, "`origin: '*'` together with `credentials: true`.");
  }
  manualHeaders(ctx, exploitable, 'setHeader|header|set|append|setHeaders');
}

/** `res.setHeader('Access-Control-Allow-Origin', req.headers.origin)` next to `Allow-Credentials: true` in one function. */
function manualHeaders(
  ctx: FileContext,
  exploitable: Reporter,
  names: string,
): void {
  const headerValue = (site: LanguageCall, header: RegExp) => {
    const name = site.args[0]
      ? stringValue(ctx.language, site.args[0])
      : undefined;
    return name && header.test(name) ? site.args[1] : undefined;
  };
  for (const site of ctx.calls(names)) {
    const value = headerValue(site, /^access-control-allow-origin$/i);
    if (
      !value ||
      !REFLECTED_ORIGIN.test(
        unwrap(ctx.language, value).text().replace(/\s+/g, ''),
      )
    )
      continue;
    const scope = enclosingFunction(ctx.language, site.node) ?? ctx.root;
    const credentials = ctx.calls(names, scope).find((other) => {
      const allowed = headerValue(other, /^access-control-allow-credentials$/i);
      return (
        allowed !== undefined &&
        (isBoolean(allowed, true) ||
          stringValue(ctx.language, allowed) === 'true')
      );
    });
    if (credentials)
      exploitable(
        [site.node, credentials.node],
        `\`Access-Control-Allow-Origin\` is set to the request's own \`Origin\` header, and \`Access-Control-Allow-Credentials: true\` is sent with it.`,
      );
  }
}

const ANY = new Set(['*', '.*', '.+', '^.*$', '^.+$']);

function listAllowsAny(ctx: FileContext, node: SgNode | undefined): boolean {
  if (!node) return false;
  const target = unwrap(ctx.language, node);
  const single = stringValue(ctx.language, target);
  if (single !== undefined) return ANY.has(single);
  return namedChildren(target).some((item) =>
    ANY.has(stringValue(ctx.language, item) ?? ''),
  );
}

function checkPython(ctx: FileContext, exploitable: Reporter): void {
  for (const site of ctx.calls('CORS|cross_origin')) {
    const credentials = site.named.get('supports_credentials');
    if (!credentials || !isBoolean(credentials, true)) continue;
    const origins = site.named.get('origins');
    const resources = site.named.get('resources');
    // Flask-CORS defaults to every origin and, with credentials, echoes the caller's origin.
    const any = origins
      ? listAllowsAny(ctx, origins)
      : !resources || /["']origins["']\s*:\s*["']\*["']/.test(resources.text());
    if (any)
      exploitable(
        site.node,
        "`supports_credentials=True` with every origin allowed makes Flask-CORS echo the caller's origin with `Access-Control-Allow-Credentials: true`.",
      );
  }
  for (const site of ctx.calls('add_middleware|CORSMiddleware')) {
    const first = site.args[0]?.text();
    if (site.name === 'add_middleware' && first !== 'CORSMiddleware') continue;
    const credentials = site.named.get('allow_credentials');
    if (!credentials || !isBoolean(credentials, true)) continue;
    if (
      listAllowsAny(ctx, site.named.get('allow_origins')) ||
      listAllowsAny(ctx, site.named.get('allow_origin_regex'))
    ) {
      exploitable(
        site.node,
        "`allow_credentials=True` with every origin allowed makes Starlette echo the caller's origin on credentialed requests.",
      );
    }
  }
  // django-cors-headers settings.
  const setting = (name: string) =>
    ctx.find({
      kind: 'assignment',
      all: [
        { has: { field: 'left', regex: `^${name}$` } },
        { has: { field: 'right', regex: '^True$' } },
      ],
    });
  const allowAll = [
    ...setting('CORS_ALLOW_ALL_ORIGINS'),
    ...setting('CORS_ORIGIN_ALLOW_ALL'),
  ];
  const credentials = setting('CORS_ALLOW_CREDENTIALS');
  if (allowAll.length > 0 && credentials.length > 0) {
    exploitable(
      [...allowAll, ...credentials],
      '`CORS_ALLOW_ALL_ORIGINS = True` with `CORS_ALLOW_CREDENTIALS = True` makes django-cors-headers echo any origin with credentials allowed.',
    );
  }
}

function checkGo(ctx: FileContext, exploitable: Reporter): void {
  for (const literal of ctx.find({
    kind: 'composite_literal',
    has: {
      kind: 'literal_value',
      has: { kind: 'keyed_element', regex: '^AllowCredentials\\s*:\\s*true$' },
    },
  })) {
    const object = readObject(ctx.language, literal);
    const allOrigins = entry(object, 'AllowAllOrigins');
    const origins = entry(object, 'AllowOrigins', 'AllowedOrigins');
    const originFunc = entry(
      object,
      'AllowOriginFunc',
      'AllowOriginRequestFunc',
      'AllowOriginVaryRequestFunc',
    );
    const list = origins
      ? unwrap(ctx.language, origins.value).field('body')
      : null;
    const any =
      (allOrigins && isBoolean(allOrigins.value, true)) ||
      (list &&
        namedChildren(list).some(
          (item) =>
            stringValue(ctx.language, namedChildren(item)[0] ?? item) === '*',
        )) ||
      (originFunc &&
        /^func\s*\([^)]*\)[^{]*\{\s*return\s+true(\s*,\s*nil)?\s*\}$/.test(
          originFunc.value.text(),
        ));
    if (any)
      exploitable(
        literal,
        "The CORS config allows every origin and `AllowCredentials: true`, so credentialed requests from any site are answered with that site's origin.",
      );
  }
  manualHeaders(ctx, exploitable, 'Set|Add');
}

function checkJava(
  ctx: FileContext,
  exploitable: Reporter,
  broken: Reporter,
): void {
  const anyPattern = (site: LanguageCall) =>
    site.args.some(
      (arg) =>
        stringValue(ctx.language, arg) === '*' ||
        /^(List\.of|Arrays\.asList|Collections\.singletonList)\("\*"\)$/.test(
          arg.text().replace(/\s+/g, ''),
        ),
    );
  for (const site of ctx.calls(
    'allowedOriginPatterns|addAllowedOriginPattern|setAllowedOriginPatterns',
  )) {
    if (!anyPattern(site)) continue;
    const scope = enclosingFunction(ctx.language, site.node) ?? ctx.root;
    const credentials = ctx
      .calls('allowCredentials|setAllowCredentials', scope)
      .find((other) => other.args[0] && isBoolean(other.args[0], true));
    if (credentials)
      exploitable(
        [site.node, credentials.node],
        'The origin pattern `*` matches every origin and Spring echoes it back with `allowCredentials(true)`.',
      );
  }
  for (const annotation of ctx.find({
    kind: 'annotation',
    has: { field: 'name', regex: '^CrossOrigin$' },
  })) {
    const text = annotation.text().replace(/\s+/g, '');
    if (
      /allowCredentials="true"/.test(text) &&
      /(origins|value)=(\{)?"\*"/.test(text)
    )
      broken(
        annotation,
        '`@CrossOrigin(origins = "*", allowCredentials = "true")` — Spring rejects this combination at runtime.',
      );
  }
}
