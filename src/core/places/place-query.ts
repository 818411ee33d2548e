/**
 * What place a user means ("berlin", "København", "texas", "TX", "DE",
 * "germany", "europe", "virtual", "la") and which events are there. Names are
 * looked up in the gazetteer (case and accents ignored); when a name could be
 * several places, the most populous wins and the others are named, so the
 * reply can say "taking la as Los Angeles (also: Laos)".
 */
import type { EventPlace, RustEvent } from '../issue/types.js';
import { foldPlace } from './fold-place.js';
import { type City, distanceKm, type Gazetteer } from './gazetteer.js';
import { eventMatchesPlace } from './match-place.js';

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
 * Every reading of `text`, best first: a mode or region name first, then
 * countries, subdivisions and cities by population (a country or subdivision
 * weighs what its gazetteer cities add up to). A two-letter text is a country
 * code or a known short name (`la`, `sf`, `dc`), never a city called "La".
 */
export function readPlace(gaz: Gazetteer, text: string): PlaceQuery[] {
  const key = foldPlace(text);
  if (!key) return [];
  const mode = MODES[key];
  if (mode) return [{ kind: mode, label: mode === 'virtual' ? 'virtual events' : 'hybrid events', weight: 0 }];
  const region = REGION_ALIASES[key] ?? key;
  if (REGIONS.includes(region)) return [{ kind: 'region', key: region, label: titleCase(region), weight: 0 }];
  const weighed: PlaceQuery[] = [];
  const short = /^[a-z]{2,3}$/.test(key);
  const country = gaz.countryCode(key);
  if (country)
    weighed.push({ kind: 'country', code: country, label: gaz.countryName(country) ?? country, weight: gaz.countryWeight(country) });
  const subs =
    short && !country ? SUBDIVISION_COUNTRIES.map((c) => gaz.subdivision(c, key)).filter((s) => s !== null) : gaz.subdivisionsNamed(key);
  const cities = gaz.cities(key);
  for (const s of subs) {
    // A region named after its city (Reykjavík, IS) means the city; a state of a city's name elsewhere (Ontario) stays.
    if (!short && cities.some((c) => c.country === s.country)) continue;
    weighed.push({ kind: 'subdivision', code: s.code, label: `${s.name}, ${s.country}`, weight: gaz.subdivisionWeight(s) });
  }
  // Two letters name a city only through a known short name (`la`), never a village called "La".
  const cityMatches = key.length === 2 ? cities.filter((c) => foldPlace(c.name) !== key) : cities;
  // GeoNames lists some cities twice (the city and its district, `Paris` and `Paris, Île-de-France`): keep the bigger.
  const distinct = cityMatches.filter((c, i) => !cityMatches.slice(0, i).some((b) => b.country === c.country && distanceKm(b, c) < 30));
  for (const c of distinct.slice(0, 3)) weighed.push({ kind: 'city', city: c, label: cityLabel(gaz, c), weight: c.population });
  return weighed.sort((a, b) => b.weight - a.weight);
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

/** The events at a place: by the best reading of it, else (nothing there) by the words of the location. */
export function eventsAtPlace(gaz: Gazetteer, events: readonly RustEvent[], text: string): { events: RustEvent[]; readings: PlaceQuery[] } {
  const readings = readPlace(gaz, text);
  const best = readings[0];
  const found = best ? events.filter((e) => eventIsAt(e, best)) : [];
  if (found.length > 0) return { events: found, readings };
  return { events: events.filter((e) => eventMatchesPlace(e, text)), readings };
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
