/**
 * The whole published archive (667 files, 2013–2026), parsed once by the
 * global setup. Counts per year were verified by reading the issues: a
 * regression in any era's extractor moves one of these numbers.
 */
import { describe, expect, it } from 'vitest';
import type { RecordKind } from '../../../src/core/archive/archive.js';
import { archiveStore } from '../../support/archive-store.js';

const db = () => archiveStore().db;

/** Issues per year (of the issue date) with at least one record of a kind. */
function issuesWith(kind: RecordKind): Record<string, number> {
  const rows = db()
    .prepare(
      `SELECT substr(date, 1, 4) AS year, count(*) AS n FROM issues i
       WHERE EXISTS (SELECT 1 FROM records r WHERE r.issue_id = i.id AND r.kind = ?) GROUP BY year`,
    )
    .all(kind) as { year: string; n: number }[];
  return Object.fromEntries(rows.map((r) => [r.year, r.n]));
}

describe('the whole archive', () => {
  it('stores all 667 files; every numbered issue has a number and a date', () => {
    const rows = db().prepare('SELECT number, date, title, file FROM issues').all() as {
      number: number | null;
      date: string;
      title: string;
      file: string;
    }[];
    expect(rows).toHaveLength(667);
    const unnumbered = rows.filter((r) => r.number === null).map((r) => r.title);
    expect(unnumbered.sort()).toEqual(['The State of Rust 0.7', 'The State of Rust 0.8', 'The State of Rust 0.9']);
    for (const r of rows) expect(r.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const numbers = rows.flatMap((r) => (r.number === null ? [] : [r.number])).sort((a, b) => a - b);
    expect(numbers[0]).toBe(1);
    expect(new Set(numbers).size).toBe(664);
  });

  it('extracts about 75,000 links', () => {
    const { n } = db().prepare('SELECT count(*) AS n FROM links').get() as { n: number };
    expect(n).toBeGreaterThan(74_000);
    expect(n).toBeLessThan(77_000);
  });

  it('finds a crate of the week in every week that had one (2015 on)', () => {
    expect(issuesWith('cratesOfWeek')).toEqual({
      '2015': 17,
      '2016': 41,
      '2017': 43,
      '2018': 51,
      '2019': 52,
      '2020': 52,
      '2021': 52,
      '2022': 52,
      '2023': 52,
      '2024': 52,
      '2025': 53,
      '2026': 33,
    });
  });

  it('finds the quote of the week in every week that had one', () => {
    expect(issuesWith('quoteOfWeek')).toEqual({
      '2014': 2,
      '2015': 37,
      '2016': 33,
      '2017': 42,
      '2018': 41,
      '2019': 45,
      '2020': 51,
      '2021': 50,
      '2022': 51,
      '2023': 50,
      '2024': 52,
      '2025': 53,
      '2026': 33,
    });
  });

  it('finds FCP items per era, in every grouping layout', () => {
    expect(issuesWith('fcp')).toEqual({
      '2015': 26,
      '2016': 49,
      '2017': 52,
      '2018': 51,
      '2019': 50,
      '2020': 48,
      '2021': 52,
      '2022': 50,
      '2023': 52,
      '2024': 51,
      '2025': 52,
      '2026': 33,
    });
  });

  it('finds events in all four layouts, from December 2014 on', () => {
    expect(issuesWith('events')).toEqual({
      '2014': 5,
      '2015': 47,
      '2016': 51,
      '2017': 52,
      '2018': 52,
      '2019': 53,
      '2020': 52,
      '2021': 52,
      '2022': 52,
      '2023': 52,
      '2024': 52,
      '2025': 53,
      '2026': 33,
    });
    const first = db().prepare("SELECT min(i.date) AS d FROM issues i JOIN records r ON r.issue_id = i.id AND r.kind = 'events'").get();
    expect(first).toEqual({ d: expect.stringMatching(/^2014-1[12]/) });
  });

  it('never stores a template placeholder or leftover mojibake', () => {
    const bad = db()
      .prepare(
        "SELECT count(*) AS n FROM issues WHERE json LIKE '%INSERT_LINK_HERE%' OR json LIKE '%REDDIT_LINK_HERE%' OR json LIKE '%â€%' OR json LIKE '%Ã¼%'",
      )
      .get();
    expect(bad).toEqual({ n: 0 });
  });
});
