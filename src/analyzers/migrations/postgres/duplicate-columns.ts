/**
 * schema/ban-duplicate-column-assignments, checked with the Postgres parser itself (libpg-query):
 * the same column assigned twice in one statement (UPDATE … SET, INSERT and MERGE column lists,
 * ON CONFLICT DO UPDATE SET, MERGE … UPDATE SET) or declared twice (CREATE [FOREIGN] TABLE, CREATE
 * VIEW, CREATE TABLE AS, CREATE MATERIALIZED VIEW, SELECT … INTO). Postgres rejects all of these, so
 * the migration fails when it reaches the statement.
 *
 * Names are compared the way Postgres compares them, because the parse tree already holds them
 * folded to lower case (unless quoted) and truncated to 63 bytes. Output columns without an alias
 * get the name Postgres would give them (`?column?`, the function name, the cast type, …).
 */
import type {
  IntoClause,
  MergeStmt,
  Node,
  ParseResult,
  RangeVar,
  ScanResult,
  SelectStmt,
  SQLValueFunctionOp,
  XmlExprOp,
} from 'libpg-query';

import {
  splitStatements,
  type SqlStatement,
  type SqlToken,
} from '../sql/lexer.ts';

export const DUPLICATE_COLUMNS_RULE = 'ban-duplicate-column-assignments';

/** The parts of libpg-query this check uses. */
export interface PostgresParser {
  parseSync(sql: string): ParseResult;
  scanSync(sql: string): ScanResult;
}

let loading: Promise<PostgresParser> | undefined;

/**
 * Loads libpg-query and its WebAssembly build once, on first use, so a review without Postgres SQL
 * never pays for it. A failed load is not cached: the next review tries again.
 */
export function loadPostgresParser(): Promise<PostgresParser> {
  if (!loading) {
    const attempt = import('libpg-query').then(async (mod) => {
      await mod.loadModule();
      return { parseSync: mod.parseSync, scanSync: mod.scanSync };
    });
    attempt.catch(() => {
      if (loading === attempt) loading = undefined;
    });
    loading = attempt;
  }
  return loading;
}

export interface DuplicateColumn {
  /** The column as Postgres names it: folded unless quoted, at most 63 bytes. */
  column: string;
  /** The table or view the statement writes or defines. */
  table?: string;
  /** 1-based lines of the SQL holding each occurrence, in source order. */
  lines: number[];
  /** 1-based first and last line of the statement. */
  statement: { start: number; end: number };
}

export interface DuplicateColumnReport {
  duplicates: DuplicateColumn[];
  /**
   * Whether a squawk-ignore comment naming the rule covers a 1-based line: a line comment on that
   * line or the one above, or a file-level comment anywhere (naming the rule or no rule at all).
   */
  ignored(line: number): boolean;
}

/**
 * Finds columns assigned or declared twice in one statement. SQL the parser rejects is checked
 * statement by statement, so one bad statement does not hide the others; a statement that still
 * does not parse is skipped (squawk already reports the syntax error for the file).
 */
export function findDuplicateColumns(
  sql: string,
  parser: PostgresParser,
): DuplicateColumnReport {
  const duplicates: DuplicateColumn[] = [];
  const whole = sourceText(sql, 1, parser);
  // Only statements that can name a column twice are parsed: most migration lines are ALTER, CREATE
  // INDEX or DROP. They are parsed in one call, the rest of the file blanked out with its line breaks
  // kept, because every call into the parser leaves sizeable garbage behind.
  const candidates = splitStatements(sql).filter(
    (statement) => mayNameColumnsTwice(statement) && repeatsAName(statement),
  );
  if (candidates.length === 0)
    return { duplicates, ignored: ignoreComments(whole) };
  const masked = keepOnly(sql, candidates);
  const parsed = tryParse(parser, masked);
  if (parsed) {
    collect(parsed, sourceText(masked, 1, parser), duplicates);
  } else {
    // One statement the parser rejects must not hide the others.
    for (const statement of candidates) {
      const result = tryParse(parser, statement.text);
      if (result)
        collect(
          result,
          sourceText(statement.text, statement.startLine, parser),
          duplicates,
        );
    }
  }
  return { duplicates, ignored: ignoreComments(whole) };
}

/** The text with everything outside the given statements turned into spaces; line breaks and semicolons stay. */
function keepOnly(sql: string, statements: SqlStatement[]): string {
  const chars = sql.split('');
  let from = 0;
  const blank = (start: number, end: number): void => {
    for (let i = start; i < end; i++)
      if (chars[i] !== '\n' && chars[i] !== ';') chars[i] = ' ';
  };
  for (const statement of statements) {
    blank(from, statement.start);
    from = statement.end;
  }
  blank(from, chars.length);
  return chars.join('');
}

/**
 * A screen run on our own tokens before the parser is asked: could this statement name one column
 * twice? It may say yes too often (the parser then decides) but never no wrongly. The parser leaves
 * native memory behind on every call, so in a long-running server it is only called when needed.
 */
function repeatsAName(statement: SqlStatement): boolean {
  const first = statement.tokens[0]?.value;
  if (first === 'UPDATE' || first === 'INSERT' || first === 'MERGE')
    return hasRepeat(assignedNames(statement.tokens));
  // A query's output columns may get names Postgres makes up (`?column?`, `column2`): always parse those.
  const query = statement.tokens.some(
    (t) => t.kind === 'word' && (t.value === 'SELECT' || t.value === 'VALUES'),
  );
  if (first !== 'CREATE' || query) return true;
  return hasRepeat(
    statement.tokens
      .filter((t) => t.kind === 'word' || t.kind === 'quoted')
      .map(folded),
  );
}

/** A name as Postgres compares it: folded to lower case unless quoted, cut to 63 bytes. */
function folded(token: SqlToken): string {
  const name =
    token.kind === 'quoted' ? token.value : token.value.toLowerCase();
  const bytes = Buffer.from(name, 'utf8');
  return bytes.length <= 63 ? name : bytes.subarray(0, 63).toString('utf8');
}

function hasRepeat(names: string[]): boolean {
  return new Set(names).size < names.length;
}

/** SET targets (the part before `.` or `[` for composite and array targets) and INSERT column lists. */
function assignedNames(tokens: SqlToken[]): string[] {
  const names: string[] = [];
  let depth = 0;
  let setDepth: number | undefined;
  let itemStart = false;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.kind === 'punct' && token.text === '(') {
      // INSERT [INTO name [AS alias]] ( columns ) — including MERGE's INSERT (columns).
      if (setDepth === undefined && insertColumnList(tokens, i)) {
        let j = i + 1;
        for (; j < tokens.length && tokens[j]!.text !== ')'; j++)
          if (tokens[j]!.kind === 'word' || tokens[j]!.kind === 'quoted')
            names.push(folded(tokens[j]!));
        i = j;
        continue;
      }
      if (itemStart && setDepth === depth) {
        // ( a, b ) = ( … ): a multi-column assignment.
        let j = i + 1;
        for (; j < tokens.length && tokens[j]!.text !== ')'; j++)
          if (tokens[j]!.kind === 'word' || tokens[j]!.kind === 'quoted')
            names.push(folded(tokens[j]!));
        i = j;
        itemStart = false;
        continue;
      }
      depth++;
      itemStart = false;
      continue;
    }
    if (token.kind === 'punct' && token.text === ')') {
      depth = Math.max(0, depth - 1);
      continue;
    }
    if (token.kind === 'word' && token.value === 'SET') {
      setDepth = depth;
      itemStart = true;
      continue;
    }
    if (setDepth !== undefined && depth === setDepth) {
      if (
        token.kind === 'word' &&
        ['WHERE', 'FROM', 'RETURNING', 'WHEN', 'ON'].includes(token.value)
      ) {
        setDepth = undefined;
        continue;
      }
      if (token.kind === 'punct' && token.text === ',') {
        itemStart = true;
        continue;
      }
      if (itemStart && (token.kind === 'word' || token.kind === 'quoted'))
        names.push(folded(token));
    }
    itemStart = false;
  }
  return names;
}

/** Whether the `(` at `index` opens an INSERT column list. */
function insertColumnList(tokens: SqlToken[], index: number): boolean {
  for (let i = index - 1, seen = 0; i >= 0 && seen < 6; i--, seen++) {
    const token = tokens[i]!;
    if (token.kind === 'word' && token.value === 'INSERT') return true;
    if (token.kind === 'punct' && token.text !== '.') return false;
    if (
      token.kind === 'word' &&
      [
        'VALUES',
        'SELECT',
        'SET',
        'WHERE',
        'DEFAULT',
        'ON',
        'CONFLICT',
        'DO',
        'UPDATE',
      ].includes(token.value)
    )
      return false;
  }
  return false;
}

/** Statements that assign or declare several columns; everything else is skipped without parsing. */
const NEVER = new Set([
  'ALTER',
  'DROP',
  'COMMENT',
  'GRANT',
  'REVOKE',
  'SET',
  'RESET',
  'BEGIN',
  'COMMIT',
  'ROLLBACK',
  'START',
  'END',
  'TRUNCATE',
  'VACUUM',
  'ANALYZE',
  'REINDEX',
  'CLUSTER',
  'LOCK',
  'DO',
  'CALL',
  'DELETE',
  'NOTIFY',
  'LISTEN',
  'SAVEPOINT',
  'RELEASE',
]);

function mayNameColumnsTwice(statement: SqlStatement): boolean {
  const first = statement.tokens[0];
  if (first?.kind !== 'word') return true;
  if (NEVER.has(first.value)) return false;
  if (first.value !== 'CREATE') return true;
  // CREATE [OR REPLACE] [TEMP|UNLOGGED|FOREIGN|MATERIALIZED|RECURSIVE …] TABLE|VIEW
  for (const token of statement.tokens.slice(1, 7)) {
    if (token.kind !== 'word') return false;
    if (token.value === 'TABLE' || token.value === 'VIEW') return true;
    if (
      token.value === 'INDEX' ||
      token.value === 'FUNCTION' ||
      token.value === 'PROCEDURE' ||
      token.value === 'TRIGGER' ||
      token.value === 'TYPE' ||
      token.value === 'EXTENSION' ||
      token.value === 'SCHEMA' ||
      token.value === 'SEQUENCE'
    )
      return false;
  }
  return false;
}

function tryParse(
  parser: PostgresParser,
  sql: string,
): ParseResult | undefined {
  try {
    return parser.parseSync(sql);
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Source text: parse and scan locations are UTF-8 byte offsets.

interface Token {
  start: number;
  end: number;
  text: string;
  tokenName: string;
}

interface SourceText {
  bytes: Buffer;
  /** 1-based line of a byte offset. */
  lineAt(offset: number): number;
  /** The scanner's tokens (comments included), or undefined when the text does not even scan. */
  tokens(): Token[] | undefined;
}

function sourceText(
  sql: string,
  firstLine: number,
  parser: PostgresParser,
): SourceText {
  const bytes = Buffer.from(sql, 'utf8');
  const newlines: number[] = [];
  for (let i = 0; i < bytes.length; i++)
    if (bytes[i] === 0x0a) newlines.push(i);
  let tokens: Token[] | undefined | null = null;
  return {
    bytes,
    lineAt(offset) {
      let low = 0;
      let high = newlines.length;
      while (low < high) {
        const mid = (low + high) >> 1;
        if (newlines[mid]! < offset) low = mid + 1;
        else high = mid;
      }
      return firstLine + low;
    },
    tokens() {
      if (tokens === null) {
        try {
          tokens = parser.scanSync(sql).tokens;
        } catch {
          tokens = undefined;
        }
      }
      return tokens;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Walking the parse tree.

interface Occurrence {
  name: string;
  /** Byte offset, when the parser records one. */
  location: number | undefined;
  /** An assignment to a field or element of the column (`a.x = …`, `a[1] = …`). */
  partial?: boolean;
}

interface Check {
  table: string | undefined;
  occurrences: Occurrence[];
  /** Assignments: several partial assignments to one column are allowed. Declarations: never. */
  kind: 'assignment' | 'declaration';
  /** Byte offset used for occurrences without a location of their own. */
  fallback: number;
}

function collect(
  parsed: ParseResult,
  source: SourceText,
  out: DuplicateColumn[],
): void {
  for (const raw of parsed.stmts ?? []) {
    const start = skipTrivia(source.bytes, raw.stmt_location ?? 0);
    const length = raw.stmt_len ?? 0;
    const end =
      length > 0 ? (raw.stmt_location ?? 0) + length : source.bytes.length;
    const checks: Check[] = [];
    walk(raw.stmt, (kind, value) =>
      checksFor(kind, value, source, start, checks),
    );
    const statement = {
      start: source.lineAt(start),
      end: source.lineAt(Math.max(start, end - 1)),
    };
    for (const check of checks) {
      for (const [column, group] of groupByName(check.occurrences)) {
        if (group.length < 2) continue;
        if (check.kind === 'assignment' && group.every((o) => o.partial))
          continue;
        out.push({
          column,
          ...(check.table ? { table: check.table } : {}),
          lines: group.map((o) => source.lineAt(o.location ?? check.fallback)),
          statement,
        });
      }
    }
  }
}

function groupByName(occurrences: Occurrence[]): Map<string, Occurrence[]> {
  const groups = new Map<string, Occurrence[]>();
  for (const occurrence of occurrences) {
    const group = groups.get(occurrence.name) ?? [];
    group.push(occurrence);
    groups.set(occurrence.name, group);
  }
  return groups;
}

/** Calls `visit` for every node of the tree (the keys naming a node type start with a capital). */
function walk(
  value: unknown,
  visit: (kind: string, node: object) => void,
): void {
  if (Array.isArray(value)) {
    for (const item of value) walk(item, visit);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const [key, child] of Object.entries(value)) {
    if (
      child !== null &&
      typeof child === 'object' &&
      !Array.isArray(child) &&
      /^[A-Z]/.test(key)
    )
      visit(key, child);
    walk(child, visit);
  }
}

/** The column lists of one node that must not repeat a name. */
function checksFor(
  kind: string,
  node: object,
  source: SourceText,
  statementStart: number,
  checks: Check[],
): void {
  const add = (
    check: Omit<Check, 'fallback'> & { fallback?: number },
  ): void => {
    if (check.occurrences.length > 1)
      checks.push({ ...check, fallback: check.fallback ?? statementStart });
  };
  switch (kind) {
    case 'UpdateStmt': {
      const stmt = node as { relation?: RangeVar; targetList?: Node[] };
      add({
        table: stmt.relation?.relname,
        occurrences: assignments(stmt.targetList),
        kind: 'assignment',
      });
      break;
    }
    case 'InsertStmt': {
      const stmt = node as {
        relation?: RangeVar;
        cols?: Node[];
        onConflictClause?: { targetList?: Node[] };
      };
      add({
        table: stmt.relation?.relname,
        occurrences: assignments(stmt.cols),
        kind: 'assignment',
      });
      add({
        table: stmt.relation?.relname,
        occurrences: assignments(stmt.onConflictClause?.targetList),
        kind: 'assignment',
      });
      break;
    }
    case 'MergeStmt': {
      const stmt = node as MergeStmt;
      for (const clause of stmt.mergeWhenClauses ?? []) {
        if ('MergeWhenClause' in clause)
          add({
            table: stmt.relation?.relname,
            occurrences: assignments(clause.MergeWhenClause.targetList),
            kind: 'assignment',
          });
      }
      break;
    }
    case 'CreateStmt':
    case 'CreateForeignTableStmt': {
      const stmt = (
        kind === 'CreateStmt' ? node : ((node as { base?: object }).base ?? {})
      ) as { relation?: RangeVar; tableElts?: Node[] };
      const columns: Occurrence[] = [];
      for (const element of stmt.tableElts ?? []) {
        if ('ColumnDef' in element && element.ColumnDef.colname)
          columns.push({
            name: element.ColumnDef.colname,
            location: element.ColumnDef.location,
          });
      }
      add({
        table: stmt.relation?.relname,
        occurrences: columns,
        kind: 'declaration',
      });
      break;
    }
    case 'ViewStmt': {
      const stmt = node as { view?: RangeVar; aliases?: Node[]; query?: Node };
      add({
        table: stmt.view?.relname,
        occurrences: definedColumns(
          stmt.view,
          stmt.aliases,
          stmt.query,
          source,
        ),
        kind: 'declaration',
        fallback: stmt.view?.location,
      });
      break;
    }
    case 'CreateTableAsStmt': {
      const into = (node as { into?: IntoClause; query?: Node }).into;
      const query = (node as { query?: Node }).query;
      add({
        table: into?.rel?.relname,
        occurrences: definedColumns(into?.rel, into?.colNames, query, source),
        kind: 'declaration',
        fallback: into?.rel?.location,
      });
      break;
    }
    case 'SelectStmt': {
      const stmt = node as SelectStmt;
      if (stmt.intoClause)
        add({
          table: stmt.intoClause.rel?.relname,
          occurrences: known(outputColumns(stmt)),
          kind: 'declaration',
        });
      break;
    }
  }
}

/** Targets of a SET list or an INSERT column list; `(a, b) = (…)` arrives as one target per column. */
function assignments(targets: Node[] | undefined): Occurrence[] {
  const out: Occurrence[] = [];
  for (const target of targets ?? []) {
    if (!('ResTarget' in target) || !target.ResTarget.name) continue;
    const { name, location, indirection } = target.ResTarget;
    out.push({ name, location, partial: (indirection?.length ?? 0) > 0 });
  }
  return out;
}

/** An output column of a query; `star` stands for `*` or `t.*`, whose columns the parser cannot know. */
type Output = Occurrence | 'star';

function known(outputs: Output[]): Occurrence[] {
  return outputs.filter((o): o is Occurrence => o !== 'star');
}

/**
 * The columns a view or CREATE TABLE AS defines: the alias list names the first columns of the
 * query, the query names the rest. Columns behind a `*` are unknown and left out.
 */
function definedColumns(
  relation: RangeVar | undefined,
  aliasNodes: Node[] | undefined,
  query: Node | undefined,
  source: SourceText,
): Occurrence[] {
  const outputs =
    query && 'SelectStmt' in query ? outputColumns(query.SelectStmt) : [];
  const names = (aliasNodes ?? []).flatMap((n) =>
    'String' in n && n.String.sval !== undefined ? [n.String.sval] : [],
  );
  if (names.length === 0) return known(outputs);
  const locations = aliasLocations(source, relation?.location, names.length);
  const aliases: Occurrence[] = names.map((name, i) => ({
    name,
    location: locations?.[i] ?? relation?.location,
  }));
  const star = outputs.indexOf('star');
  // Past a `*`, which output column an alias lands on is unknown unless every alias lands before it.
  const rest =
    star === -1 || names.length <= star ? outputs.slice(names.length) : [];
  return [...aliases, ...known(rest)];
}

/** Byte offsets of the names in the parenthesised column list that follows a relation name. */
function aliasLocations(
  source: SourceText,
  relationLocation: number | undefined,
  count: number,
): number[] | undefined {
  const tokens = source.tokens();
  if (!tokens || relationLocation === undefined) return undefined;
  let i = tokens.findIndex((t) => t.start >= relationLocation);
  if (i < 0) return undefined;
  while (i < tokens.length && tokens[i]!.text !== '(') i++;
  const locations: number[] = [];
  let expectName = true;
  for (i++; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.tokenName === 'SQL_COMMENT' || token.tokenName === 'C_COMMENT')
      continue;
    if (token.text === ')') break;
    if (token.text === ',') expectName = true;
    else if (expectName) {
      locations.push(token.start);
      expectName = false;
    }
  }
  return locations.length === count ? locations : undefined;
}

/** The output columns of a query, named the way Postgres names them. */
function outputColumns(select: SelectStmt): Output[] {
  // A set operation takes its column names from its leftmost query.
  if (select.op && select.op !== 'SETOP_NONE')
    return select.larg ? outputColumns(select.larg) : [];
  if (select.valuesLists && select.valuesLists.length > 0) {
    const first = select.valuesLists[0]!;
    const items = 'List' in first ? (first.List.items ?? []) : [];
    return items.map((_, i) => ({
      name: `column${i + 1}`,
      location: undefined,
    }));
  }
  const out: Output[] = [];
  for (const target of select.targetList ?? []) {
    if (!('ResTarget' in target)) continue;
    const { name, val, location } = target.ResTarget;
    if (name) out.push({ name, location });
    else if (val && isStar(val)) out.push('star');
    else out.push({ name: figureColumnName(val) ?? '?column?', location });
  }
  return out;
}

function isStar(node: Node): boolean {
  const fields =
    'ColumnRef' in node
      ? node.ColumnRef.fields
      : 'A_Indirection' in node
        ? node.A_Indirection.indirection
        : undefined;
  const last = fields?.[fields.length - 1];
  return last !== undefined && 'A_Star' in last;
}

const VALUE_FUNCTION_NAMES: Record<SQLValueFunctionOp, string> = {
  SVFOP_CURRENT_DATE: 'current_date',
  SVFOP_CURRENT_TIME: 'current_time',
  SVFOP_CURRENT_TIME_N: 'current_time',
  SVFOP_CURRENT_TIMESTAMP: 'current_timestamp',
  SVFOP_CURRENT_TIMESTAMP_N: 'current_timestamp',
  SVFOP_LOCALTIME: 'localtime',
  SVFOP_LOCALTIME_N: 'localtime',
  SVFOP_LOCALTIMESTAMP: 'localtimestamp',
  SVFOP_LOCALTIMESTAMP_N: 'localtimestamp',
  SVFOP_CURRENT_ROLE: 'current_role',
  SVFOP_CURRENT_USER: 'current_user',
  SVFOP_USER: 'user',
  SVFOP_SESSION_USER: 'session_user',
  SVFOP_CURRENT_CATALOG: 'current_catalog',
  SVFOP_CURRENT_SCHEMA: 'current_schema',
};

const XML_FUNCTION_NAMES: Partial<Record<XmlExprOp, string>> = {
  IS_XMLCONCAT: 'xmlconcat',
  IS_XMLELEMENT: 'xmlelement',
  IS_XMLFOREST: 'xmlforest',
  IS_XMLPARSE: 'xmlparse',
  IS_XMLPI: 'xmlpi',
  IS_XMLROOT: 'xmlroot',
  IS_XMLSERIALIZE: 'xmlserialize',
};

/** Node types Postgres names like the function they look like. */
const FUNCTION_LIKE: Record<string, string> = {
  GroupingFunc: 'grouping',
  MergeSupportFunc: 'merge_action',
  A_ArrayExpr: 'array',
  RowExpr: 'row',
  CoalesceExpr: 'coalesce',
  XmlSerialize: 'xmlserialize',
  JsonParseExpr: 'json',
  JsonScalarExpr: 'json_scalar',
  JsonSerializeExpr: 'json_serialize',
  JsonObjectConstructor: 'json_object',
  JsonArrayConstructor: 'json_array',
  JsonArrayQueryConstructor: 'json_array',
  JsonObjectAgg: 'json_objectagg',
  JsonArrayAgg: 'json_arrayagg',
};

/** The name Postgres gives an output column without an alias; undefined means `?column?`. */
function figureColumnName(node: Node | undefined): string | undefined {
  return nameWithStrength(node)?.name;
}

/** Postgres prefers a good name (2) over a fallback (1), e.g. a cast's type only when its operand has no name. */
function nameWithStrength(
  node: Node | undefined,
): { name: string; strength: 1 | 2 } | undefined {
  if (!node) return undefined;
  const good = (
    name: string | undefined,
  ): { name: string; strength: 2 } | undefined =>
    name === undefined ? undefined : { name, strength: 2 };
  if ('ColumnRef' in node) return good(lastField(node.ColumnRef.fields));
  if ('A_Indirection' in node)
    return (
      good(lastField(node.A_Indirection.indirection)) ??
      nameWithStrength(node.A_Indirection.arg)
    );
  if ('FuncCall' in node) return good(lastField(node.FuncCall.funcname));
  if ('A_Expr' in node)
    return node.A_Expr.kind === 'AEXPR_NULLIF' ? good('nullif') : undefined;
  if ('TypeCast' in node) {
    const inner = nameWithStrength(node.TypeCast.arg);
    if (inner?.strength === 2) return inner;
    const type = lastField(node.TypeCast.typeName?.names);
    return type === undefined ? inner : { name: type, strength: 1 };
  }
  if ('CollateClause' in node) return nameWithStrength(node.CollateClause.arg);
  if ('SubLink' in node) {
    const link = node.SubLink;
    if (link.subLinkType === 'EXISTS_SUBLINK') return good('exists');
    if (link.subLinkType === 'ARRAY_SUBLINK') return good('array');
    if (
      link.subLinkType === 'EXPR_SUBLINK' &&
      link.subselect &&
      'SelectStmt' in link.subselect
    ) {
      const first = outputColumns(link.subselect.SelectStmt)[0];
      return first && first !== 'star' ? good(first.name) : undefined;
    }
    return undefined;
  }
  if ('CaseExpr' in node) {
    const inner = nameWithStrength(node.CaseExpr.defresult);
    return inner?.strength === 2 ? inner : { name: 'case', strength: 1 };
  }
  if ('MinMaxExpr' in node)
    return good(
      node.MinMaxExpr.op === 'IS_GREATEST'
        ? 'greatest'
        : node.MinMaxExpr.op === 'IS_LEAST'
          ? 'least'
          : undefined,
    );
  if ('SQLValueFunction' in node)
    return good(
      node.SQLValueFunction.op
        ? VALUE_FUNCTION_NAMES[node.SQLValueFunction.op]
        : undefined,
    );
  if ('XmlExpr' in node)
    return good(
      node.XmlExpr.op ? XML_FUNCTION_NAMES[node.XmlExpr.op] : undefined,
    );
  if ('JsonFuncExpr' in node) {
    const op = node.JsonFuncExpr.op;
    return good(
      op === 'JSON_EXISTS_OP'
        ? 'json_exists'
        : op === 'JSON_QUERY_OP'
          ? 'json_query'
          : op === 'JSON_VALUE_OP'
            ? 'json_value'
            : undefined,
    );
  }
  const kind = Object.keys(node)[0];
  return kind !== undefined ? good(FUNCTION_LIKE[kind]) : undefined;
}

/** The last name in a list of String (and `*` or subscript) nodes, ignoring the others. */
function lastField(nodes: Node[] | undefined): string | undefined {
  let name: string | undefined;
  for (const node of nodes ?? [])
    if ('String' in node && node.String.sval !== undefined)
      name = node.String.sval;
  return name;
}

/** The offset of the first token at or after `offset`: libpg-query starts a statement right after the previous semicolon. */
function skipTrivia(bytes: Buffer, offset: number): number {
  let i = offset;
  while (i < bytes.length) {
    const c = bytes[i]!;
    if (c === 0x20 || (c >= 0x09 && c <= 0x0d)) i++;
    else if (c === 0x2d && bytes[i + 1] === 0x2d) {
      while (i < bytes.length && bytes[i] !== 0x0a) i++;
    } else if (c === 0x2f && bytes[i + 1] === 0x2a) {
      let depth = 0;
      while (i < bytes.length) {
        if (bytes[i] === 0x2f && bytes[i + 1] === 0x2a) {
          depth++;
          i += 2;
        } else if (bytes[i] === 0x2a && bytes[i + 1] === 0x2f) {
          depth--;
          i += 2;
          if (depth === 0) break;
        } else i++;
      }
    } else break;
  }
  return Math.min(i, bytes.length);
}

// ---------------------------------------------------------------------------------------------
// squawk-ignore comments, read the way squawk reads them, so the rule can be silenced like the
// rules squawk checks itself.

function ignoreComments(source: SourceText): (line: number) => boolean {
  const lines = new Set<number>();
  let file = false;
  // Scanning a file costs memory; only one that mentions the directive can hold one.
  if (!source.bytes.includes('squawk-ignore')) return () => false;
  for (const token of source.tokens() ?? []) {
    let body: string;
    if (token.tokenName === 'SQL_COMMENT') body = token.text.slice(2);
    else if (token.tokenName === 'C_COMMENT') body = token.text.slice(2, -2);
    else continue;
    const text = body.trimStart();
    const directive = (
      text.includes('--') ? text.slice(0, text.indexOf('--')) : text
    ).trimEnd();
    const match = /^squawk-ignore(-file)?(.*)$/s.exec(directive);
    if (!match) continue;
    const names = match[2]!
      .split(',')
      .map((n) => n.trim())
      .filter((n) => n !== '');
    const isFile = match[1] !== undefined;
    if (
      isFile &&
      (names.length === 0 || names.includes(DUPLICATE_COLUMNS_RULE))
    )
      file = true;
    else if (!isFile && names.includes(DUPLICATE_COLUMNS_RULE))
      lines.add(source.lineAt(token.start));
  }
  return (line) => file || lines.has(line) || lines.has(line - 1);
}
