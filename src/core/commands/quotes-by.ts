/**
 * The weeks a person was quoted: shared by `quote <person>` and `search`, so
 * a name finds the quote of the week whichever command is asked.
 */
import type { Archive, Sourced } from '../archive/archive.js';
import type { QuoteOfWeek } from '../issue/types.js';
import { allWordsMatch, wordsOf } from '../search/word-match.js';

/** The speaker of an attribution, without where it was said: "Sean Baxter on circle-lang.org" → "Sean Baxter". */
function speaker(attribution: string | null): string {
  return (attribution ?? '').split(/\s+(?:on|at|in|via|from)\s+|,|\(|['’]s\s/)[0] ?? '';
}

/**
 * Quotes of the week, newest first, with a part whose speaker has every word
 * of `name` (a typo forgiven in words of 5+ letters: "baxtr" finds Baxter).
 */
export function quotesBy(archive: Archive, asOf: string, name: string, year?: number): Sourced<QuoteOfWeek>[] {
  const words = wordsOf(name.slice(0, 100));
  if (words.length === 0) return [];
  return archive
    .memo('quotes', () => archive.records<QuoteOfWeek>('quoteOfWeek', '9999-12-31'))
    .filter((q) => q.issue.date <= asOf && (year === undefined || q.issue.date.startsWith(String(year))))
    .filter((q) =>
      (q.record.parts?.length ? q.record.parts : [q.record]).some((p) => allWordsMatch(words, wordsOf(speaker(p.attribution)), true)),
    )
    .sort((a, b) => b.issue.date.localeCompare(a.issue.date));
}
