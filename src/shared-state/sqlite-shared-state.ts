/**
 * The shared state on the embedded SQLite store (the default): the digest
 * tables, the `state` key-value table for page states and leases, and the
 * Slack installations, all on the store's own connection. One process, or
 * several on one machine sharing the file, agree through SQLite's locks.
 */
import { createSqliteInstallationStore } from '../core/store/slack-installations.js';
import type { IssueStore } from '../core/store/store.js';
import { acquireSyncLease, currentSyncLease, type SyncLease } from '../core/store/sync-lease.js';
import { createSqliteDigestStore } from '../digest/digest-store.js';
import type { LeaseStore, PageStateStore, SharedLease, SharedState } from './shared-state.js';

/** The shared state on `store`'s connection; closing it leaves the store open (its owner closes it). */
export function sqliteSharedState(store: IssueStore): SharedState {
  return {
    backend: 'sqlite',
    digest: createSqliteDigestStore(store.db),
    pages: sqlitePageStates(store),
    leases: sqliteLeases(store),
    installations: createSqliteInstallationStore(store.db),
    async close() {},
  };
}

/** Page states in the `state` table under their own keys (no schema change); `at` is inside the JSON. */
export function sqlitePageStates(store: IssueStore): PageStateStore {
  const prune = store.db.prepare(
    "DELETE FROM state WHERE (key LIKE 'discord:page:%' OR key LIKE 'slack:find:%') AND json_extract(value, '$.at') < ?",
  );
  return {
    get: async (key) => store.getState(key),
    set: async (key, value) => store.setState(key, value),
    prune: async (before) => {
      prune.run(before);
    },
  };
}

/** The sync lease's machinery (sync-lease.ts: a `state` row taken in IMMEDIATE transactions) under any key. */
export function sqliteLeases(store: IssueStore): LeaseStore {
  return {
    async acquire(key, options) {
      const attempt = acquireSyncLease(store, { ...options, key });
      return attempt.acquired ? { acquired: true, lease: asShared(attempt.lease) } : attempt;
    },
    current: async (key) => currentSyncLease(store, key),
  };
}

function asShared(lease: SyncLease): SharedLease {
  return {
    get record() {
      return lease.record;
    },
    signal: lease.signal,
    renew: async () => lease.renew(),
    release: async () => lease.release(),
  };
}
