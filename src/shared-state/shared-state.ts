/**
 * The state every replica of `twir serve` must agree on, behind one small
 * async interface with two backends: the embedded SQLite store (the default,
 * sqlite-shared-state.ts) and PostgreSQL when DATABASE_URL is set
 * (postgres/). The archive (issues, search index) is not here: it is public
 * and rebuildable, so each replica keeps its own SQLite copy.
 *
 * Async because node-postgres is; the SQLite backend wraps its synchronous
 * statements, each still one statement or one transaction.
 */
import type { SlackInstallationStore } from '../core/store/slack-installations.js';
import type { LeaseRecord } from '../core/store/sync-lease.js';
import type { DigestStore } from '../digest/digest-store.js';

export type { LeaseRecord } from '../core/store/sync-lease.js';

/** Where long Discord page states go (src/adapters/discord/page-state.ts): any replica serves the click. */
export interface PageStateStore {
  get(key: string): Promise<string | undefined>;
  /** Saves `value` under `key`; `savedAt` (ISO) is when, for `prune`. */
  set(key: string, value: string, savedAt: string): Promise<void>;
  /** Forgets states saved before `before` (ISO time). */
  prune(before: string): Promise<void>;
}

/** A lease this process holds (see `LeaseStore`). */
export interface SharedLease {
  readonly record: LeaseRecord;
  /** Aborted when a renewal finds the lease gone or taken over (the holder must stop). */
  readonly signal: AbortSignal;
  /** Extends the lease by its TTL from now; false (and `signal` aborted) when it is no longer ours. */
  renew(): Promise<boolean>;
  /** Gives the lease up (only if still ours). Safe to call twice. */
  release(): Promise<void>;
}

export interface AcquireOptions {
  /** Describes the holder to whoever is turned away, e.g. "twir serve (digest fan-out)". */
  holder: string;
  /** Injected clock: expiry is judged by it, never by the database's clock, so tests can move time. */
  now: () => Date;
  ttlMs?: number;
  /** Whether a process of this host is alive (a killed holder on this host frees the lease at once). */
  isAlive?: (pid: number) => boolean;
}

export type LeaseAttempt = { acquired: true; lease: SharedLease } | { acquired: false; heldBy: LeaseRecord };

/**
 * Named single-holder leases with an expiry: at most one process at a time runs the digest fan-out
 * (DIGEST_LEASE_KEY). Renew and release act only on the holding they were given (its token).
 */
export interface LeaseStore {
  /** Takes the lease when it is free, expired, or held by a dead process of this host. Never waits. */
  acquire(key: string, options: AcquireOptions): Promise<LeaseAttempt>;
  /** Whoever holds it now (expired or not), or null. */
  current(key: string): Promise<LeaseRecord | null>;
}

/** The shared, mutable state of the bot. */
export interface SharedState {
  /** "sqlite" or "postgresql", for the start-up line. */
  readonly backend: 'sqlite' | 'postgresql';
  digest: DigestStore;
  pages: PageStateStore;
  leases: LeaseStore;
  /** Slack workspaces installed through OAuth. */
  installations: SlackInstallationStore;
  /** Closes what this backend opened (the PostgreSQL pool); the SQLite store is closed by its owner. */
  close(): Promise<void>;
}

export const DEFAULT_SHARED_LEASE_TTL_MS = 60_000;

/** What `withLease` did: ran `work`, or did not because someone else held the lease. */
export type LeaseOutcome<T> = { ran: true; value: T } | { ran: false; heldBy: LeaseRecord };

/**
 * Runs `work` holding the lease `key`: renews it every third of its TTL while `work` runs and releases it
 * afterwards, also when `work` throws. Held elsewhere: `work` does not run and the holder is returned.
 */
export async function withLease<T>(
  leases: LeaseStore,
  key: string,
  options: AcquireOptions,
  work: (lease: SharedLease) => Promise<T>,
): Promise<LeaseOutcome<T>> {
  const ttlMs = options.ttlMs ?? DEFAULT_SHARED_LEASE_TTL_MS;
  const attempt = await leases.acquire(key, options);
  if (!attempt.acquired) return { ran: false, heldBy: attempt.heldBy };
  const { lease } = attempt;
  // unref: a pending renewal must never keep a finished process alive. A failed renewal (database
  // briefly away) leaves the lease to its expiry; the next renewal tries again.
  const timer = setInterval(() => void lease.renew().catch(() => undefined), Math.max(10, Math.floor(ttlMs / 3)));
  timer.unref();
  try {
    return { ran: true, value: await work(lease) };
  } finally {
    clearInterval(timer);
    await lease.release().catch(() => undefined);
  }
}
