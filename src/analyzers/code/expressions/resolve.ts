import type { SgNode } from '@ast-grep/napi';
import type { CodeLanguage } from '../languages.ts';
import { anyKind, KINDS } from './kinds.ts';
import {
  enclosingFunction,
  kindOf,
  namedChildren,
  operatorOf,
} from './nodes.ts';
import { shapeOf, type Shape } from './strings.ts';

/** How a variable got its value, as far as one function shows. */
export interface Resolved {
  shape: Shape;
  /** The assignment that gave it that shape (for pointing at it). */
  origin?: SgNode;
}

interface Assignment {
  node: SgNode;
  value: SgNode;
  append: boolean;
  start: number;
}

/**
 * Follows an identifier one step back to its assignments in the enclosing function (or file):
 * `const sql = \`... ${id}\`; db.query(sql)` resolves to `built`. Only assignments before the use
 * count; a later `+=` of a non-constant makes a literal `built`. With `fileWide`, an identifier not
 * assigned in its function is looked up among top-level assignments.
 */
export function resolveIdentifier(
  language: CodeLanguage,
  identifier: SgNode,
  fileWide = false,
): Resolved {
  const name = identifier.text();
  if (!/^[A-Za-z_$@][\w$]*$/.test(name)) return { shape: 'dynamic' };
  const before = identifier.range().start.index;
  const result = resolveIn(
    language,
    earlierStatements(language, identifier, name, 'function'),
    name,
    before,
  );
  if (result.origin || !fileWide) return result;
  // Module-level constants (`const JWT_SECRET = '...'`) used inside a function.
  const topLevel = earlierStatements(language, identifier, name, 'file').filter(
    (node) => enclosingFunction(language, node) === undefined,
  );
  return resolveIn(language, topLevel, name, before);
}

/**
 * The statements before a use that may assign the name, found by walking up from the use and
 * looking at earlier siblings at each level: only earlier code can have given the variable its
 * value. `function` stops at the enclosing function; `file` returns the siblings outside it. A text
 * test picks the candidates; the syntax tree decides.
 */
function earlierStatements(
  language: CodeLanguage,
  use: SgNode,
  name: string,
  reach: 'function' | 'file',
): SgNode[] {
  const mention = new RegExp(
    `(^|[^\\w$.])${name.replace(/\$/g, '\\$')}\\b[^\\n;]{0,60}?(=|:=)`,
  );
  const found: SgNode[] = [];
  let inFunction = true;
  for (
    let node: SgNode = use, parent = use.parent();
    parent;
    node = parent, parent = parent.parent()
  ) {
    if (inFunction === (reach === 'function')) {
      for (const sibling of node.prevAll())
        if (mention.test(sibling.text())) found.push(sibling);
    }
    if (KINDS[language].functions.includes(kindOf(parent))) {
      if (reach === 'function') break;
      inFunction = false;
    }
  }
  return found;
}

function resolveIn(
  language: CodeLanguage,
  statements: SgNode[],
  name: string,
  before: number,
): Resolved {
  const assignments = statements
    .flatMap((statement) => findAssignments(language, statement, name))
    .filter((a) => a.start < before)
    .sort((a, b) => a.start - b.start);
  let result: Resolved = { shape: 'dynamic' };
  for (const assignment of assignments) {
    const shape = shapeOf(language, assignment.value);
    if (!assignment.append) result = { shape, origin: assignment.node };
    else if (shape !== 'literal' && result.shape === 'literal')
      result = { shape: 'built', origin: assignment.node };
  }
  return result;
}

const ASSIGNMENT_KINDS: Record<CodeLanguage, readonly string[]> = {
  javascript: [
    'variable_declarator',
    'assignment_expression',
    'augmented_assignment_expression',
  ],
  typescript: [
    'variable_declarator',
    'assignment_expression',
    'augmented_assignment_expression',
  ],
  python: ['assignment', 'augmented_assignment'],
  java: ['variable_declarator', 'assignment_expression'],
  go: ['short_var_declaration', 'assignment_statement', 'var_spec'],
  kotlin: ['property_declaration', 'assignment'],
  ruby: ['assignment', 'operator_assignment'],
};

/** Assignments to `name` in a statement (the statement itself included). Kind-only search; names are compared here. */
function findAssignments(
  language: CodeLanguage,
  statement: SgNode,
  name: string,
): Assignment[] {
  const kinds = ASSIGNMENT_KINDS[language];
  const nodes = statement.findAll({ rule: anyKind(language, kinds) });
  if (kinds.includes(kindOf(statement))) nodes.unshift(statement);
  const found: Assignment[] = [];
  for (const node of nodes) {
    const assignment = readAssignment(language, node, name);
    if (assignment)
      found.push({ ...assignment, node, start: node.range().start.index });
  }
  return found;
}

function readAssignment(
  language: CodeLanguage,
  node: SgNode,
  name: string,
): { value: SgNode; append: boolean } | undefined {
  const kind = kindOf(node);
  const of = (value: SgNode | null | undefined, append: boolean) =>
    value ? { value, append } : undefined;
  switch (kind) {
    case 'variable_declarator':
    case 'var_spec':
      if (node.field('name')?.text() !== name) return undefined;
      return of(
        kind === 'var_spec'
          ? namedChildren(node.field('value') ?? node).at(0)
          : node.field('value'),
        false,
      );
    case 'short_var_declaration':
    case 'assignment_statement':
      return of(
        pickByPosition(node.field('left'), node.field('right'), name),
        operatorOf(node) === '+=',
      );
    case 'property_declaration': {
      const declared = node
        .children()
        .find((child) => kindOf(child) === 'variable_declaration');
      if (declared?.child(0)?.text() !== name) return undefined;
      return of(namedChildren(node).at(-1), false);
    }
    case 'assignment':
      if (language === 'kotlin') {
        const target = node
          .children()
          .find((child) => kindOf(child) === 'directly_assignable_expression');
        if (target?.text() !== name) return undefined;
        return of(
          namedChildren(node).at(-1),
          node.children().some((child) => child.text() === '+='),
        );
      }
      if (node.field('left')?.text() !== name) return undefined;
      return of(node.field('right'), false);
    default:
      // assignment_expression, augmented_assignment(_expression), operator_assignment
      if (node.field('left')?.text() !== name) return undefined;
      return of(
        node.field('right'),
        kind !== 'assignment_expression' || operatorOf(node) === '+=',
      );
  }
}

/** `a, sql := x, y`: the value at the same position as the name. */
function pickByPosition(
  left: SgNode | null,
  right: SgNode | null,
  name: string,
): SgNode | undefined {
  if (!left || !right) return undefined;
  const names = namedChildren(left).map((node) => node.text());
  const values = namedChildren(right);
  const index = names.indexOf(name);
  return index >= 0 && values.length === names.length
    ? values[index]
    : undefined;
}

/** True for identifier nodes in the language (the only thing `resolveIdentifier` follows). */
export function isIdentifier(language: CodeLanguage, node: SgNode): boolean {
  return (
    KINDS[language].identifiers.includes(kindOf(node)) &&
    kindOf(node) !== 'shorthand_property_identifier'
  );
}
