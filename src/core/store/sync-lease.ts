/**
 * The sync lease: at most one sync writes a store at a time, across every
 * process that opens it (`twir sync` from cron, `twir serve`'s start-up and
 * scheduled syncs). Two syncs at once would both parse everything and race
 * on the same rows; one of them then fails, or leaves the store short of
 * issues until the next run.
 *
 * The lease is one row in the store's `state` table, taken and changed only
 * inside IMMEDIATE transactions, so two processes can never both believe they
 * hold it. It names its holder (what, which pid on which host, since when) so
 * the process that is turned away can say who has it, and it expires: a
 * holder renews it while it works, and one that was killed stops renewing.
 * A holder on this host whose process is gone is treated as expired at once.
 *
 * Usage (every sync goes through `withSyncLease`):
 *
 *     const outcome = await withSyncLease(store, { holder: 'twir serve (scheduled sync)', now }, (lease) =>
 *       syncIssues({ source, store, parser, now, signal: lease.signal }),
 *     );
 *     if (!outcome.ran) log.info(`sync skipped: ${describeLease(outcome.heldBy, now())}`);
 *
 * Pass `wait` to wait for the other sync to finish instead of returning.
 * Lower-level `acquireSyncLease` / `lease.renew()` / `lease.release()` are
 * there for callers that manage the timing themselves.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { IssueStore } from './store.js';

/** State key of the lease row. */
export const SYNC_LEASE_KEY = 'sync:lease';

/** A lease lasts this long unless renewed; its holder renews it every third of that. */
export const DEFAULT_LEASE_TTL_MS = 60_000;

/** What the store records about the current holder. */
export interface LeaseRecord {
  /** Who holds it, e.g. "twir sync" or "twir serve (scheduled sync)". */
  holder: string;
  pid: number;
  host: string;
  /** ISO times. */
  acquiredAt: string;
  expiresAt: string;
  /** Identifies this holding, so a holder never renews or releases a lease taken over by another. */
  token: string;
}

/** A lease this process holds. */
export interface SyncLease {
  readonly record: LeaseRecord;
  /** Aborted when a renewal finds the lease gone or taken over (the holder must stop writing). */
  readonly signal: AbortSignal;
  /** Extends the lease by its TTL from now; false (and `signal` aborted) when it is no longer ours. */
  renew(): boolean;
  /** Gives the lease up (only if still ours). Safe to call twice. */
  release(): void;
}

/** Options for acquiring a lease. */
export interface LeaseOptions {
  /** Describes the holder to whoever is turned away, e.g. "twir sync --force". */
  holder: string;
  /** Injected clock. */
  now: () => Date;
  ttlMs?: number;
  /** Whether a process of this host is alive; injected in tests (default: signal 0). */
  isAlive?: (pid: number) => boolean;
  /**
   * The state key of the lease (default SYNC_LEASE_KEY). Other single-writer jobs on the store take the
   * same kind of lease under their own key (the digest fan-out: DIGEST_LEASE_KEY in src/adapters/digest-host.ts).
   */
  key?: string;
}

/** The outcome of `acquireSyncLease`: the lease, or the record of whoever holds it. */
export type LeaseAttempt = { acquired: true; lease: SyncLease } | { acquired: false; heldBy: LeaseRecord };

/** Takes the lease when it is free, expired, or held by a dead process of this host. Never waits. */
export function acquireSyncLease(store: IssueStore, options: LeaseOptions): LeaseAttempt {
  const ttlMs = options.ttlMs ?? DEFAULT_LEASE_TTL_MS;
  const isAlive = options.isAlive ?? processIsAlive;
  const host = hostname();
  const key = options.key ?? SYNC_LEASE_KEY;
  return store.writeTransaction((): LeaseAttempt => {
    const current = readLease(store, key);
    const now = options.now();
    if (current && !isStale(current, now, host, isAlive)) return { acquired: false, heldBy: current };
    const record = newLeaseRecord(options.holder, now, ttlMs);
    store.setState(key, JSON.stringify(record));
    return { acquired: true, lease: heldLease(store, record, options.now, ttlMs, key) };
  });
}

/** Whoever holds the lease now (expired or not), or null. */
export function currentSyncLease(store: IssueStore, key = SYNC_LEASE_KEY): LeaseRecord | null {
  return readLease(store, key);
}

/** Options for `withSyncLease`. */
export interface WithLeaseOptions extends LeaseOptions {
  /** Wait for a held lease to be freed, polling every `pollMs` (default 1 s) for up to `timeoutMs`. */
  wait?: { timeoutMs: number; pollMs?: number; sleep?: (ms: number) => Promise<void> };
  /** Called once when the lease is held and this call starts waiting. */
  onWait?: (heldBy: LeaseRecord) => void;
}

/** What `withSyncLease` did: ran `work`, or did not because someone else held the lease. */
export type LeaseOutcome<T> = { ran: true; value: T } | { ran: false; heldBy: LeaseRecord };

/**
 * Runs `work` holding the lease: acquires it (waiting if asked), renews it
 * every third of its TTL while `work` runs, and releases it afterwards, also
 * when `work` throws. When the lease is held elsewhere (and waiting is off or
 * timed out), `work` does not run and the holder is returned.
 */
export async function withSyncLease<T>(
  store: IssueStore,
  options: WithLeaseOptions,
  work: (lease: SyncLease) => Promise<T>,
): Promise<LeaseOutcome<T>> {
  const ttlMs = options.ttlMs ?? DEFAULT_LEASE_TTL_MS;
  let attempt = acquireSyncLease(store, options);
  if (!attempt.acquired && options.wait) {
    options.onWait?.(attempt.heldBy);
    const { timeoutMs, pollMs = 1000 } = options.wait;
    const sleep = options.wait.sleep ?? ((ms: number) => new Promise<void>((done) => setTimeout(done, ms)));
    const deadline = options.now().getTime() + timeoutMs;
    while (!attempt.acquired && options.now().getTime() < deadline) {
      await sleep(pollMs);
      attempt = acquireSyncLease(store, options);
    }
  }
  if (!attempt.acquired) return { ran: false, heldBy: attempt.heldBy };
  const { lease } = attempt;
  // unref: a pending renewal must never keep a finished process alive.
  const timer = setInterval(() => lease.renew(), Math.max(10, Math.floor(ttlMs / 3)));
  timer.unref();
  try {
    return { ran: true, value: await work(lease) };
  } finally {
    clearInterval(timer);
    lease.release();
  }
}

/** "twir sync (pid 4242 on build-1) since 18:40:02 UTC, lease until 18:41:02 UTC" */
export function describeLease(record: LeaseRecord): string {
  const time = (iso: string) => `${iso.slice(11, 19)} UTC`;
  return `${record.holder} (pid ${record.pid} on ${record.host}) since ${time(record.acquiredAt)}, lease until ${time(record.expiresAt)}`;
}

function heldLease(store: IssueStore, record: LeaseRecord, now: () => Date, ttlMs: number, key: string): SyncLease {
  const controller = new AbortController();
  let current = record;
  let released = false;
  const ours = (): boolean => readLease(store, key)?.token === record.token;
  return {
    get record() {
      return current;
    },
    signal: controller.signal,
    renew() {
      if (released || controller.signal.aborted) return false;
      try {
        const renewed = store.writeTransaction(() => {
          if (!ours()) return null;
          const next = { ...current, expiresAt: new Date(now().getTime() + ttlMs).toISOString() };
          store.setState(key, JSON.stringify(next));
          return next;
        });
        if (renewed) {
          current = renewed;
          return true;
        }
        controller.abort(new Error('the sync lease was taken over by another process'));
      } catch {
        // The store is busy or failing: the lease stays as it was until its expiry; the next renewal tries again.
        return true;
      }
      return false;
    },
    release() {
      if (released) return;
      released = true;
      try {
        store.writeTransaction(() => {
          if (ours()) store.deleteState(key);
        });
      } catch {
        // Closed or failing store: the lease simply expires.
      }
    },
  };
}

function readLease(store: IssueStore, key: string): LeaseRecord | null {
  const raw = store.getState(key);
  if (!raw) return null;
  try {
    const parsed = JSON.parse(raw) as Partial<LeaseRecord>;
    if (typeof parsed.token !== 'string' || typeof parsed.expiresAt !== 'string') return null;
    return {
      holder: String(parsed.holder ?? 'unknown'),
      pid: Number(parsed.pid ?? 0),
      host: String(parsed.host ?? ''),
      acquiredAt: String(parsed.acquiredAt ?? parsed.expiresAt),
      expiresAt: parsed.expiresAt,
      token: parsed.token,
    };
  } catch {
    return null; // A damaged row counts as no lease: it must not block every sync forever.
  }
}

function isStale(record: LeaseRecord, now: Date, host: string, isAlive: (pid: number) => boolean): boolean {
  return !(Date.parse(record.expiresAt) > now.getTime()) || killedOnThisHost(record, host, isAlive);
}

/** A new holding by this process, from `now` for `ttlMs` (shared with the PostgreSQL leases). */
export function newLeaseRecord(holder: string, now: Date, ttlMs: number): LeaseRecord {
  return {
    holder,
    pid: process.pid,
    host: hostname(),
    acquiredAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + ttlMs).toISOString(),
    token: randomUUID(),
  };
}

/** Killed (kill -9, OOM, power off the container) on this host: no need to wait for the lease's expiry. */
export function killedOnThisHost(record: LeaseRecord, host: string, isAlive: (pid: number) => boolean): boolean {
  return record.host === host && record.pid !== process.pid && !isAlive(record.pid);
}

/** Whether a process of this host is alive (signal 0); shared with the PostgreSQL leases. */
export function processIsAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
