/**
 * The data behind the charts, read from the archive as of a date. Pure reads
 * (no drawing): the SVG renderers take these arrays, so they can be tested
 * with plain data and measured apart from the store.
 */
import type { Archive } from '../archive/archive.js';
import type { PerfTriage, RustEvent } from '../issue/types.js';
import { continentsAt } from '../places/place-query.js';
import { upcomingEventsAsOf } from '../upcoming-events.js';

/** One weekly triage with counts. */
export interface PerfPoint {
  number: number | null;
  date: string;
  /** The triage report (or the compared range), else the issue. */
  url: string;
  regressions: number;
  improvements: number;
  mixed: number;
}

/** The first triage the charts show: weekly triage with counts is regular from 2020. */
export const PERF_SINCE = '2020-01-01';

/**
 * Weekly triages with counts published on or before `asOf`, oldest first: the last `weeks` of them,
 * or every one since 2020 when `weeks` is null.
 */
export function perfPoints(archive: Archive, asOf: string, weeks: number | null): PerfPoint[] {
  const all = archive
    .records<PerfTriage>('perfTriage', asOf)
    .filter((r) => r.record.counts && r.issue.date >= PERF_SINCE)
    .map(({ record, issue }) => ({
      number: issue.number,
      date: issue.date,
      url: record.reportUrl ?? issue.url,
      regressions: record.counts?.regressions ?? 0,
      improvements: record.counts?.improvements ?? 0,
      mixed: record.counts?.mixed ?? 0,
    }))
    .reverse();
  return weeks === null ? all : all.slice(-weeks);
}

/** An upcoming event with coordinates, for the map. */
export interface EventPoint {
  title: string;
  url: string;
  date: string;
  where: string;
  lat: number;
  lon: number;
}

/** Upcoming events as of `asOf` that have a place on the map, and how many had none (virtual ones, unknown places). */
export function eventPoints(archive: Archive, asOf: string): { points: EventPoint[]; unplaced: number; from: string | null } {
  const upcoming = upcomingEventsAsOf(archive, asOf);
  if (!upcoming) return { points: [], unplaced: 0, from: null };
  const points: EventPoint[] = [];
  let unplaced = 0;
  for (const e of upcoming.events) {
    const p = e.place;
    if (!p || p.lat === null || p.lon === null || (e.virtual && !e.hybrid)) {
      unplaced++;
      continue;
    }
    points.push({ title: e.title, url: e.url, date: e.date, where: placeName(e), lat: p.lat, lon: p.lon });
  }
  return { points, unplaced, from: upcoming.ref.date };
}

function placeName(e: RustEvent): string {
  const p = e.place;
  return p ? [p.city, p.countryCode].filter(Boolean).join(', ') : (e.location ?? '');
}

/** The regions the yearly chart stacks, in order; TWIR's own headings, with "Asia Pacific" as Asia and "Online" as Virtual. */
export const EVENT_REGIONS = ['Virtual', 'North America', 'Europe', 'Asia', 'Oceania', 'South America', 'Africa', 'Other'] as const;
export type EventRegion = (typeof EVENT_REGIONS)[number];

/** Events held in one year, by region. */
export interface RegionYear {
  year: string;
  counts: Record<EventRegion, number>;
}

/**
 * Events per region per year up to `asOf`: each event once (an event is listed in several weekly
 * issues), virtual-only events as Virtual, listings from before region headings placed by their
 * coordinates, anything else as Other.
 */
export function eventsPerRegionYear(archive: Archive, asOf: string): RegionYear[] {
  const all = archive.memo('chart:events-by-region', () => {
    const seen = new Map<string, { date: string; region: EventRegion }>();
    for (const { record: e } of archive.records<RustEvent>('events', '9999-12-31')) {
      const key = `${e.date}|${e.url}`;
      if (!seen.has(key)) seen.set(key, { date: e.date, region: regionOf(e) });
    }
    return [...seen.values()];
  });
  const years = new Map<string, RegionYear>();
  for (const { date, region } of all) {
    if (date > asOf) continue;
    const year = date.slice(0, 4);
    let row = years.get(year);
    if (!row) {
      row = { year, counts: Object.fromEntries(EVENT_REGIONS.map((r) => [r, 0])) as Record<EventRegion, number> };
      years.set(year, row);
    }
    row.counts[region]++;
  }
  return [...years.values()].sort((a, b) => a.year.localeCompare(b.year));
}

function regionOf(e: RustEvent): EventRegion {
  if (e.virtual && !e.hybrid) return 'Virtual';
  const headings = (e.regions ?? (e.region ? [e.region] : [])).filter((r) => !/^(virtual|online)$/i.test(r));
  const p = e.place;
  const names = headings.length > 0 ? headings : p?.lat != null && p.lon != null ? continentsAt(p.lat, p.lon) : [];
  for (const name of names) {
    const n = name.toLowerCase();
    if (n.startsWith('asia')) return 'Asia';
    const found = EVENT_REGIONS.find((r) => r.toLowerCase() === n);
    if (found) return found;
  }
  return e.virtual ? 'Virtual' : 'Other';
}
