/**
 * A per-connection counter of writes that change what answers are drawn from
 * (issues, records, the search vocabulary, the gazetteer). The Archive keys
 * its caches on it instead of on every write the connection makes: in
 * `twir serve` one connection also writes page state, sync leases and the
 * digest's delivery log, and each of those used to throw every cache away
 * (the next search then cost 300-560 ms instead of ~30 ms). Commits by other
 * connections are still seen through SQLite's `data_version`.
 */
import type { Database } from 'better-sqlite3';

const versions = new WeakMap<Database, number>();

/** Call after a committed write that changes answer content on this connection. */
export function bumpContentVersion(db: Database): void {
  versions.set(db, (versions.get(db) ?? 0) + 1);
}

/** How many content writes this connection has committed since it was opened. */
export function contentVersion(db: Database): number {
  return versions.get(db) ?? 0;
}
