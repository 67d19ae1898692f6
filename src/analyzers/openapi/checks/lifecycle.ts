import type { JsonObject } from '../model/json.ts';

export const STABILITY_LEVELS = ['draft', 'alpha', 'beta', 'stable'] as const;
export type Stability = (typeof STABILITY_LEVELS)[number];

export type StabilityReading =
  | { ok: true; level: Stability | undefined }
  | { ok: false; error: string };

/** Reads `x-stability-level`; absent means no declared level. */
export function readStability(node: JsonObject): StabilityReading {
  const value = node['x-stability-level'];
  if (value === undefined || value === null)
    return { ok: true, level: undefined };
  if (typeof value !== 'string')
    return { ok: false, error: 'x-stability-level is not a string' };
  if (!(STABILITY_LEVELS as readonly string[]).includes(value)) {
    return {
      ok: false,
      error: `value is not one of draft, alpha, beta or stable: "${value}"`,
    };
  }
  return { ok: true, level: value as Stability };
}

export function stabilityRank(level: Stability): number {
  return STABILITY_LEVELS.indexOf(level);
}

/** A calendar date without a time zone, as `x-sunset` means it. */
export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

export type SunsetReading =
  | { present: false }
  | { present: true; ok: true; date: CivilDate }
  | { present: true; ok: false; error: string };

/** Reads `x-sunset`: an ISO date (2025-01-31) or an RFC 3339 date-time whose date part counts. */
export function readSunset(node: JsonObject): SunsetReading {
  const value = node['x-sunset'];
  if (value === undefined || value === null) return { present: false };
  const text = value instanceof Date ? value.toISOString() : String(value);
  const match =
    /^(\d{4})-(\d{2})-(\d{2})(?:$|[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:\d{2})$)/.exec(
      text,
    );
  if (!match)
    return {
      present: true,
      ok: false,
      error: `sunset date doesn't conform to RFC3339 or ISO 8601 date: "${text}"`,
    };
  const date = {
    year: Number(match[1]),
    month: Number(match[2]),
    day: Number(match[3]),
  };
  const check = new Date(Date.UTC(date.year, date.month - 1, date.day));
  if (
    check.getUTCFullYear() !== date.year ||
    check.getUTCMonth() !== date.month - 1 ||
    check.getUTCDate() !== date.day
  ) {
    return {
      present: true,
      ok: false,
      error: `sunset date is not a valid calendar date: "${text}"`,
    };
  }
  return { present: true, ok: true, date };
}

export function civilDateOf(now: Date): CivilDate {
  return {
    year: now.getUTCFullYear(),
    month: now.getUTCMonth() + 1,
    day: now.getUTCDate(),
  };
}

export function compareDates(a: CivilDate, b: CivilDate): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

export function formatDate(date: CivilDate): string {
  return `${String(date.year).padStart(4, '0')}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
}

/** Whole days from `from` to `to`. */
export function daysBetween(from: CivilDate, to: CivilDate): number {
  return Math.round(
    (Date.UTC(to.year, to.month - 1, to.day) -
      Date.UTC(from.year, from.month - 1, from.day)) /
      86_400_000,
  );
}
