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

  it('gives every event from 2015 on a gazetteer place or a note saying why not', () => {
    const row = db()
      .prepare(
        `SELECT count(*) AS events,
                sum(json_extract(r.data, '$.place.cityId') IS NOT NULL) AS city,
                sum(json_extract(r.data, '$.place') IS NOT NULL AND json_extract(r.data, '$.place.cityId') IS NULL) AS countryOnly,
                sum(json_extract(r.data, '$.place') IS NULL) AS none,
                sum(json_extract(r.data, '$.place.cityId') IS NULL AND json_extract(r.data, '$.placeNote') IS NULL) AS unexplained
         FROM records r JOIN issues i ON i.id = r.issue_id WHERE r.kind = 'events' AND i.date >= '2015'`,
      )
      .get() as { events: number; city: number; countryOnly: number; none: number; unexplained: number };
    // Measured on the export: 13,818 events, 12,558 in a gazetteer city, 305 in a country only,
    // 955 with no place (817 online with no host city, 121 with no place named at all).
    expect(row.events).toBeGreaterThan(13_700);
    expect(row.city / row.events).toBeGreaterThan(0.9);
    expect(row.countryOnly + row.none).toBeLessThan(1_400);
    expect(row.unexplained).toBe(0);
    // 2016 and 2017 wrote the place in the title: most now resolve.
    const early = db()
      .prepare(
        `SELECT count(*) AS events, sum(json_extract(r.data, '$.place') IS NOT NULL) AS placed FROM records r JOIN issues i ON i.id = r.issue_id
         WHERE r.kind = 'events' AND i.date >= '2016' AND i.date < '2018' AND json_extract(r.data, '$.virtual') = 0`,
      )
      .get() as { events: number; placed: number };
    expect(early.placed / early.events).toBeGreaterThan(0.8);
  });

  it('recovers events the source mangled', () => {
    const events = (date: string): { region: string | null; regions: string[] }[] =>
      JSON.parse((db().prepare('SELECT json FROM issues WHERE date = ?').get(date) as { json: string }).json).events;
    // 2025-07-23: a `# 2025-07-23 | …` line ended the section; 48 listings, two of them one event each under two regions.
    const july = events('2025-07-23');
    expect(july.reduce((n, e) => n + e.regions.length, 0)).toBe(48);
    expect(july).toHaveLength(46);
    // 2026-08-19 lists four events under both Virtual and North America: 51 events, not 55.
    expect(events('2026-08-19')).toHaveLength(51);
    // `# Oceania` in the 2024-07-17 … 2024-08-28 issues.
    const { oceania } = db()
      .prepare(
        `SELECT count(*) AS oceania FROM records r JOIN issues i ON i.id = r.issue_id
         WHERE r.kind = 'events' AND i.date BETWEEN '2024-07-17' AND '2024-08-28' AND json_extract(r.data, '$.region') = 'Oceania'`,
      )
      .get() as { oceania: number };
    expect(oceania).toBeGreaterThanOrEqual(10);
    // Year typos moved into the issue's window, each with a warning.
    const moved = db()
      .prepare(
        `SELECT count(*) AS n, count(DISTINCT i.id) AS issues FROM issues i, json_each(i.json, '$.diagnostics') d
         WHERE json_extract(d.value, '$.message') LIKE 'events:%outside the listing%'`,
      )
      .get() as { n: number; issues: number };
    expect(moved).toEqual({ n: 18, issues: 13 });
    // `Dex  6.` (2017-11-28) and `Oc 11.` (2018-09-25).
    const typos = db()
      .prepare(
        `SELECT i.date FROM issues i, json_each(i.json, '$.diagnostics') d
         WHERE json_extract(d.value, '$.message') LIKE 'events: read the misspelt month%' ORDER BY i.date`,
      )
      .pluck()
      .all();
    expect(typos).toEqual(['2017-11-28', '2018-09-25']);
  });

  it('never stores a template placeholder or leftover mojibake', () => {
    const bad = db()
      .prepare(
        "SELECT count(*) AS n FROM issues WHERE json LIKE '%INSERT_LINK_HERE%' OR json LIKE '%REDDIT_LINK_HERE%' OR json LIKE '%â€%' OR json LIKE '%Ã¼%'",
      )
      .get();
    expect(bad).toEqual({ n: 0 });
  });

  it('counts what each issue-15 rule recovers', () => {
    const one = <T>(sql: string): T => db().prepare(sql).get() as T;
    // A `# 2024-07-02 Triage Log` heading kept inside the triage (+1 week, 2024-07-03), counts after a
    // "comparisons made in total" line or a `???` rollup count (+2 in 2021; 2024-07-03 too), and 2020's
    // counts without a mixed category (8 weeks no longer say "0 mixed").
    const perf = db()
      .prepare(
        `SELECT substr(i.date, 1, 4) AS year, count(*) AS n, sum(json_extract(r.data, '$.counts') IS NOT NULL) AS counted,
                sum(json_extract(r.data, '$.counts') IS NOT NULL AND json_extract(r.data, '$.counts.mixed') IS NULL) AS noMixed
         FROM records r JOIN issues i ON i.id = r.issue_id WHERE r.kind = 'perfTriage' GROUP BY year`,
      )
      .all() as { year: string; n: number; counted: number; noMixed: number }[];
    const byYear = Object.fromEntries(perf.map((p) => [p.year, [p.n, p.counted, p.noMixed]]));
    expect(byYear).toMatchObject({ '2020': [31, 23, 8], '2021': [51, 50, 0], '2024': [49, 47, 0] });
    // Calls for papers keep both ends of a date range: 82 of 147 (none before).
    expect(
      one<{ n: number }>(`SELECT count(*) AS n FROM records WHERE kind = 'cfpEvents' AND json_extract(data, '$.eventEndDate') IS NOT NULL`)
        .n,
    ).toBe(82);
    // `# Calls for Testing` at the wrong rank (2024-09-25) no longer files the sections after it under
    // Calls for Testing: 61 links are (276 were).
    expect(
      one<{ n: number }>(`SELECT count(*) AS n FROM links WHERE section LIKE '%Calls for Testing%' OR section LIKE '%Call for Testing%'`).n,
    ).toBe(61);
    // Every city GeoNames numbers (Canada's 08, Germany's 02) is filed under its subdivision: 5,885 events
    // from 2015 on gained one; 16 of 12,620 events in a gazetteer city still have none.
    const places = one<{ city: number; sub: number; numbered: number }>(
      `SELECT count(*) AS city, sum(json_extract(r.data, '$.place.subdivisionCode') IS NOT NULL) AS sub,
              sum(json_extract(r.data, '$.place.subdivisionCode') IS NOT NULL AND c.admin1 GLOB '*[0-9]*') AS numbered
       FROM records r JOIN issues i ON i.id = r.issue_id JOIN cities c ON c.id = json_extract(r.data, '$.place.cityId')
       WHERE r.kind = 'events' AND i.date >= '2015'`,
    );
    expect(places.city - places.sub).toBeLessThan(50);
    expect(places.numbered).toBeGreaterThan(5_500);
  });
});
