/**
 * The node-postgres pool behind the PostgreSQL shared state, and the one
 * transaction helper every backend file uses. node-postgres leaves
 * transactions to the caller: all statements of one must run on one checked-out
 * client (never `pool.query`), which `inTransaction` guarantees and releases.
 */
import pg from 'pg';

export type Pool = pg.Pool;
export type Queryable = pg.Pool | pg.PoolClient;

/** A pool for `connectionString`. Idle clients never keep a finished process alive (`allowExitOnIdle`). */
export function createPool(connectionString: string, max = 10): Pool {
  const pool = new pg.Pool({ connectionString, max, allowExitOnIdle: true, connectionTimeoutMillis: 10_000 });
  // An idle client whose server went away emits 'error' on the pool; unhandled, that would end the process.
  // The next query gets a fresh connection (or its own error), so there is nothing to do here.
  pool.on('error', () => undefined);
  return pool;
}

/** Runs `work` in one transaction on one client: COMMIT when it resolves, ROLLBACK when it throws. */
export async function inTransaction<T>(pool: Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const value = await work(client);
    await client.query('COMMIT');
    return value;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
