import type { SgNode } from '@ast-grep/napi';
import type { FileContext } from '../file-context.ts';
import {
  isBoolean,
  kindOf,
  namedChildren,
  unwrap,
} from '../../code/expressions/nodes.ts';
import { defineRule } from '../../../core/rules.ts';
import { SECURITY_LANGUAGES } from '../languages.ts';

export const TLS_VERIFICATION_DISABLED = defineRule({
  id: 'security/tls-verification-disabled',
  severity: 'high',
  title: 'TLS certificate or hostname verification turned off',
  appliesTo: { languages: SECURITY_LANGUAGES },
});

const FIX: Record<string, string> = {
  javascript:
    'Remove `rejectUnauthorized: false` / `NODE_TLS_REJECT_UNAUTHORIZED=0`. For a private CA, pass its certificate with `ca: fs.readFileSync(...)` (or `NODE_EXTRA_CA_CERTS`) instead.',
  python:
    'Remove `verify=False` / `CERT_NONE`. For a private CA, pass its bundle: `requests.get(url, verify="/path/to/ca.pem")` or `ssl.create_default_context(cafile=...)`.',
  go: 'Remove `InsecureSkipVerify: true`. For a private CA, load it into `tls.Config{RootCAs: pool}`.',
  jvm: 'Use the default trust manager and hostname verifier. For a private CA, build a `TrustManagerFactory` from a truststore that contains it.',
  ruby: 'Use `OpenSSL::SSL::VERIFY_PEER` and, for a private CA, set `ca_file`.',
};

/** Certificate or hostname verification turned off for outbound TLS. */
export function checkTls(ctx: FileContext): void {
  const fixKey =
    ctx.language === 'typescript'
      ? 'javascript'
      : ctx.language === 'java' || ctx.language === 'kotlin'
        ? 'jvm'
        : ctx.language;
  const report = (at: SgNode, what: string) =>
    ctx.report({
      rule: TLS_VERIFICATION_DISABLED,
      at,
      title: 'TLS certificate verification is disabled',
      body: `${what} Any machine on the network path (a compromised router, Wi-Fi, a cloud neighbour) can present its own certificate, read the traffic — credentials and tokens included — and change responses.`,
      fix: FIX[fixKey]!,
    });

  switch (ctx.language) {
    case 'javascript':
    case 'typescript':
      for (const pair of ctx.find({
        kind: 'pair',
        has: {
          field: 'key',
          regex: '^["\']?(rejectUnauthorized|strictSSL)["\']?$',
        },
      })) {
        const value = pair.field('value');
        if (
          value &&
          (isBoolean(unwrap(ctx.language, value), false) ||
            value.text() === '0')
        )
          report(pair, `\`${pair.text()}\` accepts any certificate.`);
      }
      for (const assignment of ctx.find({
        kind: 'assignment_expression',
        has: { field: 'left', regex: 'NODE_TLS_REJECT_UNAUTHORIZED' },
      })) {
        const right = assignment.field('right');
        if (right && /^["'`]?0["'`]?$/.test(right.text()))
          report(
            assignment,
            '`NODE_TLS_REJECT_UNAUTHORIZED = 0` turns off certificate checks for every HTTPS request the process makes.',
          );
      }
      return;
    case 'python':
      for (const argument of ctx.find({
        kind: 'keyword_argument',
        has: { field: 'name', regex: '^(verify|ssl|cert_reqs)$' },
      })) {
        const value = argument.field('value');
        const call = argument.parent()?.parent();
        const callee = call?.field('function')?.text() ?? '';
        // PyJWT's `verify=False` is about signatures, not TLS.
        if (!value || /(^|\.)(decode|encode|jwt\.\w+)$/.test(callee)) continue;
        if (isBoolean(value, false) || /CERT_NONE/.test(value.text()))
          report(
            argument,
            `\`${argument.text()}\` in \`${callee}\` accepts any certificate.`,
          );
      }
      for (const call of ctx.find({
        kind: 'call',
        has: { field: 'function', regex: '^ssl\\._create_unverified_context$' },
      })) {
        report(
          call,
          '`ssl._create_unverified_context()` skips certificate and hostname checks.',
        );
      }
      for (const assignment of ctx.find({
        kind: 'assignment',
        has: { field: 'left', regex: '\\.(verify_mode|check_hostname)$' },
      })) {
        const right = assignment.field('right');
        if (
          right &&
          (/CERT_NONE$/.test(right.text()) || isBoolean(right, false))
        )
          report(
            assignment,
            `\`${assignment.text()}\` turns off verification for this SSL context.`,
          );
      }
      return;
    case 'go':
      for (const element of ctx.find({
        kind: 'keyed_element',
        regex: '^InsecureSkipVerify\\s*:\\s*true$',
      })) {
        report(
          element,
          '`InsecureSkipVerify: true` accepts any certificate for any host name.',
        );
      }
      for (const assignment of ctx.find({
        kind: 'assignment_statement',
        has: { field: 'left', regex: '\\.InsecureSkipVerify$' },
      })) {
        if (assignment.field('right')?.text() === 'true')
          report(
            assignment,
            '`InsecureSkipVerify = true` accepts any certificate for any host name.',
          );
      }
      return;
    case 'java':
      for (const method of ctx.find({
        kind: 'method_declaration',
        has: {
          field: 'name',
          regex: '^(checkServerTrusted|checkClientTrusted)$',
        },
      })) {
        const body = method.field('body');
        if (
          method.field('name')?.text() === 'checkServerTrusted' &&
          body &&
          namedChildren(body).length === 0
        ) {
          report(
            method,
            'This `X509TrustManager.checkServerTrusted` accepts every certificate chain without checking it.',
          );
        }
      }
      for (const method of ctx.find({
        kind: 'method_declaration',
        has: { field: 'name', regex: '^verify$' },
      })) {
        const statements = method.field('body')
          ? namedChildren(method.field('body')!)
          : [];
        if (
          /HostnameVerifier/.test(
            method.parent()?.parent()?.text().slice(0, 200) ?? '',
          ) &&
          statements.length === 1 &&
          /^return\s+true\s*;$/.test(statements[0]!.text())
        ) {
          report(method, 'This `HostnameVerifier` accepts any host name.');
        }
      }
      for (const site of ctx.calls(
        'setHostnameVerifier|setDefaultHostnameVerifier|hostnameVerifier|setSSLHostnameVerifier',
      )) {
        const arg = site.args[0];
        if (!arg) continue;
        const lambdaTrue =
          kindOf(arg) === 'lambda_expression' &&
          /->\s*(true|\{\s*return\s+true\s*;\s*\})$/.test(arg.text());
        if (
          lambdaTrue ||
          /(NoopHostnameVerifier\.INSTANCE|ALLOW_ALL_HOSTNAME_VERIFIER)$/.test(
            arg.text(),
          )
        )
          report(
            site.node,
            `\`${site.callee}(${arg.text()})\` accepts any host name.`,
          );
      }
      return;
    case 'kotlin':
      for (const fn of ctx.find({
        kind: 'function_declaration',
        has: { kind: 'simple_identifier', regex: '^checkServerTrusted$' },
      })) {
        const body = fn
          .children()
          .find((child) => kindOf(child) === 'function_body');
        if (body && /^\{\s*\}$/.test(body.text()))
          report(
            fn,
            'This `X509TrustManager.checkServerTrusted` accepts every certificate chain without checking it.',
          );
      }
      return;
    case 'ruby':
      for (const node of ctx.find({
        kind: 'scope_resolution',
        regex: '^OpenSSL::SSL::VERIFY_NONE$',
      })) {
        report(node, '`OpenSSL::SSL::VERIFY_NONE` accepts any certificate.');
      }
      return;
  }
}
