/**
 * Event locations as TWIR writes them, split into city, country and the
 * virtual/hybrid flags.
 *
 * Spellings seen across eras: `Berlin, DE`, `Seattle, WA, US`, `Lyon, France`
 * (2018), `Virtual (Nürnberg, DE)`, `Virtual( Kampala, UG)`, `Virtual`,
 * `Hybrid (Seattle, WA, US)`, `Virtual and In-Person (…)`, `Virtual + In person (…)`,
 * `Hybrid: In-Person and Virtual (…)`, several places in one pair of parentheses
 * separated by `;` or ` / `, and 2020's `Remote` marker.
 */
import { squash } from '../text.js';

export interface PlaceInfo {
  city: string | null;
  country: string | null;
  virtual: boolean;
  hybrid: boolean;
  /** The place's comma parts without mode words: `Virtual (Seattle, WA, US)` → Seattle, WA, US. */
  parts: string[];
}

// `Munich, DE + Virtual` (2022–24) is hybrid too: a place plus an online stream.
const HYBRID =
  /\bhybrid\b|\bvirtual\s*(?:and|\+|&|\/)\s*in[- ]?person\b|\bin[- ]?person\s*(?:and|\+|&|\/)\s*virtual\b|\+\s*(?:virtual|online)\b|\b(?:virtual|online)\s*\+/i;
const VIRTUAL = /\b(?:virtual|online|remote)\b/i;
/** Words that say how, not where: stripped before the place is read. */
const MODE_WORDS = /\b(?:hybrid|virtual|online|remote|in[- ]?person)\b|[:+&/]|\band\b|\s-\s/gi;
/** Places that are not one place. */
const NO_PLACE = /^(?:various|multiple|several|tba|tbd|anywhere|worldwide|global)\b/i;

/** True when a text is only a mode marker: 2020's `- Remote -` segment, `Online`, `Virtual`, `Hybrid`. */
export function isModeOnly(text: string): boolean {
  return /^[\s([]*(?:remote|online|virtual|hybrid)[\s)\]]*$/i.test(text);
}

/**
 * Reads a location. The place is the text in parentheses when there are any
 * (`Virtual (Nürnberg, DE)`), else the text without mode words; with several
 * places the first one counts. City is the first comma part, country the last
 * (when there are at least two parts): `Seattle, WA, US` gives Seattle and US.
 * Hybrid events are also virtual (one can attend online).
 */
export function parseLocation(location: string): PlaceInfo {
  const text = squash(location);
  const hybrid = HYBRID.test(text);
  const virtual = hybrid || VIRTUAL.test(text);
  // Parentheses hold the place after a mode word (`Virtual (Nürnberg, DE)`); after a
  // place they only add detail (`Los Angeles (Chino Hills), CA, US`) and are dropped.
  const open = text.indexOf('(');
  const modeParen = open !== -1 && squash(text.slice(0, open).replace(MODE_WORDS, ' ')) === '';
  const paren = modeParen ? /\(\s*([^)]*?)\s*(?:\)|$)/.exec(text) : null;
  let place = paren ? (paren[1] as string) : text.replace(/\([^)]*\)?/g, ' ');
  place = place.split(/;|\s\/\s/)[0] ?? '';
  // Mode words are only stripped from text that has them, so `Bangalore/Bengaluru, IN` stays whole.
  if (!paren && virtual) place = place.replace(MODE_WORDS, ' ');
  place = squash(place).replace(/^[\s,.:-]+|[\s,.:-]+$/g, '');
  if (place === '' || NO_PLACE.test(place)) return { city: null, country: null, virtual, hybrid, parts: [] };
  const parts = place
    .split(',')
    .map((p) => squash(p))
    .filter((p) => p !== '');
  // `Virtual (IL)`: a lone two-letter code is a country.
  if (parts.length === 1 && /^[A-Z]{2}$/.test(parts[0] as string))
    return { city: null, country: parts[0] as string, virtual, hybrid, parts };
  const city = parts[0] ?? null;
  const country = parts.length >= 2 ? (parts[parts.length - 1] as string) : null;
  return { city, country, virtual, hybrid, parts };
}

/** Region headings whose events are all online ("Virtual" 2022+, "Online" 2019–22). */
export function isVirtualRegion(region: string | null): boolean {
  return region !== null && /^(?:virtual|online)\b/i.test(region);
}
