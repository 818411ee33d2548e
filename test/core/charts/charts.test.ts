import { describe, expect, it } from 'vitest';
import { EVENT_REGIONS, eventPoints, eventsPerRegionYear, type PerfPoint, perfPoints } from '../../../src/core/charts/chart-data.js';
import { eventsMap } from '../../../src/core/charts/events-map.js';
import { perfChart } from '../../../src/core/charts/perf-chart.js';
import { regionsChart } from '../../../src/core/charts/regions-chart.js';
import { archiveStore } from '../../support/archive-store.js';

const week = (n: number, over: Partial<PerfPoint> = {}): PerfPoint => ({
  number: n,
  date: `2024-01-${String(n).padStart(2, '0')}`,
  url: `https://example.test/triage/${n}`,
  regressions: 1,
  improvements: 2,
  mixed: 3,
  ...over,
});

describe('the performance chart (data → SVG)', () => {
  it('draws one linked bar group per weekly triage with a text alternative', () => {
    const chart = perfChart([week(1), week(2, { regressions: 9 }), week(3)]);
    expect(chart.points).toBe(3);
    expect(chart.svg.match(/<a class="point" href="https:\/\/example\.test\/triage\/\d"/g)).toHaveLength(3);
    expect(chart.summary).toBe(
      '3 weekly triages from #1, 2024-01-01 to #3, 2024-01-03: 11 regressions, 6 improvements and 9 mixed in all. Most regressions in one week: 9 (#2, 2024-01-02).',
    );
    expect(chart.svg).toContain(`<desc id="perf-chart-d">${chart.summary}</desc>`);
  });

  it('links only http(s) and escapes what it writes', () => {
    const chart = perfChart([week(1, { url: 'javascript:alert(1)' }), week(2, { url: 'https://x.test/?a=1&b="2"' })]);
    expect(chart.svg).not.toContain('javascript:');
    expect(chart.svg).toContain('<g class="point">');
    expect(chart.svg).toContain('href="https://x.test/?a=1&amp;b=%222%22"');
  });

  it('says so when there is nothing to draw', () => {
    expect(perfChart([]).summary).toBe('No compiler performance triage with counts in this range.');
  });
});

describe('the events map (data → SVG)', () => {
  it('puts one dot per event inside the map and escapes event titles', () => {
    const chart = eventsMap(
      [
        { title: 'Rust <Berlin>', url: 'https://a.test/1', date: '2024-11-07', where: 'Berlin, DE', lat: 52.52, lon: 13.4 },
        { title: 'Rust Sydney', url: 'https://a.test/2', date: '2024-11-08', where: 'Sydney, AU', lat: -33.87, lon: 151.2 },
      ],
      4,
    );
    expect(chart.points).toBe(2);
    const dots = [...chart.svg.matchAll(/<circle class="event-dot" cx="([\d.]+)" cy="([\d.]+)"/g)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(dots).toHaveLength(2);
    for (const [x, y] of dots) {
      expect(x).toBeGreaterThan(0);
      expect(x).toBeLessThan(720);
      expect(y).toBeGreaterThan(0);
      expect(y).toBeLessThan(370);
    }
    // Berlin is north-west of Sydney.
    expect(dots[0]?.[0]).toBeLessThan(dots[1]?.[0] as number);
    expect(dots[0]?.[1]).toBeLessThan(dots[1]?.[1] as number);
    expect(chart.svg).toContain('Rust &lt;Berlin&gt;');
    expect(chart.summary).toMatch(/^2 upcoming in-person or hybrid events on the map .*; 4 more are virtual or have no known place\.$/);
  });
});

describe('chart data from the archive', () => {
  it('reads the last 52 weekly triages, or every one since 2020, oldest first', () => {
    const last = perfPoints(archiveStore(), '2024-10-30', 52);
    expect(last).toHaveLength(52);
    expect(last.at(-1)).toMatchObject({ number: 571, date: '2024-10-30' });
    const all = perfPoints(archiveStore(), '2024-10-30', null);
    expect(all.length).toBeGreaterThan(150);
    expect((all[0]?.date ?? '') >= '2020-01-01').toBe(true);
    expect(all.map((p) => p.date)).toEqual([...all.map((p) => p.date)].sort());
  });

  it('maps the upcoming in-person events and counts the rest', () => {
    const { points, unplaced, from } = eventPoints(archiveStore(), '2024-10-30');
    expect(from).toBe('2024-10-30');
    expect(points.length).toBeGreaterThan(10);
    expect(unplaced).toBeGreaterThan(0);
    expect(points.some((p) => p.where === 'Berlin, DE')).toBe(true);
  });
});

describe('events per region over the years', () => {
  it('counts each event once per year and region, placing pre-heading listings by their coordinates', () => {
    const years = eventsPerRegionYear(archiveStore(), '2024-10-30');
    expect(years[0]?.year).toBe('2014');
    expect(years.at(-1)?.year).toBe('2024');
    const y2016 = years.find((y) => y.year === '2016')?.counts;
    // 2016 listings had no region headings: Europe and North America come from where the events were.
    expect(y2016?.Europe).toBeGreaterThan(0);
    expect(y2016?.['North America']).toBeGreaterThan(0);
    const y2021 = years.find((y) => y.year === '2021')?.counts;
    expect(y2021?.Virtual).toBeGreaterThan(y2021?.Europe ?? 0);
    const chart = regionsChart(years);
    expect(chart.points).toBe(years.length);
    expect(chart.svg.match(/<g class="point">/g)).toHaveLength(years.length);
    expect(chart.summary).toMatch(/^\d+ events listed from 2014 to 2024: /);
    expect(EVENT_REGIONS.every((r) => chart.svg.includes(`>${r}</text>`))).toBe(true);
  });
});
