/**
 * Full-archive search over every link of every issue: FTS5 bm25 for the
 * candidates, one hit per URL (its newest mention, when it was first seen,
 * how many issues mention it), typo rescue from the vocabulary.
 *
 * Why FTS5 (measured on the full archive, ~75k links): Fuse.js over all links
 * took ~1 s a query (p99 3.4 s); MiniSearch ~1.3 ms p50 but a second index to
 * build and hold; FTS5 in the store ~0.1–0.4 ms for a typical word. bm25 costs
 * ~1 µs per matching row, so a query that matches more than `BIG_SET` links
 * ("rust", "a", "meetup") skips it: the rowids alone stream ~6× faster, and a
 * second title-only pass stands in for relevance (title matches first, then
 * newest), which is also what bm25 would say, near enough, for a word that common.
 */
import type Database from 'better-sqlite3';
import { buildCatalog, dayNumber, type LinkCatalog } from './catalog.js';
import { ftsExpression, planQuery, type QueryPlan } from './plan.js';
import { capitalisedWords, endsInWord, queryChunks, queryWords } from './query-text.js';
import { type LinkLookup, parseLinkLookup } from './references.js';
import { queryVersions, queryYears, type RerankQuery, rerankScore } from './rerank.js';
import { sectionMatcher } from './sections.js';
import { loadSearchSnapshot, saveSearchSnapshot } from './snapshot.js';
import type { SearchHit, SearchIndex, SearchQuery, SearchReason, SearchResult } from './types.js';
import { loadVocabulary, storeFingerprint, type Vocabulary } from './vocabulary.js';

export type { SearchHit, SearchIndex, SearchQuery, SearchReason, SearchResult } from './types.js';
export { addSearchTerms, isVocabularyCurrent, refreshSearchVocabulary } from './vocabulary.js';

type Db = Database.Database;

/** bm25 column weights: a word in the title counts four times one in the rest of the item; section names not at all. */
const WEIGHTS = { title: 4, text: 1, section: 0 };
/** Above this many candidate links (estimated from the vocabulary), skip bm25; see the file comment. */
const BIG_SET = 4000;
/** Above this many candidates the title-only pass of the big-set path is skipped (see `collect`). */
const TITLE_PASS_MAX = 15_000;
/**
 * Scores within 10% of each other count as equally relevant, and the newer
 * mention goes first: bm25 differences that small come from item length, not
 * from matching better, and for a news archive newer is the better tie-break.
 */
const RELEVANCE_BAND = Math.log(1.1);
/** How many of the best bm25 candidates the second stage (`rerank.ts`) reorders. */
const RERANK = 60;
/** Fewer complete matches than this: widen to items with most of the words (see `search`). */
const WIDEN_BELOW = 10;
/** …when the groups' doclists hold at most this many links together. */
const WIDEN_MAX_DOCS = 6000;
const DEFAULT_LIMIT = 10;
const MAX_LIMIT = 100;

interface Loaded {
  marker: string;
  fingerprint: string;
  catalog: LinkCatalog;
  vocab: Vocabulary;
  /** Per-URL scratch space, reused by every search (`stamp` says which search wrote an entry). */
  stamp: Uint32Array;
  best: Float64Array;
  newest: Int32Array;
  titleMark: Uint8Array;
  /** Built from the store in this process (so worth saving as a snapshot), not read from one. */
  fresh: boolean;
}

/**
 * Creates the search engine over a store's database. Prepares its statements
 * once and reads the link catalog and vocabulary (~100–300 ms on the full
 * archive); when the store changes (a sync, in this process or another), the
 * next search notices and reads them again.
 */
export function createSearchIndex(db: Db): SearchIndex {
  const stmts = {
    // total_changes: writes on this connection; data_version: commits by other connections.
    marker: db.prepare('SELECT total_changes(), (SELECT data_version FROM pragma_data_version)').raw(),
    ranked: db
      .prepare(
        `SELECT rowid, bm25(links_fts, ${WEIGHTS.title}, ${WEIGHTS.text}, ${WEIGHTS.section}) FROM links_fts WHERE links_fts MATCH ?`,
      )
      .raw(),
    plain: db.prepare('SELECT rowid FROM links_fts WHERE links_fts MATCH ?').pluck(),
    link: db.prepare('SELECT title, text, tags, section, url FROM links WHERE id = ?'),
    // One statement for every candidate of the second stage (60 point lookups cost ~3× more).
    brief: db.prepare('SELECT id, title, section, url FROM links WHERE id IN (SELECT value FROM json_each(?))').raw(),
    // Ranges on the links_url index: one stored spelling, or every URL starting with a prefix.
    byUrl: db.prepare('SELECT id, url FROM links WHERE url >= ? AND url < ?').raw(),
  };
  let loaded: Loaded | null = null;
  let generation = 0;

  const current = (): Loaded => {
    const marker = (stmts.marker.get() as unknown[]).join(':');
    if (loaded && loaded.marker === marker) return loaded;
    const fingerprint = storeFingerprint(db);
    if (loaded && loaded.fingerprint === fingerprint) {
      loaded.marker = marker;
      return loaded;
    }
    const saved = loadSearchSnapshot(db, fingerprint);
    const catalog = saved?.catalog ?? buildCatalog(db);
    const urls = catalog.urlStart.length - 1;
    loaded = {
      marker,
      fingerprint,
      catalog,
      vocab: saved?.vocab ?? loadVocabulary(db, fingerprint),
      stamp: new Uint32Array(urls),
      best: new Float64Array(urls),
      newest: new Int32Array(urls),
      titleMark: new Uint8Array(catalog.linkIssue.length),
      fresh: saved === null,
    };
    // The typo index (~20–90 ms) is built on the first misspelt word, or by `warm`.
    generation = 0;
    return loaded;
  };
  current();
  /** A new stamp for the per-URL scratch arrays (see `Loaded`). */
  const nextGeneration = (s: Loaded): number => {
    if (++generation === 0xffffffff) {
      s.stamp.fill(0);
      generation = 1;
    }
    return generation;
  };

  const search = (q: SearchQuery): SearchResult => {
    if (!q || typeof q !== 'object') return empty('empty-query');
    const asOf = dayNumber(typeof q.asOf === 'string' ? q.asOf : '');
    if (!asOf) return empty('invalid-as-of');
    let from = 0;
    let to = asOf;
    if (q.year !== undefined && q.year !== null) {
      if (!Number.isInteger(q.year) || q.year < 1000 || q.year > 9999) return empty('invalid-year');
      from = q.year * 10000 + 101;
      to = Math.min(asOf, q.year * 10000 + 1231);
    }
    const limit = clampInt(q.limit, DEFAULT_LIMIT, 1, MAX_LIMIT);
    const offset = clampInt(q.offset, 0, 0, 1_000_000);
    const maxIssue = typeof q.maxIssue === 'number' && Number.isFinite(q.maxIssue) ? q.maxIssue : Number.POSITIVE_INFINITY;
    const lookup = parseLinkLookup(q.text);
    if (lookup) {
      const loaded = current();
      const found = lookUp(lookup, loaded, nextGeneration(loaded), { from, to, asOf, maxIssue, limit, offset }, stmts);
      if (found.hits.length > 0 || lookup.kind === 'url') return found;
    }
    const chunks = queryChunks(q.text);
    if (chunks.length === 0) return empty('empty-query');

    const s = current();
    const { catalog } = s;
    const planned = planQuery(chunks, s.vocab, catalog.links, capitalisedWords(q.text));
    const allowed = allowedSections(catalog, q);
    // Collect the best score and the newest mention per URL, over candidates that pass the filters.
    const gather = (p: QueryPlan, how: 'AND' | 'OR' = op): number[] | null => {
      if (p.groups.length === 0 || !allowed) return null;
      const gen = nextGeneration(s);
      const touched: number[] = [];
      const { linkIssue, linkSection, linkUrl, issues } = catalog;
      const take = (id: number, score: number): void => {
        const issue = linkIssue[id];
        if (issue === undefined || issue < 0) return;
        const { day, number } = issues[issue] as { day: number; number: number | null };
        if (day > to || day < from || !allowed[linkSection[id] as number] || (number ?? 0) > maxIssue) return;
        const u = linkUrl[id] as number;
        if (s.stamp[u] !== gen) {
          s.stamp[u] = gen;
          s.best[u] = score;
          s.newest[u] = id;
          touched.push(u);
          return;
        }
        if (score > (s.best[u] as number)) s.best[u] = score;
        const newest = s.newest[u] as number;
        if (day > (issues[linkIssue[newest] as number] as { day: number }).day) s.newest[u] = id;
      };
      return collect(p, stmts, s, take, how) ? touched : null;
    };
    let op: 'AND' | 'OR' = 'AND';
    let plan = planned;
    let touched = gather(plan);
    // A partial word that completes to nothing useful (`associated typs`) is read as a typo instead.
    if (!touched?.length && planned.fallback) {
      plan = planned.fallback;
      touched = gather(plan);
    }
    // No item has every word: the best items with some of them, saying so.
    if (!touched?.length && plan.groups.length > 1) {
      op = 'OR';
      touched = gather(plan);
    }
    // Few items have every word: items with most of them compete too (`rust 1.12 release` means the
    // announcement, whose bullet never says "release"), ranked below complete matches unless their
    // title holds more of the query. Only when cheap: the OR reads every group's doclist.
    let complete: Set<number> | null = null;
    if (op === 'AND' && touched && touched.length < WIDEN_BELOW && plan.groups.length > 1) {
      const docs = plan.groups.reduce((n, g) => n + (g.cost ?? g.docs), 0);
      if (docs <= WIDEN_MAX_DOCS) {
        complete = new Set(touched);
        const scores = new Map(touched.map((u) => [u, s.best[u] as number]));
        const newest = new Map(touched.map((u) => [u, s.newest[u] as number]));
        const wider = gather(plan, 'OR');
        if (wider) {
          // The OR pass re-stamped every URL: restore the complete matches' own scores, then halve the rest.
          for (const u of wider) {
            const own = scores.get(u);
            if (own !== undefined) {
              s.best[u] = own;
              s.newest[u] = newest.get(u) as number;
            } else s.best[u] = (s.best[u] as number) / 2;
          }
          touched = wider;
        }
      }
    }
    const answer = (hits: SearchHit[], total: number, reason?: SearchReason): SearchResult => ({
      hits,
      total,
      corrected: plan.corrected,
      terms: plan.terms,
      ...(op === 'OR' && hits.length > 0 ? { partial: true } : {}),
      ...(reason ? { reason } : {}),
    });
    if (plan.groups.length === 0) return answer([], 0, 'no-matches');
    if (!allowed) return answer([], 0, 'no-such-section');
    if (!touched || touched.length === 0) return answer([], 0, 'no-matches');

    // The second stage reorders the best bm25 candidates (by score alone: an old item the query names
    // exactly must not be crowded out by newer ones scoring the same); the rest follow in `rank` order.
    const head = rank(touched, s, RERANK, false);
    const inHead = new Set(head);
    const tail = offset + limit > head.length ? rank(touched, s, offset + limit + head.length).filter((u) => !inHead.has(u)) : [];
    const query: RerankQuery & { complete(u: number): boolean } = {
      groups: plan.all,
      totalLinks: catalog.links,
      complete: (u) => (complete ? complete.has(u) : op === 'AND'),
      words: chunks.flat(),
      versions: queryVersions(q.text),
      years: queryYears(q.text),
    };
    const page = [...rerank(head, s, query, stmts.brief), ...tail].slice(offset, offset + limit);
    const hits = page.map((u) => toHit(u, s, asOf, stmts.link));
    return answer(hits, touched.length);
  };

  const suggestTerms = (prefix: string, limit = 10): string[] => {
    const words = queryWords(typeof prefix === 'string' ? prefix : '');
    const last = words.at(-1);
    if (!last) return [];
    const n = clampInt(limit, 10, 1, 50);
    // After a space the last word is finished: nothing to complete.
    if (!endsInWord(prefix)) return [];
    const head = words.slice(0, -1);
    return current()
      .vocab.topCompletions(last, n)
      .map((w) => [...head, w].join(' '));
  };

  const warm = (): void => current().vocab.warm();
  const persist = (open?: () => { db: Db; close(): void }): boolean => {
    const s = current();
    if (!s.fresh) return false;
    let saved = false;
    try {
      const target = open ? open() : { db, close: () => {} };
      try {
        // Only if the store still holds what this index was built from.
        saved = storeFingerprint(target.db) === s.fingerprint && saveSearchSnapshot(target.db, s.fingerprint, s.catalog, s.vocab);
      } finally {
        target.close();
      }
    } catch {
      saved = false;
    }
    if (saved) s.fresh = false;
    return saved;
  };

  return { search, suggestTerms, warm, persist };
}

function empty(reason: SearchReason): SearchResult {
  return { hits: [], total: 0, corrected: null, terms: [], reason };
}

function clampInt(value: unknown, fallback: number, min: number, max: number): number {
  const n = typeof value === 'number' && Number.isFinite(value) ? Math.floor(value) : fallback;
  return Math.min(max, Math.max(min, n));
}

/**
 * Which sections may produce hits: those matching the section filter (which
 * lets events or jobs in when it names them), else everything but events and
 * jobs unless asked for. Null when a filter matches no section at all.
 */
function allowedSections(catalog: LinkCatalog, q: SearchQuery): Uint8Array | null {
  const allowed = new Uint8Array(catalog.sections.length);
  const matcher = typeof q.section === 'string' ? sectionMatcher(q.section) : null;
  let any = false;
  catalog.sections.forEach((section, i) => {
    const ok = matcher
      ? matcher(section.path)
      : section.kind === 'other' ||
        (section.kind === 'events' && q.includeEvents === true) ||
        (section.kind === 'jobs' && q.includeJobs === true);
    if (ok) {
      allowed[i] = 1;
      any = true;
    }
  });
  return matcher && !any ? null : allowed;
}

interface Statements {
  ranked: Database.Statement;
  plain: Database.Statement;
}

/** `urls` (best bm25 first) reordered by the second-stage score (`rerank.ts`), newest mention first on ties. */
function rerank(urls: number[], s: Loaded, q: RerankQuery & { complete(u: number): boolean }, brief: Database.Statement): number[] {
  const { issues, linkIssue, urlStart } = s.catalog;
  const top = Math.max(0, ...urls.map((u) => s.best[u] as number));
  const rows = new Map<number, [string, string, string]>();
  for (const [id, title, section, url] of brief.all(JSON.stringify(urls.map((u) => s.newest[u]))) as [number, string, string, string][])
    rows.set(id, [title, section, url]);
  const scored = urls.map((u) => {
    const id = s.newest[u] as number;
    const [title, section, url] = rows.get(id) ?? ['', '', ''];
    const mentions = (urlStart[u + 1] as number) - (urlStart[u] as number);
    const score = rerankScore({ score: s.best[u] as number, title, url, section, mentions, complete: q.complete(u) }, q, top);
    const day = (issues[linkIssue[id] as number] as { day: number }).day;
    return { u, score, day };
  });
  scored.sort((a, b) => b.score - a.score || b.day - a.day || a.u - b.u);
  return scored.map((x) => x.u);
}

/** Window and filters of a lookup (see `search`). */
interface LookupWindow {
  from: number;
  to: number;
  asOf: number;
  maxIssue: number;
  limit: number;
  offset: number;
}

/**
 * Answers a link, pull request or RFC query: every stored link that is the
 * one named, one hit per URL, most mentioned first. Sections are not
 * filtered: "was this in TWIR?" means anywhere, events and jobs included.
 */
function lookUp(
  lookup: LinkLookup,
  s: Loaded,
  gen: number,
  w: LookupWindow,
  stmts: { byUrl: Database.Statement; link: Database.Statement },
): SearchResult {
  const { issues, linkIssue, linkUrl } = s.catalog;
  const urls: number[] = [];
  const ranges: [string, string][] = [
    ...lookup.exact.map((u): [string, string] => [u, `${u}\0`]),
    ...lookup.prefixes.map((p): [string, string] => [p, `${p}\uffff`]),
  ];
  for (const [lo, hi] of ranges) {
    for (const [id, url] of stmts.byUrl.all(lo, hi) as [number, string][]) {
      const issue = issues[linkIssue[id] ?? -1];
      if (!issue || issue.day > w.to || issue.day < w.from || (issue.number ?? 0) > w.maxIssue || !lookup.matches(url)) continue;
      const u = linkUrl[id] as number;
      if (s.stamp[u] !== gen) {
        s.stamp[u] = gen;
        s.best[u] = 1;
        s.newest[u] = id;
        urls.push(u);
      } else if (issue.day > (issues[linkIssue[s.newest[u] as number] as number] as { day: number }).day) s.newest[u] = id;
    }
  }
  const hits = urls.map((u) => toHit(u, s, w.asOf, stmts.link));
  hits.sort((a, b) => b.mentions - a.mentions || b.issue.date.localeCompare(a.issue.date));
  return {
    hits: hits.slice(w.offset, w.offset + w.limit),
    total: hits.length,
    corrected: null,
    terms: [],
    lookup: { kind: lookup.kind, label: lookup.label },
    ...(hits.length === 0 ? { reason: 'not-linked' as const } : {}),
  };
}

/**
 * Feeds every FTS candidate to `take` with its relevance (higher is better).
 * False when FTS5 refused the expression, which sanitising should make
 * impossible; a refused query is "no matches", never a crash.
 */
function collect(
  plan: QueryPlan,
  stmts: Statements,
  s: Loaded,
  take: (id: number, score: number) => void,
  op: 'AND' | 'OR' = 'AND',
): boolean {
  const docs = plan.groups.map((g) => g.docs);
  const estimate = op === 'AND' ? Math.min(...docs) : docs.reduce((a, b) => a + b, 0);
  try {
    if (estimate <= BIG_SET || op === 'OR') {
      for (const [id, bm25] of stmts.ranked.all(ftsExpression(plan.groups, 'title text', op)) as [number, number][]) take(id, -bm25);
      return true;
    }
    // Past TITLE_PASS_MAX the title pass would double the cost for nothing: "rust" is in the title of 30,564 of
    // its 31,352 links. Then every candidate scores the same and the newest come first.
    const titled = estimate <= TITLE_PASS_MAX ? (stmts.plain.all(ftsExpression(plan.groups, 'title')) as number[]) : [];
    for (const id of titled) s.titleMark[id] = 1;
    for (const id of stmts.plain.all(ftsExpression(plan.groups, 'title text')) as number[]) take(id, s.titleMark[id] ? 2 : 1);
    for (const id of titled) s.titleMark[id] = 0;
    return true;
  } catch {
    return false;
  }
}

/**
 * The first `count` URL groups of `touched` by relevance band, then newest
 * mention, then score; by score alone when `byBand` is false.
 */
function rank(touched: number[], s: Loaded, count: number, byBand = true): number[] {
  const { issues, linkIssue } = s.catalog;
  const keys = new Float64Array(touched.length);
  touched.forEach((u, i) => {
    const score = s.best[u] as number;
    const band = !byBand ? 0 : score > 0 ? Math.floor(Math.log(score) / RELEVANCE_BAND) : -1000;
    const day = (issues[linkIssue[s.newest[u] as number] as number] as { day: number }).day;
    // band, then day (YYYYMMDD < 1e8), then the raw score squeezed into [0, 1).
    keys[i] = byBand ? band * 1e8 + day + score / (1 + Math.abs(score)) : score * 1e9 + day;
  });
  let order = touched.map((_, i) => i);
  if (order.length > count * 4 && order.length > 256) {
    // Only the top `count` are needed: cut at the count-th largest key (a native sort of numbers) first.
    const sorted = keys.slice().sort();
    const cut = sorted[sorted.length - count] as number;
    order = order.filter((i) => (keys[i] as number) >= cut);
  }
  order.sort((a, b) => (keys[b] as number) - (keys[a] as number) || (touched[a] as number) - (touched[b] as number));
  return order.slice(0, count).map((i) => touched[i] as number);
}

function toHit(u: number, s: Loaded, asOf: number, link: Database.Statement): SearchHit {
  const { issues, linkIssue, urlStart, urlLinks } = s.catalog;
  const id = s.newest[u] as number;
  const row = link.get(id) as { title: string; text: string; tags: string; section: string; url: string };
  const issue = issues[linkIssue[id] as number] as (typeof issues)[number];
  let first = issue;
  let mentions = 0;
  let lastIssue = -1;
  // Mentions are ordered oldest first: count distinct issues up to asOf.
  for (let k = urlStart[u] as number; k < (urlStart[u + 1] as number); k++) {
    const idx = linkIssue[urlLinks[k] as number] as number;
    const it = issues[idx];
    if (!it || it.day > asOf) break;
    if (mentions === 0) first = it;
    if (idx !== lastIssue) mentions++;
    lastIssue = idx;
  }
  return {
    url: row.url,
    title: row.title,
    text: row.text,
    section: row.section,
    tags: row.tags ? row.tags.split(',').filter(Boolean) : [],
    issue: { number: issue.number, date: issue.date, title: issue.title, url: issue.url },
    firstSeen: { number: first.number, date: first.date, url: first.url },
    mentions: Math.max(1, mentions),
    score: Math.round((s.best[u] as number) * 1000) / 1000,
  };
}
