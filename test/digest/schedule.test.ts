import { describe, expect, it } from 'vitest';
import { planDeliveries } from '../../src/digest/plan.js';
import { dueAt } from '../../src/digest/schedule.js';
import { DEFAULT_SECTIONS, formatWhen, parseSections, parseWhen } from '../../src/digest/settings.js';
import type { Subscription } from '../../src/digest/types.js';

function weekly(text: string) {
  const r = parseWhen(text);
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

describe('weekly slots and settings', () => {
  it('"mon 09:00 Europe/Berlin" fires at 09:00 Berlin time on both sides of the March and October DST changes', () => {
    const when = weekly('mon 09:00 Europe/Berlin');
    // Published Wednesday 2026-03-25 (CET, UTC+1): next Monday 2026-03-30 is already CEST (UTC+2).
    expect(dueAt(when, new Date('2026-03-25T12:00:00Z')).toISOString()).toBe('2026-03-30T07:00:00.000Z');
    // The Monday before the change, still CET.
    expect(dueAt(when, new Date('2026-03-18T12:00:00Z')).toISOString()).toBe('2026-03-23T08:00:00.000Z');
    // Autumn: clocks go back on 2026-10-25; Monday 26th is CET again.
    expect(dueAt(when, new Date('2026-10-21T12:00:00Z')).toISOString()).toBe('2026-10-26T08:00:00.000Z');
  });

  it('a slot at the moment of publication is the next week, and other zones keep their own DST dates', () => {
    const when = weekly('wed 18:30 America/New_York');
    // US DST starts 2026-03-08; Wednesday 2026-03-11 18:30 EDT = 22:30 UTC.
    expect(dueAt(when, new Date('2026-03-05T00:00:00Z')).toISOString()).toBe('2026-03-11T22:30:00.000Z');
    expect(dueAt(when, new Date('2026-03-11T22:30:00Z')).toISOString()).toBe('2026-03-18T22:30:00.000Z');
    expect(dueAt({ kind: 'new' }, new Date('2026-03-11T22:30:00Z')).toISOString()).toBe('2026-03-11T22:30:00.000Z');
  });

  it('plans slot deliveries at the slot, nothing for paused or already-covered subscriptions', () => {
    const base = {
      platform: 'slack',
      workspaceId: 'T',
      channelId: 'C',
      createdBy: null,
      createdAt: '',
      updatedAt: '',
      consecutiveFailures: 0,
      lastError: null,
      pausedReason: null,
      workspaceName: null,
      channelName: null,
    } as const;
    const subs: Subscription[] = [
      {
        ...base,
        id: 1,
        sinceNumber: 571,
        pausedAt: null,
        settings: { sections: [...DEFAULT_SECTIONS], place: null, when: weekly('fri 08:00 Asia/Tokyo') },
      },
      {
        ...base,
        id: 2,
        sinceNumber: 572,
        pausedAt: null,
        settings: { sections: [...DEFAULT_SECTIONS], place: null, when: { kind: 'new' } },
      },
      {
        ...base,
        id: 3,
        sinceNumber: 571,
        pausedAt: '2024-11-01',
        settings: { sections: [...DEFAULT_SECTIONS], place: null, when: { kind: 'new' } },
      },
      {
        ...base,
        id: 4,
        sinceNumber: null,
        pausedAt: null,
        settings: { sections: [...DEFAULT_SECTIONS], place: null, when: { kind: 'new' } },
      },
    ];
    const at = new Date('2024-11-06T12:00:00Z');
    expect(planDeliveries({ number: 572 }, subs, at)).toEqual([
      { subscriptionId: 1, issueNumber: 572, dueAt: '2024-11-07T23:00:00.000Z' },
      { subscriptionId: 4, issueNumber: 572, dueAt: at.toISOString() },
    ]);
  });

  it('parses sections in digest order with aliases, and refuses unknown words and zones', () => {
    expect(parseSections('events, crates quote')).toEqual({ ok: true, value: ['crate', 'quote', 'events'] });
    expect(parseSections('')).toEqual({ ok: true, value: [...DEFAULT_SECTIONS] });
    expect(parseSections('all')).toMatchObject({ ok: true, value: expect.arrayContaining(['perf', 'cfp']) });
    expect(parseSections('crate,@everyone')).toMatchObject({ ok: false });
    expect(parseWhen('Monday 9:05 utc')).toEqual({ ok: true, value: { kind: 'weekly', day: 'mon', hour: 9, minute: 5, zone: 'UTC' } });
    expect(formatWhen(weekly('sun 23:59 Pacific/Auckland'))).toBe('sun 23:59 Pacific/Auckland');
    expect(parseWhen('mon 09:00 Europe/Atlantis')).toMatchObject({ ok: false });
    expect(parseWhen('noon-ish')).toMatchObject({ ok: false });
  });
});
