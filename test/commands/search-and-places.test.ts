import { describe, expect, it } from 'vitest';
import type { RustEvent } from '../../src/core/issue/types.js';
import { eventMatchesPlace, knownPlaces } from '../../src/core/places/match-place.js';
import type { Reply } from '../../src/core/reply/reply.js';
import { ask, labels } from '../support/archive-store.js';

/** The detail lines of every page of a paged reply. */
function allDetails(line: string): string[] {
  const out: string[] = [];
  for (let page = 1; page < 50; page++) {
    const r: Reply = ask(`${line} --page ${page}`);
    out.push(...r.sections.flatMap((s) => s.items.map((i) => i.detail ?? '')));
    if (!r.page?.next) break;
  }
  return out;
}

function event(location: string, country: string | null, extra: Partial<RustEvent> = {}): RustEvent {
  const virtual = /^virtual/i.test(location);
  const parts = location.replace(/^[^(]*\(|\)$/g, '').split(',');
  return {
    date: '2024-11-01',
    endDate: null,
    region: virtual ? 'Virtual' : 'North America',
    location,
    city: parts[0]?.trim() ?? null,
    country,
    virtual,
    hybrid: false,
    group: null,
    groupUrl: null,
    title: `Meetup in ${location}`,
    url: `https://example.com/${encodeURIComponent(location)}`,
    regions: [],
    ...extra,
  };
}

const CODE_WORDS = /empty-query|no-matches|no-such-section|invalid-year|invalid-as-of/;

describe('search explains an empty result in words, never as a code', () => {
  it('says a query of punctuation has no words to search for', () => {
    const r = ask("search '!!!'");
    expect(r.kind).toBe('empty');
    expect(r.title).toMatch(/no words to search for/);
    expect(`${r.title} ${r.hint}`).not.toMatch(CODE_WORDS);
  });

  it('suggests other words when nothing matches', () => {
    const r = ask('search xqzzyv');
    expect(r.title).toBe('Nothing in the archive matches "xqzzyv".');
    expect(r.hint).toMatch(/different words/);
    expect(`${r.title} ${r.hint}`).not.toMatch(CODE_WORDS);
  });

  it('names real sections to try when the section filter matches none', () => {
    const r = ask('search tokio --section nosuchthing');
    expect(r.title).toMatch(/No section .* "nosuchthing"/);
    expect(r.hint).toMatch(/"observations"/);
    expect(`${r.title} ${r.hint}`).not.toMatch(CODE_WORDS);
    // Every suggested section really finds something.
    const suggested = [...(r.hint ?? '').matchAll(/"([^"]+)"/g)].map((m) => m[1]);
    expect(suggested.length).toBeGreaterThan(3);
    for (const section of suggested) expect(ask(`search rust --section ${section}`).kind).toBe('answer');
  });

  it('answers a year outside 2013 to the as-of year with the range to use', () => {
    const early = ask('search tokio --year 999');
    expect(early.kind).toBe('empty');
    expect(early.title).toMatch(/no issues from 999.*started in 2013/);
    expect(early.hint).toBe('Try a year from 2013 to 2024.');
    const late = ask('search tokio --year 2030');
    expect(late.title).toMatch(/no issues from 2030.*2024-10-30/);
    for (const r of [early, late]) expect(`${r.title} ${r.hint}`).not.toMatch(CODE_WORDS);
    expect(ask('search tokio --year 2018').kind).toBe('answer');
  });
});

describe('search pages', () => {
  it('shows the last page when asked for a page past the end', () => {
    const r = ask('search tokio --page 999 --as-of 2024-10-30');
    expect(r.kind).toBe('answer');
    expect(r.page).toEqual({ page: r.page?.pages, pages: expect.any(Number), total: expect.any(Number), pin: expect.any(Number) });
    const pages = r.page?.pages ?? 0;
    expect(pages).toBeGreaterThan(1);
    expect(labels(r).length).toBeGreaterThan(0);
    expect(labels(r)).toEqual(labels(ask(`search tokio --page ${pages} --as-of 2024-10-30`)));
  });

  it('builds the same cursor as other commands: next page on the first, none on the last', () => {
    const first = ask('search tokio');
    expect(first.page).toMatchObject({ page: 1, next: 2 });
    expect(first.page?.total).toBe(Number(first.sections[0]?.label.split(' ')[0]));
  });
});

describe('events by country', () => {
  it('events us lists US events and no Canadian ones', () => {
    const details = allDetails('events us');
    expect(details.some((d) => /Chicago, IL, US/.test(d))).toBe(true);
    expect(details.filter((d) => /, CA(?: ·|\)|$)/.test(d.split(' · ').slice(1).join(' · ')))).toEqual([]);
    expect(details.some((d) => /Montréal|Vancouver/.test(d))).toBe(false);
  });

  it('events ca lists Canadian events, not Californian ones', () => {
    const details = allDetails('events ca');
    expect(details.some((d) => /Montréal|Vancouver/.test(d))).toBe(true);
    expect(details.filter((d) => /, US\)?(?: ·|$)/.test(d))).toEqual([]);
    expect(labels(ask('events canada'))).toEqual(labels(ask('events ca')));
  });

  it('a two-letter query is a country code, also inside "Virtual (…, DE)"', () => {
    const berlin = event('Virtual (Berlin, DE)', null);
    expect(eventMatchesPlace(berlin, 'de')).toBe(true);
    expect(eventMatchesPlace(berlin, 'DE')).toBe(true);
    const mountainView = event('Mountain View, CA, US', 'US');
    expect(eventMatchesPlace(mountainView, 'ca')).toBe(false);
    expect(eventMatchesPlace(mountainView, 'us')).toBe(true);
  });

  it('a country name never matches a region by its words', () => {
    const montreal = event('Montréal, QC, CA', 'CA');
    expect(eventMatchesPlace(montreal, 'us')).toBe(false);
    expect(eventMatchesPlace(montreal, 'usa')).toBe(false);
    expect(eventMatchesPlace(montreal, 'united states')).toBe(false);
    // The words the user typed may still name a region.
    expect(eventMatchesPlace(montreal, 'north america')).toBe(true);
    expect(eventMatchesPlace(montreal, 'america')).toBe(true);
  });

  it('a country that is not a code does not break matching or the list of places', () => {
    const taipei = event('Taipei, 台灣', '台灣', { region: 'Asia' });
    const list = [taipei, event('Berlin, DE', 'DE', { region: 'Europe' })];
    expect(() => knownPlaces(list)).not.toThrow();
    expect(knownPlaces(list)).toEqual(['Asia', 'Berlin', 'Europe', 'Germany', 'Taipei', '台灣']);
    expect(eventMatchesPlace(taipei, '台灣')).toBe(true);
    expect(eventMatchesPlace(taipei, 'taipei')).toBe(true);
    expect(eventMatchesPlace(taipei, 'de')).toBe(false);
  });
});

describe('events by any place a person would type, in every era', () => {
  it('finds 2016–17 events whose place was only in the title', () => {
    expect(labels(ask('events london --as-of 2016-03-10'))).toEqual(['London Rust Meetup']);
    expect(labels(ask('events berlin --as-of 2017-06-14'))).toContain('Rust Hack and Learn');
    expect(labels(ask('events mexico city --as-of 2017-06-14'))).toContain('Rust Activate - Ciudad de México');
  });

  it('matches local names, states by name or code, and says which of several places it took', () => {
    expect(labels(ask('events copenhagen --as-of 2022-10-20'))).toEqual(labels(ask('events København --as-of 2022-10-20')));
    expect(labels(ask('events copenhagen --as-of 2022-10-20')).length).toBeGreaterThan(0);
    const texas = ask('events texas --as-of 2024-10-01');
    expect(labels(texas).length).toBeGreaterThan(0);
    expect(labels(ask('events TX --as-of 2024-10-01'))).toEqual(labels(texas));
    const la = ask('events la --as-of 2025-07-24');
    expect(`${la.title} ${la.hint ?? ''} ${la.description ?? ''}`).toMatch(/Taking "la" as Los Angeles, California, US \(also: Laos\)/);
  });

  it("shows 2020's remote meetups as virtual, not as if in the room", () => {
    const reply = ask('events virtual --as-of 2020-06-01');
    const details = reply.sections.flatMap((s) => s.items.map((i) => i.detail ?? ''));
    expect(details).toContain('2020-06-03 · Virtual (Johannesburg, ZA)');
    expect(details.every((d) => /Virtual|Online|Hybrid/i.test(d))).toBe(true);
    // An in-person meetup keeps its plain place.
    const indy = ask('events indianapolis --as-of 2020-06-01').sections.flatMap((s) => s.items.map((i) => i.detail ?? ''));
    expect(indy.length).toBeGreaterThan(0);
    expect(indy.every((d) => d.includes('Indianapolis, IN, US') && !/Virtual|Hybrid/.test(d))).toBe(true);
  });

  it('reads the short names people use for regions (apac, emea, latam) as the regions TWIR heads', () => {
    const apac = labels(ask('events apac --as-of 2026-08-19'));
    expect(apac.length).toBeGreaterThan(0);
    expect(apac).toEqual(labels(ask('events asia --as-of 2026-08-19')));
    expect(labels(ask('events emea --as-of 2026-08-19'))).toEqual(labels(ask('events europe --as-of 2026-08-19')));
    const latam = labels(ask('events latam --as-of 2026-08-04'));
    expect(latam.length).toBeGreaterThan(0);
    expect(latam).toEqual(labels(ask('events south america --as-of 2026-08-04')));
  });

  it('events near any city lists in-person events nearest first, with distances', () => {
    const reply = ask('events near Walldorf 100 --as-of 2024-09-20');
    expect(reply.title).toBe('Upcoming Rust events within 100 km of Walldorf, Baden-Württemberg, DE');
    const km = reply.sections.flatMap((s) => s.items.map((i) => Number(/ · (\d+) km/.exec(i.detail ?? '')?.[1])));
    expect(km.length).toBeGreaterThan(0);
    expect(km.every((k) => k <= 100)).toBe(true);
    expect([...km].sort((a, b) => a - b)).toEqual(km);
    expect(ask('events near Walldorf --as-of 2024-09-20').title).toBe(
      'Upcoming Rust events within 150 km of Walldorf, Baden-Württemberg, DE',
    );
  });

  it('names the nearest places with events when none match; a silly radius or no place is a usage error', () => {
    const none = ask('events near Tromsø --as-of 2024-10-01');
    expect(none.kind).toBe('empty');
    expect(none.hint).toMatch(/^The nearest places with upcoming events: [^,]+, [A-Z]{2} \(\d+ km\)/);
    const city = ask('events reykjavik --as-of 2024-10-01');
    expect(city.hint).toMatch(/The nearest places with upcoming events: .*\(\d+ km\)/);
    for (const km of ['99999', '-5', '1e9', '0']) {
      const silly = ask(`events near Lyon ${km} --as-of 2024-10-01`);
      expect(silly).toMatchObject({ kind: 'usage-error', title: expect.stringMatching(/not a radius/) });
    }
    const bare = ask('events near --as-of 2024-10-01');
    expect(bare).toMatchObject({ kind: 'usage-error', title: 'Near which place?' });
    expect(bare.hint).toMatch(/events near Lyon/);
    expect(ask('events near Qwxzzy --as-of 2024-10-01').title).toMatch(/do not know a city/);
  });

  it('answers about the place a person means, in the way they name it (issue 15)', () => {
    // US states over towns of their name, and the reply names the place its events are at.
    const california = ask('events california --as-of 2024-10-02');
    expect(california.kind).toBe('answer');
    expect(california.sections[0]?.items.every((i) => /, CA, US|California/.test(i.detail ?? ''))).toBe(true);
    expect(ask('events virginia --as-of 2024-10-02').title).toMatch(/Virginia \(state\), US/);
    const dc = ask('events washington --as-of 2026-08-19');
    expect(dc.description ?? '').not.toMatch(/England/);
    // Subdivisions GeoNames numbers, TWIR's own spellings, and names in their own script.
    expect(labels(ask('events quebec --as-of 2026-08-19')).length).toBeGreaterThan(0);
    expect(labels(ask('events bavaria --as-of 2024-10-02'))).toEqual(labels(ask('events bayern --as-of 2024-10-02')));
    expect(labels(ask('events bavaria --as-of 2024-10-02')).length).toBeGreaterThan(0);
    expect(labels(ask('events "austin, tx" --as-of 2024-10-02'))).toEqual(labels(ask('events austin --as-of 2024-10-02')));
    expect(labels(ask('events 日本 --as-of 2025-12-03'))).toEqual(labels(ask('events japan --as-of 2025-12-03')));
    const scotland = ask('events scotland --as-of 2026-08-19').sections.flatMap((s) => s.items.map((i) => i.detail ?? ''));
    expect(scotland.length).toBeGreaterThan(0);
    expect(scotland.some((d) => /London|Manchester/.test(d))).toBe(false);
    expect(labels(ask('events near lausanne --as-of 2026-08-12')).length).toBeGreaterThan(0);
  });
});

describe('quote by person', () => {
  it('finds the weeks a person was quoted, forgiving a typo in the name', () => {
    const reply = ask('quote sean baxtr');
    expect(reply.kind).toBe('answer');
    expect(reply.citations.map((c) => c.date)).toContain('2024-10-30');
    expect(ask('quote Qwxzzy Blorp').kind).toBe('empty');
  });

  it('search with the speaker’s name finds those weeks too, but not words of where it was said', () => {
    const reply = ask('search sean baxter');
    expect(reply.sections[0]?.label).toBe('Quote of the week');
    expect(reply.sections[0]?.items[0]?.detail).toMatch(/Sean Baxter .*2024-10-30/);
    expect(ask('search reddit').sections.map((s) => s.label)).not.toContain('Quote of the week');
    expect(ask('search tokio').sections.map((s) => s.label)).not.toContain('Quote of the week');
  });
});
