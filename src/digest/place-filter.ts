/**
 * Which events a place-filtered digest keeps: the same matching as
 * `/twir events <place>` (the store's gazetteer: cities, states, countries,
 * regions, "virtual"), so a channel subscribed to "texas" gets exactly the
 * events `/twir events texas` lists.
 */
import type { Archive } from '../core/archive/archive.js';
import type { RustEvent } from '../core/issue/types.js';
import { Gazetteer } from '../core/places/gazetteer.js';
import { eventMatchesPlace } from '../core/places/match-place.js';
import { eventsAtPlace } from '../core/places/place-query.js';

/** The events of `events` at `place`. */
export type EventsAt = (events: readonly RustEvent[], place: string) => RustEvent[];

/** Name matching only (no gazetteer): for pure uses and tests without a store. */
export const eventsNamed: EventsAt = (events, place) => events.filter((e) => eventMatchesPlace(e, place));

/** `/twir events`' matching over a store's gazetteer. */
export function eventsAtWith(gazetteer: Gazetteer): EventsAt {
  return (events, place) => eventsAtPlace(gazetteer, events, place).events;
}

/** `/twir events`' matching for an archive, sharing the events command's gazetteer. */
export function archiveEventsAt(archive: Archive): EventsAt {
  return eventsAtWith(archive.memo('gazetteer', () => new Gazetteer(archive.db)));
}
