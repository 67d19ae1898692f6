import type { SgNode } from '@ast-grep/napi';
import type { CheckContext, CodeCheck } from '../code/code-analyzer.ts';
import { callOf } from '../code/calls.ts';
import { draftFinding, headLines } from '../code/findings.ts';
import type { LanguageFamily } from '../code/source-file.ts';
import { kindOf, namedChildren, namesIn } from '../code/syntax.ts';
import { retryLoopOf } from '../code/loops/retry-loops.ts';
import { defineRule } from '../../core/rules.ts';

export const SWALLOWED_ERROR = defineRule({
  id: 'failure-mode/swallowed-error',
  severity: 'medium',
  title: 'Error caught and silently discarded',
  appliesTo: {
    languages: ['javascript', 'typescript', 'python', 'go', 'java'],
  },
});

/** Catch parameters that say "ignored on purpose" by convention. */
const DELIBERATE_NAME = /^(?:_.*|ignored?|expected|unused)$/;
/** Python exception types broad enough that an empty handler hides real failures. */
const BROAD_PYTHON = new Set(['Exception', 'BaseException']);

const HANDLER_KINDS: Record<LanguageFamily, string> = {
  js: 'catch_clause',
  python: 'except_clause',
  go: 'if_statement',
  java: 'catch_clause',
};

/** Empty catch/except blocks and `if err != nil {}`: the failure is dropped without a trace. */
export const swallowedErrors: CodeCheck = {
  rules: [SWALLOWED_ERROR],
  families: ['js', 'python', 'go', 'java'],
  run(context) {
    const { family } = context.file;
    const candidates = [...context.index.ofKind(HANDLER_KINDS[family])];
    // Promise rejections handled with `.catch(() => {})`.
    if (family === 'js')
      candidates.push(
        ...context.index.calls
          .filter((site) => site.name === 'catch' && site.callee.includes('.'))
          .map((site) => site.node),
      );
    for (const node of candidates) {
      if (!context.touches(node)) continue;
      if (
        node.kind() === 'if_statement' &&
        !/^err\w*\s*!=\s*nil$/.test(node.field('condition')?.text() ?? '')
      )
        continue;
      const label = swallowed(node, context);
      if (label) report(context, node, label);
    }
  },
};

/** What swallows the error (for the title), or undefined when the handler does something or says why not. */
function swallowed(node: SgNode, context: CheckContext): string | undefined {
  const family = context.file.family;
  // Empty means no statements and no comment: an explained empty handler is a decision, not an accident.
  switch (kindOf(node)) {
    case 'catch_clause': {
      const body = node.field('body') ?? namedChildren(node).at(-1);
      if (!body || body.namedChildren().length > 0) return undefined;
      const parameter =
        family === 'js'
          ? node.field('parameter')
          : namedChildren(node).find(
              (child) => child.kind() === 'catch_formal_parameter',
            );
      const name = parameter
        ? family === 'js'
          ? parameter.text()
          : (parameter.field('name')?.text() ??
            namedChildren(parameter).at(-1)?.text())
        : undefined;
      if (name && DELIBERATE_NAME.test(name)) return undefined;
      if (handlesRetry(node, context)) return undefined;
      return family === 'js'
        ? 'Empty `catch` block'
        : `Empty \`catch (${parameter ? namedChildren(parameter)[0]?.text() : 'Exception'} …)\` block`;
    }
    case 'call_expression': {
      const call = callOf(node);
      const handler = call?.args[0];
      if (call?.args.length !== 1 || !handler || !isEmptyFunction(handler))
        return undefined;
      return '`.catch()` with an empty handler';
    }
    case 'except_clause': {
      const parts = node.namedChildren();
      const block = parts.find((child) => child.kind() === 'block');
      if (
        !block ||
        parts.some((child) => child.kind() === 'comment') ||
        !isPassOnly(block)
      )
        return undefined;
      const types = namedChildren(node).filter(
        (child) => child.kind() !== 'block',
      );
      const caught = types[0];
      const typeNames = caught
        ? namesIn(
            caught.kind() === 'as_pattern' ? namedChildren(caught)[0]! : caught,
            'python',
          )
        : [];
      if (caught && !typeNames.some((name) => BROAD_PYTHON.has(name)))
        return undefined; // a narrow, named exception is usually deliberate
      if (handlesRetry(node, context)) return undefined;
      return caught
        ? `\`except ${typeNames.find((name) => BROAD_PYTHON.has(name))}: pass\``
        : 'Bare `except: pass`';
    }
    case 'if_statement': {
      const consequence = node.field('consequence');
      if (
        !consequence ||
        node.field('alternative') ||
        !isEmptyBlock(consequence)
      )
        return undefined;
      return 'Empty `if err != nil {}` block';
    }
    default:
      return undefined;
  }
}

function report(context: CheckContext, node: SgNode, label: string): void {
  context.report(
    draftFinding(SWALLOWED_ERROR, context.file.path, headLines(node), {
      title: `${label} swallows the error`,
      body: 'The error is discarded with no log, metric, rethrow or error response. When this fails in production nobody finds out, and the code after it carries on as if the operation had succeeded, with missing data or half-done work.',
      fix: 'Handle the error (log it with context, return an error response, compensate) or let it propagate. If ignoring it really is right, catch only the specific expected error and say why in a comment.',
    }),
  );
}

function isEmptyBlock(block: SgNode): boolean {
  const children = block.namedChildren();
  return (
    children.length === 0 ||
    (children.length === 1 &&
      children[0]!.kind() === 'statement_list' &&
      children[0]!.namedChildren().length === 0)
  );
}

/** `pass` or `...` only, and no comment. */
function isPassOnly(block: SgNode): boolean {
  const statements = block.namedChildren();
  return (
    statements.length > 0 &&
    statements.every(
      (s) =>
        s.kind() === 'pass_statement' ||
        (s.kind() === 'expression_statement' && s.text() === '...'),
    )
  );
}

/** `() => {}`, `function () {}`, `() => undefined`, `() => null`. */
function isEmptyFunction(node: SgNode): boolean {
  if (
    node.kind() !== 'arrow_function' &&
    node.kind() !== 'function_expression' &&
    node.kind() !== 'function'
  )
    return false;
  const body = node.field('body');
  if (!body) return false;
  if (body.kind() === 'statement_block')
    return body.namedChildren().length === 0;
  return body.kind() === 'undefined' || body.kind() === 'null';
}

/** The empty handler of a retry loop is the "try again" path; the retry rules judge it. */
function handlesRetry(handler: SgNode, context: CheckContext): boolean {
  const tryStatement = handler.parent();
  const loop = tryStatement?.parent()?.parent();
  return (
    loop !== null &&
    loop !== undefined &&
    retryLoopOf(loop, context.file.family, context.index) !== undefined
  );
}
