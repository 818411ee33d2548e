/**
 * The text after the date on a one-line event (2014–2022: the whole event is
 * one link), split into location, group and title.
 *
 * The order of the parts changed over the years, and the separator right after
 * the date tells the eras apart:
 * - 2015–20, `.` after the day: `Mar  9. San Diego Rust`, `Jun  7. Group - Title`,
 *   `Jan 22. Durham, NC, US - Group - Title`, 2020's `June 3. Johannesburg, ZA - Remote - Group`.
 * - 2020–21, `,` after the day or year: `June 8, 2021, Seattle, WA, US - Title - Group`.
 * - 2021-11 to 2022-02, `|`: `November 25, 2021 | Cardiff, WLS | **Title** | Group`.
 */
import { squash } from '../text.js';
import type { DatePrefix } from './events-dates.js';
import { isModeOnly } from './events-location.js';

export interface LineFields {
  location: string | null;
  group: string | null;
  title: string;
  /** A `Remote`/`Online` segment was written among the parts (2020). */
  remote: boolean;
}

const DASH_SPLIT = /\s+[-–—]\s+/;
/** `Kyiv, Ukraine`, `Lyon, FR`: capitalised words, one comma. */
const PLACE_PAIR = /^\p{Lu}[\p{L}.'-]*(?: \p{Lu}[\p{L}.'-]*){0,2}, \p{Lu}[\p{L}.'-]*(?: \p{Lu}[\p{L}.'-]*)?$/u;

/** Words that make a segment a title rather than a place (`Rust Birthday Party`, `Hack Night`, `Inaugural Meetup`). */
export const NOT_PLACE_WORDS =
  /\b(?:rust\w*|meetup|meeting|group|society|hack\w*|learn\w*|night|workshop|conf\w*|fest|camp|team|triage|study|users?|talks?|dojo|lab|day|sprint|club|party|inaugural|intro\w*|the|of|at|and|for|with|online|virtual|remote|webinar|release|fosdem)\b|[#:@&/(]|\d/i;

/** `III`, `2`, `#6`: a sequel number. */
const NUMERAL = /^(?:#?\d+|[IVX]{1,5})$/;

/** A first segment that names a place rather than a group: `Lyon, France`, `Online`, `Multiple locations`. */
export function looksLikeLocation(segment: string): boolean {
  return segment.includes(',') || isModeOnly(segment) || /^(?:various|multiple|several)\b/i.test(segment);
}

/** Trims separators and the stray `.` after 2015–19 links (`[6/8. Seattle](url).`); keeps an ellipsis. */
function trimPart(text: string): string {
  return squash(text)
    .replace(/^[\s|,:;–—-]+/, '')
    .replace(/[\s|,:;–—-]+$/, '')
    .replace(/\s*(?<!\.)\.$/, '');
}

/**
 * True when the line names the title before the group: 2020–22 lines, which put
 * `,` or `|` after the date or write the year (`November 11, 2021 - Title - Group`).
 * Earlier lines (`.` after the day, 2014's ISO dates) name the group first.
 */
export function titleComesFirst(date: DatePrefix): boolean {
  return date.separator === ',' || date.separator === '|' || (date.kind === 'named' && date.start.year !== null);
}

/**
 * Splits the text after the date. `strong` is the bold text on the line, which
 * is the title in the 2021–22 pipe layout. Null when nothing is left to be a title.
 */
export function splitEventLine(date: DatePrefix, strong: string | null): LineFields | null {
  const titleFirst = titleComesFirst(date);
  const text = trimPart(date.rest);
  if (text === '') return null;
  if (text.includes('|')) return splitPipes(text, strong);
  const segments = text
    .split(DASH_SPLIT)
    .map(trimPart)
    .filter((s) => s !== '');
  let location: string | null = null;
  // 2020–21 (`June 8, 2021, Malaysia - …`): what follows the date's comma is always the place.
  if (segments.length >= 2 && (date.separator === ',' || looksLikeLocation(segments[0] as string))) location = segments.shift() as string;
  // 2020: `City, CC - Remote - Group`: the marker is a mode, not a part.
  let remote = false;
  if (segments.length >= 2) {
    for (let i = segments.length - 1; i >= 0; i--) {
      if (isModeOnly(segments[i] as string)) {
        segments.splice(i, 1);
        remote = true;
      }
    }
  }
  if (segments.length === 0) return null;
  // 2017: `Apr 30. RustFest 2017 - Kyiv, Ukraine` puts the place last.
  if (location === null && !titleFirst && segments.length === 2 && PLACE_PAIR.test(segments[1] as string)) {
    return { location: segments[1] as string, group: null, title: segments[0] as string, remote };
  }
  if (segments.length >= 2) {
    // 2015–17: `RainOfRust Camp Nashik - III`: a numeral after the dash is part of the title, not one.
    // (A place there, `Rust Activate - Ciudad de México`, is told apart at ingest, with the gazetteer.)
    if (!titleFirst && location === null && NUMERAL.test(segments[segments.length - 1] as string)) {
      return { location: null, group: null, title: segments.join(' - '), remote };
    }
    const group = titleFirst ? (segments.pop() as string) : (segments.shift() as string);
    return { location, group, title: segments.join(' - '), remote };
  }
  const only = segments[0] as string;
  // 2014–17: `OpenTechSchool Berlin: Rust Hack and Learn`, `Rust Bay Area: Crypto` name the group before a colon.
  const colon = titleFirst ? null : /^([^:]{2,40}?)\s*:\s+(\S.*)$/.exec(only);
  if (colon && (colon[1] as string).split(' ').length <= 5) {
    return { location, group: colon[1] as string, title: colon[2] as string, remote };
  }
  return { location, group: null, title: only, remote };
}

/** 2021-11 to 2022-02: `Location | **Title** | Group`, where the title itself may hold `|`. */
function splitPipes(text: string, strong: string | null): LineFields | null {
  const parts = text
    .split('|')
    .map(trimPart)
    .filter((p) => p !== '');
  if (parts.length === 0) return null;
  const location = parts.length >= 2 ? (parts.shift() as string) : null;
  const remainder = parts.join(' | ');
  const bold = strong ? squash(strong) : '';
  if (bold !== '' && remainder.includes(bold)) {
    const group = trimPart(remainder.replace(bold, ' '));
    return { location, group: group === '' ? null : group, title: bold, remote: false };
  }
  if (parts.length >= 2) {
    const group = parts.pop() as string;
    return { location, group, title: parts.join(' | '), remote: false };
  }
  const segments = remainder.split(DASH_SPLIT);
  if (segments.length >= 2) {
    const group = segments.pop() as string;
    return { location, group, title: segments.join(' - '), remote: false };
  }
  return { location, group: null, title: remainder, remote: false };
}
