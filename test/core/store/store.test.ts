import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { parseIssue } from '../../../src/core/issue/parse-issue.js';
import { SCHEMA_VERSION } from '../../../src/core/store/schema.js';
import { openStore, StoreVersionError } from '../../../src/core/store/store.js';
import { miniIssueFile, miniIssueMarkdown } from '../../support/issue-markdown.js';

const mini = (number: number, date: string, links?: string[]) =>
  parseIssue(miniIssueMarkdown({ number, date, crate: 'bacon', ...(links ? { links } : {}) }), { file: miniIssueFile({ number, date }) });

function ftsCount(db: Database.Database, term: string): number {
  return (db.prepare('SELECT count(*) AS n FROM links_fts WHERE links_fts MATCH ?').get(term) as { n: number }).n;
}

describe('issue store', () => {
  it('stores an issue with its links, records and search index', () => {
    const store = openStore({ path: ':memory:' });
    store.replaceIssue(mini(570, '2024-10-23', ['Announcing Toasty']), 'sha1', 1);
    expect(store.stats()).toEqual({ issues: 1, newest: '2024-10-23' });
    expect(ftsCount(store.db, 'toasty')).toBe(1);
    expect(store.db.prepare("SELECT count(*) AS n FROM records WHERE kind = 'cratesOfWeek'").get()).toEqual({ n: 1 });
    expect(store.issueByFile('2024-10-23-this-week-in-rust.md')?.number).toBe(570);
  });

  it('replaces a re-published issue (same number, new file) and leaves other issues alone', () => {
    const store = openStore({ path: ':memory:' });
    store.replaceIssue(mini(569, '2024-10-16', ['Older week']), 'a', 1);
    store.replaceIssue(mini(571, '2024-10-29', ['Draft link']), 'b', 1);
    const olderId = store.db.prepare('SELECT id FROM issues WHERE number = 569').get();
    store.replaceIssue(mini(571, '2024-10-30', ['Final link']), 'c', 1);
    expect(store.summaries().map((s) => [s.number, s.date])).toEqual([
      [569, '2024-10-16'],
      [571, '2024-10-30'],
    ]);
    expect(ftsCount(store.db, 'draft')).toBe(0);
    expect(ftsCount(store.db, 'final')).toBe(1);
    expect(ftsCount(store.db, 'older')).toBe(1);
    expect(store.db.prepare('SELECT id FROM issues WHERE number = 569').get()).toEqual(olderId);
    expect(store.db.prepare('SELECT count(*) AS n FROM links').get()).toEqual({ n: 2 });
  });

  it('rolls back a whole batch when one issue cannot be stored', () => {
    const store = openStore({ path: ':memory:' });
    const dateless = { ...mini(1, '2013-06-07'), date: '' };
    expect(() =>
      store.replaceMany([
        { issue: mini(2, '2013-06-15'), sha: 'x', parserVersion: 1 },
        { issue: dateless, sha: 'y', parserVersion: 1 },
      ]),
    ).toThrow(/no date/);
    expect(store.stats().issues).toBe(0);
    expect(store.db.prepare('SELECT count(*) AS n FROM links').get()).toEqual({ n: 0 });
  });

  it('removes a file with all its rows', () => {
    const store = openStore({ path: ':memory:' });
    store.replaceIssue(mini(3, '2013-06-22', ['Gone soon']), 'x', 1);
    expect(store.removeFile('2013-06-22-this-week-in-rust.md')).toBe(true);
    expect(store.removeFile('2013-06-22-this-week-in-rust.md')).toBe(false);
    expect(ftsCount(store.db, 'gone')).toBe(0);
    expect(store.db.prepare('SELECT count(*) AS n FROM records').get()).toEqual({ n: 0 });
  });

  it('refuses a database written by a newer schema', () => {
    const path = `${process.env.TMPDIR ?? '/tmp'}/twir-store-test-${process.pid}.db`;
    const db = new Database(path);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => openStore({ path })).toThrow(StoreVersionError);
  });

  it('keeps small state values across reopen', () => {
    const path = `${process.env.TMPDIR ?? '/tmp'}/twir-store-state-${process.pid}.db`;
    const a = openStore({ path });
    a.setState('k', 'v1');
    a.setState('k', 'v2');
    a.close();
    const b = openStore({ path });
    expect(b.getState('k')).toBe('v2');
    b.close();
  });
});
