/**
 * PostgreSQL for the tests. The global setup (test/global-setup.ts) provides
 * `postgresUrl`: TWIR_TEST_DATABASE_URL when set, else a throwaway cluster it
 * started with scripts/pg-cluster.sh, else '' when PostgreSQL is not installed
 * (then the PostgreSQL tests are skipped, loudly, except under
 * TWIR_REQUIRE_POSTGRES=1 as in CI, where the setup fails instead).
 *
 * Each test file gets databases of its own (`freshDatabase`), so files run in parallel.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { inject } from 'vitest';

const SCRIPT = fileURLToPath(new URL('../../scripts/pg-cluster.sh', import.meta.url));
const run = promisify(execFile);

/** The server the PostgreSQL tests use, or '' when there is none (tests skipped). */
export function postgresUrl(): string {
  return inject('postgresUrl');
}

/** A new, empty database on the test server; `drop` removes it (and ends its connections). */
export async function freshDatabase(prefix = 'twir_test'): Promise<{ url: string; drop(): Promise<void> }> {
  const base = postgresUrl();
  if (!base) throw new Error('no PostgreSQL for the tests (see test/support/postgres.ts)');
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/** Whether initdb and pg_ctl are installed (on PATH or in Debian's /usr/lib/postgresql/N/bin). */
export async function postgresInstalled(): Promise<boolean> {
  try {
    await run(SCRIPT, ['bindir']);
    return true;
  } catch {
    return false;
  }
}

/** Starts a throwaway cluster in a new temporary folder; `stop` stops it and removes the folder. */
export async function startCluster(): Promise<{ url: string; stop(): Promise<void> }> {
  // The folder itself (not one inside it): as root the script hands it to the unprivileged user that runs postgres.
  const dir = mkdtempSync(join(tmpdir(), 'twir-pg-'));
  const { stdout } = await run(SCRIPT, ['start', dir], { timeout: 120_000 });
  let stopped: Promise<void> | null = null;
  return {
    url: stdout.trim(),
    stop() {
      stopped ??= run(SCRIPT, ['stop', dir], { timeout: 60_000 }).then(() => undefined);
      return stopped;
    },
  };
}
