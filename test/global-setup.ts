/**
 * Builds one store from the whole shared archive before the suite, so the
 * whole-archive and command tests share a single ingest (~10 s) instead of
 * parsing 667 issues per file. Tests get its path with `inject('archiveDb')`.
 *
 * Also provides the PostgreSQL server of the shared-state tests (`inject('postgresUrl')`):
 * TWIR_TEST_DATABASE_URL when set, else a throwaway cluster started here and stopped at the
 * end (also when tests fail), else '' when PostgreSQL is not installed: those tests are then
 * skipped with a warning, unless TWIR_REQUIRE_POSTGRES=1 (CI), which makes it a failure.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { openStore } from '../src/core/store/store.js';
import { createLocalSource } from '../src/core/sync/local-source.js';
import { createParser } from '../src/core/sync/parse-pool.js';
import { syncIssues } from '../src/core/sync/sync.js';
import { ARCHIVE_DIR } from './support/archive.js';
import { postgresInstalled, startCluster } from './support/postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    archiveDb: string;
    postgresUrl: string;
  }
}

/** The PostgreSQL server for the tests, and how to stop it (a no-op for one we did not start). */
async function postgres(): Promise<{ url: string; stop(): Promise<void> }> {
  // Read here, in the test harness, not by the bot: src/config.ts stays the only reader of the bot's settings.
  const given = process.env.TWIR_TEST_DATABASE_URL?.trim();
  if (given) return { url: given, stop: async () => undefined };
  if (await postgresInstalled()) {
    const cluster = await startCluster();
    // Ctrl-C during the run: vitest may not reach the teardown; never leave a postgres behind.
    const onSignal = () => void cluster.stop();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    return cluster;
  }
  if (process.env.TWIR_REQUIRE_POSTGRES === '1')
    throw new Error(
      'TWIR_REQUIRE_POSTGRES=1 but PostgreSQL is not installed (apt-get install -y postgresql), and TWIR_TEST_DATABASE_URL is not set',
    );
  process.stderr.write(
    '\n*** PostgreSQL is not installed: the shared-state tests on PostgreSQL are SKIPPED. Install it (apt-get install -y postgresql) or set TWIR_TEST_DATABASE_URL. ***\n\n',
  );
  return { url: '', stop: async () => undefined };
}

export default async function setup(project: TestProject) {
  const pg = await postgres();
  project.provide('postgresUrl', pg.url);
  const dir = mkdtempSync(join(tmpdir(), 'twir-archive-db-'));
  const path = join(dir, 'archive.db');
  const store = openStore({ path });
  const parser = createParser(0);
  try {
    const report = await syncIssues({ source: createLocalSource(ARCHIVE_DIR), store, parser, now: () => new Date('2026-11-21T00:00:00Z') });
    if (report.failed.length > 0) throw new Error(`archive ingest failed for ${report.failed.map((f) => f.file).join(', ')}`);
  } catch (err) {
    await pg.stop();
    throw err;
  } finally {
    await parser.close();
    store.close();
  }
  project.provide('archiveDb', path);
  return async () => {
    rmSync(dir, { recursive: true, force: true });
    await pg.stop();
  };
}
