import {
  isWord,
  readQualifiedName,
  splitTopLevel,
  type SqlStatement,
  type SqlToken,
} from '../sql/lexer.ts';

/** Postgres table-level lock modes, weakest first. */
export const LOCK_MODES = [
  'AccessShare',
  'RowShare',
  'RowExclusive',
  'ShareUpdateExclusive',
  'Share',
  'ShareRowExclusive',
  'Exclusive',
  'AccessExclusive',
] as const;
export type LockMode = (typeof LOCK_MODES)[number];

export interface StatementLock {
  /** Undefined when the statement takes no table lock we can name (e.g. CREATE TYPE). */
  mode?: LockMode;
  /** The table (or index, view) the lock is taken on, when the statement names one. */
  target?: string;
}

const SQL_NAMES: Record<LockMode, string> = {
  AccessShare: 'ACCESS SHARE',
  RowShare: 'ROW SHARE',
  RowExclusive: 'ROW EXCLUSIVE',
  ShareUpdateExclusive: 'SHARE UPDATE EXCLUSIVE',
  Share: 'SHARE',
  ShareRowExclusive: 'SHARE ROW EXCLUSIVE',
  Exclusive: 'EXCLUSIVE',
  AccessExclusive: 'ACCESS EXCLUSIVE',
};

/** What concurrent work each mode blocks, from Postgres's lock conflict table, in plain words. */
const BLOCKS: Record<LockMode, string> = {
  AccessShare:
    'only operations that need an ACCESS EXCLUSIVE lock (DROP TABLE, most ALTER TABLE forms)',
  RowShare: 'only EXCLUSIVE and ACCESS EXCLUSIVE operations',
  RowExclusive:
    'index builds without CONCURRENTLY and other SHARE-level or stronger operations; reads and writes continue',
  ShareUpdateExclusive:
    'VACUUM, ANALYZE, concurrent index builds and other schema changes on the table; reads and writes continue',
  Share: 'every INSERT, UPDATE and DELETE on the table (reads continue)',
  ShareRowExclusive:
    'every INSERT, UPDATE and DELETE and other schema changes on the table (reads continue)',
  Exclusive:
    'every INSERT, UPDATE, DELETE and SELECT … FOR UPDATE on the table (plain reads continue)',
  AccessExclusive: 'every read and write on the table, including plain SELECTs',
};

export function lockSqlName(mode: LockMode): string {
  return SQL_NAMES[mode];
}

export function lockBlocks(mode: LockMode): string {
  return BLOCKS[mode];
}

/** One sentence naming the lock and what it blocks, for finding bodies. */
export function describeLock(
  mode: LockMode,
  target?: string,
  inTransaction = true,
): string {
  const name = SQL_NAMES[mode];
  const article = /^[AEIOU]/.test(name) ? 'an' : 'a';
  const on = target ? ` on \`${target}\`` : '';
  // A queued lock request makes later requests that conflict with it wait too; ACCESS EXCLUSIVE conflicts with all.
  const queue =
    mode === 'AccessExclusive'
      ? 'every later query on the table queues behind it'
      : 'later queries that conflict with it queue behind it';
  const until = inTransaction
    ? 'until its transaction ends'
    : 'until it finishes';
  return `The statement takes ${article} ${name} lock${on} ${until}, blocking ${BLOCKS[mode]}; while it waits for the lock, ${queue}.`;
}

function stronger(
  a: LockMode | undefined,
  b: LockMode | undefined,
): LockMode | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return LOCK_MODES.indexOf(a) >= LOCK_MODES.indexOf(b) ? a : b;
}

/**
 * The table lock a statement takes. Follows Postgres's documented lock levels; where Postgres and
 * squawk's modelling differ (DETACH PARTITION … CONCURRENTLY) the documentation wins.
 */
export function statementLock(statement: SqlStatement): StatementLock {
  const t = statement.tokens;
  const first = t[0];
  if (first?.kind !== 'word') return {};
  switch (first.value) {
    case 'ALTER':
      if (isWord(t[1], 'TABLE')) return alterTableLock(t);
      if (isWord(t[1], 'INDEX'))
        return { mode: 'AccessExclusive', target: nameAfter(t, 2) };
      if (isWord(t[1], 'DOMAIN', 'TYPE')) return {};
      return {};
    case 'CREATE': {
      const at = skipWords(t, 1, ['UNIQUE']);
      if (isWord(t[at], 'INDEX')) {
        const concurrently = t.some(
          (tok, k) => k > at && k < at + 3 && isWord(tok, 'CONCURRENTLY'),
        );
        return {
          mode: concurrently ? 'ShareUpdateExclusive' : 'Share',
          target: onTable(t),
        };
      }
      if (isWord(t[at], 'TRIGGER'))
        return { mode: 'ShareRowExclusive', target: onTable(t) };
      return {};
    }
    case 'DROP': {
      if (isWord(t[1], 'INDEX')) {
        const concurrently = isWord(t[2], 'CONCURRENTLY');
        return {
          mode: concurrently ? 'ShareUpdateExclusive' : 'AccessExclusive',
          target: nameAfter(t, skipIfExists(t, concurrently ? 3 : 2)),
        };
      }
      if (isWord(t[1], 'TABLE', 'VIEW'))
        return {
          mode: 'AccessExclusive',
          target: nameAfter(t, skipIfExists(t, 2)),
        };
      if (isWord(t[1], 'MATERIALIZED') && isWord(t[2], 'VIEW'))
        return {
          mode: 'AccessExclusive',
          target: nameAfter(t, skipIfExists(t, 3)),
        };
      if (isWord(t[1], 'TRIGGER'))
        return { mode: 'AccessExclusive', target: onTable(t) };
      return {};
    }
    case 'TRUNCATE':
      return {
        mode: 'AccessExclusive',
        target: nameAfter(t, skipWords(t, 1, ['TABLE', 'ONLY'])),
      };
    case 'CLUSTER':
      return {
        mode: 'AccessExclusive',
        target: nameAfter(t, skipWords(t, 1, ['VERBOSE'])),
      };
    case 'REFRESH': {
      const concurrently = isWord(t[3], 'CONCURRENTLY');
      return {
        mode: concurrently ? 'Exclusive' : 'AccessExclusive',
        target: nameAfter(t, concurrently ? 4 : 3),
      };
    }
    case 'REINDEX':
      return reindexLock(t);
    case 'VACUUM':
      return vacuumLock(t);
    case 'COMMENT':
      return { mode: 'ShareUpdateExclusive', target: nameAfter(t, 3) };
    case 'LOCK':
      return explicitLock(t);
    case 'INSERT':
    case 'UPDATE':
    case 'DELETE':
    case 'MERGE':
      return { mode: 'RowExclusive' };
    case 'SELECT':
      return { mode: 'AccessShare' };
    default:
      return {};
  }
}

function skipWords(t: SqlToken[], index: number, words: string[]): number {
  let k = index;
  while (isWord(t[k], ...words)) k++;
  return k;
}

function skipIfExists(t: SqlToken[], index: number): number {
  return isWord(t[index], 'IF') && isWord(t[index + 1], 'EXISTS')
    ? index + 2
    : index;
}

function nameAfter(t: SqlToken[], index: number): string | undefined {
  return readQualifiedName(t, index)?.name;
}

function onTable(t: SqlToken[]): string | undefined {
  const on = t.findIndex((tok) => isWord(tok, 'ON'));
  return on === -1 ? undefined : nameAfter(t, skipWords(t, on + 1, ['ONLY']));
}

function alterTableLock(t: SqlToken[]): StatementLock {
  const at = skipWords(t, skipIfExists(t, 2), ['ONLY']);
  const name = readQualifiedName(t, at);
  if (!name) return { mode: 'AccessExclusive' };
  let mode: LockMode | undefined;
  for (const action of splitTopLevel(
    t,
    t[name.next]?.text === '*' ? name.next + 1 : name.next,
  )) {
    mode = stronger(mode, alterActionLock(action));
  }
  return { mode: mode ?? 'AccessExclusive', target: name.name };
}

/** Lock levels of ALTER TABLE subcommands, from the ALTER TABLE reference page. */
function alterActionLock(a: SqlToken[]): LockMode {
  const w = (k: number, ...words: string[]): boolean => isWord(a[k], ...words);
  if (w(0, 'VALIDATE')) return 'ShareUpdateExclusive';
  if (w(0, 'SET') && a[1]?.text === '(') return 'ShareUpdateExclusive';
  if (w(0, 'RESET')) return 'ShareUpdateExclusive';
  if (w(0, 'CLUSTER') && w(1, 'ON')) return 'ShareUpdateExclusive';
  if (w(0, 'SET') && w(1, 'WITHOUT') && w(2, 'CLUSTER'))
    return 'ShareUpdateExclusive';
  if (w(0, 'SET') && w(1, 'STATISTICS')) return 'ShareUpdateExclusive';
  if (w(0, 'DISABLE', 'ENABLE') && a.some((tok) => isWord(tok, 'TRIGGER')))
    return 'ShareRowExclusive';
  if (w(0, 'DETACH') && w(1, 'PARTITION'))
    return a.some((tok) => isWord(tok, 'CONCURRENTLY'))
      ? 'ShareUpdateExclusive'
      : 'AccessExclusive';
  if (w(0, 'ATTACH') && w(1, 'PARTITION')) return 'ShareUpdateExclusive';
  if (w(0, 'ALTER')) {
    // ALTER [COLUMN] c SET STATISTICS / SET (attribute_option …) / RESET (…)
    const c = w(1, 'COLUMN') ? 3 : 2;
    if (w(c, 'SET') && (w(c + 1, 'STATISTICS') || a[c + 1]?.text === '('))
      return 'ShareUpdateExclusive';
    if (w(c, 'RESET')) return 'ShareUpdateExclusive';
    return 'AccessExclusive';
  }
  if (w(0, 'ADD')) {
    const constraint = w(1, 'CONSTRAINT') ? 3 : 1;
    if (w(constraint, 'FOREIGN')) return 'ShareRowExclusive';
    return 'AccessExclusive';
  }
  return 'AccessExclusive';
}

const FALSE_VALUES = new Set(['FALSE', 'OFF', '0']);

/** `(OPTION [value])` lists of REINDEX/VACUUM: whether `option` is on. */
function optionOn(t: SqlToken[], option: string): boolean | undefined {
  if (t[1]?.text !== '(') return undefined;
  for (let k = 2; k < t.length && t[k]!.text !== ')'; k++) {
    if (!isWord(t[k], option)) continue;
    // U&'…' is a word, an ampersand and the string itself.
    const value =
      isWord(t[k + 1], 'U') && t[k + 2]?.text === '&' ? t[k + 3] : t[k + 1];
    if (!value || value.text === ',' || value.text === ')') return true;
    const v =
      value.kind === 'string'
        ? value.value.toUpperCase()
        : value.text.toUpperCase();
    return !FALSE_VALUES.has(v);
  }
  return false;
}

function reindexLock(t: SqlToken[]): StatementLock {
  const listed = optionOn(t, 'CONCURRENTLY');
  const concurrently =
    listed ?? t.slice(1, 4).some((tok) => isWord(tok, 'CONCURRENTLY'));
  return { mode: concurrently ? 'ShareUpdateExclusive' : 'AccessExclusive' };
}

function vacuumLock(t: SqlToken[]): StatementLock {
  const listed = optionOn(t, 'FULL');
  const full = listed ?? isWord(t[1], 'FULL');
  return { mode: full ? 'AccessExclusive' : 'ShareUpdateExclusive' };
}

const LOCK_NAMES: Array<[string, LockMode]> = [
  ['ACCESS SHARE', 'AccessShare'],
  ['ROW SHARE', 'RowShare'],
  ['ROW EXCLUSIVE', 'RowExclusive'],
  ['SHARE UPDATE EXCLUSIVE', 'ShareUpdateExclusive'],
  ['SHARE ROW EXCLUSIVE', 'ShareRowExclusive'],
  ['SHARE', 'Share'],
  ['EXCLUSIVE', 'Exclusive'],
  ['ACCESS EXCLUSIVE', 'AccessExclusive'],
];

function explicitLock(t: SqlToken[]): StatementLock {
  const at = skipWords(t, 1, ['TABLE', 'ONLY']);
  const target = nameAfter(t, at);
  const inAt = t.findIndex((tok) => isWord(tok, 'IN'));
  if (inAt === -1) return { mode: 'AccessExclusive', target };
  const words = t
    .slice(inAt + 1)
    .filter(
      (tok) =>
        tok.kind === 'word' && tok.value !== 'MODE' && tok.value !== 'NOWAIT',
    )
    .map((tok) => tok.value)
    .join(' ');
  const match = LOCK_NAMES.find(([name]) => name === words);
  return { mode: match?.[1] ?? 'AccessExclusive', target };
}
