import type { RailsAdapter, RailsColumn } from './rails-project.ts';

/**
 * Whether `change_column` from `old` to the new type and options leaves the table in place, the
 * way strong_migrations decides it: Postgres skips the rewrite for widening changes between
 * binary-compatible types; MySQL/MariaDB change a VARCHAR in place only when it grows within the
 * same length-byte class (utf8mb4: up to 63 characters fit a 1-byte length, 64+ need 2).
 * An unknown old column is never safe.
 */
export function changeColumnIsSafe(
  adapter: RailsAdapter,
  old: RailsColumn | undefined,
  type: string,
  options: ReadonlyMap<string, string>,
  indexed: boolean,
): boolean {
  if (!old) return false;
  // Making a nullable column NOT NULL in the same call scans (Postgres) or copies (MySQL) the table.
  if (options.get('null') === 'false' && old.options.get('null') !== 'false')
    return false;
  return adapter === 'mysql'
    ? mysqlSafe(old, type, options)
    : postgresSafe(old, type, options, indexed);
}

const int = (value: string | undefined): number | undefined =>
  value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;

const STRING = new Set(['string', 'varchar', 'character varying']);

function mysqlSafe(
  old: RailsColumn,
  type: string,
  options: ReadonlyMap<string, string>,
): boolean {
  if (!STRING.has(old.type) || !STRING.has(type)) return false;
  const before = int(old.options.get('limit')) ?? 255;
  const after = int(options.get('limit')) ?? 255;
  const lengthBytes = (chars: number): number => (chars * 4 > 255 ? 2 : 1);
  return after >= before && lengthBytes(after) === lengthBytes(before);
}

/** Types whose precision is the fractional-seconds precision (default 6 when absent). */
const TIME_TYPES = new Set([
  'datetime',
  'timestamp',
  'timestamptz',
  'time',
  'interval',
]);

function postgresSafe(
  old: RailsColumn,
  type: string,
  options: ReadonlyMap<string, string>,
  indexed: boolean,
): boolean {
  const from = old.type;
  const limit = int(options.get('limit'));
  const oldLimit = int(old.options.get('limit'));
  if (STRING.has(from)) {
    if (type === 'text') return true;
    if (type === 'citext') return !indexed;
    if (STRING.has(type))
      return (
        limit === undefined || (oldLimit !== undefined && limit >= oldLimit)
      );
    return false;
  }
  if (from === 'text') {
    if (STRING.has(type)) return limit === undefined;
    if (type === 'citext') return !indexed;
    return type === 'text';
  }
  if (from === 'citext') {
    if (type === 'text' || (STRING.has(type) && limit === undefined))
      return !indexed;
    return false;
  }
  if (from === 'decimal' || from === 'numeric') {
    if (type !== 'decimal' && type !== 'numeric') return false;
    const precision = int(options.get('precision'));
    if (precision === undefined) return true;
    const oldPrecision = int(old.options.get('precision'));
    return (
      oldPrecision !== undefined &&
      precision >= oldPrecision &&
      (options.get('scale') ?? '0') === (old.options.get('scale') ?? '0')
    );
  }
  if (TIME_TYPES.has(from)) {
    const sameFamily =
      from === type || (isTimestamp(from) && isTimestamp(type));
    if (!sameFamily) return false;
    const precisionOf = (
      column: ReadonlyMap<string, string>,
      columnType: string,
    ): number =>
      int(column.get('precision')) ??
      (isTimestamp(columnType) ? int(column.get('limit')) : undefined) ??
      6;
    return precisionOf(options, type) >= precisionOf(old.options, from);
  }
  if (from === 'cidr') return type === 'inet' || type === 'cidr';
  return false;
}

/** datetime and timestamp are the same Postgres type; timestamptz converts without a rewrite when the session zone is UTC (Postgres 12+). */
function isTimestamp(type: string): boolean {
  return type === 'datetime' || type === 'timestamp' || type === 'timestamptz';
}
