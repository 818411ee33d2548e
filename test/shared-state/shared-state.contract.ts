/**
 * The contract of the shared state, run against every backend
 * (sqlite.test.ts, postgres.test.ts): what the digest, the Discord pages, the
 * leases and the Slack installations rely on, including what two processes
 * sharing one state may race on (announce, markSending, leases).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SlackInstallationRecord } from '../../src/core/store/slack-installations.js';
import { PAUSE_AFTER_FAILURES } from '../../src/digest/digest-store.js';
import { planDeliveries } from '../../src/digest/plan.js';
import type { DigestSettings } from '../../src/digest/settings.js';
import type { ChannelKey, DeliveryJob } from '../../src/digest/types.js';
import type { SharedState } from '../../src/shared-state/shared-state.js';

/** A backend under test: `open` gives another instance on the same data (another process, another replica). */
export interface Backend {
  open(): Promise<SharedState>;
  cleanup(): Promise<void>;
}

const settings: DigestSettings = { sections: ['headline'], place: null, when: { kind: 'new' } };
const weekly: DigestSettings = { ...settings, when: { kind: 'weekly', day: 'fri', hour: 9, minute: 0, zone: 'Europe/Berlin' } };
const discord: ChannelKey = { platform: 'discord', workspaceId: '900000000000000001', channelId: '100000000000000001' };
const slack: ChannelKey = { platform: 'slack', workspaceId: 'T1', channelId: 'C1' };
const now = new Date('2024-11-06T12:00:00Z'); // a Wednesday

const install = (over: Partial<SlackInstallationRecord>): SlackInstallationRecord => ({
  teamId: 'T1',
  enterpriseId: null,
  isEnterpriseInstall: false,
  teamName: 'One',
  botToken: 'xoxb-1',
  botUserId: 'U1',
  installation: '{"team":{"id":"T1"}}',
  installedAt: '2026-12-05T00:00:00.000Z',
  ...over,
});

export function describeSharedState(name: string, backend: (() => Promise<Backend>) | null): void {
  const maybe = backend === null ? describe.skip : describe;
  maybe(`the shared state on ${name}`, () => {
    let b: Backend;
    let state: SharedState;
    const extra: SharedState[] = [];
    const another = async () => {
      const s = await b.open();
      extra.push(s);
      return s;
    };
    const announce = async (number: number, s: SharedState = state, at = now) =>
      s.digest.announce({ number, file: `${number}.md` }, planDeliveries({ number }, await s.digest.subscriptions(), at), at);
    const states = async (channel: ChannelKey = discord) =>
      (await state.digest.recentDeliveries((await state.digest.subscription(channel))?.id ?? -1, 10)).map((d) =>
        `${d.issueNumber} ${d.state} ${d.lastError ?? ''}`.trim(),
      );
    const firstDue = async (): Promise<DeliveryJob> => {
      const [job] = await state.digest.due(now, 10);
      if (!job) throw new Error('nothing due');
      return job;
    };

    beforeEach(async () => {
      b = await (backend as () => Promise<Backend>)();
      state = await b.open();
    });
    afterEach(async () => {
      for (const s of extra.splice(0)) await s.close();
      await state.close();
      await b.cleanup();
    });

    describe('subscriptions', () => {
      it('creates, updates without losing names, lists in channel order, and removes', async () => {
        const first = await state.digest.subscribe(slack, settings, 570, 'U1', now, { workspace: 'Rust', channel: 'general' });
        expect(first).toMatchObject({ created: true, resumed: false });
        expect(first.subscription).toMatchObject({
          ...slack,
          sinceNumber: 570,
          createdBy: 'U1',
          workspaceName: 'Rust',
          channelName: 'general',
        });
        await state.digest.subscribe(discord, settings, null, null, now);
        const again = await state.digest.subscribe(slack, weekly, 999, 'U2', new Date(now.getTime() + 1000));
        expect(again.created).toBe(false);
        // Settings change; the starting point, creator and names stay.
        expect(again.subscription).toMatchObject({ sinceNumber: 570, createdBy: 'U1', workspaceName: 'Rust', channelName: 'general' });
        expect(again.subscription.settings.when).toEqual(weekly.when);
        expect((await state.digest.subscriptions()).map((s) => s.platform)).toEqual(['discord', 'slack']);
        expect(await state.digest.unsubscribe(slack)).toBe(true);
        expect(await state.digest.unsubscribe(slack)).toBe(false);
        expect(await state.digest.subscription(slack)).toBeUndefined();
      });

      it('a changed schedule moves the delivery still waiting for its slot', async () => {
        const { subscription } = await state.digest.subscribe(discord, weekly, 570, 'U1', now);
        await announce(571);
        expect(await state.digest.due(now, 10)).toEqual([]);
        expect((await state.digest.nextDue(now))?.toISOString()).toBe('2024-11-08T08:00:00.000Z');
        expect(await state.digest.reschedule(subscription.id, () => now)).toBe(1);
        expect((await state.digest.due(now, 10)).map((j) => j.issueNumber)).toEqual([571]);
      });

      it('resuming a paused channel brings the newest issue, also one announced while it was paused', async () => {
        await state.digest.subscribe(discord, settings, 570, 'U1', now);
        await announce(571);
        const job = await firstDue();
        for (let i = 0; i < PAUSE_AFTER_FAILURES - 1; i++)
          expect(await state.digest.channelFailure(job, 'Missing Access', now, now)).toEqual({ paused: false });
        expect(await state.digest.channelFailure(job, 'Missing Access', now, now)).toEqual({ paused: true });
        expect((await state.digest.subscription(discord))?.pausedReason).toBe('Missing Access');
        expect(await states()).toEqual(['571 missed paused: Missing Access']);
        await announce(572); // planned for nobody: the only subscription is paused
        expect(await state.digest.due(now, 10)).toEqual([]);
        expect((await state.digest.subscribe(discord, settings, 570, 'U1', now)).resumed).toBe(true);
        expect((await state.digest.due(now, 10)).map((j) => j.issueNumber)).toEqual([572]);
        await state.digest.subscribe(discord, settings, 570, 'U1', now);
        expect(await state.digest.due(now, 10)).toHaveLength(1);
      });

      it('subscribing again after a failure re-queues the newest delivery, even without a pause', async () => {
        await state.digest.subscribe(slack, settings, 570, 'U1', now);
        await announce(571);
        await state.digest.markFailed(await firstDue(), 'Slack invalid_blocks', now);
        expect(await state.digest.due(now, 10)).toEqual([]);
        await state.digest.subscribe(slack, settings, 570, 'U1', now);
        expect((await state.digest.due(now, 10)).map((j) => j.issueNumber)).toEqual([571]);
      });
    });

    describe('announcing', () => {
      it('announces an issue once, with its deliveries, and remembers the highest number and the baseline', async () => {
        expect(await state.digest.highestAnnounced()).toBeNull();
        await state.digest.setBaseline(570);
        expect(await state.digest.highestAnnounced()).toBe(570);
        await state.digest.subscribe(discord, settings, 570, 'U1', now);
        await state.digest.subscribe(slack, settings, 570, 'U1', now);
        expect(await announce(571)).toBe(true);
        expect(await announce(571)).toBe(false);
        expect(await state.digest.highestAnnounced()).toBe(571);
        expect(await state.digest.counts()).toEqual({ pending: 2, sending: 0, sent: 0, failed: 0, missed: 0 });
      });

      it('two processes announcing the same issue at once: exactly one does, and plans it once', async () => {
        await state.digest.subscribe(discord, settings, 570, 'U1', now);
        const other = await another();
        const results = await Promise.all([announce(571, state), announce(571, other), announce(571, state), announce(571, other)]);
        expect(results.filter(Boolean)).toHaveLength(1);
        expect(await state.digest.counts()).toMatchObject({ pending: 1 });
      });

      it('a newer issue supersedes a delivery still being retried; a weekly slot still waiting is not', async () => {
        await state.digest.subscribe(discord, settings, 570, 'U1', now);
        await state.digest.subscribe(slack, weekly, 570, 'U1', now);
        await announce(571);
        const job = await firstDue();
        expect(await state.digest.markSending(job, now)).toBe(true);
        await state.digest.retryAt(job, new Date(now.getTime() + 60_000), 'Discord 503', false);
        await announce(572);
        expect(await states()).toEqual(['572 pending', '571 missed superseded by #572 after: Discord 503']);
        expect(await states(slack)).toEqual(['572 pending', '571 pending']);
        // The fan-out holding the old job cannot post it any more.
        expect(await state.digest.markSending(job, now)).toBe(false);
      });
    });

    describe('delivering', () => {
      it('two processes holding the same due job: exactly one marks it sending', async () => {
        await state.digest.subscribe(discord, settings, 570, 'U1', now);
        await announce(571);
        const other = await another();
        const [mine] = await state.digest.due(now, 10);
        const [theirs] = await other.digest.due(now, 10);
        if (!mine || !theirs) throw new Error('nothing due');
        const won = await Promise.all([state.digest.markSending(mine, now), other.digest.markSending(theirs, now)]);
        expect(won.filter(Boolean)).toHaveLength(1);
        // The winner may mark its own attempt again (a 429 waited out) from the count it wrote.
        expect(await state.digest.markSending({ ...mine, attempts: mine.attempts + 1 }, now)).toBe(true);
      });

      it('a retry in doubt comes back as sending, with when the unknown attempt started; sent is final', async () => {
        await state.digest.subscribe(discord, settings, 570, 'U1', now);
        await announce(571);
        const job = await firstDue();
        expect(job).toMatchObject({ kind: 'issue', state: 'pending', attempts: 0, inDoubtSince: null, issueNumber: 571 });
        await state.digest.markSending(job, now);
        await state.digest.retryAt(job, new Date(now.getTime() + 5000), 'timeout', true);
        expect(await state.digest.due(now, 10)).toEqual([]);
        expect((await state.digest.nextDue(now))?.toISOString()).toBe('2024-11-06T12:00:05.000Z');
        const later = new Date(now.getTime() + 5000);
        const [again] = await state.digest.due(later, 10);
        expect(again).toMatchObject({ state: 'sending', attempts: 1, inDoubtSince: now.toISOString() });
        await state.digest.markSent(again as DeliveryJob, 'm1', later);
        expect(await state.digest.due(later, 10)).toEqual([]);
        expect(await state.digest.nextDue(later)).toBeNull();
        expect((await state.digest.recentDeliveries(job.subscriptionId as number, 1))[0]).toMatchObject({
          issueNumber: 571,
          state: 'sent',
          attempts: 1,
          finishedAt: later.toISOString(),
        });
      });

      it('test posts are queued, due first, and reported; a fan-out run is recorded', async () => {
        await state.digest.subscribe(discord, settings, 570, 'U1', now);
        await announce(571);
        const id = await state.digest.requestTest(slack, settings, 571, 'U9', now);
        expect(id).toBeGreaterThan(0);
        const jobs = await state.digest.due(now, 10);
        expect(jobs.map((j) => j.kind)).toEqual(['test', 'issue']);
        expect(jobs[0]).toMatchObject({ id, channel: slack, subscriptionId: null, issueNumber: 571 });
        // One platform's share of the log (each platform's fan-out window reads its own).
        expect((await state.digest.due(now, 10, 'discord')).map((j) => j.kind)).toEqual(['issue']);
        expect((await state.digest.due(now, 10, 'slack')).map((j) => j.kind)).toEqual(['test']);
        await state.digest.channelFailure(jobs[0] as DeliveryJob, 'channel_not_found', now, now);
        expect(await state.digest.lastTest(slack)).toEqual({
          issueNumber: 571,
          state: 'failed',
          requestedAt: now.toISOString(),
          lastError: 'channel_not_found',
        });
        expect(await state.digest.lastFanout()).toBeUndefined();
        const run = {
          startedAt: now.toISOString(),
          finishedAt: now.toISOString(),
          durationMs: 12,
          sent: 1,
          failed: 1,
          deferred: 0,
          rateLimited: 2,
          paused: 0,
        };
        await state.digest.recordFanout(run);
        expect(await state.digest.lastFanout()).toEqual(run);
      });

      it('the operator pauses, resumes, re-queues and removes', async () => {
        await state.digest.subscribe(discord, settings, 570, 'U1', now);
        await announce(571);
        const job = await firstDue();
        await state.digest.markSending(job, now);
        for (let i = 0; i < PAUSE_AFTER_FAILURES; i++) await state.digest.channelFailure(job, 'Missing Permissions', now, now);
        expect(await states()).toEqual(['571 missed paused: Missing Permissions']);
        const requeued = await state.digest.requeue((s) => s.channelId === discord.channelId, null, now);
        expect(requeued.map((r) => [r.issueNumber, r.subscription.pausedAt])).toEqual([[571, null]]);
        // An attempted one goes back in doubt: the poster looks before posting.
        const again = await firstDue();
        expect(again).toMatchObject({ issueNumber: 571, state: 'sending' });
        expect(again.inDoubtSince).not.toBeNull();
        await state.digest.markSent(again, 'm1', now);
        expect(await state.digest.requeue(() => true, null, now)).toEqual([]);
        const sub = (await state.digest.subscription(discord))?.id as number;
        await state.digest.pause(sub, 'by the operator', now);
        expect((await state.digest.subscription(discord))?.pausedReason).toBe('by the operator');
        await announce(572);
        expect(await state.digest.due(now, 10)).toEqual([]);
        await state.digest.resume(sub);
        expect((await state.digest.due(now, 10)).length).toBe(0); // #572 was planned for nobody (paused)
        await state.digest.remove(sub);
        expect(await state.digest.subscriptions()).toEqual([]);
        expect(await state.digest.counts()).toEqual({ pending: 0, sending: 0, sent: 0, failed: 0, missed: 0 });
      });
    });

    describe('page states', () => {
      it('keeps states by key, replaces them, and prunes those saved before a time', async () => {
        expect(await state.pages.get('discord:page:a')).toBeUndefined();
        await state.pages.set('discord:page:a', '{"at":"2024-01-01T00:00:00.000Z","v":1}', '2024-01-01T00:00:00.000Z');
        await state.pages.set('discord:page:b', '{"at":"2024-03-01T00:00:00.000Z"}', '2024-03-01T00:00:00.000Z');
        await state.pages.set('discord:page:a', '{"at":"2024-01-02T00:00:00.000Z","v":2}', '2024-01-02T00:00:00.000Z');
        expect(await state.pages.get('discord:page:a')).toBe('{"at":"2024-01-02T00:00:00.000Z","v":2}');
        // Another replica serves the click.
        expect(await (await another()).pages.get('discord:page:b')).toBe('{"at":"2024-03-01T00:00:00.000Z"}');
        await state.pages.prune('2024-02-01T00:00:00.000Z');
        expect(await state.pages.get('discord:page:a')).toBeUndefined();
        expect(await state.pages.get('discord:page:b')).toBeDefined();
      });
    });

    describe('leases', () => {
      const at = (ms: number) => () => new Date(now.getTime() + ms);

      it('one holder at a time; expiry frees it; renew and release act only for the holding they were given', async () => {
        const other = await another();
        const first = await state.leases.acquire('digest:lease', { holder: 'replica a', now: at(0), ttlMs: 60_000 });
        if (!first.acquired) throw new Error('not acquired');
        const second = await other.leases.acquire('digest:lease', { holder: 'replica b', now: at(1000), isAlive: () => true });
        expect(second).toMatchObject({ acquired: false, heldBy: { holder: 'replica a', expiresAt: '2024-11-06T12:01:00.000Z' } });
        expect((await other.leases.current('digest:lease'))?.holder).toBe('replica a');
        // Another key is another lease.
        expect((await other.leases.acquire('sync:lease', { holder: 'b', now: at(0) })).acquired).toBe(true);
        // Past the expiry, the other replica takes it over; the old holding can neither renew nor release it.
        const taken = await other.leases.acquire('digest:lease', { holder: 'replica b', now: at(61_000), isAlive: () => true });
        if (!taken.acquired) throw new Error('not taken over');
        expect(await first.lease.renew()).toBe(false);
        expect(first.lease.signal.aborted).toBe(true);
        await first.lease.release();
        expect((await state.leases.current('digest:lease'))?.token).toBe(taken.lease.record.token);
        expect(await taken.lease.renew()).toBe(true);
        await taken.lease.release();
        expect(await state.leases.current('digest:lease')).toBeNull();
        expect((await state.leases.acquire('digest:lease', { holder: 'replica a', now: at(62_000) })).acquired).toBe(true);
      });

      it('of several processes racing for a free lease, exactly one gets it', async () => {
        const others = [state, await another(), await another()];
        const attempts = await Promise.all(
          others.flatMap((s, i) =>
            [0, 1].map((j) => s.leases.acquire('digest:lease', { holder: `p${i}.${j}`, now: at(0), isAlive: () => true })),
          ),
        );
        expect(attempts.filter((a) => a.acquired)).toHaveLength(1);
      });
    });

    describe('Slack installations', () => {
      it('saves, re-installs in place, finds by team or organisation, and removes', async () => {
        const installs = state.installations;
        await installs.save(install({}));
        await installs.save(install({ botToken: 'xoxb-1b' }));
        await installs.save(install({ teamId: null, enterpriseId: 'E9', isEnterpriseInstall: true, botToken: 'xoxb-org' }));
        expect((await installs.list()).map((r) => r.botToken)).toEqual(['xoxb-org', 'xoxb-1b']);
        expect(await installs.find({ teamId: 'T1', enterpriseId: null, isEnterpriseInstall: false })).toEqual(
          install({ botToken: 'xoxb-1b' }),
        );
        // A team of the organisation that installed org-wide gets the organisation's token.
        expect((await installs.find({ teamId: 'T7', enterpriseId: 'E9', isEnterpriseInstall: false }))?.botToken).toBe('xoxb-org');
        expect(await installs.find({ teamId: 'T2', enterpriseId: null, isEnterpriseInstall: false })).toBeUndefined();
        expect(await installs.remove({ teamId: 'T1', enterpriseId: null, isEnterpriseInstall: false })).toBe(true);
        expect(await installs.remove({ teamId: 'T1', enterpriseId: null, isEnterpriseInstall: false })).toBe(false);
        expect((await installs.list()).map((r) => r.isEnterpriseInstall)).toEqual([true]);
      });
    });
  });
}
