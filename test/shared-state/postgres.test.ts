/**
 * The shared-state contract on PostgreSQL: each test gets a database of its own on the test server
 * (test/support/postgres.ts); two instances are two pools, as two replicas would have.
 */
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/core/store/store.js';
import { openSharedState } from '../../src/shared-state/open-shared-state.js';
import { createPool, type Pool } from '../../src/shared-state/postgres/pool.js';
import { openPostgresSharedState } from '../../src/shared-state/postgres/postgres-shared-state.js';
import { migrate, PG_SCHEMA_VERSION, PgSchemaVersionError } from '../../src/shared-state/postgres/schema.js';
import { sqliteSharedState } from '../../src/shared-state/sqlite-shared-state.js';
import { freshDatabase, postgresUrl } from '../support/postgres.js';
import { describeSharedState } from './shared-state.contract.js';

describeSharedState(
  'PostgreSQL',
  postgresUrl()
    ? async () => {
        const db = await freshDatabase();
        return {
          open: () => openPostgresSharedState({ connectionString: db.url, max: 4 }),
          cleanup: () => db.drop(),
        };
      }
    : null,
);

describe.skipIf(!postgresUrl())('the PostgreSQL schema', () => {
  it('is created by the first of several replicas starting at once, and refused when a later release migrated it', async () => {
    const db = await freshDatabase();
    const pools = [0, 1, 2].map(() => createPool(db.url, 2));
    try {
      const runs = await Promise.all(pools.map((p) => migrate(p)));
      expect(runs.filter((r) => r.from === 0)).toHaveLength(1);
      expect(runs.every((r) => r.to === PG_SCHEMA_VERSION)).toBe(true);
      const { rows } = await (pools[0] as Pool).query('SELECT count(*)::int AS n FROM twir_schema_migrations');
      expect(rows[0]).toEqual({ n: PG_SCHEMA_VERSION });
      await (pools[0] as Pool).query('INSERT INTO twir_schema_migrations (version, applied_at) VALUES ($1, $2)', [
        PG_SCHEMA_VERSION + 1,
        'later',
      ]);
      await expect(migrate(pools[1] as Pool)).rejects.toThrow(PgSchemaVersionError);
    } finally {
      await Promise.all(pools.map((p) => p.end()));
      await db.drop();
    }
  });

  it('DATABASE_URL switches the shared state of `twir serve` and the operator commands to PostgreSQL', async () => {
    const db = await freshDatabase();
    const store = openStore({ path: ':memory:' });
    try {
      const shared = await openSharedState({ databaseUrl: db.url }, store);
      expect(shared.backend).toBe('postgresql');
      await shared.digest.setBaseline(571);
      await shared.close();
      // Nothing of it went to the SQLite store.
      expect(await sqliteSharedState(store).digest.highestAnnounced()).toBeNull();
      expect((await openSharedState({ databaseUrl: null }, store)).backend).toBe('sqlite');
    } finally {
      store.close();
      await db.drop();
    }
  });

  it('says why when the server cannot be reached, and leaves nothing open', async () => {
    await expect(openPostgresSharedState({ connectionString: 'postgres://twir@127.0.0.1:1/none' })).rejects.toThrow(/ECONNREFUSED/);
  });
});
