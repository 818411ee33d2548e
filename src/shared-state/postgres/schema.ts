/**
 * The PostgreSQL schema of the shared state, as ordered migrations like the
 * SQLite store's (src/core/store/schema.ts): `twir_schema_migrations` records
 * each one applied, so the first replica to start creates the schema, a newer
 * release upgrades it in place, and a database from a later release is refused.
 *
 * The tables mirror the SQLite ones column for column. Times are ISO-8601
 * TEXT, as in SQLite: every comparison (due, expiry) is then the same string
 * comparison in both backends, judged by the injected clock, and values read
 * back are exactly the strings written. Times and the columns lists are
 * ordered by are COLLATE "C": byte-wise, as SQLite compares TEXT, whatever the
 * database's locale, and so their indexes serve those orders.
 */
import type pg from 'pg';
import { inTransaction, type Pool } from './pool.js';

export const PG_MIGRATIONS: readonly string[] = [
  // 1: digest subscriptions, announced issues, the delivery log, test posts, fan-out runs, the detection
  // baseline; Discord page states; named leases; Slack installations.
  `
  CREATE TABLE digest_subscriptions (
    id SERIAL PRIMARY KEY,
    platform TEXT COLLATE "C" NOT NULL,
    workspace_id TEXT COLLATE "C" NOT NULL,
    channel_id TEXT COLLATE "C" NOT NULL,
    settings TEXT NOT NULL,
    since_number INTEGER,
    created_by TEXT,
    created_at TEXT COLLATE "C" NOT NULL,
    updated_at TEXT COLLATE "C" NOT NULL,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    paused_at TEXT COLLATE "C",
    paused_reason TEXT,
    workspace_name TEXT,
    channel_name TEXT,
    UNIQUE (platform, workspace_id, channel_id)
  );
  CREATE TABLE digest_issues (number INTEGER PRIMARY KEY, file TEXT NOT NULL, announced_at TEXT COLLATE "C" NOT NULL);
  CREATE TABLE digest_deliveries (
    id SERIAL PRIMARY KEY,
    subscription_id INTEGER NOT NULL REFERENCES digest_subscriptions(id) ON DELETE CASCADE,
    issue_number INTEGER NOT NULL,
    state TEXT NOT NULL,
    due_at TEXT COLLATE "C" NOT NULL,
    next_attempt_at TEXT COLLATE "C" NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    started_at TEXT COLLATE "C",
    finished_at TEXT COLLATE "C",
    message_id TEXT,
    last_error TEXT,
    UNIQUE (subscription_id, issue_number)
  );
  CREATE INDEX digest_deliveries_open ON digest_deliveries (next_attempt_at, id) WHERE state IN ('pending', 'sending');
  CREATE TABLE digest_tests (
    id SERIAL PRIMARY KEY,
    platform TEXT COLLATE "C" NOT NULL,
    workspace_id TEXT COLLATE "C" NOT NULL,
    channel_id TEXT COLLATE "C" NOT NULL,
    settings TEXT NOT NULL,
    issue_number INTEGER NOT NULL,
    requested_by TEXT,
    requested_at TEXT COLLATE "C" NOT NULL,
    state TEXT NOT NULL,
    next_attempt_at TEXT COLLATE "C" NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    finished_at TEXT COLLATE "C",
    message_id TEXT,
    last_error TEXT
  );
  CREATE INDEX digest_tests_open ON digest_tests (id) WHERE state IN ('pending', 'sending');
  CREATE INDEX digest_tests_channel ON digest_tests (platform, workspace_id, channel_id, id);
  CREATE TABLE digest_fanouts (
    id SERIAL PRIMARY KEY,
    started_at TEXT COLLATE "C" NOT NULL,
    finished_at TEXT COLLATE "C" NOT NULL,
    duration_ms INTEGER NOT NULL,
    sent INTEGER NOT NULL,
    failed INTEGER NOT NULL,
    deferred INTEGER NOT NULL,
    rate_limited INTEGER NOT NULL,
    paused INTEGER NOT NULL
  );
  CREATE TABLE digest_state (key TEXT COLLATE "C" PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE page_states (key TEXT COLLATE "C" PRIMARY KEY, value TEXT NOT NULL, saved_at TEXT COLLATE "C" NOT NULL);
  CREATE INDEX page_states_saved ON page_states (saved_at);
  CREATE TABLE leases (
    key TEXT COLLATE "C" PRIMARY KEY,
    holder TEXT NOT NULL,
    pid INTEGER NOT NULL,
    host TEXT NOT NULL,
    token TEXT NOT NULL,
    acquired_at TEXT COLLATE "C" NOT NULL,
    expires_at TEXT COLLATE "C" NOT NULL
  );
  CREATE TABLE slack_installations (
    id TEXT COLLATE "C" PRIMARY KEY,
    team_id TEXT,
    enterprise_id TEXT,
    is_enterprise_install BOOLEAN NOT NULL DEFAULT false,
    team_name TEXT,
    bot_token TEXT NOT NULL,
    bot_user_id TEXT,
    installation TEXT NOT NULL,
    installed_at TEXT COLLATE "C" NOT NULL
  );
  `,
];

export const PG_SCHEMA_VERSION = PG_MIGRATIONS.length;

/** Any fixed 64-bit number: the advisory lock every twir process takes while it migrates. */
const MIGRATION_LOCK = 0x7477_6972_0017n; // "twir", issue 17

/** A database migrated by a later release than this one. */
export class PgSchemaVersionError extends Error {}

/**
 * Brings the schema up to date. Under a transaction-scoped advisory lock, so replicas starting at once
 * queue here: the first creates the tables, the others find them there. Each migration commits with its
 * version row, or neither does.
 */
export async function migrate(pool: Pool): Promise<{ from: number; to: number }> {
  return inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK.toString()]);
    await client.query('CREATE TABLE IF NOT EXISTS twir_schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
    const from = await currentVersion(client);
    if (from > PG_SCHEMA_VERSION)
      throw new PgSchemaVersionError(
        `the PostgreSQL schema is at version ${from}, newer than this release's ${PG_SCHEMA_VERSION}: upgrade twir-bot`,
      );
    for (let v = from; v < PG_SCHEMA_VERSION; v++) {
      await client.query(PG_MIGRATIONS[v] as string);
      await client.query('INSERT INTO twir_schema_migrations (version, applied_at) VALUES ($1, $2)', [v + 1, new Date().toISOString()]);
    }
    return { from, to: PG_SCHEMA_VERSION };
  });
}

async function currentVersion(client: pg.PoolClient): Promise<number> {
  const { rows } = await client.query<{ v: number | null }>('SELECT max(version) AS v FROM twir_schema_migrations');
  return rows[0]?.v ?? 0;
}
