import { describe, expect, it } from 'vitest';
import { emptyIssue } from '../../../src/core/issue/parse-issue.js';
import type { Issue } from '../../../src/core/issue/types.js';
import { addSearchTerms, isVocabularyCurrent, refreshSearchVocabulary } from '../../../src/core/search/search-index.js';
import { openStore } from '../../../src/core/store/store.js';

function issue(number: number, date: string, titles: string[]): Issue {
  const links = titles.map((title, i) => ({
    section: ['Updates from Rust Community'],
    title,
    url: `https://t.test/${number}/${i}`,
    tags: [],
    text: title,
  }));
  return {
    ...emptyIssue({ number, date, title: `This Week in Rust ${number}`, url: `https://twir.test/${number}`, file: `${date}.md` }),
    links,
  };
}

const terms = (db: ReturnType<typeof openStore>['db']) =>
  new Map(db.prepare('SELECT term, docs FROM search_terms').raw().all() as [string, number][]);

describe('search vocabulary after a small sync', () => {
  it('adds the new issue terms with the same counts a full rebuild gives', () => {
    const store = openStore({ path: ':memory:' });
    store.replaceIssue(issue(1, '2024-10-16', ['Announcing Tokio 2.0', 'Async closures in depth']), 'a', 1);
    refreshSearchVocabulary(store.db);
    expect(isVocabularyCurrent(store.db)).toBe(true);

    const next = issue(2, '2024-10-23', ['Polonius lands on nightly', 'Tokio console release']);
    store.replaceIssue(next, 'b', 1);
    expect(isVocabularyCurrent(store.db)).toBe(false);
    addSearchTerms(
      store.db,
      next.links.flatMap((l) => [l.title, l.text]),
    );
    expect(isVocabularyCurrent(store.db)).toBe(true);
    const incremental = terms(store.db);
    expect(incremental.get('polonius')).toBe(1);
    expect(incremental.get('tokio')).toBe(2);

    store.setState('search:vocabulary', 'stale');
    refreshSearchVocabulary(store.db);
    expect(incremental).toEqual(terms(store.db));
  });
});
