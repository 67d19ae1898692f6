import type { DraftFinding } from '../../../core/finding.ts';
import { makeFinding } from '../findings.ts';
import { splitStatements } from '../sql/lexer.ts';
import type { SqlUnit } from '../types.ts';

import { ONE_WAY_REWRITE_RULE } from './rules.ts';

const ONE_WAY_CALL =
  /\b(?:digest|hmac|crypt|md5|sha1|sha2|sha224|sha256|sha384|sha512|password)\s*\(/i;
const UPDATE_HEAD =
  /^\s*update\s+(?:only\s+)?((?:[`"[]?[\w{}. "$]+?[`"\]]?\.)?[`"[]?(\w+)[`"\]]?)\s+(?:(?:as\s+)?\w+\s+)?set\s+/i;
const CLAUSE_END = /\b(?:where|from|returning)\b/i;

/** Splits `a = x, b = f(y, z)` at the commas outside parentheses and quotes. */
function assignments(set: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < set.length; i++) {
    const ch = set[i]!;
    if (quote) {
      if (ch === quote) quote = undefined;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === ',' && depth === 0) {
      parts.push(set.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(set.slice(start));
  return parts;
}

/** Reports UPDATEs on added lines that overwrite a column with a one-way function of itself. */
export function oneWayRewrites(unit: SqlUnit): DraftFinding[] {
  const findings: DraftFinding[] = [];
  const statements = unit.statements ?? splitStatements(unit.sql);
  for (const statement of statements) {
    const head = UPDATE_HEAD.exec(statement.text);
    if (!head) continue;
    const startLine = unit.firstLine + statement.startLine - 1;
    const endLine = unit.firstLine + statement.endLine - 1;
    let touched = false;
    for (let line = startLine; line <= endLine && !touched; line++)
      touched = unit.added.has(line);
    if (!touched) continue;
    const rest = statement.text.slice(head[0].length);
    const end = CLAUSE_END.exec(rest);
    for (const assignment of assignments(
      end ? rest.slice(0, end.index) : rest,
    )) {
      const match = /^\s*[`"[]?(\w+)[`"\]]?\s*=\s*([\s\S]+)$/.exec(assignment);
      if (!match) continue;
      const [, column, value] = match as unknown as [string, string, string];
      if (
        !ONE_WAY_CALL.test(value) ||
        !new RegExp(`(?:^|[^\\w.])${column}(?:$|[^\\w])`, 'i').test(value)
      )
        continue;
      findings.push(
        makeFinding({
          ruleId: ONE_WAY_REWRITE_RULE,
          path: unit.path,
          lines: { start: startLine, end: endLine, side: 'RIGHT' },
          ctx: { table: head[2]!, column },
        }),
      );
    }
  }
  return findings;
}
