import { describe, expect, it } from 'vitest';
import { ask, labels } from '../support/archive-store.js';

describe('commands on the real archive, as of 2024-10-30', () => {
  it('latest shows #571 with its crate, quote and counts, cited', () => {
    const r = ask('latest');
    expect(r.title).toBe('This Week in Rust 571');
    expect(r.url).toBe('https://this-week-in-rust.org/blog/2024/10/30/this-week-in-rust-571/');
    expect(labels(r)).toContain('tower-http-client');
    expect(r.description).toMatch(/46 events/);
    expect(r.citations).toEqual([expect.objectContaining({ number: 571, date: '2024-10-30' })]);
    expect(r.footer).toMatch(/CC-BY-SA/);
    expect(r.warning).toBeUndefined();
  });

  it('issue finds by number, by date (on or before) and refuses nonsense', () => {
    expect(ask('issue 569').title).toBe('This Week in Rust 569');
    expect(ask('issue 2024-10-29').title).toBe('This Week in Rust 570');
    expect(ask('issue #1').title).toBe('This Week In Rust 1');
    expect(ask('issue 9999').kind).toBe('empty');
    expect(ask('issue 572').kind).toBe('empty'); // published after the as-of date
    expect(ask('issue banana').kind).toBe('usage-error');
    expect(ask('issue').kind).toBe('usage-error');
  });

  it('crate with no query is the latest crate of the week', () => {
    const r = ask('crate');
    expect(r.title).toBe('Crate of the week: tower-http-client');
    expect(r.citations[0]?.number).toBe(571);
  });

  it('crate finds past crates by name, typo-tolerant, with their issue', () => {
    const r = ask('crate bacon');
    expect(labels(r)[0]).toBe('bacon');
    expect(r.citations[0]?.number).toBe(569);
    expect(labels(ask('crate bakon'))[0]).toBe('bacon');
    expect(ask('crate zzqqxxjj').kind).toBe('empty');
  });

  it('fcp lists the three Rust items of #571 with dispositions', () => {
    const r = ask('fcp');
    expect(r.sections.map((s) => [s.label, s.items.length])).toEqual([['Rust', 3]]);
    expect(r.sections[0]?.items.map((i) => i.detail)).toEqual(['disposition: merge', 'disposition: merge', undefined]);
    expect(labels(ask('fcp inline'))).toEqual(['#[inline(never)] does not work for async functions']);
  });

  it('events berlin includes Rust and Tell on 2024-10-31, each event once', () => {
    const r = ask('events berlin');
    const item = r.sections.flatMap((s) => s.items).find((i) => i.label === 'Rust and Tell - Title');
    expect(item?.detail).toMatch(/^2024-10-31 · Berlin, DE/);
    // The virtual Hack and Learn ("Virtual (Berlin, DE)") counts for Berlin too.
    expect(labels(r)).toContain('Rust Hack and Learn');
    expect(new Set(labels(r)).size).toBe(labels(r).length);
  });

  it('events ignores case and diacritics and knows aliases', () => {
    expect(labels(ask('events zurich'))).toEqual(labels(ask('events Zürich')));
    expect(labels(ask('events zurich')).length).toBeGreaterThan(0);
    expect(labels(ask('events NÜRNBERG'))).toContain('Rust Nürnberg online');
    expect(labels(ask('events virtual')).length).toBeGreaterThan(10);
    expect(labels(ask('events germany'))).toEqual(labels(ask('events DE')));
  });

  it('events with no match says so and suggests places', () => {
    const r = ask('events berln');
    expect(r.kind).toBe('empty');
    expect(r.hint).toMatch(/Berlin/);
    expect(ask('events atlantis').kind).toBe('empty');
  });

  it('has no events before December 2014', () => {
    const r = ask('events', '2014-06-01');
    expect(r.kind).toBe('empty');
    expect(r.title).toMatch(/No issue on or before 2014-06-01 lists events/);
  });

  it('quote, perf, jobs, cfp, rfcs and cft answer from #571', () => {
    expect(ask('quote').sections[0]?.items[0]?.detail).toMatch(/Sean Baxter/);
    expect(ask('perf').citations[0]?.number).toBe(571);
    expect(labels(ask('jobs'))[0]).toMatch(/Who's Hiring/);
    expect(labels(ask('cfp'))).toContain('wtx: [HTTP/2] Investigate requests latency');
    expect(labels(ask('rfcs'))).toContain('RFC: Labeled match');
    expect(ask('cft').kind).toBe('empty');
  });

  it('warns when the newest issue is more than two weeks old', () => {
    expect(ask('latest', '2026-11-21').warning).toMatch(/2026-08-19.*syncing may be failing/);
    expect(ask('latest', '2024-11-05').warning).toBeUndefined();
  });

  it('answers as of a date given on the line', () => {
    expect(ask('latest --as-of 2015-06-08').title).toBe('This Week in Rust 82');
    expect(ask('crate --as-of 2024-10-16').title).toBe('Crate of the week: bacon');
  });

  it('suggests the command meant by a typo', () => {
    const r = ask('evnts berlin');
    expect(r.kind).toBe('usage-error');
    expect(r.hint).toMatch(/events/);
    expect(ask('help evnts').hint).toMatch(/events/);
    expect(labels(ask('help'))).toContain('search');
  });
});

describe('hostile input', () => {
  const nasty = [
    'x'.repeat(10_000),
    '🦀🦀🦀 ferris 🎉',
    'عربى עברית rust',
    '" OR 1=1 --',
    "'; DROP TABLE issues; --",
    'NEAR(async closures) AND * OR "',
    '.*(a+)+$ [[[',
    'title:tokio ^foo -bar',
    '\u0000\u001b[31mred\u202e',
  ];
  for (const command of ['crate', 'events', 'fcp', 'search', 'issue', 'help']) {
    it(`${command} answers every hostile input without throwing`, () => {
      for (const text of nasty) {
        const r = ask(`${command} ${text}`);
        expect(['answer', 'empty', 'usage-error']).toContain(r.kind);
        expect(r.title.length).toBeLessThan(300);
      }
    });
  }

  it('refuses a 10,000-character query with a clear message', () => {
    const r = ask(`search ${'a'.repeat(10_000)}`);
    expect(r.kind).toBe('usage-error');
    expect(r.title).toMatch(/10,007 characters; the most I read is 2,000/);
  });
});

describe('events when the newest issue is old', () => {
  it('says there are no upcoming events at all, whatever the place', () => {
    const r = ask('events berlin', '2026-11-21');
    expect(r.kind).toBe('empty');
    expect(r.title).toBe('No upcoming events as of 2026-11-21.');
    expect(r.warning).toMatch(/syncing may be failing/);
  });
});
