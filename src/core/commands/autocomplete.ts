/**
 * Answers for option autocomplete (Discord fires one per keystroke, so each
 * must cost well under a millisecond): the values a user can pick for an
 * option's `autocomplete` source, best first, filtered by what was typed.
 */
import Fuse from 'fuse.js';
import type { Archive } from '../archive/archive.js';
import type { CrateOfWeek, FcpItem } from '../issue/types.js';
import { Gazetteer } from '../places/gazetteer.js';
import { knownPlaces } from '../places/match-place.js';
import { upcomingEventsAsOf } from '../upcoming-events.js';
import type { AutocompleteSource, CommandDefinition } from './definition.js';

/** Discord shows at most 25 choices. */
export const MAX_CHOICES = 25;

/** Common section filters for search (the archive has hundreds of paths; these are the useful ones). */
const SECTIONS = [
  'observations',
  'project updates',
  'walkthroughs',
  'miscellaneous',
  'official',
  'newsletters',
  'research',
  'events',
  'jobs',
];

export function autocomplete(
  source: AutocompleteSource,
  typed: string,
  ctx: { archive: Archive; asOf: string; catalogue: readonly CommandDefinition[] },
): string[] {
  const { archive, asOf } = ctx;
  const values = (): string[] => {
    switch (source) {
      case 'commands':
        return ctx.catalogue.map((c) => c.name);
      case 'sections':
        return SECTIONS;
      case 'issues': {
        const latest = archive.latest(asOf);
        return latest?.number
          ? Array.from({ length: Math.min(latest.number, MAX_CHOICES) }, (_, i) => String((latest.number as number) - i))
          : [];
      }
      case 'crates':
        return archive.memo('crate-names', () => [
          ...new Set(archive.records<CrateOfWeek>('cratesOfWeek', '9999-12-31').map((c) => c.record.name)),
        ]);
      case 'places': {
        return knownPlaces(upcomingEventsAsOf(archive, asOf)?.events ?? []);
      }
      case 'fcp-groups': {
        const ref = archive.latest(asOf);
        return ref ? [...new Set(archive.load(ref).fcp.map((f: FcpItem) => f.group))] : [];
      }
    }
  };
  const all = values();
  const q = typed.trim().slice(0, 100);
  if (!q) return all.slice(0, MAX_CHOICES);
  const lower = q.toLowerCase();
  const prefix = all.filter((v) => v.toLowerCase().startsWith(lower));
  const fuzzy = new Fuse(all, { threshold: 0.4, ignoreLocation: true }).search(q, { limit: MAX_CHOICES }).map((r) => r.item);
  // Places: gazetteer cities come after places with events, so the picker is never empty for a real place
  // (a city without events, for `near`; or a stale store with no upcoming events at all).
  const gazetteer =
    source === 'places' && prefix.length < MAX_CHOICES
      ? archive.memo('gazetteer', () => new Gazetteer(archive.db)).citiesStartingWith(q, MAX_CHOICES - prefix.length)
      : [];
  return [...new Set([...prefix, ...gazetteer, ...fuzzy])].slice(0, MAX_CHOICES);
}
