import Fuse from 'fuse.js';
import type { Archive, IssueRef } from '../src/core/archive/archive.js';
import { CHART_OPTION } from '../src/core/charts/command-chart.js';
import { answer, noIssues, nothing } from '../src/core/commands/answers.js';
import type { CommandDefinition } from '../src/core/commands/definition.js';
import type { RustEvent } from '../src/core/issue/types.js';
import { Gazetteer } from '../src/core/places/gazetteer.js';
import { knownPlaces } from '../src/core/places/match-place.js';
import {
  busiestEventCities,
  eventsAtPlace,
  eventsNear,
  nearestEventCities,
  type PlaceQuery,
  readingPoint,
  readPlace,
} from '../src/core/places/place-query.js';
import { paginate, type Reply, type ReplyItem, usageError } from '../src/core/reply/reply.js';
import { upcomingEventsAsOf } from '../src/core/upcoming-events.js';

const PER_PAGE = 15;
/** `events near <place>` radius when none is given, and the largest accepted. */
const DEFAULT_KM = 150;
const MAX_KM = 20_000;

/** `near Karlsruhe`, `near san jose 50`, `near lyon 80km`. */
const NEAR = /^near\s+(.+?)(?:\s+([-+]?\d+(?:\.\d+)?(?:e[-+]?\d+)?)\s*(?:km)?)?$/i;

/** `/twir events [place]` — upcoming events from the newest issue that lists events. */
export const events = {
  name: 'events',
  description: 'Upcoming Rust events, optionally at a place (city, state, country, region or "virtual") or "near <city> [km]"',
  options: [
    {
      name: 'place',
      description: 'City, state, country, region, "virtual", or "near <city> [km]"',
      type: 'string',
      positional: true,
      rest: true,
      autocomplete: 'places',
      maxLength: 100,
    },
    // The map is drawn by the adapters (see src/core/charts/command-chart.ts); the answer is the same either way.
    CHART_OPTION,
  ],
  examples: ['events', 'events berlin', 'events texas', 'events virtual', 'events near Karlsruhe 100'],
  run(ctx, args) {
    const { archive, asOf } = ctx;
    const place = String(args.place ?? '').trim();
    // `near` without a place, or with a radius no search can use, is a question not understood.
    if (/^near$/i.test(place)) {
      return usageError(
        'Near which place?',
        'Name a city and, if you like, a radius: e.g. "events near Lyon" or "events near San Jose 50".',
      );
    }
    const nearKm = NEAR.exec(place)?.[2];
    if (nearKm !== undefined && !(Number(nearKm) > 0 && Number(nearKm) <= MAX_KM)) {
      return usageError(
        `${nearKm} km is not a radius I can search.`,
        `Give a distance from 1 to ${MAX_KM} km, e.g. "events near Lyon 100".`,
      );
    }
    const found = upcomingEventsAsOf(archive, asOf);
    if (!found) {
      return archive.latest(asOf)
        ? nothing(archive, asOf, `No issue on or before ${asOf} lists events.`, 'TWIR started listing events in December 2014.')
        : noIssues(archive, asOf);
    }
    const { ref, events: upcoming } = found;
    if (upcoming.length === 0) {
      return nothing(
        archive,
        asOf,
        `No upcoming events as of ${asOf}.`,
        `${ref.title}, the newest issue that lists events, has none after that date.`,
        [ref],
      );
    }
    const gaz = archive.memo('gazetteer', () => new Gazetteer(archive.db));
    const near = NEAR.exec(place);
    if (near) return nearAnswer(ctx, gaz, ref, upcoming, near[1] as string, near[2] === undefined ? DEFAULT_KM : Number(near[2]));
    const { events: matching, readings } = place ? eventsAtPlace(gaz, upcoming, place) : { events: upcoming, readings: [] };
    if (matching.length === 0) {
      const point = readingPoint(gaz, readings[0]);
      const nearest = point ? nearestEventCities(upcoming, point, 3) : [];
      const suggestions = nearest.length
        ? nearest
        : new Fuse(knownPlaces(upcoming), { threshold: 0.45 }).search(place.slice(0, 100), { limit: 3 }).map((r) => r.item);
      const fallback = suggestions.length ? suggestions : busiestEventCities(upcoming, 3);
      const where = readings[0] ? ` (${readings[0].label})` : '';
      return nothing(
        archive,
        asOf,
        `No upcoming events match "${place.slice(0, 60)}"${where}.`,
        fallback.length
          ? `${nearest.length ? 'The nearest places with upcoming events' : 'Places with upcoming events include'}: ${fallback.join(', ')}.${readingNote(place, readings)}`
          : undefined,
        [ref],
      );
    }
    const { items, cursor } = paginate(matching, ctx.page, PER_PAGE);
    return answer(archive, asOf, {
      title: place ? `Upcoming Rust events matching "${place.slice(0, 60)}"` : 'Upcoming Rust events',
      url: ref.url,
      description: `${matching.length} event${matching.length === 1 ? '' : 's'} from ${ref.title} (${ref.date}).${readingNote(place, readings)}`,
      sections: [{ label: `From ${asOf}`, items: items.map((e) => eventItem(e)) }],
      citations: [ref],
      page: cursor,
    });
  },
} as const satisfies CommandDefinition;

/** "Taking "la" as Los Angeles, California, US (also: Laos)." when the name could be more than one place. */
function readingNote(place: string, readings: readonly PlaceQuery[]): string {
  const [best, ...rest] = readings;
  // Only readings a reader could have meant: not every village that shares a big city's name.
  const others = rest.filter((q) => best && q.weight * 20 >= best.weight);
  if (!best || others.length === 0) return '';
  const also = others
    .slice(0, 2)
    .map((q) => q.label)
    .join('; ');
  return ` Taking "${place.slice(0, 40)}" as ${best.label} (also: ${also}).`;
}

function nearAnswer(
  ctx: { archive: Archive; asOf: string; page: number },
  gaz: Gazetteer,
  ref: IssueRef,
  upcoming: readonly RustEvent[],
  placeText: string,
  km: number,
): Reply {
  const { archive, asOf } = ctx;
  const readings = readPlace(gaz, placeText);
  const cityReadings = readings.filter((q) => q.kind === 'city');
  const best = cityReadings[0] ?? readings[0];
  const point = readingPoint(gaz, best);
  if (!best || !point) {
    return nothing(
      archive,
      asOf,
      `I do not know a city called "${placeText.slice(0, 60)}".`,
      'Try a city name as it is spelt on a map, e.g. "events near Lyon" or "events near San Jose 50".',
    );
  }
  const found = eventsNear(upcoming, point, km);
  if (found.length === 0) {
    const nearest = nearestEventCities(upcoming, point, 3);
    return nothing(
      archive,
      asOf,
      `No upcoming in-person events within ${km} km of ${best.label}.`,
      nearest.length ? `The nearest places with upcoming events: ${nearest.join(', ')}.${readingNote(placeText, cityReadings)}` : undefined,
      [ref],
    );
  }
  const { items, cursor } = paginate(found, ctx.page, PER_PAGE);
  return answer(archive, asOf, {
    title: `Upcoming Rust events within ${km} km of ${best.label}`,
    url: ref.url,
    description: `${found.length} event${found.length === 1 ? '' : 's'} from ${ref.title} (${ref.date}), nearest first.${readingNote(
      placeText,
      readings.filter((q) => q.kind === 'city'),
    )}`,
    sections: [{ label: `From ${asOf}`, items: items.map((f) => eventItem(f.event, f.km)) }],
    citations: [ref],
    page: cursor,
  });
}

function eventItem(e: RustEvent, km?: number): ReplyItem {
  const when = e.endDate ? `${e.date} – ${e.endDate}` : e.date;
  const named = e.location ?? ([e.place?.city ?? e.city, e.place?.countryCode ?? e.country].filter(Boolean).join(', ') || e.region || '');
  const where = withMode(e, named);
  const distance = km === undefined ? null : `${Math.round(km)} km`;
  const detail = [when, where, distance, e.group].filter(Boolean).join(' · ');
  return { label: e.title, url: e.url, detail };
}

/** What the listing says about how to attend: 2020's `Johannesburg, ZA - Remote` is stored as its host city and a flag. */
const MODE_SAID = /\b(?:virtual|online|remote|hybrid)\b/i;

/** `Virtual (Johannesburg, ZA)` / `Hybrid (…)` when the location text itself does not say the event is online. */
function withMode(e: RustEvent, where: string): string {
  if (!e.virtual || MODE_SAID.test(where)) return where;
  const mode = e.hybrid ? 'Hybrid' : 'Virtual';
  return where ? `${mode} (${where})` : mode;
}
