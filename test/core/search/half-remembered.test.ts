/**
 * Searching as people half-remember (issue #16): release numbers, exact
 * titles among incidental PRs, partial matches, a typo policy that never
 * turns a query into another question, and links, pull requests and RFCs
 * as queries. The archive-wide figures are in `npm run bench` (relevance).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emptyIssue } from '../../../src/core/issue/parse-issue.js';
import type { Issue, LinkItem } from '../../../src/core/issue/types.js';
import { linkKey, parseLinkLookup } from '../../../src/core/search/references.js';
import { createSearchIndex, refreshSearchVocabulary, type SearchIndex } from '../../../src/core/search/search-index.js';
import { type IssueStore, openStore } from '../../../src/core/store/store.js';

const OFFICIAL = ['Updates from Rust Community', 'Official'];
const CORE = ['Updates from the Rust Project'];
const THOUGHTS = ['Updates from Rust Community', 'Observations/Thoughts'];

function link(section: string[], title: string, url: string, text = title): LinkItem {
  return { section, title, url, tags: [], text };
}

function issue(number: number, date: string, links: LinkItem[]): Issue {
  const url = `https://this-week-in-rust.org/blog/${date.replaceAll('-', '/')}/this-week-in-rust-${number}/`;
  return { ...emptyIssue({ number, date, title: `This Week in Rust ${number}`, url, file: `${date}-this-week-in-rust.md` }), links };
}

const R110 = 'https://blog.rust-lang.org/2016/07/07/Rust-1.10.html';
const R180 = 'https://blog.rust-lang.org/2024/07/25/Rust-1.80.0.html';
const STABLE = 'https://blog.rust-lang.org/2019/11/07/Async-await-stable.html';
const PR = 'https://github.com/rust-lang/rust/pull/132706';
const RFC = 'https://github.com/rust-lang/rfcs/pull/3668';
const WITHIN = 'https://smallcultfollowing.com/babysteps/blog/2024/06/02/the-borrow-checker-within/';

const ISSUES: Issue[] = [
  issue(138, '2016-07-12', [
    link(THOUGHTS, 'Proving that 1 + 1 = 10 in Rust', 'https://example.org/proof'),
    link(CORE, '1.10 stabilizations', 'https://github.com/rust-lang/rust/pull/33699'),
    link(THOUGHTS, 'Announcing Rust 1.10', R110),
    link(THOUGHTS, 'Async/await will be stable soon', 'https://example.org/soon'),
    link(THOUGHTS, 'What is a place expression?', 'https://example.org/place'),
  ]),
  issue(312, '2019-11-12', [link(THOUGHTS, 'Async-await on stable Rust', STABLE)]),
  issue(550, '2024-06-05', [
    link(THOUGHTS, 'The borrow checker within', WITHIN),
    link(THOUGHTS, 'Working with the borrow checker', 'https://example.org/with'),
  ]),
  issue(558, '2024-07-31', [
    link(THOUGHTS, 'Rust 1.80.0: Top 10 Most Interesting Things', 'https://www.youtube.com/watch?v=iwV'),
    link(OFFICIAL, 'Announcing Rust 1.80.0', R180),
    link(CORE, 'Merge RFC 3668: Async closures', RFC),
  ]),
  issue(560, '2024-08-14', [link(OFFICIAL, 'Announcing Rust 1.80.1', 'https://blog.rust-lang.org/2024/08/08/Rust-1.80.1.html')]),
  issue(574, '2024-11-20', [link(CORE, 'stabilize async closures', PR)]),
  issue(578, '2024-12-18', [
    link(CORE, 'Stabilize async closures (RFC 3668)', PR),
    link(CORE, 'stabilize async closures — #3668', 'https://rust-lang.github.io/rfcs/3668-async-closures.html'),
    link(THOUGHTS, 'Rustup 1.28 and clarifying fonts', 'https://example.org/fonts'),
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

const urls = (text: string) => index.search({ text, asOf }).hits.map((h) => h.url);

describe('ranking', () => {
  it('puts the release announcement above number fragments and point releases', () => {
    expect(urls('rust 1.10')[0]).toBe(R110);
    expect(urls('rust 1.80')[0]).toBe(R180);
    expect(urls('rust 1.80.0')[0]).toBe(R180);
  });
});

describe('partial matches', () => {
  it('returns the items with most of the words when none has all, and says so', () => {
    const result = index.search({ text: 'async-await is stable', asOf });
    expect(result.partial).toBe(true);
    expect(result.hits[0]?.url).toBe(STABLE);
  });

  it('does not call a match partial when an item has every word', () => {
    expect(index.search({ text: 'borrow checker within', asOf }).partial).toBeUndefined();
  });
});

describe('typo policy', () => {
  it('reads "borow checker withn" as "borrow checker within" and says so', () => {
    const result = index.search({ text: 'borow checker withn', asOf });
    expect(result.corrected).toBe('borrow checker within');
    expect(result.hits[0]?.url).toBe(WITHIN);
  });

  it('never rewrites numbers or names typed with capitals', () => {
    expect(index.search({ text: '132707', asOf }).corrected).not.toBe('132706');
    expect(index.search({ text: 'Clar Fon', asOf })).toMatchObject({ hits: [], reason: 'no-matches' });
    // The same words in lower case are ordinary typos.
    expect(index.search({ text: 'stabilise', asOf }).corrected).toBe('stabilize');
  });
});

describe('links, pull requests and RFCs as queries', () => {
  it('finds a pull request by any spelling of its link, with when it was first and last linked', () => {
    for (const q of [
      PR,
      `${PR}/files`,
      'http://www.github.com/rust-lang/rust/pull/132706/?utm_source=share',
      'github.com/rust-lang/rust/issues/132706',
      '#132706',
      'rust#132706',
      'rust-lang/rust#132706',
    ]) {
      const result = index.search({ text: q, asOf });
      expect(result.lookup, q).toBeDefined();
      expect(
        result.hits.map((h) => h.url),
        q,
      ).toEqual([PR]);
      expect(result.hits[0], q).toMatchObject({ firstSeen: { number: 574 }, issue: { number: 578 }, mentions: 2 });
    }
  });

  it('finds an RFC by number: its pull request and its rendered page', () => {
    for (const q of ['rfc 3668', 'RFC3668', 'rfcs#3668', 'rust-lang/rfcs#3668']) {
      expect(urls(q).sort(), q).toEqual([RFC, 'https://rust-lang.github.io/rfcs/3668-async-closures.html']);
    }
  });

  it('says a link was never in TWIR rather than searching its words', () => {
    expect(index.search({ text: 'https://github.com/rust-lang/rust/pull/1', asOf })).toMatchObject({
      hits: [],
      reason: 'not-linked',
      lookup: { kind: 'url' },
    });
  });

  it('normalises tracking parameters, www., schemes and pull request tabs into one key', () => {
    expect(linkKey('http://www.Example.org/a/?utm_source=x&id=3&fbclid=y#top')).toBe('example.org/a?id=3');
    expect(linkKey('https://github.com/o/r/pull/5/files')).toBe(linkKey('https://github.com/o/r/issues/5'));
    expect(parseLinkLookup('async closures')).toBeNull();
    expect(parseLinkLookup('rust 1.80')).toBeNull();
  });
});

describe('paging pin', () => {
  it('leaves out issues numbered above the pin', () => {
    const numbers = index.search({ text: 'async closures', asOf, maxIssue: 574 }).hits.map((h) => h.issue.number);
    expect(numbers.slice(0, 2)).toEqual([574, 558]);
    expect(numbers).not.toContain(578);
  });
});
