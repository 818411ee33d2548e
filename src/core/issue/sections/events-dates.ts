/**
 * Date prefixes of "Upcoming Events" lines, in every spelling TWIR has used,
 * and the year inference for the eras that wrote no year.
 *
 * Each parser reads the date at the start of a line and returns what is left;
 * dates stay partial (`year: null`) until {@link resolveDates} places them
 * relative to the issue date, so that one place decides the year rollover.
 */

/** A calendar date as written: the year may be missing (2014–2020 lines never give one). */
export interface PartialDate {
  year: number | null;
  month: number;
  day: number;
}

/** A date (or range) read from the start of a line, and the text after it. */
export interface DatePrefix {
  start: PartialDate;
  end: PartialDate | null;
  /** The line after the date and its separator. */
  rest: string;
  /** The separator right after the date: `.` (2015–20), `,` (2020–21), `|` (2021–), `-`, `:` or `` (none). */
  separator: string;
  /** How the date was spelt: `2024-10-31`, `June 8`, `6/8`, or trailing the name (2014). */
  kind: 'iso' | 'named' | 'numeric' | 'trailing';
  /** The month name was misspelt and read by edit distance (`Dex  6.`). */
  typo?: boolean;
}

const MONTH_NAMES = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

/**
 * Month number (1–12) for an English month name, full or abbreviated (`Mar`, `Sept`, `June`),
 * also misspelt after its first three letters (2020-10: `Octover 15.`); else null.
 */
export function monthNumber(word: string): number | null {
  const w = word.toLowerCase().replace(/\.$/, '');
  if (w.length < 3 || w.length > 9 || !/^[a-z]+$/.test(w)) return null;
  const i = MONTH_NAMES.findIndex((m) => m.startsWith(w.slice(0, 3)));
  return i === -1 ? null : i + 1;
}

/** The month whose three-letter abbreviation is one edit from `word` (`dex` → 12, `oc` → 10), when only one is. */
export function nearestMonth(word: string): number | null {
  const w = word.toLowerCase();
  if (w.length < 2 || w.length > 4) return null;
  const close = MONTH_NAMES.map((m, i) => ({ i, d: editDistance(w, m.slice(0, Math.max(3, Math.min(w.length, 4)))) })).filter(
    (c) => c.d <= 1,
  );
  return close.length === 1 ? (close[0] as { i: number }).i + 1 : null;
}

/** Levenshtein distance (short words only). */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++)
      cur[j] = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length] as number;
}

const SEP = String.raw`\s*([.,:|]|[-–—](?=\s)|$)?\s*`;
const DASH = String.raw`\s*(?:[-–—&*,]|to)\s*`;

// 2022+: `2024-10-31 | …`, ranges `2024-11-28 - 2024-11-29` (also `&`, `*`, `,` between the two),
// `2022-05-19 & 05-20`, `2024-01-27-28`, and single-digit days (`2023-10-9`).
const ISO = new RegExp(
  String.raw`^(\d{4})-(\d{1,2})-(\d{1,2})(?:-(\d{1,2})(?=\s|\|))?(?:${DASH}(?:(\d{4})-)?(\d{1,2})-(\d{1,2})(?!\d))?${SEP}`,
);

/** Reads a leading ISO date or range (2014-12 meetups, 2022+ events). */
export function parseIsoPrefix(line: string): DatePrefix | null {
  const m = ISO.exec(line);
  if (!m) return null;
  const year = Number(m[1]);
  const start: PartialDate = { year, month: Number(m[2]), day: Number(m[3]) };
  let end: PartialDate | null = null;
  if (m[4]) end = { year, month: start.month, day: Number(m[4]) };
  else if (m[6] && m[7]) end = { year: m[5] ? Number(m[5]) : year, month: Number(m[6]), day: Number(m[7]) };
  return { start, end, rest: line.slice(m[0].length), separator: m[8] ?? '', kind: 'iso' };
}

// 2015–2021: `Mar  9. …`, `June 3. …`, `Jun 28-29. …`, `Sep 30 - Oct 1. …`, `January 19 - …`,
// `June 8, 2021, …`, `June 29. 2021, …` (typo), `November 25, 2021 | …`.
const NAMED = new RegExp(
  String.raw`^([A-Za-z]{2,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:${DASH}(?:([A-Za-z]{3,9})\.?\s+)?(\d{1,2})(?:st|nd|rd|th)?(?![\d:]))?(?:\s*[.,]?\s*(\d{4})(?=\s*(?:[.,|:]|[-–—]\s|$)))?${SEP}`,
);

/** Reads a leading `Month day[, year]` date or range. */
export function parseNamedPrefix(line: string): DatePrefix | null {
  const m = NAMED.exec(line);
  if (!m) return null;
  // 2016–19 typos (`Dex  6.`, `Oc 11.`) are read only in that era's `Mon day.` shape.
  const typo = monthNumber(m[1] as string) === null && m[6] === '.' && !m[3];
  const month = monthNumber(m[1] as string) ?? (typo ? nearestMonth(m[1] as string) : null);
  if (month === null) return null;
  const year = m[5] ? Number(m[5]) : null;
  const start: PartialDate = { year, month, day: Number(m[2]) };
  let end: PartialDate | null = null;
  if (m[4]) {
    const endMonth = m[3] ? monthNumber(m[3]) : month;
    if (endMonth === null) return null;
    end = { year, month: endMonth, day: Number(m[4]) };
  }
  return { start, end, rest: line.slice(m[0].length), separator: m[6] ?? '', kind: 'named', ...(typo ? { typo } : {}) };
}

// 2014–2017: `6/8. Seattle`, `3/10 San Diego`, `11/19 - 11/20. …`, `2/4 - 2/5: FOSDEM …`.
const NUMERIC = new RegExp(String.raw`^(\d{1,2})/(\d{1,2})(?:/(\d{4}))?(?:${DASH}(?:(\d{1,2})/)?(\d{1,2})(?![\d/]))?${SEP}`);

/** Reads a leading `month/day` date or range (US order, as TWIR wrote it). */
export function parseNumericPrefix(line: string): DatePrefix | null {
  const m = NUMERIC.exec(line);
  if (!m) return null;
  const year = m[3] ? Number(m[3]) : null;
  const start: PartialDate = { year, month: Number(m[1]), day: Number(m[2]) };
  const end = m[5] ? { year, month: m[4] ? Number(m[4]) : start.month, day: Number(m[5]) } : null;
  return { start, end, rest: line.slice(m[0].length), separator: m[6] ?? '', kind: 'numeric' };
}

/** Reads a date at the start of a line in any era's spelling. */
export function parseDatePrefix(line: string): DatePrefix | null {
  return parseIsoPrefix(line) ?? parseNamedPrefix(line) ?? parseNumericPrefix(line);
}

// 2014-11/12 "Upcoming Meetups": the date trails the name: `Rust Paris, Nov 17`, `…: December 9th`.
const TRAILING = /\s*[,:]\s*([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?\.?\s*$/;

/** Reads a trailing `, Month day` date (2014 meetups); `rest` is the text before it. */
export function parseTrailingDate(line: string): DatePrefix | null {
  const m = TRAILING.exec(line);
  if (!m) return null;
  const month = monthNumber(m[1] as string);
  if (month === null) return null;
  return { start: { year: null, month, day: Number(m[2]) }, end: null, rest: line.slice(0, m.index), separator: '', kind: 'trailing' };
}

import { daysBetween, isValidDate, toIso } from '../../dates.js';

export { daysBetween, isValidDate, toIso };

/**
 * Picks the year for a date written without one: the candidate (issue year, one
 * before, one after) nearest the issue date, where a date in the past counts
 * double, since listings look ahead. So a December issue's `Jan 4` is next
 * January, and a January issue's `Dec 30` is last December. Null when the day
 * does not exist in any candidate year (`Feb 30`).
 */
export function inferYear(month: number, day: number, issueDate: string): number | null {
  const issueYear = Number(issueDate.slice(0, 4));
  let best: { year: number; score: number } | null = null;
  for (const year of [issueYear, issueYear + 1, issueYear - 1]) {
    if (!isValidDate(year, month, day)) continue;
    const offset = daysBetween(issueDate, toIso(year, month, day));
    const score = offset < 0 ? -2 * offset : offset;
    if (!best || score < best.score) best = { year, score };
  }
  return best ? best.year : null;
}

/** ISO start and end dates, or the reason they could not be made. */
export type ResolvedDates = { ok: true; date: string; endDate: string | null } | { ok: false; reason: string };

/**
 * Turns a parsed date (and optional end) into ISO strings, inferring missing
 * years from the issue date. An end before its start rolls into the next year
 * (`Dec 30 - Jan 2`); an end equal to the start is dropped; an impossible end
 * is dropped rather than losing the event.
 */
export function resolveDates(start: PartialDate, end: PartialDate | null, issueDate: string): ResolvedDates {
  const year = start.year ?? inferYear(start.month, start.day, issueDate);
  if (year === null || !isValidDate(year, start.month, start.day)) {
    return { ok: false, reason: `no such date: ${start.year ?? '????'}-${start.month}-${start.day}` };
  }
  const date = toIso(year, start.month, start.day);
  if (!end) return { ok: true, date, endDate: null };
  let endYear = end.year ?? year;
  if (end.year === null || end.year === start.year) {
    if (end.month < start.month || (end.month === start.month && end.day < start.day)) endYear = year + 1;
  }
  if (!isValidDate(endYear, end.month, end.day)) return { ok: true, date, endDate: null };
  const endDate = toIso(endYear, end.month, end.day);
  return { ok: true, date, endDate: endDate > date ? endDate : null };
}
