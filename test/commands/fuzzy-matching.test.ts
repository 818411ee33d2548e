import { describe, expect, it } from 'vitest';
import { archiveStore, ask, labels } from '../support/archive-store.js';

const items = (line: string, today?: string) => ask(line, today).sections.flatMap((s) => s.items);

describe('crate: the right crate first', () => {
  const today = '2026-11-01';
  it('puts serde and its family first and drops fuzzy description noise (server, series)', () => {
    const r = ask('crate serde', today);
    const hits = items('crate serde', today);
    expect(hits[0]?.label).toBe('Serde');
    // Every hit is about serde: in its name, or the word "serde" in its description.
    for (const h of hits) expect(`${h.label} ${h.detail}`.toLowerCase()).toMatch(/serde/);
    expect(r.sections[0]?.label).toMatch(/^\d+ found$/);
    const total = Number(/^(\d+)/.exec(r.sections[0]?.label ?? '')?.[1]);
    expect(total).toBeLessThan(12);
  });

  it('ranks names before descriptions and says when a hit matched its description', () => {
    const hits = items('crate serde', today);
    const firstByDescription = hits.findIndex((h) => !h.label.toLowerCase().includes('serde'));
    expect(firstByDescription).toBeGreaterThan(0);
    for (const h of hits.slice(firstByDescription)) {
      expect(h.label.toLowerCase()).not.toContain('serde');
      expect(h.detail).toMatch(/matched "serde" in the description/);
    }
    expect(hits[0]?.detail).not.toMatch(/matched/);
  });

  it('still puts a misspelled crate first', () => {
    expect(items('crate sedre', today)[0]?.label).toBe('Serde');
    expect(items('crate bakon', today)[0]?.label).toBe('bacon');
    expect(items('crate toki', today)[0]?.label.toLowerCase()).toMatch(/^toki/);
    // A name cut short is the crate of that name before its longer family (serde-transcode, serde_with…).
    expect(items('crate serd', today)[0]?.label).toBe('Serde');
    // Letters left out (rayn) before letters changed (rain).
    expect(items('crate rayn', today)[0]?.label).toBe('rayon');
  });

  it('finds a crate by whole words of its description, not by words that merely look alike', () => {
    const http = items('crate http client', today);
    expect(http.length).toBeGreaterThan(0);
    for (const h of http) expect(`${h.label} ${h.detail}`.toLowerCase()).toMatch(/http/);
    // "server" is not "serde"; every crate of the week is checked.
    const all = archiveStore().records<{ name: string; description: string }>('cratesOfWeek', today);
    const noisy = all.filter((c) => /\bserver\b/i.test(c.record.description) && !/serde/i.test(`${c.record.name} ${c.record.description}`));
    expect(noisy.length).toBeGreaterThan(0);
    const found = new Set(items('crate serde', today).map((h) => h.label));
    for (const c of noisy) expect(found.has(c.record.name)).toBe(false);
  });
});

describe('fcp: team filters and whole words', () => {
  it('does not take "docs" for "does"', () => {
    const docs = ask('fcp docs --as-of 2024-10-30');
    expect(docs.kind).toBe('empty');
    // What there is instead, so a team that is not there this week is not a dead end.
    expect(docs.hint).toBe('This issue has 3 items, under Rust (3); without a filter you get them all.');
    expect(labels(ask('fcp does --as-of 2024-10-30'))).toEqual(['#[inline(never)] does not work for async functions']);
  });

  it('matches team names and their aliases', () => {
    const compiler = ask('fcp compiler --as-of 2026-08-12');
    expect(compiler.sections.map((s) => s.label)).toEqual(['Compiler Team (MCPs only)']);
    expect(ask('fcp council --as-of 2026-08-12').sections.map((s) => s.label)).toEqual(['Leadership Council']);
    expect(ask('fcp t-compiler --as-of 2026-08-12').sections.map((s) => s.label)).toEqual(['Compiler Team (MCPs only)']);
    expect(ask('fcp lang --as-of 2024-09-25').sections.map((s) => s.label)).toContain('Language Team');
  });

  it('forgives a typo only in words of five letters or more', () => {
    expect(labels(ask('fcp stablize --as-of 2026-08-12'))).toEqual(['stabilize Box::take', 'Stabilize -Zprofile-sample-use']);
    expect(ask('fcp boz --as-of 2026-08-12').kind).toBe('empty');
    expect(labels(ask('fcp box take --as-of 2026-08-12'))).toEqual(['stabilize Box::take']);
  });

  it('leaves unknown dispositions out instead of repeating "not specified"', () => {
    const details = items('fcp --as-of 2024-10-30').map((i) => i.detail);
    expect(details.filter(Boolean)).toEqual(['disposition: merge', 'disposition: merge']);
    expect(details.join(' ')).not.toMatch(/not specified/);
  });
});

describe('search: completing the last word keeps typo correction', () => {
  it('corrects a last word that only starts unrelated words', () => {
    const typo = ask('search associated typs');
    expect(typo.kind).toBe('answer');
    expect(typo.title).toMatch(/^Search: associated types?$/);
    const swapped = ask('search associated tyeps');
    expect(typo.sections[0]?.label).toBe(swapped.sections[0]?.label);
  });

  it('still completes a partial last word', () => {
    const r = ask('search async closur');
    expect(r.kind).toBe('answer');
    expect(r.description ?? '').not.toMatch(/Showing results for/);
  });
});
