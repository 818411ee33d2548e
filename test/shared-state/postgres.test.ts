/**
 * The shared-state contract on PostgreSQL: each test gets a database of its own on the test server
 * (test/support/postgres.ts); two instances are two pools, as two replicas would have.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { ConsoleIO } from '../../src/adapters/console/console-io.js';
import { serve } from '../../src/adapters/console/operator.js';
import type { StartAdapter } from '../../src/adapters/host.js';
import { loadConfig } from '../../src/config.js';
import { openStore } from '../../src/core/store/store.js';
import { createLogger } from '../../src/logger.js';
import { openSharedState } from '../../src/shared-state/open-shared-state.js';
import { createPool, type Pool } from '../../src/shared-state/postgres/pool.js';
import { openPostgresSharedState } from '../../src/shared-state/postgres/postgres-shared-state.js';
import { migrate, PG_SCHEMA_VERSION, PgSchemaVersionError } from '../../src/shared-state/postgres/schema.js';
import { sqliteSharedState } from '../../src/shared-state/sqlite-shared-state.js';
import { miniIssueFile, miniIssueMarkdown } from '../support/issue-markdown.js';
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

describe.skipIf(!postgresUrl())('twir serve with DATABASE_URL', () => {
  const serveWith = async (databaseUrl: string, adapter: StartAdapter) => {
    const dir = mkdtempSync(join(tmpdir(), 'twir-serve-pg-'));
    mkdirSync(join(dir, 'content'));
    const issue = { number: 571, date: '2024-10-30', links: ['Zebras'] };
    writeFileSync(join(dir, 'content', miniIssueFile(issue)), miniIssueMarkdown(issue));
    const stderr = new PassThrough();
    let err = '';
    stderr.on('data', (d) => (err += String(d)));
    const io: ConsoleIO = {
      stdout: new PassThrough().resume(),
      stderr,
      stdin: new PassThrough(),
      now: () => new Date('2024-11-01T12:00:00Z'),
      loadConfig: () =>
        loadConfig({
          TWIR_DB: join(dir, 'twir.db'),
          TWIR_SOURCE: join(dir, 'content'),
          TWIR_PARSE_WORKERS: '0',
          TWIR_WEB: 'off',
          DATABASE_URL: databaseUrl,
        }),
      untilShutdown: () => new Promise(() => undefined),
    };
    try {
      return { code: await serve(io, createLogger(stderr), { adapters: async () => [adapter] }), stderr: () => err };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  it('hands every adapter the PostgreSQL shared state, and stops with one line naming DATABASE_URL when it is unreachable', async () => {
    const db = await freshDatabase();
    try {
      let backend = '';
      const adapter: StartAdapter = async (ctx) => {
        backend = ctx.shared.backend;
        await ctx.shared.pages.set('discord:page:x', '{}', '2024-11-01T00:00:00.000Z');
        // One adapter that can no longer answer ends serve (exit 1), which closes the shared state.
        return { description: 'fake', stop: async () => undefined, failed: Promise.resolve('gone') };
      };
      expect((await serveWith(db.url, adapter)).code).toBe(1);
      expect(backend).toBe('postgresql');
      const check = await openPostgresSharedState({ connectionString: db.url });
      expect(await check.pages.get('discord:page:x')).toBe('{}');
      await check.close();
    } finally {
      await db.drop();
    }
    const down = await serveWith('postgres://twir@127.0.0.1:1/none', async () => {
      throw new Error('never started');
    });
    expect(down.code).toBe(1);
    expect(down.stderr()).toMatch(/DATABASE_URL: cannot open the shared state on PostgreSQL/);
  });
});
