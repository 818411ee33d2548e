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
      if (n === key || n.replaceAll('-', '') === bare) return { tier: CrateTier.exact };
      if (key.length >= 2 && n.startsWith(key)) return { tier: CrateTier.prefix };
      if (key.length >= 3 && n.includes(key)) return { tier: CrateTier.inName };
      if (allowed > 0 && boundedEditDistance(key, n, allowed) <= allowed) return { tier: CrateTier.misspelledName };
      if (allWordsMatch(words, wordsOf(description), false)) return { tier: CrateTier.description, why };
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
