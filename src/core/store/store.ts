/**
 * The embedded store: one SQLite file (better-sqlite3) holding every issue and
 * every record extracted from it, plus the full-text index used by search.
 *
 * SQLite because it opens in milliseconds, needs no server, and has FTS5
 * built in; better-sqlite3 because its synchronous API keeps a replace
 * (delete + insert of one issue's rows) inside one real transaction.
 */
import type Database from 'better-sqlite3';
import type { Issue } from '../issue/types.js';
import { bumpContentVersion } from './content-version.js';
import { type OpenStoreOptions, openDatabase } from './open-database.js';

export { type OpenStoreOptions, StoreVersionError } from './open-database.js';
export { StoreError } from './store-errors.js';

type Db = Database.Database;

/** Record kinds kept in the `records` table, each an array field (or single value) of Issue. */
export const RECORD_KINDS = [
  'cratesOfWeek',
  'quoteOfWeek',
  'fcp',
  'approvedRfcs',
  'newRfcs',
  'callsForTesting',
  'cfpProjects',
  'cfpEvents',
  'events',
  'jobs',
  'perfTriage',
] as const satisfies readonly (keyof Issue)[];

/** What the store remembers about one stored file, for incremental sync. */
export interface StoredFile {
  file: string;
  number: number | null;
  sha: string;
  parserVersion: number;
}

/** A short row per issue, for listings and "latest" lookups. */
export interface IssueSummary {
  number: number | null;
  date: string;
  title: string;
  url: string;
  file: string;
}

/** Opens (creating and migrating as needed, unless read-only) the store at `options.path`; see open-database.ts. */
export function openStore(options: OpenStoreOptions): IssueStore {
  return new IssueStore(openDatabase(options));
}

/** Typed access to the store. All writes of one issue happen in one transaction. */
export class IssueStore {
  private readonly stmts;

  constructor(readonly db: Db) {
    this.stmts = {
      files: db.prepare('SELECT file, number, sha, parser_version AS parserVersion FROM issues'),
      byFile: db.prepare('SELECT id FROM issues WHERE file = ?'),
      byNumber: db.prepare('SELECT id, file FROM issues WHERE number = ?'),
      holder: db.prepare('SELECT file, date FROM issues WHERE number = ? AND file <> ?'),
      deleteFts: db.prepare('DELETE FROM links_fts WHERE rowid IN (SELECT id FROM links WHERE issue_id = ?)'),
      deleteIssue: db.prepare('DELETE FROM issues WHERE id = ?'),
      insertIssue: db.prepare(
        `INSERT INTO issues (file, number, date, title, url, sha, parser_version, merged_pr_count, diagnostics, json)
         VALUES (@file, @number, @date, @title, @url, @sha, @parserVersion, @mergedPrCount, @diagnostics, @json)`,
      ),
      insertLink: db.prepare('INSERT INTO links (issue_id, ord, section, title, url, tags, text) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      insertFts: db.prepare('INSERT INTO links_fts (rowid, title, text, section) VALUES (?, ?, ?, ?)'),
      insertRecord: db.prepare('INSERT INTO records (issue_id, kind, ord, data) VALUES (?, ?, ?, ?)'),
      getState: db.prepare('SELECT value FROM state WHERE key = ?'),
      deleteState: db.prepare('DELETE FROM state WHERE key = ?'),
      setState: db.prepare('INSERT INTO state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value'),
      summaries: db.prepare('SELECT number, date, title, url, file FROM issues ORDER BY date, number'),
      json: db.prepare('SELECT json FROM issues WHERE file = ?'),
      count: db.prepare('SELECT count(*) AS n, max(date) AS newest FROM issues'),
    };
  }

  /** Every stored file with its content hash, for deciding what a sync must parse. */
  storedFiles(): StoredFile[] {
    return this.stmts.files.all() as StoredFile[];
  }

  /**
   * Stores an issue, replacing atomically whatever was stored for the same
   * file or the same issue number (a draft re-published under another file
   * name). Nothing else is touched.
   */
  replaceIssue(issue: Issue, sha: string, parserVersion: number): void {
    this.replaceMany([{ issue, sha, parserVersion }]);
  }

  /** Stores several issues in one transaction (bulk ingest): all land or none. */
  replaceMany(items: readonly { issue: Issue; sha: string; parserVersion: number }[]): void {
    this.writeTransaction(() => {
      for (const { issue, sha, parserVersion } of items) this.replaceOne(issue, sha, parserVersion);
    });
    bumpContentVersion(this.db);
  }

  /**
   * Runs `write` in one BEGIN IMMEDIATE transaction: the write lock is taken
   * first (waiting out another process's transaction), so what `write` reads
   * is the latest commit and its writes cannot fail half-way with "database
   * is locked", as a deferred transaction that read first can. Nested calls
   * join the outer transaction.
   */
  writeTransaction<T>(write: () => T): T {
    const run = this.db.transaction(write);
    return this.db.inTransaction ? run() : run.immediate();
  }

  private replaceOne(issue: Issue, sha: string, parserVersion: number): void {
    if (!issue.date) throw new Error(`${issue.file}: no date, not stored`);
    const old = new Set<number>();
    const byFile = this.stmts.byFile.get(issue.file) as { id: number } | undefined;
    if (byFile) old.add(byFile.id);
    if (issue.number !== null) {
      const byNumber = this.stmts.byNumber.get(issue.number) as { id: number } | undefined;
      if (byNumber) old.add(byNumber.id);
    }
    for (const id of old) this.deleteById(id);
    const { lastInsertRowid } = this.stmts.insertIssue.run({
      file: issue.file,
      number: issue.number,
      date: issue.date,
      title: issue.title,
      url: issue.url,
      sha,
      parserVersion,
      mergedPrCount: issue.mergedPrCount,
      diagnostics: issue.diagnostics.length,
      json: JSON.stringify(issue),
    });
    const issueId = Number(lastInsertRowid);
    issue.links.forEach((l, i) => {
      const section = l.section.join(' › ');
      const id = this.stmts.insertLink.run(issueId, i, section, l.title, l.url, l.tags.join(','), l.text).lastInsertRowid;
      this.stmts.insertFts.run(id, l.title, l.text, section);
    });
    for (const kind of RECORD_KINDS) {
      const value = issue[kind];
      const rows = Array.isArray(value) ? value : value === null ? [] : [value];
      rows.forEach((row, i) => {
        this.stmts.insertRecord.run(issueId, kind, i, JSON.stringify(row));
      });
    }
  }

  /** The other file (and its date) currently stored under an issue number, if any. */
  fileHoldingNumber(number: number, exceptFile: string): { file: string; date: string } | undefined {
    return this.stmts.holder.get(number, exceptFile) as { file: string; date: string } | undefined;
  }

  /** Removes the issue stored from `file`, if any (the file left the source). */
  removeFile(file: string): boolean {
    const row = this.stmts.byFile.get(file) as { id: number } | undefined;
    if (!row) return false;
    this.writeTransaction(() => this.deleteById(row.id));
    bumpContentVersion(this.db);
    return true;
  }

  private deleteById(id: number): void {
    // FTS rows first: they are found through the links rows the cascade removes.
    this.stmts.deleteFts.run(id);
    this.stmts.deleteIssue.run(id);
  }

  getState(key: string): string | undefined {
    return (this.stmts.getState.get(key) as { value: string } | undefined)?.value;
  }

  setState(key: string, value: string): void {
    this.stmts.setState.run(key, value);
  }

  /** Forgets a state entry (no-op when absent). */
  deleteState(key: string): void {
    this.stmts.deleteState.run(key);
  }

  /** All issues, oldest first. */
  summaries(): IssueSummary[] {
    return this.stmts.summaries.all() as IssueSummary[];
  }

  /** The full stored Issue for a file, or undefined. */
  issueByFile(file: string): Issue | undefined {
    const row = this.stmts.json.get(file) as { json: string } | undefined;
    return row ? (JSON.parse(row.json) as Issue) : undefined;
  }

  /** How many issues are stored and the newest date (null when empty). */
  stats(): { issues: number; newest: string | null } {
    const row = this.stmts.count.get() as { n: number; newest: string | null };
    return { issues: row.n, newest: row.newest };
  }

  /** Streams every stored issue, oldest first (export). */
  *allIssues(): Generator<Issue> {
    for (const row of this.db.prepare('SELECT json FROM issues ORDER BY date, number').iterate() as Iterable<{ json: string }>) {
      yield JSON.parse(row.json) as Issue;
    }
  }

  close(): void {
    this.db.close();
  }
}
