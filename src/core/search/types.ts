/**
 * The search engine's API: what `/twir search <query> [section] [year]` asks
 * and what it gets back.
 */

import type Database from 'better-sqlite3';

export interface SearchQuery {
  text: string;
  /** ISO date (`YYYY-MM-DD`, a longer ISO timestamp is cut to its date): only issues on or before it count. */
  asOf: string;
  /** Case-insensitive match on the section path: a substring, or every word starting a path word (`project updates`). */
  section?: string;
  /** Only mentions in issues of this year can be the hit; first-seen and mention count still cover all years up to `asOf`. */
  year?: number;
  includeEvents?: boolean;
  includeJobs?: boolean;
  /**
   * Only issues numbered up to this count (issues without a number always do):
   * a page cursor pins the archive as its first page saw it, so an issue
   * published the same day does not shift page 2.
   */
  maxIssue?: number;
  /** Hits per page, 1–100 (default 10). */
  limit?: number;
  offset?: number;
}

export interface SearchHit {
  url: string;
  title: string;
  text: string;
  section: string;
  tags: string[];
  /** The newest mention that matches the query and filters (issue ≤ asOf). */
  issue: { number: number | null; date: string; title: string; url: string };
  /** The oldest issue (≤ asOf, any section) mentioning this URL. */
  firstSeen: { number: number | null; date: string; url: string };
  /** How many issues (≤ asOf, any section) mention this URL. */
  mentions: number;
  /** Relevance, higher is better; only comparable within one result. */
  score: number;
}

/** Why a result is empty. */
export type SearchReason =
  /** Nothing searchable left after sanitising (only punctuation, emoji, FTS syntax). */
  | 'empty-query'
  /** Words were searched, nothing matched (or every word was unknown with no correction). */
  | 'no-matches'
  /** The section filter matches no stored section. */
  | 'no-such-section'
  /** The query was a link, pull request or RFC that no issue linked. */
  | 'not-linked'
  | 'invalid-as-of'
  | 'invalid-year';

export interface SearchResult {
  hits: SearchHit[];
  /** Distinct URLs matching (all pages). */
  total: number;
  /** The query as searched when a word was corrected ("tokoi" → "tokio") or dropped as unknown; null otherwise. */
  corrected: string | null;
  /** The searched words (after correction), for highlighting; the last may have matched as a prefix. */
  terms: string[];
  /** True when no item had every word and the hits are the best partial matches. */
  partial?: boolean;
  /** Set when the query named a link, pull request or RFC and was answered by looking it up. */
  lookup?: { kind: 'url' | 'pull' | 'rfc'; label: string };
  /** Set when `hits` is empty because of the query itself (see `SearchReason`). */
  reason?: SearchReason;
}

export interface SearchIndex {
  search(q: SearchQuery): SearchResult;
  /**
   * Words for autocomplete: completions of the last word of `prefix`, most
   * used first, each returned with the earlier words kept (`async clo` →
   * `async closures`), so a single word gives plain words.
   */
  suggestTerms(prefix: string, limit?: number): string[];
  /** Builds everything a first search would (typo index included), so it answers at full speed. */
  warm(): void;
  /**
   * Saves the catalog and vocabulary for the next process when this one built
   * them (not read them from a snapshot); false when there was nothing to save
   * or the store is read-only. `open` gives a writable connection to the same
   * store when this one is read-only (the one-shot CLI); it is called only
   * when there is something to save. Call it outside a command's read transaction.
   */
  persist(open?: () => { db: Database.Database; close(): void }): boolean;
}
