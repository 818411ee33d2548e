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
  ['us', 'usa', 'united states', 'america'],
  ['uk', 'gb', 'united kingdom', 'england', 'britain'],
];

const aliasIndex = new Map<string, string[]>();
for (const group of ALIAS_GROUPS) {
  const folded = group.map(foldPlace);
  for (const name of folded) aliasIndex.set(name, folded);
}

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });

/** Country code → English name ("DE" → "germany"), folded; null for unknown codes. */
function countryName(code: string): string | null {
  if (!/^[A-Za-z]{2}$/.test(code)) return null;
  try {
    const name = regionNames.of(code.toUpperCase());
    return name && name.toUpperCase() !== code.toUpperCase() ? foldPlace(name) : null;
  } catch {
    return null;
  }
}

/** Every folded name an event can be found by. */
export function eventPlaceNames(event: RustEvent): string[] {
  const names = new Set<string>();
  const add = (value: string | null | undefined): void => {
    if (!value) return;
    const f = foldPlace(value);
    if (f) names.add(f);
  };
  add(event.city);
  add(event.country);
  if (event.country) add(countryName(event.country));
  add(event.region);
  // "Virtual (Berlin, DE)", "Seattle, WA, US": every comma part counts (state codes too).
  for (const part of (event.location ?? '').replace(/[()]/g, ',').split(',')) add(part.replace(/^(virtual|hybrid)( and in person)?/i, ''));
  if (event.virtual) names.add('virtual');
  if (event.hybrid) names.add('hybrid');
  return [...names];
}

/** Whether an event is at (or, for virtual events, hosted from) the asked place. */
export function eventMatchesPlace(event: RustEvent, place: string): boolean {
  const wanted = aliasIndex.get(foldPlace(place)) ?? [foldPlace(place)];
  const names = eventPlaceNames(event);
  return wanted.some(
    (w) => names.includes(w) || names.some((n) => n.length > 3 && w.length > 3 && (n.startsWith(`${w} `) || n.endsWith(` ${w}`))),
  );
}

/** Display names of the places a list of events can be searched by (for suggestions and autocomplete). */
export function knownPlaces(events: readonly RustEvent[]): string[] {
  const out = new Set<string>();
  for (const e of events) {
    if (e.city) out.add(e.city);
    if (e.region) out.add(e.region);
    if (e.country) out.add(e.country.length === 2 ? (regionNames.of(e.country.toUpperCase()) ?? e.country) : e.country);
    if (e.virtual) out.add('Virtual');
  }
  return [...out].sort((a, b) => a.localeCompare(b));
}
