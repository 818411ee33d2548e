/**
 * The shared state on PostgreSQL (DATABASE_URL): one node-postgres pool, the
 * schema migrated on open (the first replica creates it), and the PostgreSQL
 * implementation of each store. `close` ends the pool.
 */
import type { SharedState } from '../shared-state.js';
import { createPgDigestStore } from './pg-digest-store.js';
import { createPgInstallationStore } from './pg-installations.js';
import { createPgLeases } from './pg-leases.js';
import { createPgPageStates } from './pg-page-states.js';
import { createPool } from './pool.js';
import { migrate } from './schema.js';

export interface PostgresOptions {
  connectionString: string;
  /** Pool size (default 10). */
  max?: number;
}

/** Opens the pool and migrates the schema; rejects (pool closed) when the database cannot be reached. */
export async function openPostgresSharedState(options: PostgresOptions): Promise<SharedState> {
  const pool = createPool(options.connectionString, options.max);
  try {
    await migrate(pool);
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw err;
  }
  let closed: Promise<void> | null = null;
  return {
    backend: 'postgresql',
    digest: createPgDigestStore(pool),
    pages: createPgPageStates(pool),
    leases: createPgLeases(pool),
    installations: createPgInstallationStore(pool),
    close() {
      closed ??= pool.end();
      return closed;
    },
  };
}
