/**
 * Whole-word matching with a bounded tolerance for typos, for the small
 * filters that look at a few hundred titles or descriptions (crate, fcp)
 * rather than the full-text index.
 *
 * Why whole words and a length rule: a fuzzy substring match over free text
 * takes "docs" for "does" and "serde" for "server" or "series". A typo is only
 * forgiven in a word long enough for one wrong letter to leave it recognisable.
 */
import { boundedEditDistance } from './edit-distance.js';
import { foldText } from './query-text.js';

/** Words shorter than this must match exactly; from this length one typo is forgiven. */
export const TYPO_MIN_LENGTH = 5;
/** From this length two typos are forgiven. */
const TWO_TYPOS_MIN_LENGTH = 9;

/** The folded words of a text (`Box::take` → `box`, `take`), as the search tokenizer splits them. */
export function wordsOf(text: string): string[] {
  return foldText(text).match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** How many typos a query word of this length may carry. */
export function typoAllowance(word: string): number {
  return word.length >= TWO_TYPOS_MIN_LENGTH ? 2 : word.length >= TYPO_MIN_LENGTH ? 1 : 0;
}

/** Whether `word` (already folded) is `target`, its plural or singular, or — when `typos` — within its typo allowance. */
export function wordMatches(word: string, target: string, typos: boolean): boolean {
  if (word === target || `${word}s` === target || `${target}s` === word || `${word}es` === target || `${target}es` === word) return true;
  const allowed = typos ? typoAllowance(word) : 0;
  return allowed > 0 && boundedEditDistance(word, target, allowed) <= allowed;
}

/** Whether every word of `query` matches some word of `text` (see `wordMatches`). */
export function allWordsMatch(query: readonly string[], text: readonly string[], typos: boolean): boolean {
  return query.length > 0 && query.every((q) => text.some((t) => wordMatches(q, t, typos)));
}
