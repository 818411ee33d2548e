import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emptyIssue } from '../../../src/core/issue/parse-issue.js';
import type { Issue, LinkItem } from '../../../src/core/issue/types.js';
import { createSearchIndex, refreshSearchVocabulary, type SearchIndex } from '../../../src/core/search/search-index.js';
import { type IssueStore, openStore } from '../../../src/core/store/store.js';

const OBSERVATIONS = ['Updates from Rust Community', 'Observations/Thoughts'];
const PROJECT_UPDATES = ['Updates from Rust Community', 'Project/Tooling Updates'];
const WALKTHROUGHS = ['Updates from Rust Community', 'Rust Walkthroughs'];
const EVENTS = ['Upcoming Events', 'Europe'];
const JOBS = ['Rust Jobs'];

function link(section: string[], title: string, url: string, text = title, tags: string[] = []): LinkItem {
  return { section, title, url, tags, text };
}

function issue(number: number, date: string, links: LinkItem[]): Issue {
  const url = `https://this-week-in-rust.org/blog/${date.replaceAll('-', '/')}/this-week-in-rust-${number}/`;
  return { ...emptyIssue({ number, date, title: `This Week in Rust ${number}`, url, file: `${date}-this-week-in-rust.md` }), links };
}

const TOKIO_URL = 'https://tokio.rs/blog/2020-12-tokio-1-0';
const CLOSURES_URL = 'https://blog.example.org/async-closures';

// Three issues a year apart; the Tokio announcement is linked in all three (once over http with a trailing slash).
// The text-only Tokio match ("Scheduler deep dive") is newer than the title match ("Tokio-uring explained").
const ISSUES: Issue[] = [
  issue(100, '2020-12-23', [
    link(PROJECT_UPDATES, 'Announcing Tokio 1.0', TOKIO_URL),
    link(OBSERVATIONS, 'Why I like tokei for counting lines', 'https://example.org/tokei'),
    link(WALKTHROUGHS, 'Tokio-uring explained', 'https://example.org/tokio-uring'),
    link(EVENTS, 'Rust Berlin meetup', 'https://meetup.example/berlin-2020'),
    link(JOBS, 'Senior Rust engineer at Ferrous', 'https://jobs.example/ferrous'),
  ]),
  issue(150, '2021-12-22', [
    link(OBSERVATIONS, 'Tokio 1.0, one year later', 'http://tokio.rs/blog/2020-12-tokio-1-0/'),
    link(OBSERVATIONS, 'Async closures are coming', CLOSURES_URL, 'Async closures are coming, by a compiler contributor', ['video']),
    link(PROJECT_UPDATES, 'Same old title', 'https://example.org/old'),
    link(WALKTHROUGHS, 'Scheduler deep dive', 'https://example.org/scheduler', 'Scheduler deep dive: how a runtime like tokio picks tasks'),
  ]),
  issue(200, '2022-12-21', [
    link(OBSERVATIONS, 'Announcing Tokio 1.0 (retrospective)', TOKIO_URL),
    link(PROJECT_UPDATES, 'Same old title', 'https://example.org/new'),
    link(EVENTS, 'Rust Berlin meetup', 'https://meetup.example/berlin-2022'),
  ]),
];

let store: IssueStore;
let index: SearchIndex;
const asOf = '2030-01-01';

beforeEach(() => {
  store = openStore({ path: ':memory:' });
  for (const i of ISSUES) store.replaceIssue(i, `sha-${i.number}`, 1);
  refreshSearchVocabulary(store.db);
  index = createSearchIndex(store.db);
});

afterEach(() => store.close());

const urls = (text: string, extra: Partial<Parameters<SearchIndex['search']>[0]> = {}) =>
  index.search({ text, asOf, ...extra }).hits.map((h) => h.url);

describe('one hit per URL', () => {
  it('shows the newest mention with when the URL first appeared and how many issues mention it', () => {
    const result = index.search({ text: 'announcing tokio', asOf });
    const hit = result.hits.find((h) => h.url === TOKIO_URL);
    expect(result.hits.filter((h) => h.url.includes('tokio-1-0'))).toHaveLength(1);
    expect(hit).toMatchObject({
      title: 'Announcing Tokio 1.0 (retrospective)',
      section: 'Updates from Rust Community › Observations/Thoughts',
      issue: { number: 200, date: '2022-12-21', title: 'This Week in Rust 200' },
      firstSeen: { number: 100, date: '2020-12-23' },
      mentions: 3,
    });
    expect(hit?.issue.url).toContain('this-week-in-rust-200');
  });

  it('merges http/https and trailing-slash spellings of the same URL', () => {
    const hits = index.search({ text: 'tokio 1.0', asOf }).hits.filter((h) => h.url.includes('tokio-1-0'));
    expect(hits).toHaveLength(1);
  });

  it('returns the stored title, text and tags of the mention shown', () => {
    const [hit] = index.search({ text: 'async closures', asOf }).hits;
    expect(hit).toMatchObject({ url: CLOSURES_URL, tags: ['video'], text: 'Async closures are coming, by a compiler contributor' });
    expect(hit?.score).toBeGreaterThan(0);
  });
});

describe('as-of date', () => {
  it('ignores issues after asOf: newest mention, first seen and mention count', () => {
    const hit = index.search({ text: 'tokio 1.0', asOf: '2022-01-01' }).hits.find((h) => h.url.includes('tokio-1-0'));
    expect(hit).toMatchObject({
      issue: { number: 150 },
      firstSeen: { number: 100 },
      mentions: 2,
      url: 'http://tokio.rs/blog/2020-12-tokio-1-0/',
    });
  });

  it('finds nothing before the first issue and says why', () => {
    expect(index.search({ text: 'tokio', asOf: '2019-01-01' })).toMatchObject({ hits: [], total: 0, reason: 'no-matches' });
  });

  it('accepts a full ISO timestamp and rejects a non-date', () => {
    expect(index.search({ text: 'tokio', asOf: '2021-01-01T10:00:00Z' }).total).toBeGreaterThan(0);
    expect(index.search({ text: 'tokio', asOf: 'yesterday' })).toMatchObject({ hits: [], reason: 'invalid-as-of' });
  });
});

describe('events and jobs', () => {
  it('leaves event listings and job ads out by default', () => {
    expect(urls('berlin meetup')).toEqual([]);
    expect(urls('senior rust engineer')).toEqual([]);
  });

  it('includes them when asked, or when the section filter names them', () => {
    expect(urls('berlin meetup', { includeEvents: true })).toEqual([
      'https://meetup.example/berlin-2022',
      'https://meetup.example/berlin-2020',
    ]);
    expect(urls('berlin meetup', { section: 'events' })).toHaveLength(2);
    expect(urls('senior engineer', { includeJobs: true })).toEqual(['https://jobs.example/ferrous']);
    expect(urls('senior engineer', { section: 'jobs' })).toEqual(['https://jobs.example/ferrous']);
  });
});

describe('filters', () => {
  it('filters by section with a case-insensitive substring or word prefixes', () => {
    expect(urls('tokio', { section: 'OBSERVATIONS' })).toEqual([TOKIO_URL]);
    expect(urls('tokio', { section: 'project updates' })).toEqual([TOKIO_URL]);
    expect(urls('tokio', { section: 'walkthrough' }).sort()).toEqual(['https://example.org/scheduler', 'https://example.org/tokio-uring']);
  });

  it('shows the newest mention inside the filtered section', () => {
    const [hit] = index.search({ text: 'announcing tokio', asOf, section: 'project updates' }).hits;
    expect(hit).toMatchObject({ url: TOKIO_URL, issue: { number: 100 }, mentions: 3 });
  });

  it('says so when no section matches the filter', () => {
    expect(index.search({ text: 'tokio', asOf, section: 'crate of the week' })).toMatchObject({ hits: [], reason: 'no-such-section' });
  });

  it('restricts to mentions in the given year, keeping the whole history for first seen and mentions', () => {
    const hit = index.search({ text: 'announcing tokio', asOf, year: 2020 }).hits.find((h) => h.url === TOKIO_URL);
    expect(hit).toMatchObject({ issue: { number: 100, date: '2020-12-23' }, firstSeen: { number: 100 }, mentions: 3 });
    expect(urls('async closures', { year: 2022 })).toEqual([]);
    expect(index.search({ text: 'tokio', asOf, year: 20.5 }).reason).toBe('invalid-year');
  });
});

describe('typo tolerance and partial words', () => {
  it('corrects "tokoi" to the more used "tokio" (not "tokei") and says so', () => {
    const result = index.search({ text: 'tokoi', asOf });
    expect(result.corrected).toBe('tokio');
    expect(result.terms).toEqual(['tokio']);
    expect(result.hits[0]?.title).toMatch(/tokio/i);
  });

  it('finds async closures from the partial word "asyn"', () => {
    const result = index.search({ text: 'asyn closures', asOf });
    expect(result.hits.map((h) => h.url)).toEqual([CLOSURES_URL]);
    expect(result.corrected).toBeNull();
  });

  it('corrects a swapped pair of letters in a short word ("asnyc")', () => {
    const result = index.search({ text: 'asnyc closures', asOf });
    expect(result.corrected).toBe('async closures');
    expect(result.hits[0]?.url).toBe(CLOSURES_URL);
  });

  it('matches singular and plural ("closure" finds "closures")', () => {
    expect(urls('async closure')).toEqual([CLOSURES_URL]);
  });

  it('searches words written together as a phrase ("tokio-uring")', () => {
    expect(urls('tokio-uring')).toEqual(['https://example.org/tokio-uring']);
  });

  it('drops an unknown word it cannot correct and reports the query it ran', () => {
    const result = index.search({ text: 'tokio qqqqzzzz', asOf });
    expect(result.corrected).toBe('tokio');
    expect(result.total).toBeGreaterThan(0);
  });
});

describe('ranking', () => {
  it('ranks a title match above a newer match in the text only', () => {
    const found = urls('tokio', { section: 'walkthroughs' });
    expect(found).toEqual(['https://example.org/tokio-uring', 'https://example.org/scheduler']);
  });

  it('puts the newer of two equally relevant links first', () => {
    expect(urls('same old title')).toEqual(['https://example.org/new', 'https://example.org/old']);
  });

  it('pages with limit and offset and counts every distinct URL in total', () => {
    const all = index.search({ text: 'tokio', asOf, limit: 50 });
    const page = index.search({ text: 'tokio', asOf, limit: 1, offset: 1 });
    expect(page.total).toBe(all.total);
    expect(page.hits.map((h) => h.url)).toEqual([all.hits[1]?.url]);
  });
});

describe('hostile input', () => {
  const inputs = [
    'a'.repeat(10_000),
    'tokio '.repeat(2_000),
    '🦀🦀🦀',
    'مرحبا بالعالم tokio',
    '\u202etokio\u202c',
    '.*(a|b)+$\\',
    '"tokio',
    'tok*',
    'NEAR(tokio async, 2)',
    'tokio OR async AND NOT closures',
    'title: tokio ^ (x)',
    "'; DROP TABLE links; --",
    '\u0000\ud800',
    '"""***:::^^^',
  ];

  const cases = inputs.map((text) => [text.length > 40 ? `${text.slice(0, 12)}… (${text.length} characters)` : JSON.stringify(text), text]);

  it.each(cases)('answers %s without throwing', (_label, text) => {
    const result = index.search({ text, asOf });
    expect(Array.isArray(result.hits)).toBe(true);
    expect(result.total).toBeGreaterThanOrEqual(0);
    expect(store.db.prepare('SELECT count(*) AS n FROM links').get()).toEqual({ n: 12 });
  });

  it('returns an empty result with a reason when nothing searchable is left', () => {
    expect(index.search({ text: '🦀 "*" :^()', asOf })).toEqual({ hits: [], total: 0, corrected: null, terms: [], reason: 'empty-query' });
  });

  it('treats FTS operators as nothing and keeps the words', () => {
    expect(index.search({ text: 'tokio OR uring', asOf }).terms).toEqual(['tokio', 'uring']);
  });

  it('caps the number of searched words', () => {
    const text = Array.from({ length: 40 }, (_, i) => `word${i}`).join(' ');
    expect(() => index.search({ text, asOf })).not.toThrow();
  });

  it('survives nonsense options', () => {
    const q = { text: 'tokio', asOf, limit: Number.NaN, offset: -3, section: 42 } as unknown as Parameters<SearchIndex['search']>[0];
    expect(index.search(q).hits.length).toBeGreaterThan(0);
    expect(index.search(undefined as unknown as Parameters<SearchIndex['search']>[0]).reason).toBe('empty-query');
  });
});

describe('freshness and autocomplete', () => {
  it('sees issues stored after it was created, with or without a vocabulary refresh', () => {
    store.replaceIssue(issue(250, '2023-06-07', [link(OBSERVATIONS, 'Polonius is here', 'https://example.org/polonius')]), 'sha-250', 1);
    expect(urls('polonius')).toEqual(['https://example.org/polonius']);
    expect(index.search({ text: 'polonuis', asOf }).corrected).toBe('polonius');
    refreshSearchVocabulary(store.db);
    expect(createSearchIndex(store.db).search({ text: 'polonuis', asOf }).hits).toHaveLength(1);
  });

  it('copies the title/text vocabulary into search_terms', () => {
    const row = store.db.prepare("SELECT docs FROM search_terms WHERE term = 'tokio'").get();
    expect(row).toEqual({ docs: 5 });
    // Section names are not searched, so their words are not in the vocabulary unless a title uses them.
    expect(store.db.prepare("SELECT count(*) AS n FROM search_terms WHERE term = 'walkthroughs'").get()).toEqual({ n: 0 });
  });

  it('suggests completions of the last word, most used first, keeping earlier words', () => {
    expect(index.suggestTerms('tok')).toEqual(['tokio', 'tokei']);
    expect(index.suggestTerms('async clo')).toEqual(['async closures']);
    expect(index.suggestTerms('tokio ')).toEqual([]);
    expect(index.suggestTerms('🦀')).toEqual([]);
  });
});
