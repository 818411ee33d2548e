/**
 * The search vocabulary: every term of link titles and texts with how many
 * links use it, for exact/prefix decisions, autocomplete and typo correction.
 *
 * Why in memory, and why not trigrams in SQLite or Fuse.js (measured on the
 * full archive, 74,692 links → 21,506 title/text terms, 2-core box under load):
 * - Reading the terms straight from FTS5 (`links_vocab`, an fts5vocab table)
 *   takes 80–250 ms, so `refreshSearchVocabulary` copies them into the small
 *   `search_terms` table after each sync; loading that takes ~10 ms.
 * - A trigram-tokenised FTS5 table of the terms answered in 0.02–0.6 ms but
 *   cannot see transpositions in short words: `asnyc` and `async` share no
 *   trigram. Padded bigrams (`^a as sy yn nc c$`) do, and 21k terms make a
 *   bigram index of ~170k postings, built lazily in ~20 ms on the first typo.
 * - Fuse.js over the 21k terms costs milliseconds per word; counting shared
 *   bigrams and then running a bounded Damerau-Levenshtein over the few
 *   survivors takes 0.05–0.3 ms.
 */
import type Database from 'better-sqlite3';
import { bumpContentVersion } from '../store/content-version.js';
import { boundedEditDistance } from './edit-distance.js';

type Db = Database.Database;

/** State key holding the store fingerprint the `search_terms` table was built from. */
export const VOCABULARY_STATE_KEY = 'search:vocabulary';

// Title and text only: section names ("Upcoming Events", "Updates from Rust Community") are not searched.
const TERMS_FROM_INDEX = `SELECT term, max(doc) AS docs FROM links_vocab WHERE col IN ('title', 'text') GROUP BY term`;

/** A spelling correction: the vocabulary term closest to a word nobody wrote. */
export interface Correction {
  term: string;
  distance: number;
}

/** The sorted vocabulary with document counts; see the file comment for why it lives in memory. */
export class Vocabulary {
  private readonly index = new Map<string, number>();
  private bigrams: Map<string, Int32Array> | null = null;
  /** Shared-bigram counts per term, all zero between calls of `correct`. */
  private readonly counts: Uint16Array;

  /** `terms` sorted by UTF-16 code units (so every prefix is one contiguous range), `docs` aligned. */
  private constructor(
    readonly terms: readonly string[],
    readonly docs: Int32Array,
  ) {
    for (const [i, t] of terms.entries()) this.index.set(t, i);
    this.counts = new Uint16Array(terms.length);
  }

  /** A vocabulary from terms already sorted by UTF-16 code units (a saved snapshot), `docs` aligned. */
  static sorted(terms: readonly string[], docs: Int32Array): Vocabulary {
    return new Vocabulary(terms, docs);
  }

  /** Builds a vocabulary from `[term, docs]` pairs in any order. */
  static from(rows: readonly (readonly [string, number])[]): Vocabulary {
    const sorted = rows.filter(([term, docs]) => term && docs > 0).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return new Vocabulary(
      sorted.map(([t]) => t),
      Int32Array.from(sorted, ([, d]) => d),
    );
  }

  get size(): number {
    return this.terms.length;
  }

  /** How many links use `term` (in title or text); 0 when unknown. */
  docsOf(term: string): number {
    const i = this.index.get(term);
    return i === undefined ? 0 : (this.docs[i] as number);
  }

  /** Index range `[from, to)` of the terms starting with `prefix` (the term itself included). */
  prefixRange(prefix: string): [number, number] {
    const from = lowerBound(this.terms, prefix);
    // The smallest string greater than every string with this prefix.
    const to = lowerBound(this.terms, `${prefix}\uffff`, from);
    return [from, to];
  }

  /** The terms strictly longer than `prefix` that start with it: how many, and their summed document counts. */
  completionStats(prefix: string): { count: number; docs: number } {
    const [from, to] = this.prefixRange(prefix);
    let docs = 0;
    let count = 0;
    for (let i = from; i < to; i++) {
      if (this.terms[i] === prefix) continue;
      docs += this.docs[i] as number;
      count++;
    }
    return { count, docs };
  }

  /** The most used terms starting with `prefix`, most used first. */
  topCompletions(prefix: string, limit: number): string[] {
    const [from, to] = this.prefixRange(prefix);
    const ids: number[] = [];
    for (let i = from; i < to; i++) ids.push(i);
    ids.sort((a, b) => (this.docs[b] as number) - (this.docs[a] as number) || a - b);
    return ids.slice(0, limit).map((i) => this.terms[i] as string);
  }

  /**
   * The closest known term to an unknown `word`: fewest edits first (at most 1
   * for words of 3–4 letters, 2 from 5 letters on; none below 3, where almost
   * everything is one edit from something), then a term that keeps every
   * letter typed (a dropped letter is the likelier slip: `withn` is `within`,
   * not `with`), then the most used. Null when nothing is close enough.
   */
  correct(word: string): Correction | null {
    const len = word.length;
    if (len < 3) return null;
    const max = len <= 4 ? 1 : 2;
    const grams = paddedBigrams(word);
    // An edit changes at most 3 padded bigrams (a swap: `ab` → `ba` touches `xa ab by`).
    const need = Math.max(1, grams.length - 3 * max);
    // Without the typo index (a one-shot process that has not built it), every term of a close length is
    // a candidate: one scan (~5–15 ms) costs less than building the index (~20–90 ms) for one word.
    if (!this.bigrams) return this.closest(word, max, this.scanCandidates(word, max));
    const index = this.bigrams;
    const counts = this.counts;
    const touched: number[] = [];
    for (const g of new Set(grams)) {
      const postings = index.get(g);
      if (!postings) continue;
      for (const id of postings) {
        if (counts[id] === 0) touched.push(id);
        counts[id] = (counts[id] as number) + 1;
      }
    }
    const survivors = touched.filter((id) => {
      const shared = counts[id] as number;
      counts[id] = 0;
      return shared >= need;
    });
    return this.closest(word, max, survivors);
  }

  /**
   * Terms that may be within `max` edits of `word`, by a cheap necessary
   * test: an edit adds or removes at most one letter of the word's letters
   * (a transposition none), so a term missing more than `max` of them, or of
   * a length more than `max` away, cannot be close.
   */
  private *scanCandidates(word: string, max: number): Generator<number> {
    const need = new Map<string, number>();
    for (const ch of word) need.set(ch, (need.get(ch) ?? 0) + 1);
    const left = new Map<string, number>();
    for (const [id, term] of this.terms.entries()) {
      if (Math.abs(term.length - word.length) > max) continue;
      for (const [ch, n] of need) left.set(ch, n);
      let missing = word.length;
      for (const ch of term) {
        const n = left.get(ch);
        if (n) {
          left.set(ch, n - 1);
          missing--;
        }
      }
      if (missing <= max) yield id;
    }
  }

  /** The best of `candidates` for `word` within `max` edits (see `correct`). */
  private closest(word: string, max: number, candidates: Iterable<number>): Correction | null {
    const len = word.length;
    let best: { id: number; distance: number; keeps: boolean } | null = null;
    for (const id of candidates) {
      const term = this.terms[id] as string;
      if (Math.abs(term.length - len) > max) continue;
      const bound = best ? best.distance : max;
      const distance = boundedEditDistance(word, term, bound);
      if (distance > bound) continue;
      const keeps = isSubsequence(word, term);
      if (
        !best ||
        distance < best.distance ||
        (keeps && !best.keeps) ||
        (keeps === best.keeps && (this.docs[id] as number) > (this.docs[best.id] as number))
      )
        best = { id, distance, keeps };
    }
    return best ? { term: this.terms[best.id] as string, distance: best.distance } : null;
  }

  /** Builds the typo index now (~20 ms on the full archive) rather than during the first misspelt query. */
  warm(): void {
    this.bigramIndex();
  }

  private bigramIndex(): Map<string, Int32Array> {
    if (this.bigrams) return this.bigrams;
    const lists = new Map<string, number[]>();
    this.terms.forEach((term, id) => {
      if (term.length < 2 || term.length > 42) return;
      for (const g of new Set(paddedBigrams(term))) {
        const list = lists.get(g);
        if (list) list.push(id);
        else lists.set(g, [id]);
      }
    });
    this.bigrams = new Map([...lists].map(([g, ids]) => [g, Int32Array.from(ids)]));
    return this.bigrams;
  }
}

/** Whether every letter of `word` occurs in `term`, in order. */
function isSubsequence(word: string, term: string): boolean {
  let i = 0;
  for (let k = 0; k < term.length && i < word.length; k++) if (term[k] === word[i]) i++;
  return i === word.length;
}

/** `async` → `^a as sy yn nc c$`: the padding makes first and last letters count. */
function paddedBigrams(word: string): string[] {
  const padded = `\u0002${word}\u0003`;
  const grams: string[] = [];
  for (let i = 0; i + 2 <= padded.length; i++) grams.push(padded.slice(i, i + 2));
  return grams;
}

function lowerBound(sorted: readonly string[], key: string, from = 0): number {
  let lo = from;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as string) < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Loads the vocabulary: from `search_terms` when `refreshSearchVocabulary` ran
 * for exactly this store content (`fingerprint`), otherwise straight from the
 * FTS index (slower, but never stale, and works on a read-only connection).
 */
export function loadVocabulary(db: Db, fingerprint: string): Vocabulary {
  const state = db.prepare('SELECT value FROM state WHERE key = ?').pluck().get(VOCABULARY_STATE_KEY);
  const sql = state === fingerprint ? 'SELECT term, docs FROM search_terms' : TERMS_FROM_INDEX;
  return Vocabulary.from(db.prepare(sql).raw().all() as [string, number][]);
}

/**
 * Copies the title/text terms of `links_fts` with their document counts into
 * `search_terms`, so a search index starts in milliseconds instead of
 * re-reading the FTS index. Call it after a sync stored or removed anything;
 * it returns at once when nothing changed since the last refresh. A search
 * index built on a stale or missing copy reads the FTS index instead, so
 * forgetting it costs start-up time, never wrong answers.
 */
export function refreshSearchVocabulary(db: Db): void {
  const getState = db.prepare('SELECT value FROM state WHERE key = ?').pluck();
  const insert = db.prepare('INSERT INTO search_terms (term, docs) VALUES (?, ?)');
  // One IMMEDIATE transaction from the fingerprint to the last row: the terms, their counts and the
  // fingerprint recorded with them all describe the same commit, and a process killed half-way
  // leaves the previous copy and fingerprint, so the next sync sees a stale copy and rebuilds it.
  db.transaction(() => {
    const fingerprint = storeFingerprint(db);
    if (getState.get(VOCABULARY_STATE_KEY) === fingerprint) return;
    const rows = db.prepare(TERMS_FROM_INDEX).raw().all() as [string, number][];
    db.prepare('DELETE FROM search_terms').run();
    for (const [term, docs] of rows) if (docs > 0) insert.run(term, docs);
    db.prepare('INSERT INTO state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(
      VOCABULARY_STATE_KEY,
      fingerprint,
    );
  }).immediate();
  bumpContentVersion(db);
}

/** Whether `search_terms` matches the store as it is now (call before a sync changes it). */
export function isVocabularyCurrent(db: Db): boolean {
  const state = db.prepare('SELECT value FROM state WHERE key = ?').pluck().get(VOCABULARY_STATE_KEY);
  return state === storeFingerprint(db);
}

/**
 * Brings a current `search_terms` up to date after a few links were added
 * (the weekly one-issue sync): only the terms of the new texts are looked up
 * in the FTS index (~1,500 point queries), instead of rebuilding from the
 * whole index (~100–250 ms). Tokenising here only picks which terms to look
 * up; the counts come from FTS5 itself. Terms of a replaced draft may keep a
 * stale count until the next full refresh, which costs a typo correction at
 * worst, never a wrong result.
 */
export function addSearchTerms(db: Db, texts: readonly string[]): void {
  const terms = new Set<string>();
  for (const text of texts) {
    for (const t of text
      .normalize('NFKD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? [])
      terms.add(t);
  }
  const count = db.prepare("SELECT max(doc) FROM links_vocab WHERE term = ? AND col IN ('title', 'text')").pluck();
  const upsert = db.prepare('INSERT INTO search_terms (term, docs) VALUES (?, ?) ON CONFLICT(term) DO UPDATE SET docs = excluded.docs');
  db.transaction(() => {
    for (const term of terms) {
      const docs = count.get(term) as number | null;
      if (docs) upsert.run(term, docs);
    }
    db.prepare('INSERT INTO state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(
      VOCABULARY_STATE_KEY,
      storeFingerprint(db),
    );
  })();
  bumpContentVersion(db);
}

/**
 * A cheap summary of what the store holds (links count and id sum, each
 * issue's id, content hash and parser version), to tell whether anything
 * search-relevant changed. ~2–3 ms on the full archive.
 */
export function storeFingerprint(db: Db): string {
  const links = db.prepare('SELECT count(*), total(id), max(id) FROM links').raw().get() as [number, number, number | null];
  const issues = db
    .prepare("SELECT count(*), group_concat(id || ':' || sha || ':' || parser_version, ',' ORDER BY id) FROM issues")
    .raw()
    .get() as [number, string | null];
  return `${links[0]}:${links[1]}:${links[2] ?? 0}:${issues[0]}:${fnv1a(issues[1] ?? '')}`;
}

function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16);
}
