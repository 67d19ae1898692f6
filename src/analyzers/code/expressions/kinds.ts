import { kind as kindId, type Rule } from '@ast-grep/napi';
import { astGrepLang, type CodeLanguage } from '../languages.ts';

/** The tree-sitter node kinds the security checks look at, per language. */
export interface LanguageKinds {
  /** String literals (possibly with interpolation). */
  strings: readonly string[];
  /** Children of a string literal that hold an interpolated expression. */
  interpolations: readonly string[];
  /** Binary operators (`+`, `%`) that build strings. */
  binary: readonly string[];
  identifiers: readonly string[];
  /** Property access: `a.b`. */
  members: readonly string[];
  /** Index access: `a["b"]`. */
  subscripts: readonly string[];
  parenthesized: readonly string[];
  numbers: readonly string[];
  /** Function-like scopes a variable lookup stays inside. */
  functions: readonly string[];
  /** Unary operators and comparisons: their value is not the operand. */
  unary: readonly string[];
  conditional: readonly string[];
  /** Leaves that carry a name or a word: identifiers, property names, string text. */
  words: readonly string[];
}

const JS: LanguageKinds = {
  strings: ['string', 'template_string'],
  interpolations: ['template_substitution'],
  binary: ['binary_expression'],
  identifiers: ['identifier', 'shorthand_property_identifier'],
  members: ['member_expression'],
  subscripts: ['subscript_expression'],
  parenthesized: [
    'parenthesized_expression',
    'as_expression',
    'non_null_expression',
    'satisfies_expression',
    'await_expression',
  ],
  numbers: ['number'],
  functions: [
    'function_declaration',
    'function_expression',
    'arrow_function',
    'method_definition',
    'generator_function_declaration',
    'function',
  ],
  unary: ['unary_expression', 'update_expression'],
  conditional: ['ternary_expression'],
  words: [
    'identifier',
    'property_identifier',
    'shorthand_property_identifier',
    'string_fragment',
  ],
};

export const KINDS: Record<CodeLanguage, LanguageKinds> = {
  javascript: JS,
  typescript: JS,
  python: {
    strings: ['string', 'concatenated_string'],
    interpolations: ['interpolation'],
    binary: ['binary_operator'],
    identifiers: ['identifier'],
    members: ['attribute'],
    subscripts: ['subscript'],
    parenthesized: ['parenthesized_expression', 'await'],
    numbers: ['integer', 'float'],
    functions: ['function_definition', 'lambda'],
    unary: [
      'not_operator',
      'unary_operator',
      'comparison_operator',
      'boolean_operator',
    ],
    conditional: ['conditional_expression'],
    words: ['identifier', 'string_content'],
  },
  go: {
    strings: ['interpreted_string_literal', 'raw_string_literal'],
    interpolations: [],
    binary: ['binary_expression'],
    identifiers: ['identifier'],
    members: ['selector_expression'],
    subscripts: ['index_expression'],
    parenthesized: ['parenthesized_expression'],
    numbers: ['int_literal', 'float_literal'],
    functions: ['function_declaration', 'method_declaration', 'func_literal'],
    unary: ['unary_expression'],
    conditional: [],
    words: [
      'identifier',
      'field_identifier',
      'interpreted_string_literal_content',
    ],
  },
  java: {
    strings: ['string_literal', 'text_block'],
    interpolations: [],
    binary: ['binary_expression'],
    identifiers: ['identifier'],
    members: ['field_access'],
    subscripts: ['array_access'],
    parenthesized: ['parenthesized_expression', 'cast_expression'],
    numbers: [
      'decimal_integer_literal',
      'hex_integer_literal',
      'decimal_floating_point_literal',
    ],
    functions: [
      'method_declaration',
      'constructor_declaration',
      'lambda_expression',
    ],
    unary: ['unary_expression', 'instanceof_expression'],
    conditional: ['ternary_expression'],
    words: ['identifier', 'string_fragment'],
  },
  kotlin: {
    strings: ['string_literal', 'multiline_string_literal'],
    interpolations: ['interpolated_identifier', 'interpolated_expression'],
    binary: ['additive_expression', 'multiplicative_expression'],
    identifiers: ['simple_identifier'],
    members: ['navigation_expression'],
    subscripts: ['indexing_expression'],
    parenthesized: ['parenthesized_expression'],
    numbers: ['integer_literal', 'long_literal', 'real_literal'],
    functions: ['function_declaration', 'lambda_literal', 'anonymous_function'],
    unary: [
      'prefix_expression',
      'equality_expression',
      'comparison_expression',
      'check_expression',
    ],
    conditional: ['if_expression'],
    words: ['simple_identifier', 'string_content'],
  },
  ruby: {
    strings: ['string', 'subshell'],
    interpolations: ['interpolation'],
    binary: ['binary'],
    identifiers: ['identifier', 'instance_variable'],
    members: [],
    subscripts: ['element_reference'],
    parenthesized: ['parenthesized_statements'],
    numbers: ['integer', 'float'],
    functions: ['method', 'singleton_method', 'lambda', 'block', 'do_block'],
    unary: ['unary'],
    conditional: ['conditional'],
    words: ['identifier', 'instance_variable', 'string_content'],
  },
};

const known = new Map<string, boolean>();

/**
 * An ast-grep rule matching any of the kinds; kinds the language's grammar does not have are left
 * out (ast-grep rejects a rule naming one), so one table can serve JavaScript and TypeScript.
 */
export function anyKind(
  language: CodeLanguage,
  kinds: readonly string[],
): Rule {
  const valid = kinds.filter((name) => {
    const key = `${language}:${name}`;
    let ok = known.get(key);
    if (ok === undefined) {
      try {
        ok = kindId(astGrepLang(language), name) !== 0;
      } catch {
        ok = false;
      }
      known.set(key, ok);
    }
    return ok;
  });
  return { any: valid.map((name) => ({ kind: name })) };
}
