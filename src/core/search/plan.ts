/**
 * Decides, word by word, what a query searches for: the word itself and its
 * plural/singular, a prefix (a word still being typed, or a partial word like
 * `asyn`), a spelling correction (`tokoi` → `tokio`), or nothing (a very
 * common word next to rarer ones, or an unknown word with no correction).
 * Then writes the FTS5 expression, every term quoted.
 */
import type { Vocabulary } from './vocabulary.js';

/** One AND-ed part of the query: any of `terms`, or any term starting with `prefix`. */
export interface TermGroup {
  /** The word as searched (after correction). */
  word: string;
  terms: string[];
  prefix: string | null;
  /** Upper bound of how many links match this group (from the vocabulary). */
  docs: number;
  /** For a phrase: the links FTS5 reads to match it (every word's doclist), when that exceeds `docs`. */
  cost?: number;
}

/** What to search: the AND-ed groups, plus what to tell the user about the query. */
export interface QueryPlan {
  groups: TermGroup[];
  /** The query as searched when a word was corrected or dropped as unknown, else null. */
  corrected: string | null;
  /** The searched words, for highlighting. */
  terms: string[];
  /** Every group, common words included (they are not searched, but a title having them still counts when ranking). */
  all: TermGroup[];
  /**
   * The same query with each partial word read as a typo instead (`typs` →
   * `types`), to search when the plan as completed finds nothing; null when no
   * partial word has a correction.
   */
  fallback: QueryPlan | null;
}

interface Resolved {
  group: TermGroup | null;
  corrected: boolean;
  /** For a word taken as a prefix: its spelling correction, tried when the prefix finds nothing. */
  correction?: TermGroup;
}

/**
 * A word in more than this share of all links ("rust" in 42%, "in", "for",
 * "and", "to", "the") is dropped when the query has rarer words: it barely
 * moves bm25 (its IDF is ~0), and reading its doclist is what makes a query
 * slow ("rust 2024 edition" 2.4 ms with "rust", 0.2 ms without). Alone, it is searched.
 */
const COMMON_SHARE = 0.08;
/** …and is used by at least this many links: in a small store (tests, a fresh sync) no word is "common". */
const COMMON_MIN_DOCS = 1000;
/** The last word is also matched as a prefix only when that adds at most this many links (cost, noise). */
const PREFIX_MAX_DOCS = 3000;
/** A word shorter than this is never widened to a prefix when it is a known word (`gat` must not find `gateway`). */
const PREFIX_MIN_LENGTH = 4;

/**
 * Plans the search for `chunks` (from `queryChunks`); `totalLinks` sizes the
 * common-word cut-off. A chunk of several words (`rust-analyzer`) is searched
 * as a phrase when every word is known, else word by word.
 */
export function planQuery(
  chunks: readonly (readonly string[])[],
  vocab: Vocabulary,
  totalLinks: number,
  names: ReadonlySet<string> = new Set(),
): QueryPlan {
  const resolved: Resolved[] = [];
  chunks.forEach((words, c) => {
    const lastChunk = c === chunks.length - 1;
    const phrase = words.length > 1 ? resolvePhrase(words, lastChunk, vocab) : null;
    if (phrase) resolved.push({ group: phrase, corrected: false });
    else
      for (const [i, word] of words.entries())
        resolved.push(resolveWord(word, lastChunk && i === words.length - 1, vocab, !names.has(word) && isCorrectable(word)));
  });
  const plan = planOf(resolved, totalLinks);
  if (!resolved.some((r) => r.correction)) return plan;
  const corrected = resolved.map((r) => (r.correction ? { group: r.correction, corrected: true } : r));
  return { ...plan, fallback: planOf(corrected, totalLinks) };
}

function planOf(resolved: readonly Resolved[], totalLinks: number): QueryPlan {
  const common = Math.max(COMMON_MIN_DOCS, totalLinks * COMMON_SHARE);
  const isCommon = (g: TermGroup) => g.prefix === null && g.docs > common;
  const groups = resolved.map((r) => r.group).filter((g): g is TermGroup => g !== null);
  const kept = groups.some((g) => !isCommon(g)) ? groups.filter((g) => !isCommon(g)) : groups;
  const changed = resolved.some((r) => r.corrected || r.group === null);
  const shown = resolved.map((r) => r.group?.word).filter((w): w is string => w !== undefined);
  return {
    groups: kept,
    corrected: changed && shown.length > 0 ? shown.join(' ') : null,
    terms: kept.map((g) => g.word),
    all: groups,
    fallback: null,
  };
}

/**
 * `rust-analyzer` as the phrase "rust analyzer" (FTS5 phrases match adjacent
 * tokens, which is how the tokenizer stored `rust-analyzer`). The last word of
 * the query may be unfinished (`rust-analy`): a phrase prefix. Null when a
 * word is unknown, so the words are resolved (and corrected) one by one.
 */
function resolvePhrase(words: readonly string[], last: boolean, vocab: Vocabulary): TermGroup | null {
  let docs = Number.POSITIVE_INFINITY;
  let cost = 0;
  for (const [i, word] of words.entries()) {
    let d = vocab.docsOf(word);
    if (d === 0 && last && i === words.length - 1 && word.length >= 2) d = vocab.completionStats(word).docs;
    if (d === 0) return null;
    docs = Math.min(docs, d);
    cost += d;
  }
  const text = words.join(' ');
  const lastWord = words[words.length - 1] as string;
  const partial = last && vocab.docsOf(lastWord) === 0;
  // A version is the same with or without trailing zeros: `1.20.0` also finds "Announcing Rust 1.20".
  const short = words.every((w) => /^\d+$/.test(w)) ? trimZeros(words) : words;
  const terms = partial ? [] : short.length > 1 && short.length < words.length ? [text, short.join(' ')] : [text];
  return { word: text, terms, prefix: partial ? text : null, docs, cost };
}

function trimZeros(words: readonly string[]): readonly string[] {
  let n = words.length;
  while (n > 2 && /^0+$/.test(words[n - 1] as string)) n--;
  return words.slice(0, n);
}

/**
 * Whether an unknown word may be rewritten into another: never a word with a
 * digit (`1270` is not a typo of `132706`, nor `rfc3695` of `rfc3668`). Names
 * typed with a capital letter (`Clar Fon`) are kept by the caller.
 */
function isCorrectable(word: string): boolean {
  return !/\p{N}/u.test(word);
}

function resolveWord(word: string, last: boolean, vocab: Vocabulary, correctable: boolean): Resolved {
  const known = knownForms(word, vocab);
  if (known.terms.length > 0) {
    const group: TermGroup = { word, terms: known.terms, prefix: null, docs: known.docs };
    if (last && word.length >= PREFIX_MIN_LENGTH) {
      const more = vocab.completionStats(word);
      if (more.count > 0 && more.docs <= PREFIX_MAX_DOCS) {
        group.prefix = word;
        group.docs += more.docs;
      }
    }
    return { group, corrected: false };
  }
  const fix = correctable ? corrected(word, vocab) : null;
  // A partial word (`asyn`, `clo`): anything it starts, or, if that finds nothing, its correction
  // (`typs` starts only `typst`, but means `types`). A name (`Fon`) is a whole word, not a start.
  if (word.length >= 2 && correctable) {
    const more = vocab.completionStats(word);
    if (more.count > 0)
      return { group: { word, terms: [], prefix: word, docs: more.docs }, corrected: false, ...(fix ? { correction: fix } : {}) };
  }
  return { group: fix, corrected: fix !== null };
}

/** The group for the vocabulary's correction of `word`, or null when nothing is close. */
function corrected(word: string, vocab: Vocabulary): TermGroup | null {
  const fix = vocab.correct(word);
  if (!fix) return null;
  const forms = knownForms(fix.term, vocab);
  return { word: fix.term, terms: forms.terms, prefix: null, docs: forms.docs };
}

/**
 * The word and its plural or singular when the vocabulary has them (the
 * tokenizer does no stemming: `closure` would miss `closures`). A form much
 * more common than the word itself is left out (`news` must not pull in `new`).
 */
function knownForms(word: string, vocab: Vocabulary): { terms: string[]; docs: number } {
  const own = vocab.docsOf(word);
  const terms = own > 0 ? [word] : [];
  let docs = own;
  for (const form of inflections(word)) {
    const d = vocab.docsOf(form);
    if (d === 0 || (own > 0 && d > 5 * own + 5)) continue;
    terms.push(form);
    docs += d;
  }
  return { terms, docs };
}

const SIBILANT = /(?:s|x|z|ch|sh)$/;

function inflections(w: string): string[] {
  if (w.length < 3 || !/^\p{L}+$/u.test(w)) return [];
  // English plurals: `-s`, `-es` after a sibilant (`box`/`boxes`, not `gat`/`gates`), `-y`/`-ies`.
  const forms = [`${w}s`];
  if (SIBILANT.test(w)) forms.push(`${w}es`);
  if (w.endsWith('y')) forms.push(`${w.slice(0, -1)}ies`);
  if (w.length > 4 && w.endsWith('ies')) forms.push(`${w.slice(0, -3)}y`);
  if (w.length > 3 && w.endsWith('es') && SIBILANT.test(w.slice(0, -2))) forms.push(w.slice(0, -2));
  if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss')) forms.push(w.slice(0, -1));
  return forms.filter((f) => f !== w);
}

/** Quotes a term for FTS5: always a string literal, never syntax. */
function quote(term: string): string {
  return `"${term.replaceAll('"', '""')}"`;
}

/**
 * The FTS5 MATCH expression for `groups`, restricted to `columns` (e.g.
 * `title text`): every group (`AND`), or any (`OR`, for partial matches).
 */
export function ftsExpression(groups: readonly TermGroup[], columns: string, op: 'AND' | 'OR' = 'AND'): string {
  const parts = groups.map((g) => {
    const alternatives = g.terms.map(quote);
    if (g.prefix !== null) alternatives.push(`${quote(g.prefix)}*`);
    return alternatives.length === 1 ? (alternatives[0] as string) : `(${alternatives.join(' OR ')})`;
  });
  return `{${columns}} : (${parts.join(` ${op} `)})`;
}
