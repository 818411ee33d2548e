/**
 * Per-link facts search needs for every FTS candidate (issue date, section,
 * which URL), kept in typed arrays indexed by `links.id`.
 *
 * Why: FTS5 returns rowids and bm25 scores at ~1 µs a row, but a SQL join to
 * `links` and `issues` for the filters (as-of, year, section, events/jobs) and
 * the one-hit-per-URL grouping roughly doubles that, and the "newest mention /
 * first seen / how many issues" facts need every mention of a URL. On the full
 * archive the catalog takes ~100–300 ms to build (once, and again after the
 * store changes) and ~1.5 MB; then a candidate costs a few array reads.
 */
import type Database from 'better-sqlite3';
import { type SectionKind, sectionKind } from './sections.js';

type Db = Database.Database;

/** One stored issue, as search answers cite it. */
export interface CatalogIssue {
  number: number | null;
  date: string;
  title: string;
  url: string;
  /** `date` as the integer YYYYMMDD, for fast comparisons. */
  day: number;
}

/** One distinct stored section path and whether it lists events or jobs. */
export interface CatalogSection {
  path: string;
  kind: SectionKind;
}

/** See the file comment. Arrays are indexed by `links.id`; `linkIssue` is -1 for ids not in use. */
export interface LinkCatalog {
  links: number;
  issues: CatalogIssue[];
  /** The store id of each entry of `issues` (what a saved snapshot keys them by). */
  issueIds: number[];
  sections: CatalogSection[];
  linkIssue: Int32Array;
  linkSection: Int32Array;
  linkUrl: Int32Array;
  /** Links of URL group `u` are `urlLinks[urlStart[u] .. urlStart[u + 1])`, oldest issue first. */
  urlStart: Int32Array;
  urlLinks: Int32Array;
}

/** `2024-10-30` → 20241030; 0 for anything else. */
export function dayNumber(date: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(date);
  return m ? Number(m[1]) * 10000 + Number(m[2]) * 100 + Number(m[3]) : 0;
}

/**
 * The key under which mentions of one URL are merged: `http`/`https`, a
 * leading `www.`, host case and trailing slashes do not make a different
 * article (225 of 50,828 archive URLs differ only so).
 */
export function urlKey(url: string): string {
  const m = /^(?:https?:)?\/\/(?:www\.)?([^/?#]*)(.*)$/i.exec(url.trim());
  if (!m) return url.trim();
  const rest = (m[2] as string).replace(/\/+(?=$|[?#])/, '');
  return `${(m[1] as string).toLowerCase()}${rest}`;
}

/** Reads the whole catalog from the store. */
export function buildCatalog(db: Db): LinkCatalog {
  const issueRows = db.prepare('SELECT id, number, date, title, url FROM issues').raw().all() as [
    number,
    number | null,
    string,
    string,
    string,
  ][];
  const issueIndex = new Map<number, number>();
  const issues: CatalogIssue[] = issueRows.map(([id, number, date, title, url], i) => {
    issueIndex.set(id, i);
    return { number, date, title, url, day: dayNumber(date) };
  });

  // Streamed, not `.all()`: materialising 75k rows of strings would grow the heap by tens of MB
  // that V8 keeps long after the catalog (a few MB of typed arrays) is built.
  const maxId = db.prepare('SELECT coalesce(max(id), 0) FROM links').pluck().get() as number;
  const linkIssue = new Int32Array(maxId + 1).fill(-1);
  const linkSection = new Int32Array(maxId + 1);
  const linkUrl = new Int32Array(maxId + 1);
  const sectionIds = new Map<string, number>();
  const sections: CatalogSection[] = [];
  const urlIds = new Map<string, number>();
  let count = 0;
  const rows = db.prepare('SELECT id, issue_id, section, url FROM links').raw().iterate() as Iterable<[number, number, string, string]>;
  for (const [id, issueId, section, url] of rows) {
    count++;
    linkIssue[id] = issueIndex.get(issueId) ?? -1;
    let s = sectionIds.get(section);
    if (s === undefined) {
      s = sections.length;
      sectionIds.set(section, s);
      sections.push({ path: section, kind: sectionKind(section) });
    }
    linkSection[id] = s;
    const key = urlKey(url);
    let u = urlIds.get(key);
    if (u === undefined) {
      u = urlIds.size;
      urlIds.set(key, u);
    }
    linkUrl[id] = u;
  }

  // Group links by URL (counting sort), then order each group by issue date.
  const urlCount = urlIds.size;
  urlIds.clear();
  const urlStart = new Int32Array(urlCount + 1);
  for (let id = 0; id <= maxId; id++) {
    if (linkIssue[id] === -1) continue;
    const next = (linkUrl[id] as number) + 1;
    urlStart[next] = (urlStart[next] as number) + 1;
  }
  for (let u = 0; u < urlCount; u++) urlStart[u + 1] = (urlStart[u + 1] as number) + (urlStart[u] as number);
  const fill = urlStart.slice(0, urlCount);
  const urlLinks = new Int32Array(count);
  for (let id = 0; id <= maxId; id++) {
    if (linkIssue[id] === -1) continue;
    const u = linkUrl[id] as number;
    urlLinks[fill[u] as number] = id;
    fill[u] = (fill[u] as number) + 1;
  }
  const dayOf = (id: number) => issues[linkIssue[id] as number]?.day ?? 0;
  for (let u = 0; u < urlCount; u++) {
    const from = urlStart[u] as number;
    const to = urlStart[u + 1] as number;
    if (to - from > 1) urlLinks.subarray(from, to).sort((a, b) => dayOf(a) - dayOf(b) || a - b);
  }
  return { links: count, issues, issueIds: issueRows.map(([id]) => id), sections, linkIssue, linkSection, linkUrl, urlStart, urlLinks };
}
