/**
 * What place a user means ("berlin", "København", "texas", "TX", "DE",
 * "germany", "europe", "virtual", "la") and which events are there. Names are
 * looked up in the gazetteer (case and accents ignored); when a name could be
 * several places, the most populous wins and the others are named, so the
 * reply can say "taking la as Los Angeles (also: Laos)".
 */
import type { EventPlace, RustEvent } from '../issue/types.js';
import { foldPlace } from './fold-place.js';
import { type City, distanceKm, type Gazetteer, type Subdivision } from './gazetteer.js';
import { eventMatchesPlace } from './match-place.js';
import { OTHER_NAMES } from './other-names.js';
import { romanize } from './transliterate.js';

/** One reading of a place query; `weight` (population) ranks readings of one name. */
export type PlaceQuery = { label: string; weight: number } & (
  | { kind: 'virtual' | 'hybrid' }
  | { kind: 'region'; key: string }
  | { kind: 'country'; code: string }
  | { kind: 'subdivision'; code: string }
  | { kind: 'city'; city: City }
);

/** Region names TWIR has used as headings, folded. */
const REGIONS = [
  'virtual',
  'online',
  'africa',
  'asia',
  'asia pacific',
  'europe',
  'north america',
  'south america',
  'latin america',
  'oceania',
  'middle east',
];
/** What people call a region TWIR heads differently (folded): `apac` events are under Asia (and Asia Pacific). */
const REGION_ALIASES: Record<string, string> = {
  apac: 'asia',
  emea: 'europe',
  latam: 'south america',
  'latin america': 'south america',
};
const MODES: Record<string, 'virtual' | 'hybrid'> = { virtual: 'virtual', online: 'virtual', remote: 'virtual', hybrid: 'hybrid' };
/** Where a two- or three-letter code that is no country is tried as a state or province. */
const SUBDIVISION_COUNTRIES = ['US', 'CA', 'AU', 'GB', 'IN', 'BR', 'MX', 'DE'];

/**
 * Every reading of `text`, best first. The rule order, one decision used by
 * `events`, `events near`, digest place filters and autocomplete alike:
 *
 * 1. A leading "in"/"at" is dropped (`in berlin`).
 * 2. A mode (`virtual`, `online`, `hybrid`) or a region TWIR heads listings
 *    with (`europe`; `apac`, `emea`, `latam`) is that, and nothing else.
 * 3. Otherwise the whole text is read as a name: a country (name in English
 *    or a few local languages, or its code), a state, province or nation
 *    (named whole, or a code that is no country's: `TX`), and cities (the
 *    gazetteer's names, its names in other scripts for cities of 15,000+ —
 *    `東京`, `Αθήνα` — plus the few aliases of `other-names.ts`). Each weighs
 *    its population (a country or subdivision: its cities' total), heaviest
 *    first; a subdivision whose largest city has its name, or is its alias
 *    (Berlin, Madrid; `geneva`, `new york`), is read as the city.
 *    A name in Cyrillic or Hangul that names nothing itself (a town under
 *    15,000 people) is read as its romanization (`Москва` → moskva).
 * 4. If the whole text names nothing, a trailing qualifier is split off
 *    (`austin, tx`, `paris, france`, `Cambridge MA`): readings of the rest
 *    that lie in that country or subdivision; if none does, the rest alone.
 *
 * A two-letter text is a country code or an alias (`la`, `sf`, `dc`), never
 * a village called "La".
 */
export function readPlace(gaz: Gazetteer, text: string): PlaceQuery[] {
  const key = foldPlace(text).replace(/^(?:in|at) (?=\S)/, '');
  if (!key) return [];
  const mode = MODES[key];
  if (mode) return [{ kind: mode, label: mode === 'virtual' ? 'virtual events' : 'hybrid events', weight: 0 }];
  const region = REGION_ALIASES[key] ?? key;
  if (REGIONS.includes(region)) return [{ kind: 'region', key: region, label: titleCase(region), weight: 0 }];
  // Cyrillic and Hangul are read as their romanization when their own letters name nothing (`Москва`, `서울`).
  const latin = romanize(text.normalize('NFC'));
  if (latin !== null) {
    const own = readName(gaz, key);
    return own.length > 0 ? own : readPlace(gaz, latin);
  }
  const split = qualified(text, key);
  if (!split.comma) {
    const whole = readName(gaz, key);
    if (whole.length > 0 || !split.qualifier) return whole;
  }
  if (!split.qualifier) return readName(gaz, split.head);
  const within = qualifierAreas(gaz, split.qualifier);
  const inside = readName(gaz, split.head, (q) => isWithin(gaz, q, within));
  return inside.length > 0 ? inside : readName(gaz, split.head);
}

/** `austin, tx` → austin + tx; `cambridge ma` → cambridge + ma (tried only when the whole names nothing). */
function qualified(text: string, key: string): { head: string; qualifier: string | null; comma: boolean } {
  const comma = text.indexOf(',');
  if (comma > 0) {
    const head = foldPlace(text.slice(0, comma)).replace(/^(?:in|at) (?=\S)/, '');
    const qualifier = foldPlace(text.slice(comma + 1).split(',')[0] ?? '');
    if (head) return { head, qualifier: qualifier || null, comma: true };
  }
  const words = key.split(' ');
  if (words.length < 2) return { head: key, qualifier: null, comma: false };
  return { head: words.slice(0, -1).join(' '), qualifier: words.at(-1) as string, comma: false };
}

/** The countries and subdivisions a qualifier can name (`tx`, `or`, `de`, `france`, `ontario`). */
function qualifierAreas(gaz: Gazetteer, qualifier: string): { countries: Set<string>; subs: Set<string> } {
  const country = gaz.countryCode(qualifier);
  const short = /^[a-z]{2,3}$/.test(qualifier);
  const subs = short
    ? SUBDIVISION_COUNTRIES.map((c) => gaz.subdivision(c, qualifier)).filter((s) => s !== null)
    : gaz.subdivisionsNamed(qualifier);
  return { countries: new Set(country ? [country] : []), subs: new Set(subs.map((s) => s.code)) };
}

function isWithin(gaz: Gazetteer, q: PlaceQuery, within: { countries: Set<string>; subs: Set<string> }): boolean {
  if (q.kind === 'city') {
    const area = gaz.cityArea(q.city);
    return within.countries.has(q.city.country) || (area !== null && within.subs.has(area.code));
  }
  if (q.kind === 'subdivision') return within.countries.has(q.code.slice(0, 2));
  return false;
}

/** Rule 3 of {@link readPlace} for one folded name; `keep` narrows city readings before the best three are taken. */
function readName(gaz: Gazetteer, key: string, keep: (q: PlaceQuery) => boolean = () => true): PlaceQuery[] {
  if (!key) return [];
  const weighed: PlaceQuery[] = [];
  const short = /^[a-z]{2,3}$/.test(key);
  const country = gaz.countryCode(key);
  if (country)
    weighed.push({ kind: 'country', code: country, label: gaz.countryName(country) ?? country, weight: gaz.countryWeight(country) });
  const subs =
    short && !country ? SUBDIVISION_COUNTRIES.map((c) => gaz.subdivision(c, key)).filter((s) => s !== null) : gaz.subdivisionsNamed(key);
  const cities = gaz.cities(key);
  for (const s of subs) {
    // A region named after its own largest city (Berlin, Madrid) means the city; so does an ISO
    // region no GeoNames area maps to, named like a city of its country (Reykjavík, IS).
    if (!short) {
      const largest = gaz.largestCity(s.code);
      if (largest ? cities.some((c) => c.id === largest.id && namedExactly(c, key)) : cities.some((c) => c.country === s.country)) continue;
    }
    weighed.push({ kind: 'subdivision', code: s.code, label: subdivisionLabel(s), weight: gaz.subdivisionWeight(s) });
  }
  // Two letters name a city only through a known short name (`la`), never a village called "La".
  const cityMatches = (key.length === 2 ? cities.filter((c) => foldPlace(c.name) !== key) : cities)
    .map((c): PlaceQuery => ({ kind: 'city', city: c, label: cityLabel(gaz, c), weight: c.population }))
    .filter(keep);
  // GeoNames lists some cities twice (the city and its district, `Paris` and `Paris, Île-de-France`): keep the bigger.
  const distinct = cityMatches.filter(
    (c, i) =>
      c.kind === 'city' &&
      !cityMatches.slice(0, i).some((b) => b.kind === 'city' && b.city.country === c.city.country && distanceKm(b.city, c.city) < 30),
  );
  weighed.push(...distinct.slice(0, 3));
  return weighed.filter((q) => q.kind === 'city' || keep(q)).sort((a, b) => b.weight - a.weight);
}

/** Whether a city is called `key` itself or through an alias (`geneva` → Genève), not only by a prefix (`oklahoma` → Oklahoma City). */
function namedExactly(c: City, key: string): boolean {
  const other = OTHER_NAMES[key];
  return foldPlace(c.name) === key || (other !== undefined && foldPlace(c.name) === other[0] && c.country === other[1]);
}

/** "Washington (state), US", "Bavaria, DE": the kind is said where it tells a state from its namesake city. */
function subdivisionLabel(s: Subdivision): string {
  const kind = /^(?:state|province|territory|district)$/i.test(s.type) ? ` (${s.type.toLowerCase()})` : '';
  return `${s.name}${kind}, ${s.country}`;
}

/** "Los Angeles, California, US". */
export function cityLabel(gaz: Gazetteer, c: City): string {
  const sub = gaz.cityArea(c);
  return [c.name, sub?.name, c.country].filter(Boolean).join(', ');
}

function titleCase(text: string): string {
  return text.replace(/\b\p{L}/gu, (l) => l.toUpperCase());
}

/** Rough continent boxes (lat, lon ranges), for events listed before TWIR used region headings. */
const CONTINENTS: [string, number, number, number, number][] = [
  ['europe', 35, 72, -25, 45],
  ['north america', 7, 84, -170, -50],
  ['south america', -56, 13, -82, -34],
  ['africa', -35, 37, -18, 52],
  ['oceania', -50, 0, 110, 180],
  ['asia', -11, 78, 45, 180],
];

/** The continents (lower case, as region headings fold) whose rough box holds a point; usually one. */
export function continentsAt(lat: number, lon: number): string[] {
  return CONTINENTS.filter(([, la0, la1, lo0, lo1]) => lat >= la0 && lat <= la1 && lon >= lo0 && lon <= lo1).map(([name]) => name);
}

/** Whether an event is at the place a reading names (virtual events count where they are hosted from). */
export function eventIsAt(event: RustEvent, q: PlaceQuery): boolean {
  const p: EventPlace | null | undefined = event.place;
  switch (q.kind) {
    case 'virtual':
      return event.virtual;
    case 'hybrid':
      return event.hybrid;
    case 'region': {
      const regions = (event.regions ?? (event.region ? [event.region] : [])).map(foldPlace);
      // Before 2019 no listing had region headings: the place's coordinates say which continent.
      if (regions.length === 0 && p?.lat != null && p.lon != null) regions.push(...continentsAt(p.lat, p.lon));
      return regions.some((r) => r === q.key || r.startsWith(`${q.key} `)) || (q.key === 'online' && event.virtual);
    }
    case 'country':
      return p?.countryCode === q.code;
    case 'subdivision':
      return p?.subdivisionCode === q.code;
    case 'city':
      return p?.cityId === q.city.id;
  }
}

/**
 * The events at a place: those at the first plausible reading (one weighing
 * at least a twentieth of the best) that has any, that reading put first, so
 * the reply names the place its events are at; else, with no readings, those
 * whose location text names it (`Moravia, CZ`).
 */
export function eventsAtPlace(gaz: Gazetteer, events: readonly RustEvent[], text: string): { events: RustEvent[]; readings: PlaceQuery[] } {
  const readings = readPlace(gaz, text);
  const best = readings[0];
  for (const q of readings) {
    if (best && q.weight * 20 < best.weight) break;
    const found = events.filter((e) => eventIsAt(e, q));
    if (found.length > 0) return { events: found, readings: [q, ...readings.filter((r) => r !== q)] };
  }
  const named = events.filter((e) => eventMatchesPlace(e, text));
  return { events: named, readings: named.length > 0 ? [] : readings };
}

/** Events within `km` of a point that one can attend in person, nearest first, with their distance. */
export function eventsNear(events: readonly RustEvent[], at: { lat: number; lon: number }, km: number): { event: RustEvent; km: number }[] {
  const out: { event: RustEvent; km: number }[] = [];
  for (const event of events) {
    const p = event.place;
    if (!p || p.lat === null || p.lon === null || (event.virtual && !event.hybrid)) continue;
    const d = distanceKm(at, { lat: p.lat, lon: p.lon });
    if (d <= km) out.push({ event, km: d });
  }
  return out.sort((a, b) => a.km - b.km || a.event.date.localeCompare(b.event.date));
}

/** The nearest cities with events to a point ("Karlsruhe, DE (62 km)"), at most `limit`. */
export function nearestEventCities(events: readonly RustEvent[], at: { lat: number; lon: number }, limit: number): string[] {
  const seen = new Map<number, { label: string; km: number }>();
  for (const { event, km } of eventsNear(events, at, Number.POSITIVE_INFINITY)) {
    const p = event.place as EventPlace;
    if (p.cityId !== null && !seen.has(p.cityId)) seen.set(p.cityId, { label: `${p.city}, ${p.countryCode}`, km });
    if (seen.size >= limit) break;
  }
  return [...seen.values()].map((c) => `${c.label} (${Math.round(c.km)} km)`);
}

/** A point for a reading: the city's, or the most populous city of a country or subdivision. */
export function readingPoint(gaz: Gazetteer, q: PlaceQuery | undefined): { lat: number; lon: number } | null {
  if (!q) return null;
  if (q.kind === 'city') return q.city;
  if (q.kind === 'country' || q.kind === 'subdivision') return gaz.largestCity(q.code) ?? null;
  return null;
}

/** The cities with the most upcoming events ("Berlin (4)"), for a hint when the asked place has no point to measure from. */
export function busiestEventCities(events: readonly RustEvent[], limit: number): string[] {
  const counts = new Map<string, number>();
  for (const e of events) {
    const city = e.place?.city ?? e.city;
    if (city) counts.set(city, (counts.get(city) ?? 0) + 1);
  }
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, limit)
    .map(([city, n]) => `${city} (${n})`);
}
