import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSearchIndex, refreshSearchVocabulary, type SearchIndex } from '../../../src/core/search/search-index.js';
import { type IssueStore, openStore } from '../../../src/core/store/store.js';
import { createLocalSource } from '../../../src/core/sync/local-source.js';
import { createParser } from '../../../src/core/sync/parse-pool.js';
import { syncIssues } from '../../../src/core/sync/sync.js';

const ARCHIVE = fileURLToPath(new URL('../../../../shared/twir-archive/', import.meta.url));

let store: IssueStore;
let index: SearchIndex;

beforeAll(async () => {
  store = openStore({ path: ':memory:' });
  const parser = createParser(0);
  await syncIssues({ source: createLocalSource(ARCHIVE), store, parser, now: () => new Date('2026-09-01T00:00:00Z') });
  await parser.close();
  refreshSearchVocabulary(store.db);
  index = createSearchIndex(store.db);
});

afterAll(() => store?.close());

const find = (text: string, url: string, extra: { asOf?: string; section?: string } = {}) =>
  index
    .search({ text, asOf: extra.asOf ?? '2026-09-01', limit: 100, ...(extra.section ? { section: extra.section } : {}) })
    .hits.find((h) => h.url === url);

// Facts checked by reading the archive files named in each test.
describe('search over the whole archive', () => {
  it('finds the 2024 Edition RFC once, newest mention first, first seen when it was proposed', () => {
    // 2023-10-04 (#515) `[new] [2024 Edition](…/rfcs/pull/3501)`, 2023-10-18 (#517) FCP, 2023-11-01 (#519) approved.
    const rfc = 'https://github.com/rust-lang/rfcs/pull/3501';
    expect(find('2024 edition', rfc)).toMatchObject({
      issue: { number: 519, date: '2023-11-01' },
      firstSeen: { number: 515, date: '2023-10-04' },
      mentions: 3,
    });
    expect(find('2024 edition', rfc, { asOf: '2023-10-20' })).toMatchObject({ issue: { number: 517 }, mentions: 2 });
  });

  it('finds the tokio-uring announcement by its name, and through a typo', () => {
    // 2021-07-21 (#400): `* [Announcing tokio-uring: io-uring support for Tokio](https://tokio.rs/blog/2021-07-tokio-uring)`.
    const url = 'https://tokio.rs/blog/2021-07-tokio-uring';
    expect(find('tokio-uring', url)).toMatchObject({ firstSeen: { number: 400, date: '2021-07-21' }, mentions: 1 });
    const typo = index.search({ text: 'tokoi uring', asOf: '2026-09-01', limit: 100 });
    expect(typo.corrected).toBe('tokio uring');
    expect(typo.hits.map((h) => h.url)).toContain(url);
  });

  it('finds the async closures write-up from a partial word', () => {
    // 2024-07-03 (#554): `* [Async closures](https://hackmd.io/@compiler-errors/async-closures)`.
    expect(find('asyn closures', 'https://hackmd.io/@compiler-errors/async-closures')).toMatchObject({
      issue: { number: 554, date: '2024-07-03' },
      section: expect.stringContaining('Observations'),
    });
  });

  it('leaves the thousands of meetup listings out unless events are asked for', () => {
    const plain = index.search({ text: 'berlin', asOf: '2026-09-01', limit: 100 });
    const withEvents = index.search({ text: 'berlin', asOf: '2026-09-01', includeEvents: true });
    expect(plain.hits.some((h) => /Upcoming Events/.test(h.section))).toBe(false);
    expect(withEvents.total).toBeGreaterThan(plain.total * 3);
  });

  it('answers a very common word without bm25 and still counts every URL', () => {
    const result = index.search({ text: 'rust', asOf: '2026-09-01' });
    expect(result.total).toBeGreaterThan(5000);
    expect(result.hits[0]?.issue.date ?? '').toMatch(/^2026-/);
  });
});
