import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commandList } from '../../commands/index.js';
import { Archive } from '../../src/core/archive/archive.js';
import type { Caller } from '../../src/core/commands/caller.js';
import { executeLine } from '../../src/core/commands/execute.js';
import { type IssueStore, openStore } from '../../src/core/store/store.js';
import { createSqliteDigestStore, type DigestStore } from '../../src/digest/digest-store.js';
import { planDeliveries } from '../../src/digest/plan.js';
import type { DeliveryJob } from '../../src/digest/types.js';
import { archiveIssue } from '../support/digest-fixtures.js';

const admin: Caller = { platform: 'slack', workspaceId: 'T1', channelId: 'C1', userId: 'U1', place: 'channel', canManageChannel: true };
const announcedAt = new Date('2024-11-06T12:00:00Z'); // a Wednesday

describe('the delivery log when settings change', () => {
  let store: IssueStore;
  let digest: DigestStore;
  let clock: Date;
  const run = (line: string) =>
    executeLine(
      line,
      commandList,
      { archive: new Archive(store.db), today: () => clock.toISOString().slice(0, 10), now: () => clock },
      admin,
    ).reply;
  const announce = (number: number) =>
    digest.announce({ number, file: `${number}.md` }, planDeliveries({ number }, digest.subscriptions(), clock), clock);
  const dueNow = (): DeliveryJob[] => digest.due(clock, 10).filter((j) => j.kind === 'issue');

  beforeEach(() => {
    store = openStore({ path: ':memory:' });
    for (const n of [571, 572]) store.replaceIssue(archiveIssue(n), `sha${n}`, 1);
    digest = createSqliteDigestStore(store.db);
    digest.setBaseline(571);
    clock = announcedAt;
  });
  afterEach(() => store.close());

  it('switching a weekly slot to "new" posts the issue waiting for its slot now; back to weekly moves it again', () => {
    expect(run('subscribe fri 09:00 Europe/Berlin').kind).toBe('answer');
    announce(572);
    expect(dueNow()).toEqual([]);
    expect(digest.nextDue(clock)?.toISOString()).toBe('2024-11-08T08:00:00.000Z');
    run('subscribe when:new');
    expect(dueNow().map((j) => j.issueNumber)).toEqual([572]);
    run('subscribe thu 18:00 UTC');
    expect(dueNow()).toEqual([]);
    expect(digest.nextDue(clock)?.toISOString()).toBe('2024-11-07T18:00:00.000Z');
  });

  it('resuming a paused channel brings the newest issue, also one announced while it was paused', () => {
    run('subscribe');
    const sub = digest.subscriptions()[0];
    if (!sub) throw new Error('no subscription');
    // Paused by three channel errors on some earlier issue; #572 is announced meanwhile and planned for nobody.
    const job: DeliveryJob = {
      kind: 'issue',
      id: 0,
      channel: sub,
      subscriptionId: sub.id,
      settings: sub.settings,
      issueNumber: 571,
      state: 'pending',
      attempts: 0,
      inDoubtSince: null,
    };
    for (let i = 0; i < 3; i++) digest.channelFailure(job, 'Slack channel_not_found', clock, clock);
    expect(digest.subscriptions()[0]?.pausedAt).not.toBeNull();
    announce(572);
    expect(dueNow()).toEqual([]);
    expect(run('subscribe').title).toMatch(/^Resumed/);
    expect(dueNow().map((j) => j.issueNumber)).toEqual([572]);
    // Subscribing again once more changes nothing: still one delivery of #572.
    run('subscribe');
    expect(dueNow()).toHaveLength(1);
  });
});

describe('deliveries through an outage: superseded, missed, re-queued by hand', () => {
  let store: IssueStore;
  let digest: DigestStore;
  const now = new Date('2024-11-06T12:00:00Z');
  const channel = { platform: 'discord' as const, workspaceId: '900000000000000001', channelId: '100000000000000001' };
  const settings = { sections: ['headline' as const], place: null, when: { kind: 'new' as const } };
  const announce = (number: number) =>
    digest.announce({ number, file: `${number}.md` }, planDeliveries({ number }, digest.subscriptions(), now), now);
  const states = () =>
    digest
      .recentDeliveries(digest.subscription(channel)?.id ?? -1, 10)
      .map((d) => `${d.issueNumber} ${d.state} ${d.lastError ?? ''}`.trim());

  beforeEach(() => {
    store = openStore({ path: ':memory:' });
    digest = createSqliteDigestStore(store.db);
    digest.subscribe(channel, settings, 570, 'U1', now);
  });
  afterEach(() => store.close());

  it('a newer issue supersedes a delivery still being retried: recorded as missed with its last error', () => {
    announce(571);
    const [job] = digest.due(now, 10);
    if (!job) throw new Error('nothing due');
    expect(digest.markSending(job, now)).toBe(true);
    digest.retryAt(job, new Date(now.getTime() + 60_000), 'Discord 503', false);
    announce(572);
    expect(states()).toEqual(['572 pending', '571 missed superseded by #572 after: Discord 503']);
    // The fan-out holding the old job cannot post it any more.
    expect(digest.markSending(job, now)).toBe(false);
  });

  it('a delivery not yet tried (a weekly slot still waiting) is not superseded', () => {
    announce(571);
    announce(572);
    expect(states()).toEqual(['572 pending', '571 pending']);
  });

  it('twir digest retry re-queues the newest missed delivery and resumes the paused channel; an attempted one goes back in doubt', () => {
    announce(571);
    const [job] = digest.due(now, 10);
    if (!job) throw new Error('nothing due');
    digest.markSending(job, now);
    for (let i = 0; i < 3; i++) digest.channelFailure(job, 'Missing Permissions', now, now);
    expect(digest.subscription(channel)?.pausedAt).not.toBeNull();
    expect(states()).toEqual(['571 missed paused: Missing Permissions']);
    const requeued = digest.requeue((s) => s.channelId === channel.channelId, null, now);
    expect(requeued.map((r) => r.issueNumber)).toEqual([571]);
    expect(digest.subscription(channel)?.pausedAt).toBeNull();
    const [again] = digest.due(now, 10);
    expect(again).toMatchObject({ issueNumber: 571, state: 'sending' });
    expect(again?.inDoubtSince).not.toBeNull();
    // Nothing left to retry: a second retry changes nothing.
    digest.markSent(again as DeliveryJob, 'm1', now);
    expect(digest.requeue(() => true, null, now)).toEqual([]);
  });
});

describe('subscribing again after a failure', () => {
  it('re-queues the newest delivery when it failed, even without a pause', () => {
    const store = openStore({ path: ':memory:' });
    const digest = createSqliteDigestStore(store.db);
    const now = new Date('2024-11-06T12:00:00Z');
    const channel = { platform: 'slack' as const, workspaceId: 'T1', channelId: 'C1' };
    const settings = { sections: ['headline' as const], place: null, when: { kind: 'new' as const } };
    digest.subscribe(channel, settings, 570, 'U1', now);
    digest.announce({ number: 571, file: '571.md' }, planDeliveries({ number: 571 }, digest.subscriptions(), now), now);
    const [job] = digest.due(now, 10);
    if (!job) throw new Error('nothing due');
    digest.markFailed(job, 'Slack invalid_blocks', now);
    expect(digest.due(now, 10)).toEqual([]);
    digest.subscribe(channel, settings, 570, 'U1', now);
    expect(digest.due(now, 10).map((j) => j.issueNumber)).toEqual([571]);
    store.close();
  });
});
