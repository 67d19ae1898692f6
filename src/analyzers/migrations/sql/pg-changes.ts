import type { SchemaChange } from '../types.ts';
import type { SqlStatement } from './lexer.ts';
import {
  createdTable,
  droppedTables,
  parseAlterTable,
} from './pg-statements.ts';

export interface SchemaEffects {
  changes: SchemaChange[];
  createdTables: string[];
  addedColumns: string[];
}

/**
 * Drops, renames and creations made by the added statements of a Postgres migration. `toHeadLine`
 * maps a line of the SQL text to the head line of the file it came from.
 */
export function postgresEffects(
  statements: SqlStatement[],
  path: string,
  isAdded: (sqlLine: number) => boolean,
  toHeadLine: (sqlLine: number) => number,
): SchemaEffects {
  const effects: SchemaEffects = {
    changes: [],
    createdTables: [],
    addedColumns: [],
  };
  for (const statement of statements) {
    if (!touches(statement, isAdded)) continue;
    const line = toHeadLine(statement.startLine);
    const created = createdTable(statement);
    if (created) {
      effects.createdTables.push(created.toLowerCase());
      continue;
    }
    for (const table of droppedTables(statement)) {
      effects.changes.push({
        kind: 'drop-table',
        table,
        path,
        line,
        side: 'RIGHT',
      });
    }
    const alter = parseAlterTable(statement);
    if (!alter) continue;
    for (const action of alter.actions) {
      const at = action.tokens[0] ? toHeadLine(action.tokens[0].line) : line;
      if (action.kind === 'add-column' && action.column)
        effects.addedColumns.push(
          `${alter.table}.${action.column}`.toLowerCase(),
        );
      if (action.kind === 'drop-column' && action.column) {
        effects.changes.push({
          kind: 'drop-column',
          table: alter.table,
          column: action.column,
          path,
          line: at,
          side: 'RIGHT',
        });
      }
      if (action.kind === 'rename-column' && action.column) {
        effects.changes.push({
          kind: 'rename-column',
          table: alter.table,
          column: action.column,
          newName: action.newName,
          path,
          line: at,
          side: 'RIGHT',
        });
        if (action.newName)
          effects.addedColumns.push(
            `${alter.table}.${action.newName}`.toLowerCase(),
          );
      }
      if (action.kind === 'rename-table') {
        effects.changes.push({
          kind: 'rename-table',
          table: alter.table,
          newName: action.newName,
          path,
          line: at,
          side: 'RIGHT',
        });
      }
    }
  }
  return effects;
}

function touches(
  statement: SqlStatement,
  isAdded: (line: number) => boolean,
): boolean {
  for (let line = statement.startLine; line <= statement.endLine; line++)
    if (isAdded(line)) return true;
  return false;
}
