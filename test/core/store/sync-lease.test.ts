import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../../src/core/store/store.js';
import { acquireSyncLease, currentSyncLease, describeLease, SYNC_LEASE_KEY, withSyncLease } from '../../../src/core/store/sync-lease.js';

function clock(start = '2026-12-01T18:40:00Z') {
  let t = Date.parse(start);
  return { now: () => new Date(t), advance: (ms: number) => (t += ms) };
}

describe('sync lease', () => {
  it('lets one holder in and tells the next who holds it and until when', () => {
    const store = openStore({ path: ':memory:' });
    const { now } = clock();
    const first = acquireSyncLease(store, { holder: 'twir sync', now, ttlMs: 60_000 });
    expect(first.acquired).toBe(true);
    const second = acquireSyncLease(store, { holder: 'twir serve (scheduled sync)', now });
    expect(second).toMatchObject({ acquired: false, heldBy: { holder: 'twir sync', pid: process.pid, host: hostname() } });
    if (second.acquired) throw new Error('unreachable');
    expect(describeLease(second.heldBy)).toBe(
      `twir sync (pid ${process.pid} on ${hostname()}) since 18:40:00 UTC, lease until 18:41:00 UTC`,
    );
  });

  it('is free again once released, and releasing twice is harmless', () => {
    const store = openStore({ path: ':memory:' });
    const { now } = clock();
    const first = acquireSyncLease(store, { holder: 'a', now });
    if (!first.acquired) throw new Error('not acquired');
    first.lease.release();
    first.lease.release();
    expect(currentSyncLease(store)).toBeNull();
    expect(acquireSyncLease(store, { holder: 'b', now }).acquired).toBe(true);
  });

  it('expires when its holder stops renewing (killed on another host), and the old holder then knows it lost it', () => {
    const store = openStore({ path: ':memory:' });
    const { now, advance } = clock();
    const old = acquireSyncLease(store, { holder: 'old', now, ttlMs: 60_000 });
    if (!old.acquired) throw new Error('not acquired');
    // Pretend the holder lives elsewhere, so only the expiry can free it.
    const row = JSON.parse(store.getState(SYNC_LEASE_KEY) as string);
    store.setState(SYNC_LEASE_KEY, JSON.stringify({ ...row, host: 'elsewhere' }));
    advance(59_000);
    expect(acquireSyncLease(store, { holder: 'new', now }).acquired).toBe(false);
    advance(2_000);
    const taken = acquireSyncLease(store, { holder: 'new', now });
    expect(taken.acquired).toBe(true);
    expect(old.lease.renew()).toBe(false);
    expect(old.lease.signal.aborted).toBe(true);
    old.lease.release(); // must not free the new holder's lease
    expect(currentSyncLease(store)?.holder).toBe('new');
  });

  it('renewing pushes the expiry forward', () => {
    const store = openStore({ path: ':memory:' });
    const { now, advance } = clock();
    const held = acquireSyncLease(store, { holder: 'a', now, ttlMs: 60_000 });
    if (!held.acquired) throw new Error('not acquired');
    advance(50_000);
    expect(held.lease.renew()).toBe(true);
    expect(currentSyncLease(store)?.expiresAt).toBe('2026-12-01T18:41:50.000Z');
  });

  it('takes over at once from a holder on this host whose process is gone', () => {
    const store = openStore({ path: ':memory:' });
    const { now } = clock();
    store.setState(
      SYNC_LEASE_KEY,
      JSON.stringify({
        holder: 'twir sync',
        pid: 999_999,
        host: hostname(),
        acquiredAt: now().toISOString(),
        expiresAt: '2026-12-01T18:41:00Z',
        token: 't',
      }),
    );
    expect(acquireSyncLease(store, { holder: 'x', now, isAlive: () => true }).acquired).toBe(false);
    expect(acquireSyncLease(store, { holder: 'x', now, isAlive: (pid) => pid !== 999_999 }).acquired).toBe(true);
  });

  it('treats a damaged lease row as no lease', () => {
    const store = openStore({ path: ':memory:' });
    store.setState(SYNC_LEASE_KEY, '{not json');
    expect(acquireSyncLease(store, { holder: 'x', now: () => new Date() }).acquired).toBe(true);
  });

  it('withSyncLease runs the work holding the lease and releases it, also when the work throws', async () => {
    const store = openStore({ path: ':memory:' });
    const { now } = clock();
    const outcome = await withSyncLease(store, { holder: 'w', now }, async () => currentSyncLease(store)?.holder);
    expect(outcome).toEqual({ ran: true, value: 'w' });
    expect(currentSyncLease(store)).toBeNull();
    await expect(
      withSyncLease(store, { holder: 'w', now }, async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(currentSyncLease(store)).toBeNull();
  });

  it('withSyncLease skips the work when held, or waits for the holder when asked', async () => {
    const store = openStore({ path: ':memory:' });
    const { now, advance } = clock();
    const other = acquireSyncLease(store, { holder: 'other', now });
    if (!other.acquired) throw new Error('not acquired');
    let ran = false;
    const skipped = await withSyncLease(store, { holder: 'me', now }, async () => {
      ran = true;
    });
    expect(skipped).toMatchObject({ ran: false, heldBy: { holder: 'other' } });
    expect(ran).toBe(false);

    const waitedFor: string[] = [];
    let polls = 0;
    const sleep = async (ms: number) => {
      advance(ms);
      if (++polls === 3) other.lease.release();
    };
    const waited = await withSyncLease(
      store,
      { holder: 'me', now, wait: { timeoutMs: 60_000, pollMs: 1000, sleep }, onWait: (h) => waitedFor.push(h.holder) },
      async () => 'done',
    );
    expect(waited).toEqual({ ran: true, value: 'done' });
    expect(waitedFor).toEqual(['other']);
    expect(polls).toBe(3);
  });

  it('withSyncLease gives up waiting after the timeout', async () => {
    const store = openStore({ path: ':memory:' });
    const { now, advance } = clock();
    acquireSyncLease(store, { holder: 'other', now, ttlMs: 3_600_000 });
    const outcome = await withSyncLease(
      store,
      { holder: 'me', now, wait: { timeoutMs: 5000, sleep: async (ms) => void advance(ms) } },
      async () => 1,
    );
    expect(outcome).toMatchObject({ ran: false, heldBy: { holder: 'other' } });
  });
});
