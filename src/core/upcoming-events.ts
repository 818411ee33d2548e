/**
 * "Upcoming" events as of a date, shared by the events command and its place
 * autocomplete so both agree on which events count.
 */
import type { Archive, IssueRef } from './archive/archive.js';
import type { RustEvent } from './issue/types.js';
import { uniqueBy } from './unique-by.js';

/**
 * Events on or after `asOf` (or ranges not yet ended), each once even when
 * listed under two regions (a hybrid meetup under "Virtual" and "Europe"),
 * in date order.
 */
export function upcomingEvents(all: readonly RustEvent[], asOf: string): RustEvent[] {
  const upcoming = all.filter((e) => (e.endDate ?? e.date) >= asOf);
  return uniqueBy(upcoming, (e) => `${e.date}|${e.url}`).sort((a, b) => a.date.localeCompare(b.date));
}

/** The newest issue on or before `asOf` that lists events, with its upcoming ones; undefined when none does. */
export function upcomingEventsAsOf(archive: Archive, asOf: string): { ref: IssueRef; events: RustEvent[] } | undefined {
  const ref = archive.newestWith('events', asOf);
  return ref ? { ref, events: upcomingEvents(archive.load(ref).events, asOf) } : undefined;
}
