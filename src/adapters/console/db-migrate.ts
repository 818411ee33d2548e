/**
 * `twir db migrate-to-postgres`: moves an existing install's shared state
 * from its SQLite store (TWIR_DB) to PostgreSQL (DATABASE_URL) in one command
 * (see src/shared-state/postgres/copy-from-sqlite.ts for what is copied).
 * Stop `twir serve` first; start it (and its replicas) with DATABASE_URL after.
 */
import { existsSync } from 'node:fs';
import { openStore } from '../../core/store/store.js';
import type { Logger } from '../../logger.js';
import type { ConsoleIO } from './console-io.js';

export const DB_USAGE =
  "usage: twir db migrate-to-postgres   (copies TWIR_DB's subscriptions, deliveries and installations into DATABASE_URL)";

/** Runs `twir db <args>`; resolves with the exit code (2: usage or configuration). */
export async function db(args: string[], io: ConsoleIO, log: Logger): Promise<number> {
  if (args[0] !== 'migrate-to-postgres' || args.length > 1) {
    log.error(DB_USAGE);
    return 2;
  }
  const config = io.loadConfig();
  if (!config.databaseUrl) {
    log.error('DATABASE_URL: not set; set it to the PostgreSQL database to copy the shared state into (postgres://user:password@host/db).');
    return 2;
  }
  if (!existsSync(config.dbPath)) {
    log.error(`TWIR_DB: ${config.dbPath} does not exist; point TWIR_DB at the SQLite store to copy from.`);
    return 2;
  }
  // Imported only here: node-postgres stays out of every other one-shot command.
  const { createPool } = await import('../../shared-state/postgres/pool.js');
  const { migrate } = await import('../../shared-state/postgres/schema.js');
  const { copySqliteToPostgres } = await import('../../shared-state/postgres/copy-from-sqlite.js');
  const store = openStore({ path: config.dbPath });
  const pool = createPool(config.databaseUrl, 2);
  try {
    await migrate(pool);
    const r = await copySqliteToPostgres(store.db, pool);
    const line = (what: string, c: { copied: number; existing: number }) =>
      `  ${what}: ${c.copied} copied${c.existing ? `, ${c.existing} already there` : ''}`;
    io.stdout.write(
      [
        `Copied the shared state of ${config.dbPath} to PostgreSQL:`,
        line('subscriptions', r.subscriptions),
        line('announced issues', r.announcedIssues),
        line('deliveries (the delivery log)', r.deliveries),
        line('Slack installations', r.installations),
        line('Discord page states', r.pageStates),
        `  baseline: ${r.baseline === null ? 'none' : `#${r.baseline}`}`,
        'Start twir serve (every replica) with DATABASE_URL set; running this again copies nothing twice.',
        '',
      ].join('\n'),
    );
    return 0;
  } finally {
    await pool.end();
    store.close();
  }
}
