/**
 * SQL built only from constants and bind-parameter placeholders is not injectable: code that joins
 * `?, ?, ?` or `$1, $2` lists, or conditions such as "`id` = ?", into the query text and passes the
 * values as arguments. This reads the non-constant parts of the built text and follows each variable
 * to every value assigned or appended to it in the enclosing function.
 */

/** Calls whose result is a number or a placeholder, never caller-controlled text. */
const SAFE_CALL =
  /^(?:\w+\.)*(?:\w*[Pp]laceholders?\w*|len|make|cap|strconv\.Itoa|strconv\.FormatInt|Itoa|int|Integer\.toString|repeat|strings\.Repeat|Array|fill|map)$/;
/** Formatting and building calls: their arguments decide (the format string itself is a literal). */
const PASS_THROUGH_CALL =
  /^(?:append|fmt\.Sprintf|Sprintf|(?:\w+\.)*format|String\.format|concat|(?:\w+\.)*concat)$/;
/** Joins of a list: the list decides. */
const JOIN_CALL = /^(?:strings\.Join|(?:\w+\.)*join)$/;
/** Words that are types, literals or keywords, not values. */
const NEUTRAL_WORDS = new Set([
  'string',
  'int',
  'int32',
  'int64',
  'any',
  'interface',
  'true',
  'false',
  'nil',
  'null',
  'None',
  'undefined',
  'const',
  'let',
  'var',
  'new',
]);

const MAX_DEPTH = 4;

/** Where names are looked up: the enclosing function, and the file for helper functions. */
export interface Scope {
  text: string;
  file: string;
}

/** True when every non-constant part of `expression` is a placeholder, a number or a list of them. */
export function onlyPlaceholders(
  expression: string,
  scope: Scope,
  depth = 0,
  visiting: ReadonlySet<string> = new Set(),
): boolean {
  if (depth > MAX_DEPTH) return false;
  const { text, interpolated } = blankLiterals(numericFormats(expression));
  if (
    interpolated.some(
      (part) => !onlyPlaceholders(part, scope, depth + 1, visiting),
    )
  )
    return false;
  return safeExpression(text, scope, depth, visiting);
}

/** `fmt.Sprintf("$%d", i)`-style calls whose every verb is a number: replaced by a literal. */
function numericFormats(expression: string): string {
  let out = expression;
  let from = 0;
  for (;;) {
    const found = /\bSprintf\(\s*"/.exec(out.slice(from));
    if (!found) return out;
    const at = from + found.index;
    const open = out.indexOf('(', at);
    const close = matchingParen(out, open);
    if (close === -1) return out;
    const format = /^\(\s*"((?:[^"\\]|\\.)*)"/.exec(out.slice(open))?.[1] ?? '';
    const verbs =
      format.replace(/%%/g, '').match(/%[-+# 0-9.]*[a-zA-Z]/g) ?? [];
    if (verbs.every((verb) => /[dxXob]$/.test(verb))) {
      const start =
        at - (/(?:\w+\.)?$/.exec(out.slice(0, at))?.[0].length ?? 0);
      out = `${out.slice(0, start)}""${out.slice(close + 1)}`;
      from = start + 2;
    } else from = close + 1;
  }
}

/**
 * Replaces each string literal ("…", '…', `…`, with Python prefixes) by "" in one left-to-right
 * scan, so quotes inside other literals do not confuse it; returns the `${…}` parts of templates.
 */
function blankLiterals(expression: string): {
  text: string;
  interpolated: string[];
} {
  let text = '';
  const interpolated: string[] = [];
  for (let i = 0; i < expression.length; i++) {
    const c = expression[i]!;
    if (c !== '"' && c !== "'" && c !== '`') {
      text += c;
      continue;
    }
    let j = i + 1;
    for (; j < expression.length && expression[j] !== c; j++) {
      if (expression[j] === '\\' && c !== '`') j++;
      else if (
        c === '`' &&
        expression[j] === '$' &&
        expression[j + 1] === '{'
      ) {
        const close = expression.indexOf('}', j);
        if (close === -1) break;
        interpolated.push(expression.slice(j + 2, close));
        j = close;
      }
    }
    // Ruby "#{x}", Kotlin "$x" / "${x}": interpolation inside ordinary quotes.
    if (c === '"')
      for (const m of expression
        .slice(i + 1, j)
        .matchAll(/#\{([^}]*)\}|\$\{([^}]*)\}|\$([A-Za-z_]\w*)/g))
        interpolated.push(m[1] ?? m[2] ?? m[3]!);
    // Python's f"…{x}…" interpolates too.
    if (/[fF]$/.test(text) && c !== '`')
      for (const m of expression.slice(i + 1, j).matchAll(/\{([^{}]+)\}/g))
        interpolated.push(m[1]!);
    text = `${text.replace(/[rRbBuUfF]{1,2}$/, '')}""`;
    i = j;
  }
  return { text, interpolated };
}

function safeExpression(
  text: string,
  scope: Scope,
  depth: number,
  visiting: ReadonlySet<string>,
): boolean {
  // cond ? a : b — only the branches become text.
  const ternary = /^([^?]*)\?([^:]*):(.*)$/s.exec(text);
  if (ternary && !text.includes('?.'))
    return (
      safeExpression(ternary[2]!, scope, depth, visiting) &&
      safeExpression(ternary[3]!, scope, depth, visiting)
    );
  for (let i = 0; i < text.length; ) {
    const rest = text.slice(i);
    const word = /^[A-Za-z_$][\w$]*(?:\s*\.\s*[A-Za-z_$][\w$]*)*/.exec(rest);
    if (!word) {
      i++;
      continue;
    }
    const name = word[0].replace(/\s+/g, '');
    let end = i + word[0].length;
    const call = /^\s*\(/.exec(text.slice(end));
    if (call) {
      const open = end + call[0].length - 1;
      const close = matchingParen(text, open);
      if (close === -1) return false;
      const args = text.slice(open + 1, close);
      if (JOIN_CALL.test(name)) {
        // strings.Join(list, sep), sep.join(list) and list.join(sep): the list and separator decide.
        const receiver = name.replace(/\.join$/, '');
        if (
          name.endsWith('.join') &&
          receiver !== name &&
          !safeExpression(receiver, scope, depth, visiting)
        )
          return false;
        if (!safeExpression(args, scope, depth, visiting)) return false;
      } else if (PASS_THROUGH_CALL.test(name)) {
        if (!safeExpression(args, scope, depth, visiting)) return false;
        // "…".format(x): the receiver is a literal, blanked to "".
      } else if (
        !SAFE_CALL.test(name) &&
        !SAFE_CALL.test(name.slice(name.lastIndexOf('.') + 1)) &&
        !safeHelper(name, scope, depth, visiting)
      ) {
        return false;
      } else if (
        /^(?:\w+\.)*(?:map|fill)$/.test(name) &&
        !safeExpression(args, scope, depth, visiting)
      ) {
        return false;
      }
      end = close + 1;
    } else if (
      !NEUTRAL_WORDS.has(name) &&
      !/placeholder/i.test(name) &&
      !visiting.has(name) &&
      !safeVariable(name, scope, depth + 1, visiting)
    ) {
      return false;
    }
    i = end;
  }
  return true;
}

/**
 * A call to a function defined in the same file (`clause, args := inClause(1, batch)`) is safe when
 * each value it returns first is.
 */
function safeHelper(
  name: string,
  scope: Scope,
  depth: number,
  visiting: ReadonlySet<string>,
): boolean {
  if (depth > MAX_DEPTH || visiting.has(`${name}()`)) return false;
  const file = scope.file;
  const bare = name.slice(name.lastIndexOf('.') + 1);
  const definition = new RegExp(
    `(?:^|\\n)\\s*(?:func\\s+(?:\\([^)]*\\)\\s*)?|def\\s+|function\\s+|(?:const|let)\\s+)${bare.replace(/\$/g, '\\$')}\\b`,
  ).exec(file);
  if (!definition) return false;
  const start = definition.index;
  const next = file
    .slice(start + definition[0].length)
    .search(
      /\n(?:func |def |function |export |class |const \w+ = (?:async )?\()/,
    );
  const body =
    next === -1
      ? file.slice(start)
      : file.slice(start, start + definition[0].length + next);
  const returns = [...body.matchAll(/\breturn\s+([^\n]+)/g)]
    .map((m) => splitTopLevel(m[1]!.replace(/;\s*$/, ''))[0]!)
    .filter((v) => v !== '' && v !== 'nil' && v !== 'None');
  const inner = new Set([...visiting, `${name}()`]);
  return (
    returns.length > 0 &&
    returns.every((value) =>
      onlyPlaceholders(value, { text: body, file }, depth + 1, inner),
    )
  );
}

/** A variable is safe when it has assignments in scope and every value it gets is safe. */
function safeVariable(
  name: string,
  scope: Scope,
  depth: number,
  visiting: ReadonlySet<string>,
): boolean {
  if (depth > MAX_DEPTH || name.includes('.')) return false;
  const values = assignedValues(name, scope.text);
  // Its own earlier value (`where = append(where, …)`) adds nothing new.
  const inner = new Set([...visiting, name]);
  return (
    values.length > 0 &&
    values.every((value) => onlyPlaceholders(value, scope, depth, inner))
  );
}

/** Values given to `name`: `name = v`, `name := v`, `name += v`, `a, name = x, v`, `append(name, v…)`, `name.push(v)`. */
function assignedValues(name: string, scope: string): string[] {
  const values: string[] = [];
  const escaped = name.replace(/\$/g, '\\$');
  const lines = scope.split('\n');
  for (const line of lines) {
    const assign = new RegExp(
      `^\\s*(?:(?:const|let|var)\\s+)?((?:[\\w$]+\\s*,\\s*)*${escaped}(?:\\s*,\\s*[\\w$]+)*)\\s*(?::?=|\\+=)(?!=)\\s*(.+)$`,
    ).exec(line);
    if (assign) {
      const targets = assign[1]!.split(',').map((t) => t.trim());
      const rhs = splitTopLevel(assign[2]!.replace(/[;{]\s*$/, ''));
      const index = targets.indexOf(name);
      values.push(
        targets.length > 1 && rhs.length === targets.length
          ? rhs[index]!
          : assign[2]!,
      );
    }
  }
  for (const match of scope.matchAll(
    new RegExp(
      `(?:\\bappend\\(\\s*${escaped}\\s*,|\\b${escaped}\\s*\\.\\s*(?:push|append|add)\\()`,
      'g',
    ),
  )) {
    const open = scope.lastIndexOf('(', match.index! + match[0].length - 1);
    const close = matchingParen(scope, open);
    if (close === -1) return [];
    const inner = scope.slice(match.index! + match[0].length, close);
    values.push(inner);
  }
  return values.map((value) => value.trim()).filter((value) => value !== '');
}

function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') quote = c;
    else if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim());
}

function matchingParen(text: string, open: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = open; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') quote = c;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  return -1;
}
