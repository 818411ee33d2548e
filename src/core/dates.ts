/**
 * ISO calendar dates (`YYYY-MM-DD`) as the whole project uses them. Strict:
 * `Date.parse` rolls 2024-02-30 over to March 1, so validity is checked by
 * round-tripping the parts.
 */

/** True when year-month-day is a real calendar date. */
export function isValidDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1 || day > 31) return false;
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

export function toIso(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** A real calendar date written exactly `YYYY-MM-DD`. */
export function isIsoDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  return m !== null && isValidDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** Whole days from ISO date `a` to ISO date `b` (negative when `b` is earlier). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/**
 * The calendar date at `now` on this machine's clock and time zone (set `TZ`
 * to change it): "upcoming" events should include tonight's meetup for a user
 * whose evening is already tomorrow in UTC.
 */
export function localIsoDate(now: Date): string {
  return toIso(now.getFullYear(), now.getMonth() + 1, now.getDate());
}
