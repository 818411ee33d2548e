/**
 * Resolving where each event is, at ingest, from the gazetteer: the location
 * text when the listing has one (`Seattle, WA, US`, `Virtual (Nürnberg, DE)`),
 * else a place named in the title (2015–19: `London Rust Meetup`,
 * `OpenTechSchool Berlin - Rust Hack and Learn`, `Bangalore, India`).
 * Runs in the main thread after parsing, so workers never load the gazetteer.
 */

import type { Database } from 'better-sqlite3';
import { parseLocation } from '../issue/sections/events-location.js';
import type { EventPlace, Issue, RustEvent } from '../issue/types.js';
import { ensureGazetteer } from './fill-gazetteer.js';
import { foldPlace } from './fold-place.js';
import { type City, Gazetteer, type Subdivision } from './gazetteer.js';
import { isOtherName } from './other-names.js';

/** UK nations as TWIR writes them after a city (`Cardiff, WLS`, `Edinburgh, Scotland`). */
const UK_NATIONS = new Set(['GB-ENG', 'GB-SCT', 'GB-WLS', 'GB-NIR']);

/** A place found in a title must be at least this big (a town called "Rust" is not what `Rust Meetup` means). */
const TITLE_CITY_MIN = 50_000;

/**
 * Words (and location parts) looked up per issue, at most. Resolution runs in
 * the main thread after parsing, outside the parse timeout, so a hostile issue
 * (a megabyte of capitalised words in event lines) must not cost seconds of
 * lookups there: the busiest real issue looks up ~4,000 words (69 events).
 */
export const LOOKUPS_PER_ISSUE = 20_000;
/** Words of one event's title and group looked at (the longest real title and group have 36 and 27). */
const WORDS_PER_EVENT = 80;
/** Location parts looked at (`200 University Ave W, Waterloo, ON, CA` has four). */
const PARTS_PER_LOCATION = 8;

/** What is left of an issue's lookups; see {@link LOOKUPS_PER_ISSUE}. */
export interface LookupBudget {
  left: number;
}

/** Title words that are also cities but in a title mean something else. */
const NOT_PLACES = new Set([
  'mobile',
  'reading',
  'nice',
  'split',
  'bar',
  'university',
  'mission',
  'victoria',
  'rust',
  'community',
  'core',
  'union',
  'independence',
  'hope',
  'of',
  'opening',
  'kind',
  'mozilla',
  'lambdaconf',
  'linz',
]);

/** A resolver for a sync: fills the store's gazetteer if it is not yet there, then resolves issue by issue. */
export async function createPlaceResolver(db: Database): Promise<(issue: Issue) => void> {
  await ensureGazetteer(db);
  const gazetteer = new Gazetteer(db);
  return (issue) => resolveIssuePlaces(gazetteer, issue);
}

/** Sets `place` and `placeNote` on every event of an issue, within {@link LOOKUPS_PER_ISSUE}. */
export function resolveIssuePlaces(gazetteer: Gazetteer, issue: Issue): void {
  const budget: LookupBudget = { left: LOOKUPS_PER_ISSUE };
  for (const event of issue.events) {
    if (budget.left > 0) keepTitleWhole(gazetteer, event);
    Object.assign(event, resolveEventPlace(gazetteer, event, budget));
  }
}

/**
 * 2015–17 lines `Rust Activate - Ciudad de México` or `Let's Rust - Hyderabad`
 * were split as group and title; when the "title" is only a place, the whole
 * line is the title and that place is where the event is.
 */
function keepTitleWhole(gaz: Gazetteer, event: RustEvent): void {
  if (!event.group || event.location || event.groupUrl) return;
  const parts = event.title.split(',').map((p) => p.trim());
  if (parts.length > 2 || !/^\p{Lu}/u.test(event.title)) return;
  const first = parts[0] as string;
  const city = gaz.cities(first).find((c) => c.population >= TITLE_CITY_MIN);
  if (!city || NOT_PLACES.has(foldPlace(first))) return;
  event.location = event.title;
  event.title = `${event.group} - ${event.title}`;
  event.group = null;
}

/** The gazetteer place of one event, or null with the reason. */
export function resolveEventPlace(
  gaz: Gazetteer,
  event: RustEvent,
  budget: LookupBudget = { left: Number.POSITIVE_INFINITY },
): { place: EventPlace | null; placeNote: string | null } {
  if (budget.left <= 0) return { place: null, placeNote: 'not looked up: this issue lists far more event text than any real issue' };
  if (event.location) {
    const parts = parseLocation(event.location).parts.slice(-PARTS_PER_LOCATION);
    budget.left -= parts.length;
    if (parts.length > 0) {
      const place = fromParts(gaz, parts);
      if (place?.cityId) return { place, placeNote: null };
      // `Bangalore/Bengaluru, IN`, `200 University Ave W, Waterloo, CN`: try the title too.
      const titled = fromText(gaz, `${event.title} ${event.group ?? ''}`, place?.countryCode ?? null, budget);
      if (titled) return { place: titled, placeNote: null };
      if (place) return { place, placeNote: `city "${parts[0]}" is not in the gazetteer; country only` };
      return { place: null, placeNote: `"${event.location}" names no place the gazetteer knows` };
    }
  }
  const titled = fromText(gaz, `${event.title} ${event.group ?? ''}`, null, budget);
  if (titled) return { place: titled, placeNote: titled.cityId === null ? 'the listing names a country but no city' : null };
  if (event.virtual) return { place: null, placeNote: 'online, no host city named' };
  return { place: null, placeNote: 'the listing names no place' };
}

/** `Seattle, WA, US`: city first, country last, subdivisions between. */
function fromParts(gaz: Gazetteer, parts: readonly string[]): EventPlace | null {
  const last = parts[parts.length - 1] as string;
  let country: string | null = null;
  let sub: Subdivision | null = null;
  let rest = [...parts];
  const nation = gaz.subdivision('GB', last);
  if (nation && UK_NATIONS.has(nation.code)) {
    country = 'GB';
    sub = nation;
    rest = rest.slice(0, -1);
  } else if (parts.length > 1 || !gaz.cities(last).length) {
    country = gaz.countryCode(last);
    if (country) rest = rest.slice(0, -1);
  }
  // `Seattle, WA` without a country: a US state, Canadian province or Australian state.
  if (!country && rest.length > 1) {
    for (const c of ['US', 'CA', 'AU']) {
      const s = gaz.subdivision(c, last);
      if (s) {
        country = c;
        sub = s;
        rest = rest.slice(0, -1);
        break;
      }
    }
  }
  if (country && !sub) {
    for (const p of rest.slice(1)) sub ??= gaz.subdivision(country, p);
  }
  for (const name of rest) {
    for (const variant of [name, ...name.split('/')]) {
      const city = pickCity(gaz.cities(variant, country), sub, gaz);
      if (city) return toPlace(gaz, city, sub);
    }
  }
  if (!country) return null;
  // `Utah, US`: a subdivision named where the city would be.
  sub ??= rest.map((p) => gaz.subdivision(country as string, p)).find(Boolean) ?? null;
  return {
    cityId: null,
    city: null,
    subdivisionCode: sub?.code ?? null,
    subdivision: sub?.name ?? null,
    countryCode: country,
    country: gaz.countryName(country) ?? country,
    lat: null,
    lon: null,
  };
}

/** The most populous candidate, preferring one in the named subdivision. */
function pickCity(candidates: readonly City[], sub: Subdivision | null, gaz: Gazetteer): City | undefined {
  if (sub) {
    const inSub = candidates.find((c) => gaz.cityArea(c)?.code === sub.code);
    if (inSub) return inSub;
  }
  return candidates[0];
}

function toPlace(gaz: Gazetteer, city: City, sub: Subdivision | null): EventPlace {
  const s = sub ?? gaz.cityArea(city);
  return {
    cityId: city.id,
    city: city.name,
    subdivisionCode: s?.code ?? null,
    subdivision: s?.name ?? null,
    countryCode: city.country,
    country: gaz.countryName(city.country) ?? city.country,
    lat: city.lat,
    lon: city.lon,
  };
}

/**
 * A city named in free text: the longest run of one to three capitalised words
 * that is a city of at least {@link TITLE_CITY_MIN} people (any size when a
 * country named in the text confirms it), most populous first.
 */
export function fromText(
  gaz: Gazetteer,
  text: string,
  countryHint: string | null,
  budget: LookupBudget = { left: Number.POSITIVE_INFINITY },
): EventPlace | null {
  const split = text.split(/[\s,.;:()[\]!?"“”#|+/@–—-]+/u, WORDS_PER_EVENT + 1).filter(Boolean);
  const words = split.slice(0, Math.max(0, Math.min(WORDS_PER_EVENT, budget.left)));
  budget.left -= words.length;
  const named = countryHint ?? words.map((w) => (w.length > 3 ? gaz.countryCode(w) : null)).find(Boolean) ?? null;
  for (let n = 3; n >= 1; n--) {
    let best: City | undefined;
    for (let i = 0; i + n <= words.length; i++) {
      const run = words.slice(i, i + n);
      if (!run.every((w) => /^\p{Lu}/u.test(w) || (n > 1 && /^(?:de|del|la|of|am|upon)$/.test(w)))) continue;
      const key = foldPlace(run.join(' '));
      if ((key.length < 3 && !isOtherName(key)) || NOT_PLACES.has(key)) continue;
      const all = gaz.cities(key);
      const inCountry = named ? all.filter((c) => c.country === named) : [];
      const city = inCountry[0] ?? all.find((c) => c.population >= TITLE_CITY_MIN);
      if (city && (!best || city.population > best.population)) best = city;
    }
    if (best) return toPlace(gaz, best, null);
  }
  if (named && !countryHint) {
    return {
      cityId: null,
      city: null,
      subdivisionCode: null,
      subdivision: null,
      countryCode: named,
      country: gaz.countryName(named) ?? named,
      lat: null,
      lon: null,
    };
  }
  return null;
}
