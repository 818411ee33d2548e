/**
 * Operator commands of the `twir` executable: `serve`, `sync`, `export`.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type Config, ConfigError } from '../../config.js';
import { Archive } from '../../core/archive/archive.js';
import { exportIssues } from '../../core/export/export-issues.js';
import { openStore } from '../../core/store/store.js';
import { readBackfill } from '../../core/sync/backfill.js';
import { createSource } from '../../core/sync/create-source.js';
import { SourceError } from '../../core/sync/errors.js';
import { createParser } from '../../core/sync/parse-pool.js';
import { type SyncProgress, type SyncReport, syncIssues } from '../../core/sync/sync.js';
import type { Logger } from '../../logger.js';
import { configuredAdapters } from '../configured.js';
import { type RunningSchedule, startDigestSchedule } from '../digest-host.js';
import type { AdapterContext, RunningAdapter, StartAdapter } from '../host.js';
import { createHttpListener } from '../http-listener.js';
import type { ConsoleIO } from './console-io.js';
import { createProgress } from './progress.js';
import { syncBehind } from './sync-behind.js';

export class UsageError extends Error {}

function flags<T extends Record<string, { type: 'string' | 'boolean' }>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: false, strict: true }).values;
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
}

export async function sync(args: string[], io: ConsoleIO, log: Logger): Promise<number> {
  const { force } = flags(args, { force: { type: 'boolean' } });
  const config = io.loadConfig();
  const store = openStore({ path: config.dbPath });
  try {
    const report = await runSync(config, store, io, Boolean(force));
    printReport(report, log);
    return report.failed.length > 0 || report.abortedBy ? 1 : 0;
  } finally {
    store.close();
  }
}

async function runSync(
  config: Config,
  store: ReturnType<typeof openStore>,
  io: ConsoleIO,
  force: boolean,
  behind?: { signal: AbortSignal; stored: NonNullable<SyncProgress['stored']> },
): Promise<SyncReport> {
  const source = createSource(config, store);
  const parser = createParser(config.parseWorkers);
  io.stderr.write(`Syncing from ${source.description}\n`);
  try {
    const progress: SyncProgress = { ...createProgress(io.stderr), ...(behind ? { stored: behind.stored } : {}) };
    return await syncIssues({ source, store, parser, now: io.now, progress, force, ...(behind ? { signal: behind.signal } : {}) });
  } finally {
    await parser.close();
  }
}

function printReport(r: SyncReport, log: Logger): void {
  if (r.notModified) {
    log.info(`Up to date (${r.source} reports no change). ${r.durationMs} ms.`);
    return;
  }
  log.info(
    `Synced: ${r.listed} listed, ${r.unchanged} unchanged, ${r.stored} stored, ${r.removed.length} removed, ${r.failed.length} failed in ${r.durationMs} ms.`,
  );
  for (const f of r.failed) log.warn(`${f.file}: ${f.error}`);
  for (const f of r.superseded) log.warn(`${f}: skipped, a later file re-publishes the same issue number`);
  if (r.abortedBy) log.warn(r.abortedBy);
}

export async function runExport(args: string[], io: ConsoleIO, log: Logger): Promise<number> {
  const { out } = flags(args, { out: { type: 'string' } });
  const config = io.loadConfig();
  const store = openStore({ path: config.dbPath });
  try {
    if (store.stats().issues === 0) {
      log.error('the store is empty: run `twir sync` first.');
      return 1;
    }
    if (out) {
      try {
        const n = await exportToFile(store, out, io.now());
        log.info(`Exported ${n} issues to ${out}.`);
        return 0;
      } catch (err) {
        log.error(`cannot write ${out}: ${describeFsError(err)}`);
        return 1;
      }
    }
    try {
      // stdout belongs to the process: never end it.
      await exportIssues(store, io.stdout, io.now(), { end: false });
    } catch (err) {
      // `twir export | head`: the reader closed the pipe because it has all it wants. Not a failure.
      if ((err as NodeJS.ErrnoException).code === 'EPIPE') return 0;
      throw err;
    }
    return 0;
  } finally {
    store.close();
  }
}

/**
 * Writes the export to a temporary file next to `out` and renames it into
 * place once complete, so a failed export never leaves a truncated `out` (or
 * clobbers a good one). The temporary file is removed on any failure.
 */
async function exportToFile(store: ReturnType<typeof openStore>, out: string, now: Date): Promise<number> {
  const target = resolve(out);
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  try {
    const n = await exportIssues(store, createWriteStream(temp, { flags: 'wx' }), now);
    await rename(temp, target);
    return n;
  } catch (err) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw err;
  }
}

/** One line for a file-system error, without the temporary file's name that Node puts in `message`. */
function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'its folder does not exist';
    case 'ENOTDIR':
      return 'a part of the path is not a folder';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a folder';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EROFS':
      return 'read-only file system';
    default:
      return err instanceof Error ? (err.message.split('\n')[0] ?? err.message) : String(err);
  }
}

/** What `serve` may be given instead of the real thing (tests pass fake adapters). */
export interface ServeDeps {
  adapters?: (config: Config) => Promise<StartAdapter[]>;
}

/**
 * `twir serve`: with chat adapters configured, starts them as soon as the
 * store has an issue to answer from and syncs behind them when the store is
 * empty or stale (a first run answers `latest` within seconds while the
 * backfill goes on). With none configured it syncs in the foreground, then
 * says how to ask from the terminal.
 */
export async function serve(io: ConsoleIO, log: Logger, deps: ServeDeps = {}): Promise<number> {
  let config: Config;
  try {
    config = io.loadConfig();
  } catch (err) {
    // A service that cannot start exits 1 (what the chat adapters' operators expect); the message names the variable.
    if (!(err instanceof ConfigError)) throw err;
    log.error(err.message);
    return 1;
  }
  const store = openStore({ path: config.dbPath });
  try {
    const last = store.getState('sync:last');
    const ageHours = last ? (io.now().getTime() - Date.parse(last)) / 3_600_000 : Number.POSITIVE_INFINITY;
    const needsSync = store.stats().issues === 0 || ageHours > config.staleAfterHours;
    const starters = await (deps.adapters ?? configuredAdapters)(config);
    if (starters.length === 0) {
      if (needsSync && !(await syncFirst(config, store, io, log))) return 1;
      printLoaded(store, io);
      io.stdout.write(
        'No chat adapter is configured (set DISCORD_TOKEN or SLACK_BOT_TOKEN). Ask from the terminal: `npx twir crate`, `npx twir events berlin`, or `npx twir` for a prompt.\n',
      );
      return 0;
    }
    const behind = needsSync
      ? syncBehind(
          store,
          (signal, stored) => runSync(config, store, io, false, { signal, stored }),
          (err) => log.warn(`sync failed, serving the stored issues: ${describe(err)}`),
        )
      : null;
    try {
      await behind?.ready;
    } catch (err) {
      log.error(offlineMessage(config, err));
      return 1;
    }
    void behind?.done.then((report) => report && printReport(report, log));
    printLoaded(store, io);
    try {
      return await serveAdapters(config, store, starters, io, log);
    } finally {
      // The store closes only once the sync behind the adapters has stopped.
      await behind?.stop();
    }
  } finally {
    store.close();
  }
}

/** Syncs before serving; false (after saying why) when nothing is stored and the source cannot be read. */
async function syncFirst(config: Config, store: ReturnType<typeof openStore>, io: ConsoleIO, log: Logger): Promise<boolean> {
  try {
    printReport(await runSync(config, store, io, false), log);
  } catch (err) {
    if (store.stats().issues === 0) {
      log.error(offlineMessage(config, err));
      return false;
    }
    log.warn(`sync failed, serving the stored issues: ${describe(err)}`);
  }
  return true;
}

function printLoaded(store: ReturnType<typeof openStore>, io: ConsoleIO): void {
  const { issues } = store.stats();
  const newest = store.summaries().at(-1);
  const backfill = readBackfill(store.db);
  io.stdout.write(
    `Loaded ${issues} issues; newest ${newest ? `${newest.title} (${newest.date})` : 'none'}${backfill ? `; indexing the other ${backfill.total - backfill.indexed} behind` : ''}.\n`,
  );
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Starts every configured adapter on one store and one HTTP listener, and stops them cleanly on SIGINT/SIGTERM. */
async function serveAdapters(
  config: Config,
  store: ReturnType<typeof openStore>,
  starters: StartAdapter[],
  io: ConsoleIO,
  log: Logger,
): Promise<number> {
  const http = createHttpListener(log);
  const ctx: AdapterContext = { config, store, archive: new Archive(store.db), log, now: io.now, http };
  const running: RunningAdapter[] = [];
  let digest: RunningSchedule | null = null;
  const stopAll = async () => {
    await http.close();
    await Promise.allSettled([...running.map((a) => a.stop()), digest?.stop()]);
  };
  try {
    for (const start of starters) running.push(await start(ctx));
    // Scheduled sync (TWIR_POLL_CRON) and the digest fan-out after each.
    digest = await startDigestSchedule({ config, store, archive: ctx.archive, source: createSource(config, store), log, now: io.now });
    if (http.hasRoutes) {
      const port = await http.listen(config.port);
      log.info(`Listening on port ${port} (GET /healthz).`);
    }
  } catch (err) {
    await stopAll();
    // A ConfigError from a starter already names its variable: one line, exit 1, like any failed start.
    log.error(err instanceof Error ? err.message : String(err));
    return 1;
  }
  log.info(`Serving: ${running.map((a) => a.description).join(', ')}.`);
  const signal = await (io.untilShutdown ?? (() => new Promise<string>(() => undefined)))();
  log.info(`${signal}: finishing interactions in flight, then stopping.`);
  await stopAll();
  return 0;
}

function offlineMessage(config: Config, err: unknown): string {
  const why = err instanceof SourceError || err instanceof Error ? err.message : String(err);
  if (config.localSource) return `cannot read ${config.localSource}: ${why}`;
  return `no issues stored and GitHub could not be reached (${why}). Work offline with a local copy: TWIR_SOURCE=/path/to/this-week-in-rust/content npm start`;
}
