/**
 * Names of cities that GeoNames' main name does not carry: it names Copenhagen
 * in English but Köln in German; the store keeps GeoNames' alternate names only
 * in other scripts (`city_names`), not its noisy Latin ones.
 */
import { foldPlace } from './fold-place.js';

/**
 * English and local names GeoNames' main name does not carry (it names
 * Copenhagen in English but Köln in German). GeoNames' Latin alternate names
 * are not stored (codes and stray spellings among them), so this bridges the
 * exonyms TWIR and its readers use; folded forms,
 * mapped to the gazetteer's folded name and country.
 */
export const OTHER_NAMES: Record<string, [string, string]> = {
  kobenhavn: ['copenhagen', 'DK'],
  aarhus: ['arhus', 'DK'],
  munchen: ['munich', 'DE'],
  muenchen: ['munich', 'DE'],
  cologne: ['koln', 'DE'],
  koeln: ['koln', 'DE'],
  nuremberg: ['nurnberg', 'DE'],
  nuernberg: ['nurnberg', 'DE'],
  zuerich: ['zurich', 'CH'],
  wien: ['vienna', 'AT'],
  praha: ['prague', 'CZ'],
  milano: ['milan', 'IT'],
  roma: ['rome', 'IT'],
  firenze: ['florence', 'IT'],
  torino: ['turin', 'IT'],
  lisboa: ['lisbon', 'PT'],
  warszawa: ['warsaw', 'PL'],
  cracow: ['krakow', 'PL'],
  // GeoNames' main names are the local ones here; the English name is what readers type.
  gothenburg: ['goteborg', 'SE'],
  'den haag': ['the hague', 'NL'],
  bruxelles: ['brussels', 'BE'],
  brussel: ['brussels', 'BE'],
  geneva: ['geneve', 'CH'],
  genf: ['geneve', 'CH'],
  athina: ['athens', 'GR'],
  moskva: ['moscow', 'RU'],
  kiev: ['kyiv', 'UA'],
  bangalore: ['bengaluru', 'IN'],
  bombay: ['mumbai', 'IN'],
  saigon: ['ho chi minh city', 'VN'],
  hcmc: ['ho chi minh city', 'VN'],
  'ciudad de mexico': ['mexico city', 'MX'],
  cdmx: ['mexico city', 'MX'],
  'new york': ['new york city', 'US'],
  nyc: ['new york city', 'US'],
  ny: ['new york city', 'US'],
  la: ['los angeles', 'US'],
  sf: ['san francisco', 'US'],
  'bay area': ['san francisco', 'US'],
  // GeoNames names the capital "Washington, D.C.", so plain "washington" would never reach it.
  dc: ['washington d c', 'US'],
  'washington dc': ['washington d c', 'US'],
  washington: ['washington d c', 'US'],
};

/**
 * ISO 3166-2 subdivisions whose (local) ISO name differs from GeoNames'
 * English one, so the two cannot be linked by name: the key is the GeoNames
 * admin1 code, the value the ISO code whose names then find the same cities
 * (`bayern` and `bavaria` alike). Only German Länder: TWIR lists many German
 * meetups; other countries' areas are found by their GeoNames (English) names.
 */
export const SUBDIVISION_LINKS: Record<string, string> = {
  'DE.02': 'DE-BY', // Bavaria = Bayern
  'DE.05': 'DE-HE', // Hesse = Hessen
  'DE.06': 'DE-NI', // Lower Saxony = Niedersachsen
  'DE.07': 'DE-NW', // North Rhine-Westphalia = Nordrhein-Westfalen
  'DE.13': 'DE-SN', // Saxony = Sachsen
  'DE.14': 'DE-ST', // Saxony-Anhalt = Sachsen-Anhalt
  'DE.15': 'DE-TH', // Thuringia = Thüringen
  'DE.16': 'DE-BE', // State of Berlin = Berlin
};

/** Whether a short name (`DC`, `LA`) is one the gazetteer knows through {@link OTHER_NAMES}. */
export function isOtherName(name: string): boolean {
  return foldPlace(name) in OTHER_NAMES;
}
