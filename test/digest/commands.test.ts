import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { commandList } from '../../commands/index.js';
import { Archive } from '../../src/core/archive/archive.js';
import type { Caller } from '../../src/core/commands/caller.js';
import { executeLine } from '../../src/core/commands/execute.js';
import { type IssueStore, openStore } from '../../src/core/store/store.js';
import { createSqliteDigestStore } from '../../src/digest/digest-store.js';
import { planDeliveries } from '../../src/digest/plan.js';

const admin: Caller = { platform: 'discord', workspaceId: 'g1', channelId: 'c1', userId: 'u1', place: 'channel', canManageChannel: true };
const member: Caller = { ...admin, userId: 'u2', canManageChannel: false };
const dm: Caller = { platform: 'discord', workspaceId: null, channelId: 'd1', userId: 'u1', place: 'dm', canManageChannel: true };
const slackAdmin: Caller = {
  platform: 'slack',
  workspaceId: 'T1',
  channelId: 'C1',
  userId: 'U1',
  place: 'channel',
  canManageChannel: true,
};
const console: Caller = { platform: 'console', workspaceId: null, channelId: null, userId: null, place: 'terminal' };

describe('subscribe, unsubscribe and digest commands', () => {
  let dir: string;
  let store: IssueStore;
  let archive: Archive;
  const now = new Date('2024-10-31T10:00:00Z');
  const run = async (line: string, caller?: Caller) =>
    (
      await executeLine(
        line,
        commandList,
        {
          archive,
          today: () => '2024-10-31',
          now: () => now,
          onError: (e) => {
            throw e;
          },
        },
        caller,
      )
    ).reply;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'twir-digest-cmd-'));
    copyFileSync(inject('archiveDb'), join(dir, 'twir.db'));
    store = openStore({ path: join(dir, 'twir.db') });
    archive = new Archive(store.db);
  });
  afterAll(async () => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses members without the permission, DMs and the console, and changes nothing', async () => {
    for (const caller of [member, dm, console, undefined]) {
      const r = await run('subscribe', caller);
      expect(r.kind).toBe('usage-error');
      expect(r.private).toBe(true);
    }
    expect((await run('subscribe', member)).title).toMatch(/Only people who can manage this channel/);
    expect((await run('subscribe', member)).hint).toMatch(/Manage Channels/);
    expect((await run('subscribe', { ...slackAdmin, canManageChannel: false })).hint).toMatch(/workspace admin or owner/);
    expect((await run('unsubscribe', member)).kind).toBe('usage-error');
    expect((await run('digest test', member)).kind).toBe('usage-error');
    expect(await createSqliteDigestStore(store.db).subscriptions()).toEqual([]);
  });

  it('subscribes with sections, place and a weekly slot; the newest issue counts as delivered; again updates', async () => {
    const r = await run('subscribe sections:crate,events place:berlin mon 09:00 europe/berlin', admin);
    expect(r.kind).toBe('answer');
    expect(r.title).toMatch(/^Subscribed/);
    const digest = createSqliteDigestStore(store.db);
    const [sub] = await digest.subscriptions();
    expect(sub).toMatchObject({ platform: 'discord', workspaceId: 'g1', channelId: 'c1', createdBy: 'u1' });
    expect(sub?.settings).toEqual({
      sections: ['crate', 'events'],
      place: 'berlin',
      when: { kind: 'weekly', day: 'mon', hour: 9, minute: 0, zone: 'Europe/Berlin' },
    });
    // Nothing announced in this store yet: the newest stored issue is the starting point.
    expect(sub?.sinceNumber).toBe(archive.latest('2024-10-31')?.number);
    expect(planDeliveries({ number: sub?.sinceNumber ?? 0 }, await digest.subscriptions(), now)).toEqual([]);
    const again = await run('subscribe sections:all', admin);
    expect(again.title).toMatch(/^Updated/);
    expect(await digest.subscriptions()).toHaveLength(1);
    expect((await digest.subscriptions())[0]?.settings.sections).toHaveLength(10);
    expect((await digest.subscriptions())[0]?.sinceNumber).toBe(sub?.sinceNumber);
  });

  it('explains bad sections and schedules instead of failing', async () => {
    expect(await run('subscribe sections:crates,weather', slackAdmin)).toMatchObject({
      kind: 'usage-error',
      title: expect.stringMatching(/"weather" is not a digest section/),
    });
    expect((await run('subscribe someday 9am', slackAdmin)).title).toMatch(/not a schedule/);
    expect((await run('subscribe when:new', slackAdmin)).kind).toBe('answer');
    expect((await run('subscribe mon 25:00 UTC', slackAdmin)).title).toMatch(/not a time of day/);
    expect((await run('subscribe mon 09:00 Mars/Olympus', slackAdmin)).title).toMatch(/not a time zone/);
  });

  it('digest shows the settings and deliveries; preview is private and keeps only the place’s events', async () => {
    const status = await run('digest', admin);
    expect(status.kind).toBe('answer');
    expect(status.sections[0]?.items.map((i) => i.label)).toEqual(['Sections', 'Events', 'When']);
    await run('subscribe sections:events place:berlin', admin);
    const preview = await run('digest preview', admin);
    expect(preview.private).toBe(true);
    const events = preview.sections.find((s) => s.label.startsWith('Upcoming events'));
    expect(events?.items.length).toBeGreaterThan(0);
    expect(events?.items.every((i) => /Berlin/i.test(i.detail ?? ''))).toBe(true);
    // Anyone may preview; in the console it is the default digest.
    expect((await run('digest preview', member)).kind).toBe('answer');
    expect((await run('digest preview')).sections.map((s) => s.label.replace(/ \(.*/, ''))).toEqual([
      'Headlines',
      'Crate of the week',
      'Quote of the week',
      'From the community',
      'Upcoming events',
    ]);
  });

  it('a place keeps exactly the events /twir events <place> lists, in the same order', async () => {
    const runAt = async (line: string) =>
      (await executeLine(line, commandList, { archive, today: () => '2024-10-30', now: () => now }, admin)).reply;
    let compared = 0;
    for (const place of ['berlin', 'germany', 'virtual', 'texas', 'NYC']) {
      await runAt(`subscribe sections:events place:${place}`);
      const preview = await runAt('digest preview');
      const digestEvents = preview.sections.find((s) => s.label.startsWith('Upcoming events'))?.items.map((i) => i.label) ?? [];
      const listed = await runAt(`events ${place}`);
      const events = listed.kind === 'answer' ? listed.sections.flatMap((s) => s.items.map((i) => i.label)) : [];
      if (events.length === 0) expect(digestEvents, place).toEqual([`No upcoming events match "${place}" in this issue.`]);
      else {
        expect(digestEvents, place).toEqual(events.slice(0, digestEvents.length));
        compared++;
      }
    }
    expect(compared).toBeGreaterThanOrEqual(3);
  });

  it('digest test queues a test post that is not a delivery; the status shows it', async () => {
    const r = await run('digest test', admin);
    expect(r.title).toMatch(/test digest of #\d+ is on its way/);
    const digest = createSqliteDigestStore(store.db);
    expect((await digest.due(new Date('2030-01-01'), 10)).filter((j) => j.kind === 'test')).toHaveLength(1);
    expect(await digest.counts()).toEqual({ pending: 0, sending: 0, sent: 0, failed: 0, missed: 0 });
    expect((await run('digest', admin)).sections.at(-1)?.items[0]?.label).toMatch(/^Test post of #/);
  });

  it('a channel without a subscription says so; unsubscribe removes it', async () => {
    expect((await run('digest', { ...slackAdmin, channelId: 'C2' })).kind).toBe('empty');
    expect((await run('unsubscribe', admin)).title).toMatch(/^Unsubscribed/);
    expect((await run('unsubscribe', admin)).kind).toBe('empty');
    expect((await run('digest', admin)).title).toMatch(/no digest subscription/);
  });
});
