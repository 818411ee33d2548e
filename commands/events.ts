import Fuse from 'fuse.js';
import { answer, noIssues, nothing } from '../src/core/commands/answers.js';
import type { CommandDefinition } from '../src/core/commands/definition.js';
import type { RustEvent } from '../src/core/issue/types.js';
import { eventMatchesPlace, knownPlaces } from '../src/core/places.js';
import { paginate, type ReplyItem } from '../src/core/reply/reply.js';
import { upcomingEventsAsOf } from '../src/core/upcoming-events.js';

const PER_PAGE = 15;

/** `/twir events [place]` — upcoming events from the newest issue that lists events. */
export const events = {
  name: 'events',
  description: 'Upcoming Rust events, optionally near a place (city, country, region or "virtual")',
  options: [
    {
      name: 'place',
      description: 'City, country, region, or "virtual"',
      type: 'string',
      positional: true,
      rest: true,
      autocomplete: 'places',
      maxLength: 100,
    },
  ],
  examples: ['events', 'events berlin', 'events virtual', 'events Zürich'],
  run(ctx, args) {
    const { archive, asOf } = ctx;
    const place = String(args.place ?? '').trim();
    const found = upcomingEventsAsOf(archive, asOf);
    if (!found) {
      return archive.latest(asOf)
        ? nothing(archive, asOf, `No issue on or before ${asOf} lists events.`, 'TWIR started listing events in December 2014.')
        : noIssues(archive, asOf);
    }
    const { ref, events: upcoming } = found;
    const matching = place ? upcoming.filter((e) => eventMatchesPlace(e, place)) : upcoming;
    if (matching.length === 0) {
      // No events at all after the as-of date: say that, rather than "none match <place>".
      if (!place || upcoming.length === 0) {
        return nothing(
          archive,
          asOf,
          `No upcoming events as of ${asOf}.`,
          `${ref.title}, the newest issue that lists events, has none after that date.`,
          [ref],
        );
      }
      const suggestions = new Fuse(knownPlaces(upcoming), { threshold: 0.45 }).search(place.slice(0, 100), { limit: 3 }).map((r) => r.item);
      const fallback = suggestions.length ? suggestions : knownPlaces(upcoming).slice(0, 3);
      return nothing(
        archive,
        asOf,
        `No upcoming events match "${place.slice(0, 60)}".`,
        fallback.length ? `Places with upcoming events include: ${fallback.join(', ')}.` : undefined,
        [ref],
      );
    }
    const { items, cursor } = paginate(matching, ctx.page, PER_PAGE);
    return answer(archive, asOf, {
      title: place ? `Upcoming Rust events matching "${place.slice(0, 60)}"` : 'Upcoming Rust events',
      url: ref.url,
      description: `${matching.length} event${matching.length === 1 ? '' : 's'} from ${ref.title} (${ref.date}).`,
      sections: [{ label: `From ${asOf}`, items: items.map(eventItem) }],
      citations: [ref],
      page: cursor,
    });
  },
} as const satisfies CommandDefinition;

function eventItem(e: RustEvent): ReplyItem {
  const when = e.endDate ? `${e.date} – ${e.endDate}` : e.date;
  const where = e.location ?? ([e.city, e.country].filter(Boolean).join(', ') || e.region || '');
  const detail = [when, where, e.group].filter(Boolean).join(' · ');
  return { label: e.title, url: e.url, detail };
}
