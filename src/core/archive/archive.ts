/**
 * Read-side queries over the store that commands share: which issue counts
 * "as of" a date, the newest issue that has a given kind of record, all past
 * crates of the week. Issues are loaded from their stored JSON and cached,
 * because a chat bot asks about the same few recent issues over and over.
 */
import type { Database } from 'better-sqlite3';
import type { Issue } from '../issue/types.js';
import type { Citation } from '../reply/reply.js';
import { createSearchIndex, type SearchQuery, type SearchResult } from '../search/search-index.js';
import { contentVersion } from '../store/content-version.js';
import type { RECORD_KINDS } from '../store/store.js';
import { type BackfillProgress, readBackfill } from '../sync/backfill.js';

export type RecordKind = (typeof RECORD_KINDS)[number];

/** An issue reference as commands cite it. */
export interface IssueRef extends Citation {
  file: string;
}

/** A record together with the issue it came from. */
export interface Sourced<T> {
  record: T;
  issue: IssueRef;
}

const CACHE_SIZE = 32;

export class Archive {
  private readonly cache = new Map<string, Issue>();
  private readonly memos = new Map<string, unknown>();
  private dataVersion = '';
  private readonly stmts;

  constructor(readonly db: Database) {
    const cols = 'number, date, title, url, file';
    this.stmts = {
      latest: db.prepare(`SELECT ${cols} FROM issues WHERE date <= ? AND number IS NOT NULL ORDER BY date DESC, number DESC LIMIT 1`),
      byNumber: db.prepare(`SELECT ${cols} FROM issues WHERE number = ?`),
      onOrBefore: db.prepare(`SELECT ${cols} FROM issues WHERE date <= ? ORDER BY date DESC, number DESC LIMIT 1`),
      newestWith: db.prepare(
        `SELECT ${cols} FROM issues i WHERE date <= ? AND EXISTS (SELECT 1 FROM records r WHERE r.issue_id = i.id AND r.kind = ?)
         ORDER BY date DESC, number DESC LIMIT 1`,
      ),
      records: db.prepare(
        `SELECT r.data, i.number, i.date, i.title, i.url, i.file FROM records r JOIN issues i ON i.id = r.issue_id
         WHERE r.kind = ? AND i.date <= ? ORDER BY i.date DESC, r.ord`,
      ),
      json: db.prepare('SELECT json FROM issues WHERE file = ?'),
      newest: db.prepare('SELECT max(date) AS date FROM issues'),
      // data_version: commits by other connections; content writes on this one are counted apart (content-version.ts).
      version: db.prepare('SELECT data_version FROM pragma_data_version').pluck(),
    };
  }

  /** The newest numbered issue published on or before `asOf`. */
  latest(asOf: string): IssueRef | undefined {
    return this.stmts.latest.get(asOf) as IssueRef | undefined;
  }

  byNumber(number: number): IssueRef | undefined {
    return this.stmts.byNumber.get(number) as IssueRef | undefined;
  }

  /** The issue published on or before an ISO date. */
  onOrBefore(date: string): IssueRef | undefined {
    return this.stmts.onOrBefore.get(date) as IssueRef | undefined;
  }

  /** The newest issue on or before `asOf` that has at least one record of `kind`. */
  newestWith(kind: RecordKind, asOf: string): IssueRef | undefined {
    return this.stmts.newestWith.get(asOf, kind) as IssueRef | undefined;
  }

  /** Every record of a kind from issues on or before `asOf`, newest issue first. */
  records<T>(kind: RecordKind, asOf: string): Sourced<T>[] {
    const rows = this.stmts.records.all(kind, asOf) as (IssueRef & { data: string })[];
    return rows.map(({ data, ...issue }) => ({ record: JSON.parse(data) as T, issue }));
  }

  /** The full issue behind a reference (cached). */
  load(ref: IssueRef): Issue {
    const hit = this.cache.get(ref.file);
    if (hit) {
      // Refresh recency: Map keeps insertion order, so delete + set moves it to the end.
      this.cache.delete(ref.file);
      this.cache.set(ref.file, hit);
      return hit;
    }
    const row = this.stmts.json.get(ref.file) as { json: string } | undefined;
    if (!row) throw new Error(`issue ${ref.file} is no longer stored`);
    const issue = JSON.parse(row.json) as Issue;
    this.cache.set(ref.file, issue);
    if (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value as string);
    return issue;
  }

  /** Full-archive search (the index is prepared on first use). */
  search(query: SearchQuery): SearchResult {
    return this.memo('search', () => createSearchIndex(this.db)).search(query);
  }

  /**
   * Prepares search now (after a sync, in `serve`) and saves its snapshot, so
   * the first search a person makes answers at full speed.
   */
  warmSearch(): void {
    const index = this.memo('search', () => createSearchIndex(this.db));
    index.warm();
    index.persist();
  }

  /**
   * Saves the search snapshot if this process built the index (a one-shot
   * search, before exiting); `open` gives a writable connection when this
   * archive reads a read-only one.
   */
  persistSearch(open?: () => { db: Database; close(): void }): void {
    if (this.memos.has('search')) this.memo('search', () => createSearchIndex(this.db)).persist(open);
  }

  /** Date of the newest stored issue, or null when the store is empty. */
  newestDate(): string | null {
    return (this.stmts.newest.get() as { date: string | null }).date;
  }

  /** How far a backfill has got while the first sync is still storing issues; null once the archive is complete. */
  indexing(): BackfillProgress | null {
    return readBackfill(this.db);
  }

  /**
   * A value derived from the whole store (a Fuse index over every crate, say),
   * built on first use and kept until the next `clearCache`.
   */
  memo<T>(key: string, build: () => T): T {
    if (!this.memos.has(key)) this.memos.set(key, build());
    return this.memos.get(key) as T;
  }

  /**
   * Runs `read` inside one read transaction, so every query it makes sees the
   * same committed state of the store (WAL keeps that snapshot for it while a
   * sync in another process commits). Nested calls share the outer snapshot.
   */
  snapshot<T>(read: () => T): T {
    if (this.db.inTransaction) return read();
    return this.db.transaction(() => {
      // BEGIN is deferred: the snapshot is taken by the first read, so take it before `read` checks
      // data_version (a pragma, which reads no table) and decides whether its caches still hold.
      this.stmts.newest.get();
      return read();
    })();
  }

  /**
   * Drops cached issues and derived indexes when the store changed since the
   * last check: another connection committed (SQLite bumps `data_version`
   * exactly then) or this one wrote (a sync running in `serve` behind the
   * adapters). Cheap enough to call per command.
   */
  refreshIfChanged(): void {
    const version = `${this.stmts.version.get() as number}:${contentVersion(this.db)}`;
    if (version !== this.dataVersion) {
      this.dataVersion = version;
      this.clearCache();
    }
  }

  /** Forgets cached issues and derived indexes (after a sync replaced some). */
  clearCache(): void {
    this.cache.clear();
    this.memos.clear();
  }
}

/** The citation for an issue reference. */
export function cite(ref: IssueRef): Citation {
  return { number: ref.number, date: ref.date, title: ref.title, url: ref.url };
}
