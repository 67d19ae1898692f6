import type { CodeLanguage } from '../../code/languages.ts';
import type { FileContext } from '../file-context.ts';
import type { LanguageCall } from '../../code/expressions/language-call.ts';
import { isSecretName } from '../../code/expressions/names.ts';
import { stringValue } from '../../code/expressions/nodes.ts';
import {
  carriesValue,
  secretValues,
  type NamedValue,
} from '../../code/expressions/values.ts';
import { defineRule } from '../../../core/rules.ts';
import { SECURITY_LANGUAGES } from '../languages.ts';

export const SECRET_IN_LOG = defineRule({
  id: 'security/secret-in-log',
  severity: 'high',
  title: 'Passwords, tokens or other credentials written to logs',
  appliesTo: { languages: SECURITY_LANGUAGES },
});

/** Receivers that are loggers: `logger`, `this.log`, `req.log`, `app.logger`, `LOG`, `zap.S()`… */
const LOGGER =
  /(^|[._])(log|logger|logging|console|winston|pino|bunyan|signale|slog|zap\.[LS]\(\)|sugar|logrus|audit_?log)$|(?<![a-z])(Log|Logger|LOG|LOGGER)$|(log|logger)$/i;

interface LogApi {
  names: string;
  /** Bare calls that print (`print`, `puts`, `println`). */
  bare?: RegExp;
  /** Receivers that print regardless of the logger pattern (`System.out`, `fmt`). */
  receivers?: RegExp;
}

const LEVELS =
  'log|info|warn|warning|error|debug|trace|fatal|verbose|silly|notice|critical|exception';

const APIS: Record<CodeLanguage, LogApi> = {
  javascript: { names: `${LEVELS}|dir` },
  typescript: { names: `${LEVELS}|dir` },
  python: { names: `${LEVELS}|print`, bare: /^print$/ },
  go: {
    names:
      'Print|Printf|Println|Fatal|Fatalf|Fatalln|Panic|Panicf|Info|Infof|Infow|Debug|Debugf|Debugw|Warn|Warnf|Warnw|Error|Errorf|Errorw|Trace|Tracef|Log|Logf|InfoContext|DebugContext|WarnContext|ErrorContext|With|WithField|WithFields',
    receivers: /^(fmt|log)$/,
  },
  java: {
    names: `${LEVELS}|println|print|printf`,
    receivers: /^System\.(out|err)$/,
  },
  kotlin: {
    names: `${LEVELS}|println|print`,
    bare: /^(println|print)$/,
    receivers: /^System\.(out|err)$/,
  },
  ruby: {
    names: `${LEVELS}|puts|print|p|pp|warn`,
    bare: /^(puts|print|p|pp|warn)$/,
  },
};

function isLogCall(api: LogApi, site: LanguageCall): boolean {
  if (site.receiver === '') return api.bare?.test(site.name) ?? false;
  // `fmt.Errorf`, `errors.New` build errors, they do not log.
  if (
    /^(fmt|errors)$/.test(site.receiver) &&
    /^(Errorf|Sprintf|New)$/.test(site.name)
  )
    return false;
  return (
    (api.receivers?.test(site.receiver) ?? false) || LOGGER.test(site.receiver)
  );
}

/** Calls that log or print a value whose name says it is a credential. */
export function checkSecretInLog(ctx: FileContext): void {
  const api = APIS[ctx.language];
  for (const site of ctx.calls(api.names)) {
    if (!isLogCall(api, site)) continue;
    const leaked = leakedValue(ctx, site);
    if (!leaked) continue;
    ctx.report({
      rule: SECRET_IN_LOG,
      at: [leaked.node, site.node],
      title: `Credential \`${leaked.name}\` is written to the logs`,
      body: `\`${site.callee}\` logs \`${leaked.name}\`. Logs are kept for months, shipped to third-party services and readable by far more people than the credential store; anyone with log access can use it.`,
      fix: 'Leave the credential out of the log call, or log a non-reversible hint instead (a fixed mask, the last 4 characters, a key id).',
    });
  }
}

function leakedValue(
  ctx: FileContext,
  site: LanguageCall,
): NamedValue | undefined {
  for (const [name, value] of site.named) {
    if (isSecretName(name) && carriesValue(ctx.language, value))
      return { name, node: value };
    const nested = secretValues(ctx.language, value)[0];
    if (nested) return nested;
  }
  for (let i = 0; i < site.args.length; i++) {
    const argument = site.args[i]!;
    // Go key-value loggers: `slog.Info("login", "token", token)`, `log.WithField("password", pw)`.
    const key =
      ctx.language === 'go' ? stringValue(ctx.language, argument) : undefined;
    const next = site.args[i + 1];
    if (
      key !== undefined &&
      next &&
      isSecretName(key) &&
      carriesValue(ctx.language, next)
    )
      return { name: key, node: next };
    const found = secretValues(ctx.language, argument)[0];
    if (found) return found;
  }
  return undefined;
}
