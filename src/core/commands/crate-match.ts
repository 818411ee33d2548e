/**
 * How `crate <query>` decides that a past crate of the week matches, and how
 * well: by name first (exact, prefix, inside the name, then a misspelling of
 * the whole name), then by whole words of its description. A description word
 * that only looks like the query ("server" for "serde") is not a match.
 */
import { boundedEditDistance } from '../search/edit-distance.js';
import { allWordsMatch, typoAllowance, wordsOf } from '../search/word-match.js';

/** Lower tiers rank first. */
export const CrateTier = { exact: 0, prefix: 1, inName: 2, misspelledName: 3, description: 4 } as const;

export interface CrateMatch {
  tier: (typeof CrateTier)[keyof typeof CrateTier];
  /**
   * Within a tier, lower ranks first: how many letters a name has beyond the
   * query (`serd` is Serde before serde-transcode), and for a misspelling
   * whether only letters were dropped (`rayn` is rayon before rain).
   */
  rank: number;
  /** Set when the name did not match: what the user should be told about why this is a hit. */
  why?: string;
}

/** A compiled query: call `match` for each crate. */
export interface CrateMatcher {
  match(name: string, description: string): CrateMatch | null;
}

/** Prepares a query (`serde`, `tower http client`, `sedre`) for matching against many crates. */
export function crateMatcher(query: string): CrateMatcher {
  const key = nameKey(query);
  const bare = key.replaceAll('-', '');
  const words = wordsOf(query);
  // Names are short and typed from memory: a four-letter name may carry one typo too.
  const allowed = key.length >= 4 ? Math.max(1, typoAllowance(key)) : 0;
  const why = `matched "${words.join(' ').slice(0, 60)}" in the description`;
  return {
    match(name, description) {
      const n = nameKey(name);
      if (!key || !n) return null;
      if (n === key || n.replaceAll('-', '') === bare) return { tier: CrateTier.exact, rank: 0 };
      if (key.length >= 2 && n.startsWith(key)) return { tier: CrateTier.prefix, rank: n.length - key.length };
      if (key.length >= 3 && n.includes(key)) return { tier: CrateTier.inName, rank: n.length - key.length };
      if (allowed > 0 && boundedEditDistance(key, n, allowed) <= allowed)
        return { tier: CrateTier.misspelledName, rank: isSubsequence(key, n) ? 0 : 1 };
      if (allWordsMatch(words, wordsOf(description), false)) return { tier: CrateTier.description, rank: 0, why };
      return null;
    },
  };
}

/** A crate name or query as one comparable key: `Tower HTTP_client` → `tower-http-client`. */
function nameKey(s: string): string {
  return s
    .toLowerCase()
    .replace(/[`'"]/g, '')
    .replace(/[_\s]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** Whether `short` is `long` with some letters left out (`rayn` of `rayon`). */
function isSubsequence(short: string, long: string): boolean {
  let i = 0;
  for (const ch of long) if (ch === short[i]) i++;
  return i === short.length;
}
