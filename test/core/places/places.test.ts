/**
 * Places from the gazetteer: resolving event locations as TWIR writes them,
 * reading what a user types, and distances. Uses the gazetteer the archive
 * store's sync filled (test/global-setup.ts), plus one fresh fill.
 */
import { describe, expect, it } from 'vitest';
import type { Issue, RustEvent } from '../../../src/core/issue/types.js';
import { LOOKUPS_PER_ISSUE, resolveEventPlace, resolveIssuePlaces } from '../../../src/core/places/event-place.js';
import { ensureGazetteer } from '../../../src/core/places/fill-gazetteer.js';
import { distanceKm, Gazetteer } from '../../../src/core/places/gazetteer.js';
import { eventIsAt, eventsAtPlace, eventsNear, nearestEventCities, readPlace } from '../../../src/core/places/place-query.js';
import { openStore } from '../../../src/core/store/store.js';
import { archiveStore } from '../../support/archive-store.js';

const gaz = (): Gazetteer => new Gazetteer(archiveStore().db);

/** An event as the parser leaves it: no place resolved yet. */
function unresolved(location: string | null, title = 'Meetup', extra: Partial<RustEvent> = {}): RustEvent {
  return {
    date: '2024-11-01',
    endDate: null,
    region: null,
    location,
    city: null,
    country: null,
    virtual: /virtual/i.test(location ?? ''),
    hybrid: false,
    group: null,
    groupUrl: null,
    title,
    url: `https://example.com/${encodeURIComponent(`${location}${title}`)}`,
    regions: [],
    ...extra,
  };
}

function event(location: string | null, title = 'Meetup', extra: Partial<RustEvent> = {}): RustEvent {
  const e = unresolved(location, title, extra);
  return { ...e, ...resolveEventPlace(gaz(), e) };
}

describe('ensureGazetteer', () => {
  it('fills an empty store once with every GeoNames city, and not again', async () => {
    const store = openStore({ path: ':memory:' });
    try {
      expect(await ensureGazetteer(store.db)).toBe(true);
      const { n } = store.db.prepare('SELECT count(*) AS n FROM cities').get() as { n: number };
      expect(n).toBeGreaterThan(130_000);
      expect(await ensureGazetteer(store.db)).toBe(false);
      expect(new Gazetteer(store.db).cities('Karlsruhe')[0]).toMatchObject({ country: 'DE' });
      // Names in other scripts, for cities of 15,000 people or more only.
      expect(new Gazetteer(store.db).cities('東京')[0]).toMatchObject({ name: 'Tokyo', country: 'JP' });
      const { names } = store.db.prepare('SELECT count(*) AS names FROM city_names').get() as { names: number };
      expect(names).toBeGreaterThan(50_000);
      expect(names).toBeLessThan(150_000);
    } finally {
      store.close();
    }
  }, 60_000);
});

describe('resolving event locations', () => {
  it('reads city, subdivision and country from every era’s spelling', () => {
    expect(event('Seattle, WA, US').place).toMatchObject({ city: 'Seattle', subdivisionCode: 'US-WA', countryCode: 'US' });
    expect(event('Virtual (Nürnberg, DE)').place).toMatchObject({ city: 'Nürnberg', countryCode: 'DE' });
    expect(event('Brisbane, QLD, AU').place).toMatchObject({ city: 'Brisbane', subdivision: 'Queensland' });
    expect(event('Cardiff, WLS').place).toMatchObject({ city: 'Cardiff', countryCode: 'GB', subdivision: 'Wales' });
    expect(event('Lyon, France').place).toMatchObject({ city: 'Lyon', countryCode: 'FR' });
    expect(event('København, DK').place).toMatchObject({ city: 'Copenhagen', countryCode: 'DK' });
    expect(event('Frankfurt (Main), DE').place).toMatchObject({ city: 'Frankfurt am Main' });
    // Boulder, CO is the one in Colorado, not the bigger-named ones elsewhere.
    expect(event('Boulder, CO, US').place).toMatchObject({ subdivisionCode: 'US-CO' });
  });

  it('finds the place inside a 2015–19 title', () => {
    expect(event(null, 'London Rust Meetup').place).toMatchObject({ city: 'London', countryCode: 'GB' });
    expect(event(null, 'Rust Activate - Ciudad de México').place).toMatchObject({ city: 'Mexico City' });
    expect(event(null, 'Bangalore, India').place).toMatchObject({ city: 'Bengaluru', countryCode: 'IN' });
    expect(event(null, 'Rust Hack and Learn', { group: 'OpenTechSchool Berlin' }).place).toMatchObject({ city: 'Berlin' });
  });

  it('says why when there is no place', () => {
    const triage = event(null, 'Rust release triage');
    expect(triage.place).toBeNull();
    expect(triage.placeNote).toBe('the listing names no place');
    expect(event('Virtual', 'Community Catch Up').placeNote).toBe('online, no host city named');
    const countryOnly = event('Moravia, CZ');
    expect(countryOnly.place).toMatchObject({ cityId: null, countryCode: 'CZ' });
    expect(countryOnly.placeNote).toMatch(/not in the gazetteer/);
  });
});

describe('resolving a hostile issue', () => {
  /** A gazetteer that counts its lookups. */
  class CountingGazetteer extends Gazetteer {
    lookups = 0;
    override cities(name: string, country?: string | null) {
      this.lookups++;
      return super.cities(name, country);
    }
    override countryCode(text: string) {
      this.lookups++;
      return super.countryCode(text);
    }
    override subdivision(country: string, text: string) {
      this.lookups++;
      return super.subdivision(country, text);
    }
  }

  it('bounds the lookups of an issue whose event lines are walls of capitalised words, and says why the rest has no place', () => {
    const wall = Array.from({ length: 200 }, (_, i) => `Qx${String.fromCharCode(65 + (i % 26))}${i}`).join(' ');
    const events = [
      unresolved(null, 'London Rust Meetup'),
      ...Array.from({ length: 3000 }, (_, i) => unresolved(`${wall}, ${wall}`, wall, { url: `https://example.com/${i}` })),
    ];
    const issue = { events } as unknown as Issue;
    const counting = new CountingGazetteer(archiveStore().db);
    resolveIssuePlaces(counting, issue);
    // A few lookups per word looked at, never per word of the file (3000 × 600 words here).
    expect(counting.lookups).toBeLessThan(6 * LOOKUPS_PER_ISSUE);
    expect(events[0]?.place).toMatchObject({ city: 'London', countryCode: 'GB' });
    expect(events.at(-1)?.place).toBeNull();
    expect(events.at(-1)?.placeNote).toMatch(/not looked up/);
  });
});

describe('reading a place a user typed', () => {
  it('ranks ambiguous names by population and keeps the others', () => {
    const la = readPlace(gaz(), 'la');
    expect(la[0]).toMatchObject({ kind: 'city', label: 'Los Angeles, California, US' });
    expect(la.map((q) => q.label)).toContain('Laos');
    expect(readPlace(gaz(), 'ca')[0]).toMatchObject({ kind: 'country', code: 'CA' });
    expect(readPlace(gaz(), 'TX')[0]).toMatchObject({ kind: 'subdivision', code: 'US-TX' });
    expect(readPlace(gaz(), 'texas')[0]).toMatchObject({ kind: 'subdivision', code: 'US-TX' });
    expect(readPlace(gaz(), 'Deutschland')[0]).toMatchObject({ kind: 'country', code: 'DE' });
    expect(readPlace(gaz(), 'portland')[0]).toMatchObject({ kind: 'city', label: 'Portland, Oregon, US' });
    expect(readPlace(gaz(), 'ONLINE')[0]).toMatchObject({ kind: 'virtual' });
    expect(readPlace(gaz(), 'europe')[0]).toMatchObject({ kind: 'region' });
  });

  it('matches local and English names, subdivisions, countries and regions', () => {
    const cph = event('København, DK');
    const dallas = event('Virtual (Dallas, TX, US)');
    const old = event(null, 'London Rust Meetup');
    const list = [cph, dallas, old];
    expect(eventsAtPlace(gaz(), list, 'copenhagen').events).toEqual([cph]);
    expect(eventsAtPlace(gaz(), list, 'KØBENHAVN').events).toEqual([cph]);
    expect(eventsAtPlace(gaz(), list, 'texas').events).toEqual([dallas]);
    expect(eventsAtPlace(gaz(), list, 'united kingdom').events).toEqual([old]);
    expect(eventsAtPlace(gaz(), list, 'virtual').events).toEqual([dallas]);
    // Before region headings, a place's coordinates place it in a region.
    expect(eventsAtPlace(gaz(), list, 'europe').events).toEqual([cph, old]);
    const [best] = readPlace(gaz(), 'north america');
    expect(best && eventIsAt(dallas, best)).toBe(true);
  });

  it('falls back to the location’s words for places the gazetteer lacks', () => {
    const moravia = event('Moravia, CZ');
    expect(eventsAtPlace(gaz(), [moravia], 'moravia').events).toEqual([moravia]);
  });
});

describe('near', () => {
  it('lists in-person events within the radius, nearest first, never online-only ones', () => {
    const karlsruhe = gaz().cities('Karlsruhe')[0];
    if (!karlsruhe) throw new Error('no Karlsruhe in the gazetteer');
    const mannheim = event('Mannheim, DE');
    const stuttgart = event('Stuttgart, DE');
    const berlin = event('Berlin, DE');
    const online = event('Virtual (Karlsruhe, DE)');
    const hybrid = event('Hybrid (Karlsruhe, DE)', 'Hybrid meetup', { hybrid: true });
    const found = eventsNear([berlin, stuttgart, online, mannheim, hybrid], karlsruhe, 150);
    expect(found.map((f) => f.event)).toEqual([hybrid, mannheim, stuttgart]);
    expect(found[1]?.km).toBeGreaterThan(40);
    expect(found[1]?.km).toBeLessThan(70);
    expect(nearestEventCities([berlin, stuttgart], karlsruhe, 3)).toEqual([
      expect.stringMatching(/^Stuttgart, DE \(\d+ km\)$/),
      expect.stringMatching(/^Berlin/),
    ]);
  });

  it('measures great-circle distance', () => {
    // Berlin to Paris: 877.5 km.
    expect(distanceKm({ lat: 52.52, lon: 13.405 }, { lat: 48.857, lon: 2.352 })).toBeCloseTo(877.5, 0);
  });
});
