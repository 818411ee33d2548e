/**
 * What a person means by a place (issue 15): states over towns of their name,
 * subdivisions GeoNames numbers, TWIR's own "City, ST" spellings, aliases, and
 * a reply that names the place its events are at. Events are small fixtures
 * resolved against the gazetteer of the archive store (test/global-setup.ts).
 */
import { describe, expect, it } from 'vitest';
import { autocomplete } from '../../../src/core/commands/autocomplete.js';
import type { RustEvent } from '../../../src/core/issue/types.js';
import { resolveEventPlace } from '../../../src/core/places/event-place.js';
import { Gazetteer } from '../../../src/core/places/gazetteer.js';
import { eventsAtPlace, readPlace } from '../../../src/core/places/place-query.js';
import { archiveStore } from '../../support/archive-store.js';

const gaz = (): Gazetteer => new Gazetteer(archiveStore().db);

function event(location: string, title = 'Rust Meetup'): RustEvent {
  const e: RustEvent = {
    date: '2024-11-01',
    endDate: null,
    region: null,
    location,
    city: null,
    country: null,
    virtual: /virtual/i.test(location),
    hybrid: false,
    group: null,
    groupUrl: null,
    title,
    url: `https://example.com/${encodeURIComponent(location + title)}`,
    regions: [],
  };
  return { ...e, ...resolveEventPlace(gaz(), e) };
}

const best = (text: string) => readPlace(gaz(), text)[0];

describe('a subdivision typed whole beats towns of its name', () => {
  it('reads US states as the state, naming the town it could also be', () => {
    expect(best('california')).toMatchObject({ kind: 'subdivision', code: 'US-CA' });
    expect(best('virginia')).toMatchObject({ kind: 'subdivision', code: 'US-VA' });
    expect(best('washington')).toMatchObject({ kind: 'subdivision', code: 'US-WA', label: 'Washington (state), US' });
    expect(readPlace(gaz(), 'washington').map((q) => q.label)).toContain('Washington, D.C., District of Columbia, US');
  });

  it('reads states, provinces and nations outside the US, by ISO or GeoNames name', () => {
    expect(best('victoria')).toMatchObject({ kind: 'subdivision', code: 'AU-VIC' });
    expect(best('british columbia')).toMatchObject({ kind: 'subdivision', code: 'CA-BC' });
    expect(best('quebec')).toMatchObject({ kind: 'subdivision', code: 'CA-QC' });
    expect(best('ontario')).toMatchObject({ kind: 'subdivision', code: 'CA-ON' });
    expect(best('bavaria')).toMatchObject({ kind: 'subdivision', code: 'DE-BY' });
    expect(best('bayern')).toMatchObject({ kind: 'subdivision', code: 'DE-BY' });
    expect(best('scotland')).toMatchObject({ kind: 'subdivision', code: 'GB-SCT' });
  });

  it('files every city under its subdivision, numbered by GeoNames or not', () => {
    expect(event('Montreal, QC, CA').place).toMatchObject({ subdivisionCode: 'CA-QC' });
    expect(event('Montréal, CA').place).toMatchObject({ subdivisionCode: 'CA-QC' });
    expect(event('Munich, DE').place).toMatchObject({ subdivisionCode: 'DE-BY' });
    expect(event('Edinburgh, Scotland').place).toMatchObject({ city: 'Edinburgh', subdivisionCode: 'GB-SCT' });
    expect(event('Melbourne, AU').place).toMatchObject({ subdivisionCode: 'AU-VIC' });
  });

  it('keeps scotland to Scotland', () => {
    const list = [event('Edinburgh, UK'), event('Manchester, UK'), event('London, UK')];
    expect(eventsAtPlace(gaz(), list, 'scotland').events.map((e) => e.place?.city)).toEqual(['Edinburgh']);
  });
});

describe('the way TWIR writes places', () => {
  it('narrows by a trailing state, country or code, and never fails because of it', () => {
    expect(best('austin, tx')).toMatchObject({ kind: 'city', label: 'Austin, Texas, US' });
    expect(best('paris, france')).toMatchObject({ kind: 'city', city: { country: 'FR' } });
    expect(best('Portland, OR')).toMatchObject({ kind: 'city', label: 'Portland, Oregon, US' });
    expect(best('Portland ME')).toMatchObject({ kind: 'city', label: 'Portland, Maine, US' });
    expect(best('berlin, de')).toMatchObject({ kind: 'city', city: { country: 'DE' } });
    expect(best('Cambridge MA')).toMatchObject({ kind: 'city', label: 'Cambridge, Massachusetts, US' });
    expect(best('in berlin')).toMatchObject({ kind: 'city', city: { country: 'DE' } });
    expect(best('berlin, atlantis')).toMatchObject({ kind: 'city', city: { country: 'DE' } });
  });

  it('knows the aliases and spellings GeoNames’ main names lack', () => {
    expect(best('St. Louis')).toMatchObject({ kind: 'city', label: 'St. Louis, Missouri, US' });
    expect(best('st louis')).toMatchObject({ kind: 'city', label: 'St. Louis, Missouri, US' });
    expect(readPlace(gaz(), 'dc').map((q) => q.label)).toContain('Washington, D.C., District of Columbia, US');
    expect(best('washington dc')).toMatchObject({ kind: 'city', city: { name: 'Washington, D.C.' } });
    expect(best('gothenburg')).toMatchObject({ kind: 'city', city: { country: 'SE' } });
    expect(best('geneva')).toMatchObject({ kind: 'city', city: { country: 'CH' } });
    expect(event('Geneva, CH').place).toMatchObject({ countryCode: 'CH', subdivisionCode: 'CH-GE' });
  });

  it('reads country names in their own script, and city names in Cyrillic or Hangul by their romanization', () => {
    expect(best('日本')).toMatchObject({ kind: 'country', code: 'JP' });
    expect(best('Россия')).toMatchObject({ kind: 'country', code: 'RU' });
    expect(best('Москва')).toMatchObject({ kind: 'city', city: { name: 'Moscow', country: 'RU' } });
    expect(best('서울')).toMatchObject({ kind: 'city', city: { name: 'Seoul', country: 'KR' } });
    expect(best('부산')).toMatchObject({ kind: 'city', city: { country: 'KR' } });
  });

  it('reads a city named in its own script by GeoNames’ alternate names, as its Latin name reads', () => {
    const id = (text: string) => {
      const q = best(text);
      return q?.kind === 'city' ? q.city.id : null;
    };
    expect(best('東京')).toMatchObject({ kind: 'city', city: { name: 'Tokyo', country: 'JP' } });
    for (const [own, latin] of [
      ['東京', 'tokyo'],
      ['北京', 'beijing'],
      ['台北', 'taipei'],
      ['Αθήνα', 'athens'],
      ['القاهرة', 'cairo'],
      ['Москва', 'moscow'],
    ])
      expect(id(own as string), own).toBe(id(latin as string));
    const tokyo = event('Tokyo, JP');
    expect(eventsAtPlace(gaz(), [tokyo, event('Osaka, JP')], '東京').events).toEqual([tokyo]);
  });
});

describe('the reply names the place its events are at', () => {
  it('takes the next plausible reading that has events, and says so', () => {
    const dc = event('Washington, DC, US');
    const found = eventsAtPlace(gaz(), [dc], 'washington');
    expect(found.events).toEqual([dc]);
    expect(found.readings[0]).toMatchObject({ kind: 'city', city: { name: 'Washington, D.C.' } });
  });

  it('never names a reading above events only the location text matched', () => {
    const moravia = event('Moravia, CZ');
    expect(eventsAtPlace(gaz(), [moravia], 'moravia')).toEqual({ events: [moravia], readings: [] });
  });
});

describe('place autocomplete', () => {
  const ctx = { archive: archiveStore(), asOf: '2099-01-01', catalogue: [] };
  it('suggests gazetteer cities when no event is upcoming', () => {
    expect(autocomplete('places', 'Karls', ctx)).toContain('Karlsruhe');
    expect(autocomplete('places', 'Karls', ctx).length).toBeLessThanOrEqual(25);
    expect(autocomplete('places', '東京', ctx)).toContain('Tokyo');
    expect(autocomplete('places', 'Αθή', ctx)).toContain('Athens');
  });
});

describe('every state, province and nation of the countries TWIR lists most, by name', () => {
  /** ISO names of a country's subdivisions, straight from the store's table. */
  const named = (country: string, types: RegExp): { name: string; code: string }[] =>
    (
      archiveStore().db.prepare('SELECT name, code, type FROM subdivisions WHERE country = ?').all(country) as {
        name: string;
        code: string;
        type: string;
      }[]
    ).filter((s) => types.test(s.type));

  it('reads each as itself (a city-state such as Berlin, and New York, as its city); before issue 15, 35 of 51 US names did', () => {
    const wrong: string[] = [];
    const lists = [
      named('US', /^(state|district)$/i),
      named('CA', /./),
      named('AU', /./),
      named('GB', /^(country|province)$/i).filter((s) => /^GB-(ENG|SCT|WLS|NIR)$/.test(s.code)),
      named('DE', /./),
    ];
    for (const s of lists.flat()) {
      const q = best(s.name);
      const ok = q?.kind === 'subdivision' ? q.code === s.code : q?.kind === 'city' && /^(Berlin|Hamburg|Bremen|New York)$/.test(s.name);
      if (!ok) wrong.push(`${s.name} → ${q?.label ?? 'nothing'}`);
    }
    expect(lists.map((l) => l.length)).toEqual([51, 13, 8, 4, 16]);
    expect(wrong).toEqual([]);
  });
});
