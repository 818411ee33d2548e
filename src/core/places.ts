/**
 * Matching a user's place ("berlin", "München", "NYC", "virtual", "DE",
 * "europe") against events: case and diacritics ignored, common aliases and
 * country names understood, cities inside "Virtual (Berlin, DE)" included.
 */
import type { RustEvent } from './issue/types.js';

/** Folds case and diacritics: "Zürich" → "zurich", "Montréal" → "montreal". */
export function foldPlace(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ß/g, 'ss')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Alias groups: any name in a group matches the others. Folded forms. */
const ALIAS_GROUPS: readonly string[][] = [
  ['munich', 'munchen', 'muenchen'],
  ['cologne', 'koln', 'koeln'],
  ['nuremberg', 'nurnberg', 'nuernberg'],
  ['zurich', 'zuerich'],
  ['vienna', 'wien'],
  ['prague', 'praha'],
  ['milan', 'milano'],
  ['rome', 'roma'],
  ['lisbon', 'lisboa'],
  ['warsaw', 'warszawa'],
  ['krakow', 'cracow'],
  ['copenhagen', 'kobenhavn'],
  ['gothenburg', 'goteborg'],
  ['the hague', 'den haag'],
  ['brussels', 'bruxelles', 'brussel'],
  ['geneva', 'geneve', 'genf'],
  ['florence', 'firenze'],
  ['turin', 'torino'],
  ['athens', 'athina'],
  ['moscow', 'moskva'],
  ['kyiv', 'kiev'],
  ['bengaluru', 'bangalore'],
  ['mumbai', 'bombay'],
  ['montreal', 'montréal'],
  ['quebec', 'québec'],
  ['new york', 'nyc', 'new york city', 'ny'],
  ['san francisco', 'sf', 'sfo', 'bay area'],
  ['los angeles', 'la'],
  ['washington', 'dc', 'washington dc'],
  ['ho chi minh city', 'saigon', 'hcmc'],
  ['virtual', 'online', 'remote'],
  // Not "america": that would also match "North America" and "South America" events.
  ['us', 'usa', 'united states'],
  ['uk', 'gb', 'united kingdom', 'england', 'britain'],
];

const aliasIndex = new Map<string, string[]>();
for (const group of ALIAS_GROUPS) {
  const folded = group.map(foldPlace);
  for (const name of folded) aliasIndex.set(name, folded);
}

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

/**
 * Names an event can be found by exactly, and its city names, which an
 * alias may also match as leading or trailing words ("new york" → "new york city").
 */
function placeNames(event: RustEvent): { all: Set<string>; cities: Set<string> } {
  const all = new Set<string>();
  const cities = new Set<string>();
  const add = (value: string | null | undefined, into?: Set<string>): void => {
    const f = value ? foldPlace(value) : '';
    if (!f) return;
    all.add(f);
    into?.add(f);
  };
  add(event.city, cities);
  add(event.country);
  if (event.country) add(countryName(event.country));
  add(event.region);
  // "Virtual (Berlin, DE)", "Seattle, WA, US": the city and country parts count, but not a state or
  // province code in the middle ("Mountain View, CA, US" is not in Canada).
  const parts = locationParts(event);
  parts.forEach((part, i) => {
    if (TWO_LETTERS.test(part) && i < parts.length - 1) return;
    add(part, TWO_LETTERS.test(part) ? undefined : cities);
  });
  if (event.virtual) all.add('virtual');
  if (event.hybrid) all.add('hybrid');
  return { all, cities };
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
 * Whether an event is at (or, for virtual events, hosted from) the asked place.
 *
 * A two-letter query is a country code ("ca" is Canada, never the California
 * in "Mountain View, CA, US"), plus the city a two-letter alias names ("la",
 * "sf", "ny", "dc"). Longer queries match names exactly, through their alias
 * group, or as leading/trailing words of a city; a region ("North America")
 * only by the words the user typed, never through an alias.
 */
export function eventMatchesPlace(event: RustEvent, place: string): boolean {
  const query = foldPlace(place);
  if (!query) return false;
  const wanted = aliasIndex.get(query) ?? [query];
  const names = placeNames(event);
  const cities = [...names.cities];
  const named = (w: string): boolean => names.all.has(w) || cities.some((n) => partialMatch(n, w));
  if (TWO_LETTERS.test(query)) {
    const codes = countryCodes(event);
    return wanted.some((w) => (TWO_LETTERS.test(w) ? codes.includes(w) : named(w)));
  }
  return wanted.some(named) || [...names.all].some((n) => partialMatch(n, query));
}

/** Display names of the places a list of events can be searched by (for suggestions and autocomplete). */
export function knownPlaces(events: readonly RustEvent[]): string[] {
  const out = new Set<string>();
  for (const e of events) {
    if (e.city) out.add(e.city);
    if (e.region) out.add(e.region);
    if (e.country) out.add(countryDisplayName(e.country) ?? e.country);
    if (e.virtual) out.add('Virtual');
  }
  return [...out].sort((a, b) => a.localeCompare(b));
}
