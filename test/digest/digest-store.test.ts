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
  const run = async (line: string) =>
    (
      await executeLine(
        line,
        commandList,
        { archive: new Archive(store.db), today: () => clock.toISOString().slice(0, 10), now: () => clock },
        admin,
      )
    ).reply;
  const announce = async (number: number) =>
    await digest.announce({ number, file: `${number}.md` }, planDeliveries({ number }, await digest.subscriptions(), clock), clock);
  const dueNow = async (): Promise<DeliveryJob[]> => (await digest.due(clock, 10)).filter((j) => j.kind === 'issue');

  beforeEach(async () => {
    store = openStore({ path: ':memory:' });
    for (const n of [571, 572]) store.replaceIssue(archiveIssue(n), `sha${n}`, 1);
    digest = createSqliteDigestStore(store.db);
    await digest.setBaseline(571);
    clock = announcedAt;
  });
  afterEach(() => store.close());

  it('switching a weekly slot to "new" posts the issue waiting for its slot now; back to weekly moves it again', async () => {
    expect((await run('subscribe fri 09:00 Europe/Berlin')).kind).toBe('answer');
    await announce(572);
    expect(await dueNow()).toEqual([]);
    expect((await digest.nextDue(clock))?.toISOString()).toBe('2024-11-08T08:00:00.000Z');
    await run('subscribe when:new');
    expect((await dueNow()).map((j) => j.issueNumber)).toEqual([572]);
    await run('subscribe thu 18:00 UTC');
    expect(await dueNow()).toEqual([]);
    expect((await digest.nextDue(clock))?.toISOString()).toBe('2024-11-07T18:00:00.000Z');
  });

  it('resuming a paused channel brings the newest issue, also one announced while it was paused', async () => {
    await run('subscribe');
    const sub = (await digest.subscriptions())[0];
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
    for (let i = 0; i < 3; i++) await digest.channelFailure(job, 'Slack channel_not_found', clock, clock);
    expect((await digest.subscriptions())[0]?.pausedAt).not.toBeNull();
    await announce(572);
    expect(await dueNow()).toEqual([]);
    expect((await run('subscribe')).title).toMatch(/^Resumed/);
    expect((await dueNow()).map((j) => j.issueNumber)).toEqual([572]);
    // Subscribing again once more changes nothing: still one delivery of #572.
    await run('subscribe');
    expect(await dueNow()).toHaveLength(1);
  });
});

// The store's own behaviour (supersede, requeue, resume, re-queue on subscribe, races between processes) is the
// shared-state contract, run against SQLite and PostgreSQL: test/shared-state/shared-state.contract.ts.
