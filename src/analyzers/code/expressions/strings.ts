import type { SgNode } from '@ast-grep/napi';
import type { CodeLanguage } from '../languages.ts';
import { anyKind, KINDS } from './kinds.ts';
import { isConstantName } from './names.ts';
import { kindOf, namedChildren, operatorOf, unwrap } from './nodes.ts';

/**
 * What a value passed where text is expected looks like:
 * - `literal`: a constant string (including concatenations of constants);
 * - `built`: a string assembled from constant text and at least one non-constant value, by
 *   interpolation, `+`, `%` or a format call — the shape of an injection;
 * - `dynamic`: a variable, property or call result whose content is not visible here;
 * - `other`: anything else (numbers, lists, …).
 */
export type Shape = 'literal' | 'built' | 'dynamic' | 'other';

const CALL_KINDS = new Set(['call_expression', 'call', 'method_invocation']);

export function shapeOf(language: CodeLanguage, node: SgNode): Shape {
  const target = unwrap(language, node);
  const kind = kindOf(target);
  const kinds = KINDS[language];
  if (kinds.strings.includes(kind)) {
    return interpolatedValues(language, target).every((part) =>
      isConstant(language, part),
    )
      ? 'literal'
      : 'built';
  }
  if (kinds.binary.includes(kind)) {
    const operator = operatorOf(target);
    if (operator === '+') {
      const operands = plusOperands(language, target);
      if (!operands.some((operand) => isStringLike(language, operand)))
        return 'other';
      return operands.every((operand) => isConstant(language, operand))
        ? 'literal'
        : 'built';
    }
    const left = target.field('left') ?? namedChildren(target)[0];
    const right = target.field('right') ?? namedChildren(target).at(-1);
    if (
      operator === '%' &&
      left &&
      right &&
      kinds.strings.includes(kindOf(unwrap(language, left)))
    ) {
      return isConstant(language, right) ? 'literal' : 'built';
    }
    return 'other';
  }
  const formatted = formatArguments(language, target);
  if (formatted)
    return formatted.every((arg) => isConstant(language, arg))
      ? 'literal'
      : 'built';
  if (
    kinds.identifiers.includes(kind) ||
    kinds.members.includes(kind) ||
    kinds.subscripts.includes(kind) ||
    CALL_KINDS.has(kind)
  ) {
    return isConstant(language, target) ? 'literal' : 'dynamic';
  }
  return 'other';
}

/** The expressions interpolated into a string literal (`${x}`, `{x}`, `#{x}`, `$x`). */
export function interpolatedValues(
  language: CodeLanguage,
  node: SgNode,
): SgNode[] {
  const kinds = KINDS[language].interpolations;
  const values: SgNode[] = [];
  for (const child of node.children()) {
    if (kindOf(child) === 'string')
      values.push(...interpolatedValues(language, child));
    else if (kindOf(child) === 'interpolated_identifier') values.push(child);
    else if (kinds.includes(kindOf(child)))
      values.push(
        ...namedChildren(child).filter(
          (part) => !kindOf(part).includes('format'),
        ),
      );
  }
  return values;
}

function plusOperands(language: CodeLanguage, node: SgNode): SgNode[] {
  const target = unwrap(language, node);
  if (
    KINDS[language].binary.includes(kindOf(target)) &&
    operatorOf(target) === '+'
  ) {
    return namedChildren(target).flatMap((child) =>
      plusOperands(language, child),
    );
  }
  return [target];
}

function isStringLike(language: CodeLanguage, node: SgNode): boolean {
  const target = unwrap(language, node);
  return (
    KINDS[language].strings.includes(kindOf(target)) ||
    formatArguments(language, target) !== undefined
  );
}

/** Constant by construction or by naming convention (`TABLE`, `Config.SCHEMA`), or a placeholder list. */
export function isConstant(language: CodeLanguage, node: SgNode): boolean {
  const target = unwrap(language, node);
  const kind = kindOf(target);
  const kinds = KINDS[language];
  if (
    kinds.numbers.includes(kind) ||
    kind === 'true' ||
    kind === 'false' ||
    kind === 'boolean_literal'
  )
    return true;
  if (kinds.strings.includes(kind))
    return interpolatedValues(language, target).every((part) =>
      isConstant(language, part),
    );
  if (
    kinds.identifiers.includes(kind) ||
    kinds.members.includes(kind) ||
    kind === 'interpolated_identifier' ||
    kind === 'constant' ||
    kind === 'scope_resolution'
  ) {
    return isConstantName(target.text()) || kind === 'constant';
  }
  if (kinds.binary.includes(kind))
    return namedChildren(target).every((child) => isConstant(language, child));
  if (CALL_KINDS.has(kind)) return isPlaceholderList(language, target);
  return false;
}

const PLACEHOLDER_TEXT = /^(?:\s|,|\?|\$\d*|:\w+|@\w+|%s|\(|\))*$/;

/**
 * `ids.map(() => '?').join(', ')`, `", ".join(["%s"] * len(ids))`: generated bind placeholders, the
 * parameterised way to write `IN (...)`.
 */
function isPlaceholderList(language: CodeLanguage, node: SgNode): boolean {
  if (
    !/\bjoin\b/.test(
      node.field('function')?.text() ?? node.field('name')?.text() ?? '',
    )
  )
    return false;
  const strings = node.findAll({
    rule: anyKind(language, KINDS[language].strings),
  });
  if (strings.length === 0) return false;
  return strings.every((literal) => {
    const fragments = literal
      .children()
      .filter(
        (child) =>
          !KINDS[language].interpolations.includes(kindOf(child)) &&
          child.isNamed(),
      )
      .map((child) => child.text())
      .join('');
    return PLACEHOLDER_TEXT.test(fragments);
  });
}

/** The value arguments of a format call (`fmt.Sprintf`, `String.format`, `"...".format`, `util.format`), else undefined. */
export function formatArguments(
  language: CodeLanguage,
  node: SgNode,
): SgNode[] | undefined {
  if (!CALL_KINDS.has(kindOf(node))) return undefined;
  const args = node.field('arguments');
  const values = args ? namedChildren(args) : [];
  switch (language) {
    case 'go':
      return /^fmt\.Sprintf$/.test(node.field('function')?.text() ?? '')
        ? values.slice(1)
        : undefined;
    case 'java': {
      const name = node.field('name')?.text();
      const object = node.field('object')?.text();
      if (name === 'format' && object === 'String') return values.slice(1);
      if (name === 'formatted') return values;
      return undefined;
    }
    case 'python': {
      const fn = node.field('function');
      if (
        !fn ||
        kindOf(fn) !== 'attribute' ||
        fn.field('attribute')?.text() !== 'format'
      )
        return undefined;
      const object = fn.field('object');
      return object && KINDS.python.strings.includes(kindOf(object))
        ? values.map((value) => value.field('value') ?? value)
        : undefined;
    }
    case 'javascript':
    case 'typescript':
      return /^(util\.)?format$/.test(node.field('function')?.text() ?? '')
        ? values.slice(1)
        : undefined;
    case 'ruby':
      return /^(format|sprintf)$/.test(node.field('method')?.text() ?? '') &&
        !node.field('receiver')
        ? values.slice(1)
        : undefined;
    case 'kotlin': {
      const callee = namedChildren(node)[0]?.text() ?? '';
      if (!/(^String\.format|\.format)$/.test(callee)) return undefined;
      const list = node.find({ rule: { kind: 'value_arguments' } });
      const kotlinValues = list
        ? namedChildren(list)
            .map((arg) => namedChildren(arg).at(-1)!)
            .filter(Boolean)
        : [];
      return callee.startsWith('String.')
        ? kotlinValues.slice(1)
        : kotlinValues;
    }
  }
}
