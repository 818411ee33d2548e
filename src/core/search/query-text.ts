/**
 * Turns whatever a user typed into a short list of plain search words.
 *
 * Query text never reaches FTS5 as written: it is folded and split exactly the
 * way `links_fts`'s tokenizer (`unicode61 remove_diacritics 2`) splits stored
 * text, so every word is a run of letters and digits and FTS syntax (`"`, `*`,
 * `NEAR(`, `:`, `^`, parentheses, `AND`/`OR`/`NOT`), SQL quotes, emoji and
 * regex characters simply disappear as separators. Words are quoted again when
 * the FTS expression is built (`fts-expression.ts`).
 */

/** Only this much of the query is looked at: a 10,000-character paste costs no more than a normal query. */
export const MAX_QUERY_CHARS = 400;
/** At most this many words are searched; FTS cost grows with every AND-ed phrase. */
export const MAX_TERMS = 12;
/** Longer "words" are cut: no real term is that long, and edit distance is quadratic in length. */
export const MAX_TERM_LENGTH = 40;

const SEPARATORS = /[^\p{L}\p{N}]+/u;
// Spaces and bracketing punctuation end a chunk; `-`, `_`, `.`, `:`, `/`, `'` and the like join words into one.
const CHUNK_SEPARATORS = /[\s,;!?()[\]{}<>"`|\u00ab\u00bb\u201c\u201d]+/u;
const MARKS = /\p{M}+/gu;
const OPERATORS = /^(?:AND|OR|NOT|NEAR)$/;

/**
 * Folds text like the FTS tokenizer does: compatibility decomposition,
 * combining marks dropped (`Nürnberg` → `nurnberg`), lower case. Never throws,
 * even on lone surrogates.
 */
export function foldText(text: string): string {
  return text.normalize('NFKD').replace(MARKS, '').toLowerCase();
}

/**
 * The search words of a query, at most `MAX_TERMS` in all, each at most
 * `MAX_TERM_LENGTH` code points, grouped into chunks: words written together
 * without a space (`rust-analyzer`, `io::Error`, `1.80`, `tokio_uring`) form
 * one chunk, searched as a phrase. Repeated chunks are dropped. Empty when
 * nothing searchable is left (only punctuation, emoji or FTS syntax).
 */
export function queryChunks(text: string): string[][] {
  if (typeof text !== 'string') return [];
  const chunks: string[][] = [];
  const seen = new Set<string>();
  let count = 0;
  let head = text.slice(0, MAX_QUERY_CHARS);
  if (text.length > MAX_QUERY_CHARS) {
    // Do not search the stub of a word cut in half.
    const cut = head.search(/[\p{L}\p{N}\p{M}]+$/u);
    if (cut > 0) head = head.slice(0, cut);
  }
  for (const piece of head.split(CHUNK_SEPARATORS)) {
    // Someone trying FTS or search-engine syntax: `tokio OR async` means both words, not the word "or".
    if (OPERATORS.test(piece)) continue;
    const words = foldText(piece)
      .split(SEPARATORS)
      .filter(Boolean)
      .slice(0, MAX_TERMS - count)
      .map((w) => cutCodePoints(w, MAX_TERM_LENGTH));
    const key = words.join(' ');
    if (words.length === 0 || seen.has(key)) continue;
    seen.add(key);
    chunks.push(words);
    count += words.length;
    if (count >= MAX_TERMS) break;
  }
  return chunks;
}

/** All words of `queryChunks`, in order. */
export function queryWords(text: string): string[] {
  return queryChunks(text).flat();
}

/** Whether the query text ends inside a word (the user is still typing it), for autocomplete. */
export function endsInWord(text: string): boolean {
  return /[\p{L}\p{N}]\p{M}*$/u.test(text.slice(-8));
}

function cutCodePoints(word: string, max: number): string {
  if (word.length <= max) return word;
  return Array.from(word).slice(0, max).join('');
}

/**
 * The words of a query that were typed with a capital letter (`Clar Fon`,
 * `GATs`), folded like `queryChunks`: names and acronyms, which spelling
 * correction must not rewrite into ordinary words.
 */
export function capitalisedWords(text: string): Set<string> {
  const names = new Set<string>();
  if (typeof text !== 'string') return names;
  for (const word of text.slice(0, MAX_QUERY_CHARS).split(SEPARATORS)) {
    if (/\p{Lu}/u.test(word)) names.add(cutCodePoints(foldText(word), MAX_TERM_LENGTH));
  }
  return names;
}
