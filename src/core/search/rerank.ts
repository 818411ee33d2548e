/**
 * Second-stage ranking of the best FTS candidates with what bm25 cannot see:
 * how much of the query the title holds (common words such as "rust" and
 * "in" included, which the FTS stage drops), the query as a phrase in the
 * title, version numbers that match exactly rather than as a point release or
 * a fragment ("1.10" is not "1 + 1 = 10", "1.80" is "1.80.0" more than
 * "1.80.1"), an official source, and how many issues linked the item.
 *
 * Why a second stage over a few dozen candidates: these signals need the
 * title text, and reading it for every candidate (thousands for a common
 * word) would cost more than the search; bm25 already puts the item meant in
 * its first few dozen. Weights were set by measuring each signal on
 * bench/relevance.json (see the README's "How search ranks").
 */
import { foldText } from './query-text.js';

/** One candidate as the reranker sees it. */
export interface Candidate {
  /** bm25-based relevance, higher is better. */
  score: number;
  title: string;
  url: string;
  section: string;
  /** How many times it was linked. */
  mentions: number;
  /** Whether the item has every query word (title or text); false for a partial match. */
  complete: boolean;
}

/** What the reranker needs from the query. */
export interface RerankQuery {
  /** Every query word group (common words included), each as its alternative forms and an optional prefix. */
  groups: readonly { terms: readonly string[]; prefix: string | null; docs: number }[];
  /** How many links are searched, for the inverse document frequency of each group. */
  totalLinks: number;
  /** The folded query words in order, for phrase matching. */
  words: readonly string[];
  /** Version-like numbers in the query (`1.80`, `1.80.0`), trailing `.0`s removed. */
  versions: readonly string[];
  /** Years in the query: a title naming another year instead is about something else (the 2025 survey, not 2023). */
  years: readonly string[];
}

const W = {
  bm25: 1,
  complete: 0.5,
  coverage: 1.5,
  phrase: 0.6,
  exact: 0.4,
  version: 1.2,
  pointRelease: -0.8,
  otherYear: -0.6,
  official: 0.5,
  mentions: 0.08,
};

const OFFICIAL_HOSTS =
  /^(?:https?:\/\/)?(?:www\.)?(?:blog\.rust-lang\.org|foundation\.rust-lang\.org|rust-lang\.org|rustfoundation\.org)\//i;
const VERSION = /\d+(?:\.\d+)+/g;
/** A year written in a query or title (2013–2099). */
const YEAR = /\b20[1-9]\d\b/g;

/** `1.80.0` → `1.80`; `2.0` → `2`. */
export function normaliseVersion(v: string): string {
  return v.replace(/(?:\.0+)+$/, '');
}

/** The version-like numbers written in a query. */
export function queryVersions(text: string): string[] {
  return [...(typeof text === 'string' ? text.slice(0, 400) : '').matchAll(VERSION)].map((m) => normaliseVersion(m[0]));
}

/** The years written in a query (`2023 survey results`). */
export function queryYears(text: string): string[] {
  return [...(typeof text === 'string' ? text.slice(0, 400) : '').matchAll(YEAR)].map((m) => m[0]);
}

/** The reranked score of one candidate; `top` is the best bm25 score among the candidates. */
export function rerankScore(c: Candidate, q: RerankQuery, top: number): number {
  const titleWords = foldText(c.title)
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
  const inTitle = new Set(titleWords);
  // Each word counts by how rare it is: a title with "2023" and "survey" beats one with "state" and "of".
  let covered = 0;
  let weight = 0;
  for (const g of q.groups) {
    const idf = Math.log(1 + q.totalLinks / Math.max(1, g.docs));
    weight += idf;
    if (g.terms.some((t) => (t.includes(' ') ? hasPhrase(titleWords, t.split(' ')) : inTitle.has(t)))) covered += idf;
    else if (g.prefix !== null && titleWords.some((w) => w.startsWith(g.prefix as string))) covered += idf;
  }
  const coverage = weight > 0 ? covered / weight : 0;
  const phrase = q.words.length > 1 && hasPhrase(titleWords, q.words) ? 1 : 0;
  const exact = phrase && titleWords.length === q.words.length ? 1 : 0;
  let version = 0;
  if (q.versions.length) {
    const found = [...c.title.matchAll(VERSION)].map((m) => normaliseVersion(m[0]));
    for (const v of q.versions) {
      if (found.includes(v)) version += W.version;
      else if (found.some((f) => f.startsWith(`${v}.`))) version += W.pointRelease;
    }
  }
  if (q.years.length) {
    const years: string[] = c.title.match(YEAR) ?? [];
    for (const y of q.years) if (years.length > 0 && !years.includes(y)) version += W.otherYear;
  }
  const official = OFFICIAL_HOSTS.test(c.url) || /\bofficial\b/i.test(c.section) ? 1 : 0;
  return (
    W.bm25 * (top > 0 ? c.score / top : 0) +
    (c.complete ? W.complete : 0) +
    W.coverage * coverage +
    W.phrase * phrase +
    W.exact * exact +
    version +
    W.official * official +
    W.mentions * Math.log2(1 + c.mentions)
  );
}

function hasPhrase(words: readonly string[], phrase: readonly string[]): boolean {
  if (phrase.length === 0) return false;
  outer: for (let i = 0; i + phrase.length <= words.length; i++) {
    for (let k = 0; k < phrase.length; k++) if (words[i + k] !== phrase[k]) continue outer;
    return true;
  }
  return false;
}
