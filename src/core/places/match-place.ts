/**
 * Matching a user's words against an event's location text, the fallback for
 * places the gazetteer does not know (`Moravia, CZ`, `Thompson Rivers
 * University`): case and diacritics ignored, country codes and English
 * country names understood, cities inside "Virtual (Berlin, DE)" included.
 * Gazetteer readings (src/core/places/place-query.ts) come first.
 */
import type { RustEvent } from '../issue/types.js';
import { foldPlace } from './fold-place.js';

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });

/**
 * Country code → English display name ("DE" → "Germany"); null for anything
 * that is not two ASCII letters or that Intl does not know. The letters check
 * matters: Intl throws a RangeError on e.g. "台灣" (two UTF-16 units, not a code).
 */
function countryDisplayName(code: string): string | null {
  if (!/^[A-Za-z]{2}$/.test(code)) return null;
  try {
    const name = regionNames.of(code.toUpperCase());
    return name && name.toUpperCase() !== code.toUpperCase() ? name : null;
  } catch {
    return null;
  }
}

/** Country code → folded English name ("DE" → "germany"); null for unknown codes. */
function countryName(code: string): string | null {
  const name = countryDisplayName(code);
  return name ? foldPlace(name) : null;
}

const TWO_LETTERS = /^[a-z]{2}$/;

/**
 * The parts of an event's location text, folded, without the "Virtual" /
 * "Virtual and In-Person" prefix: "Virtual (Berlin, DE)" → ["berlin", "de"],
 * "Virtual( Kampala, UG)" → ["kampala", "ug"], "Seattle, WA, US" → ["seattle", "wa", "us"].
 */
function locationParts(event: RustEvent): string[] {
  return (
    (event.location ?? '')
      .replace(/[()]/g, ',')
      .split(',')
      // Folded first, so "In-Person" reads "in person".
      .map((part) => foldPlace(part).replace(/^(?:virtual|hybrid)(?: and in person)?(?: |$)/, ''))
      .filter(Boolean)
  );
}

/**
 * The lower-case country codes of an event: its `country`, and the last part
 * of its location when that is two letters (the code inside "Virtual (…, DE)").
 */
function countryCodes(event: RustEvent): string[] {
  const codes = new Set<string>();
  const country = foldPlace(event.country ?? '');
  if (TWO_LETTERS.test(country)) codes.add(country);
  const last = locationParts(event).at(-1);
  if (last && TWO_LETTERS.test(last)) codes.add(last);
  return [...codes];
}

/** Names an event can be found by: exactly, or as leading or trailing words ("new york" → "new york city"). */
function placeNames(event: RustEvent): { all: Set<string> } {
  const all = new Set<string>();
  const add = (value: string | null | undefined): void => {
    const f = value ? foldPlace(value) : '';
    if (f) all.add(f);
  };
  add(event.city);
  add(event.country);
  if (event.country) add(countryName(event.country));
  add(event.region);
  // "Virtual (Berlin, DE)", "Seattle, WA, US": the city and country parts count, but not a state or
  // province code in the middle ("Mountain View, CA, US" is not in Canada).
  const parts = locationParts(event);
  parts.forEach((part, i) => {
    if (!(TWO_LETTERS.test(part) && i < parts.length - 1)) add(part);
  });
  if (event.virtual) all.add('virtual');
  if (event.hybrid) all.add('hybrid');
  return { all };
}

/** Every folded name an event can be found by. */
export function eventPlaceNames(event: RustEvent): string[] {
  return [...placeNames(event).all];
}

/** Whether `name` starts or ends with the whole words `w` ("new york" in "new york city"). */
function partialMatch(name: string, w: string): boolean {
  return name.length > 3 && w.length > 3 && (name.startsWith(`${w} `) || name.endsWith(` ${w}`));
}

/**
 * Whether an event's location text names the asked place (or, for virtual
 * events, the place hosting them). A two-letter query is a country code ("ca"
 * is Canada, never the California in "Mountain View, CA, US"). Longer queries
 * match names exactly or as leading/trailing words of a city; a region
 * ("North America") only by the words the user typed.
 */
export function eventMatchesPlace(event: RustEvent, place: string): boolean {
  const query = foldPlace(place);
  if (!query) return false;
  const names = placeNames(event);
  if (TWO_LETTERS.test(query)) return countryCodes(event).includes(query);
  return names.all.has(query) || [...names.all].some((n) => partialMatch(n, query));
}

/** Display names of the places a list of events can be searched by (for suggestions and autocomplete). */
export function knownPlaces(events: readonly RustEvent[]): string[] {
  const out = new Set<string>();
  for (const e of events) {
    const city = e.place?.city ?? e.city;
    if (city) out.add(city);
    if (e.region) out.add(e.region);
    if (e.place) out.add(e.place.country);
    else if (e.country) out.add(countryDisplayName(e.country) ?? e.country);
    if (e.virtual) out.add('Virtual');
  }
  return [...out].sort((a, b) => a.localeCompare(b));
}
