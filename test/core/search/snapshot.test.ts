import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emptyIssue } from '../../../src/core/issue/parse-issue.js';
import type { Issue } from '../../../src/core/issue/types.js';
import { createSearchIndex, refreshSearchVocabulary } from '../../../src/core/search/search-index.js';
import { type IssueStore, openStore } from '../../../src/core/store/store.js';

function issue(number: number, date: string, titles: string[]): Issue {
  const url = `https://this-week-in-rust.org/blog/${date.replaceAll('-', '/')}/this-week-in-rust-${number}/`;
  const links = titles.map((title, i) => ({
    section: ['Updates from Rust Community', 'Observations/Thoughts'],
    title,
    url: `https://blog.example.org/${number}/${i}`,
    tags: [],
    text: title,
  }));
  return { ...emptyIssue({ number, date, title: `This Week in Rust ${number}`, url, file: `${date}-this-week-in-rust.md` }), links };
}

let store: IssueStore;
const asOf = '2030-01-01';
const snapshots = () => store.db.prepare('SELECT count(*) FROM search_snapshots').pluck().get() as number;

beforeEach(() => {
  store = openStore({ path: ':memory:' });
  store.replaceIssue(issue(1, '2020-01-01', ['Tokio one', 'Async closures']), 'a', 1);
  store.replaceIssue(issue(2, '2021-01-01', ['Tokio two', 'Serde tips']), 'b', 1);
  refreshSearchVocabulary(store.db);
});

afterEach(() => store.close());

describe('search snapshots', () => {
  it('saves what a fresh index built, and a new index reads it back with the same answers', () => {
    const built = createSearchIndex(store.db);
    const before = built.search({ text: 'tokoi', asOf });
    expect(built.persist()).toBe(true);
    expect(built.persist()).toBe(false);
    expect(snapshots()).toBeGreaterThan(0);
    const read = createSearchIndex(store.db);
    expect(read.search({ text: 'tokoi', asOf })).toEqual(before);
    expect(read.persist()).toBe(false);
  });

  it('ignores a snapshot of an older store content', () => {
    createSearchIndex(store.db).persist();
    store.replaceIssue(issue(3, '2022-01-01', ['Tokio three']), 'c', 1);
    const index = createSearchIndex(store.db);
    expect(index.search({ text: 'tokio', asOf }).total).toBe(3);
    expect(index.persist()).toBe(true);
  });
});
