import type { SgNode } from '@ast-grep/napi';
import type { FileContext } from '../file-context.ts';
import type { LanguageCall } from '../../code/expressions/language-call.ts';
import {
  isBoolean,
  kindOf,
  namedChildren,
  stringValue,
  unwrap,
} from '../../code/expressions/nodes.ts';
import { entry, readObject } from '../../code/expressions/objects.ts';
import {
  interpolatedValues,
  isConstant,
} from '../../code/expressions/strings.ts';
import {
  argumentShape,
  describeBuilding,
  mentionsModule,
  SHELL_FLAGS,
  SHELLS,
  viaVariable,
  type ArgumentShape,
} from './helpers.ts';
import { defineRule } from '../../../core/rules.ts';
import { SECURITY_LANGUAGES } from '../languages.ts';
import type { CodeLanguage } from '../../code/languages.ts';

export const COMMAND_INJECTION = defineRule({
  id: 'security/command-injection',
  severity: 'high',
  title: 'A shell command built from non-constant values is executed',
  appliesTo: { languages: SECURITY_LANGUAGES },
});

const FIX: Record<string, string> = {
  js: "Call `execFile`/`spawn` with the program and an argument array and no shell (`execFile('convert', [input, output])`); validate values against an allow-list where a shell is unavoidable.",
  python:
    'Pass an argument list without a shell: `subprocess.run(["convert", src, dst], check=True)`; if a shell is unavoidable, quote every value with `shlex.quote`.',
  go: 'Run the program directly with separate arguments: `exec.CommandContext(ctx, "convert", src, dst)`, never through `sh -c`.',
  jvm: 'Start the program directly with separate arguments (`new ProcessBuilder("convert", src, dst)`), never `sh -c` or a single command string.',
  ruby: 'Use the multi-argument forms that bypass the shell: `system("convert", src, dst)`, `Open3.capture2("convert", src, dst)`.',
};

/** Shell command text assembled from non-constant values and handed to something that runs it. */
export function checkCommandInjection(ctx: FileContext): void {
  BY_LANGUAGE[ctx.language](ctx);
}

const BY_LANGUAGE: Record<CodeLanguage, (ctx: FileContext) => void> = {
  javascript: checkNode,
  typescript: checkNode,
  python: checkPython,
  go: checkGo,
  java: checkJvm,
  kotlin: checkJvm,
  ruby: checkRuby,
};

function report(
  ctx: FileContext,
  site: SgNode,
  callee: string,
  argument: SgNode,
  shape: ArgumentShape,
  fix: string,
): void {
  const built = shape.shape === 'built';
  ctx.report({
    rule: COMMAND_INJECTION,
    severity: built ? 'high' : 'medium',
    at: shape.origin ? [site, shape.origin] : site,
    title: built
      ? `Command injection: \`${callee}\` runs a shell command built by ${describeBuilding(ctx.language, shape.built)}`
      : `\`${callee}\` runs a non-constant command through a shell`,
    body: built
      ? `\`${callee}\` hands a shell a command line assembled from non-constant values${viaVariable(argument, shape)}. A value containing \`;\`, \`|\`, \`$(…)\` or backticks runs its own commands on the server with the service's permissions.`
      : `\`${callee}\` passes \`${argument.text()}\` to a shell. If any part of it comes from a request, shell metacharacters in it run arbitrary commands on the server.`,
    fix,
    ...(shape.origin
      ? {
          related: {
            node: shape.origin,
            note: 'the command text is assembled here',
          },
        }
      : {}),
  });
}

/** `sh -c <x>` in an argument list: the shell script argument, if the list runs one. */
function shellScript(ctx: FileContext, args: SgNode[]): SgNode | undefined {
  const program = args[0] ? stringValue(ctx.language, args[0]) : undefined;
  const flag = args[1] ? stringValue(ctx.language, args[1]) : undefined;
  if (program === undefined || flag === undefined) return undefined;
  return SHELLS.test(program.split('/').pop() ?? program) &&
    SHELL_FLAGS.test(flag)
    ? args[2]
    : undefined;
}

function nonConstant(
  ctx: FileContext,
  node: SgNode,
): ArgumentShape | undefined {
  const shape = argumentShape(ctx.language, node);
  return shape.shape === 'built' || shape.shape === 'dynamic'
    ? shape
    : undefined;
}

const CHILD_PROCESS_RECEIVER =
  /(^|\.)(child_process|childProcess|cp|childproc)$/;

function checkNode(ctx: FileContext): void {
  const imported = () =>
    mentionsModule(ctx, '^["\'`](node:)?child_process["\'`]$');
  const fromChildProcess = (site: LanguageCall) =>
    site.receiver === ''
      ? imported()
      : CHILD_PROCESS_RECEIVER.test(site.receiver);
  for (const site of ctx.calls('exec|execSync')) {
    const command = site.args[0];
    if (!command || !fromChildProcess(site)) continue;
    const shape = argumentShape(ctx.language, command);
    if (shape.shape === 'built')
      report(ctx, site.node, site.callee, command, shape, FIX.js!);
  }
  for (const site of ctx.calls('spawn|spawnSync|execFile|execFileSync')) {
    if (!fromChildProcess(site)) continue;
    const list =
      site.args[1] && kindOf(unwrap(ctx.language, site.args[1])) === 'array'
        ? namedChildren(unwrap(ctx.language, site.args[1]))
        : [];
    const script = shellScript(ctx, [site.args[0]!, ...list].filter(Boolean));
    if (script) {
      const shape = nonConstant(ctx, script);
      if (shape) report(ctx, site.node, site.callee, script, shape, FIX.js!);
      continue;
    }
    const options = site.args
      .map((arg) => readObject(ctx.language, arg))
      .find(Boolean);
    const shell = entry(options, 'shell');
    if (!shell || isBoolean(shell.value, false)) continue;
    const values = [site.args[0], ...list].filter(
      (arg): arg is SgNode => arg !== undefined,
    );
    for (const value of values) {
      const shape = nonConstant(ctx, value);
      if (shape) {
        report(ctx, site.node, site.callee, value, shape, FIX.js!);
        break;
      }
    }
  }
}

function checkPython(ctx: FileContext): void {
  for (const site of ctx.calls(
    'system|popen|getoutput|getstatusoutput|create_subprocess_shell',
  )) {
    if (!/^(os|subprocess|commands|asyncio)$/.test(site.receiver)) continue;
    const command = site.args[0];
    const shape = command ? nonConstant(ctx, command) : undefined;
    if (command && shape)
      report(ctx, site.node, site.callee, command, shape, FIX.python!);
  }
  for (const site of ctx.calls('run|call|check_call|check_output|Popen')) {
    if (site.receiver !== 'subprocess') continue;
    const command = site.args[0] ?? site.named.get('args');
    if (!command) continue;
    const shell = site.named.get('shell');
    if (shell && !isBoolean(shell, false)) {
      const shape = nonConstant(ctx, command);
      if (shape)
        report(ctx, site.node, site.callee, command, shape, FIX.python!);
      continue;
    }
    const target = unwrap(ctx.language, command);
    const script =
      kindOf(target) === 'list'
        ? shellScript(ctx, namedChildren(target))
        : undefined;
    const shape = script ? nonConstant(ctx, script) : undefined;
    if (script && shape)
      report(ctx, site.node, site.callee, script, shape, FIX.python!);
  }
}

function checkGo(ctx: FileContext): void {
  for (const site of ctx.calls('Command|CommandContext')) {
    if (site.receiver !== 'exec') continue;
    const args =
      site.name === 'CommandContext' ? site.args.slice(1) : site.args;
    const script = shellScript(ctx, args);
    const shape = script ? nonConstant(ctx, script) : undefined;
    if (script && shape)
      report(ctx, site.node, site.callee, script, shape, FIX.go!);
  }
}

function checkJvm(ctx: FileContext): void {
  for (const site of ctx.calls('exec')) {
    if (!/(Runtime\.getRuntime\(\)|(^|\.)runtime)$/i.test(site.receiver))
      continue;
    const command = site.args[0];
    if (!command) continue;
    const shape = argumentShape(ctx.language, command);
    if (shape.shape === 'built')
      report(ctx, site.node, site.callee, command, shape, FIX.jvm!);
    else {
      const list = unwrap(ctx.language, command);
      const script = shellScript(
        ctx,
        kindOf(list) === 'array_creation_expression'
          ? namedChildren(
              list.find({ rule: { kind: 'array_initializer' } }) ?? list,
            )
          : [],
      );
      const scriptShape = script ? nonConstant(ctx, script) : undefined;
      if (script && scriptShape)
        report(ctx, site.node, site.callee, script, scriptShape, FIX.jvm!);
    }
  }
  for (const site of ctx.calls('ProcessBuilder')) {
    const script = shellScript(ctx, site.args);
    const shape = script ? nonConstant(ctx, script) : undefined;
    if (script && shape)
      report(ctx, site.node, site.callee, script, shape, FIX.jvm!);
  }
}

function checkRuby(ctx: FileContext): void {
  for (const site of ctx.calls(
    'system|exec|spawn|popen|capture2|capture2e|capture3|popen2|popen3|pipeline',
  )) {
    const receiverOk =
      site.receiver === ''
        ? /^(system|exec|spawn)$/.test(site.name)
        : /^(IO|Open3|Kernel|Process)$/.test(site.receiver);
    // The multi-argument forms bypass the shell.
    const command = site.args[0];
    if (!receiverOk || !command || site.args.length > 1) continue;
    const shape = argumentShape(ctx.language, command);
    if (shape.shape === 'built')
      report(ctx, site.node, site.callee, command, shape, FIX.ruby!);
  }
  for (const subshell of ctx.find({ kind: 'subshell' })) {
    if (
      interpolatedValues(ctx.language, subshell).some(
        (value) => !isConstant(ctx.language, value),
      )
    ) {
      report(
        ctx,
        subshell,
        'backticks',
        subshell,
        { shape: 'built', built: subshell },
        FIX.ruby!,
      );
    }
  }
}
