/**
 * Named leases on PostgreSQL: one `leases` row per key with its holder, a
 * token naming this holding, and its expiry. Taking it is one conditional
 * upsert (insert, or overwrite a row whose expiry has passed), so of two
 * replicas racing for an expired lease exactly one gets it; renew and release
 * touch the row only while it still carries their token. Expiry is judged by
 * the injected clock (ISO strings, compared as SQLite compares them).
 */
import { killedOnThisHost, type LeaseRecord, newLeaseRecord, processIsAlive } from '../../core/store/sync-lease.js';
import { DEFAULT_SHARED_LEASE_TTL_MS, type LeaseStore, type SharedLease } from '../shared-state.js';
import type { Pool } from './pool.js';

interface LeaseRow {
  holder: string;
  pid: number;
  host: string;
  token: string;
  acquired_at: string;
  expires_at: string;
}

const toRecord = (r: LeaseRow): LeaseRecord => ({
  holder: r.holder,
  pid: r.pid,
  host: r.host,
  acquiredAt: r.acquired_at,
  expiresAt: r.expires_at,
  token: r.token,
});

/** The lease store on `pool`. */
export function createPgLeases(pool: Pool): LeaseStore {
  const current = async (key: string): Promise<LeaseRecord | null> => {
    const { rows } = await pool.query<LeaseRow>('SELECT * FROM leases WHERE key = $1', [key]);
    return rows[0] ? toRecord(rows[0]) : null;
  };
  return {
    current,
    async acquire(key, options) {
      const ttlMs = options.ttlMs ?? DEFAULT_SHARED_LEASE_TTL_MS;
      const isAlive = options.isAlive ?? processIsAlive;
      const record = newLeaseRecord(options.holder, options.now(), ttlMs);
      const values = [key, record.holder, record.pid, record.host, record.token, record.acquiredAt, record.expiresAt];
      const taken = await pool.query(
        `INSERT INTO leases (key, holder, pid, host, token, acquired_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (key) DO UPDATE SET holder = excluded.holder, pid = excluded.pid, host = excluded.host, token = excluded.token,
           acquired_at = excluded.acquired_at, expires_at = excluded.expires_at
         WHERE leases.expires_at <= $6`,
        values,
      );
      if ((taken.rowCount ?? 0) > 0) return { acquired: true, lease: held(pool, key, record, options.now, ttlMs) };
      const holder = await current(key);
      if (!holder) return this.acquire(key, options); // Released in between: try again.
      // Taken over only from that holding.
      if (killedOnThisHost(holder, record.host, isAlive)) {
        const over = await pool.query(
          `UPDATE leases SET holder = $2, pid = $3, host = $4, token = $5, acquired_at = $6, expires_at = $7 WHERE key = $1 AND token = $8`,
          [...values, holder.token],
        );
        if ((over.rowCount ?? 0) > 0) return { acquired: true, lease: held(pool, key, record, options.now, ttlMs) };
        return { acquired: false, heldBy: (await current(key)) ?? holder };
      }
      return { acquired: false, heldBy: holder };
    },
  };
}

function held(pool: Pool, key: string, record: LeaseRecord, now: () => Date, ttlMs: number): SharedLease {
  const controller = new AbortController();
  let current = record;
  let released = false;
  return {
    get record() {
      return current;
    },
    signal: controller.signal,
    async renew() {
      if (released || controller.signal.aborted) return false;
      const expiresAt = new Date(now().getTime() + ttlMs).toISOString();
      const r = await pool.query('UPDATE leases SET expires_at = $3 WHERE key = $1 AND token = $2', [key, record.token, expiresAt]);
      if ((r.rowCount ?? 0) > 0) {
        current = { ...current, expiresAt };
        return true;
      }
      controller.abort(new Error(`the lease ${key} was taken over by another process`));
      return false;
    },
    async release() {
      if (released) return;
      released = true;
      await pool.query('DELETE FROM leases WHERE key = $1 AND token = $2', [key, record.token]);
    },
  };
}
