/**
 * Operator commands of the `twir` executable: `serve`, `sync`, `export`.
 */
import { parseArgs } from 'node:util';
import { type Config, ConfigError } from '../../config.js';
import { Archive } from '../../core/archive/archive.js';
import { exportIssues } from '../../core/export/export-issues.js';
import { type IssueStore, openStore, StoreError } from '../../core/store/store.js';
import { describeStoreFailure, storeErrorCode } from '../../core/store/store-errors.js';
import { describeLease, withSyncLease } from '../../core/store/sync-lease.js';
import { readBackfill } from '../../core/sync/backfill.js';
import { createSource } from '../../core/sync/create-source.js';
import { SourceError } from '../../core/sync/errors.js';
import { createParser } from '../../core/sync/parse-pool.js';
import { type SyncProgress, type SyncReport, syncIssues } from '../../core/sync/sync.js';
import { escapeLogText } from '../../log-text.js';
import { createLogger, type Logger } from '../../logger.js';
import { openSharedState } from '../../shared-state/open-shared-state.js';
import type { SharedState } from '../../shared-state/shared-state.js';
import { configuredAdapters } from '../configured.js';
import { type RunningSchedule, startDigestSchedule } from '../digest-host.js';
import type { AdapterContext, RunningAdapter, StartAdapter } from '../host.js';
import { createHttpListener } from '../http-listener.js';
import { readinessProblems, registerHealthRoutes } from '../ops/health.js';
import { readLastSyncFrom } from '../ops/metrics.js';
import type { ConsoleIO } from './console-io.js';
import { OutputRefusedError, writeOutputFile } from './output-file.js';
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
  const { force, wait } = flags(args, { force: { type: 'boolean' }, wait: { type: 'boolean' } });
  const config = io.loadConfig();
  const store = openStore({ path: config.dbPath });
  try {
    const holder = `twir sync${force ? ' --force' : ''}`;
    const report = await runSync(config, store, io, log, { force: Boolean(force), holder, wait: Boolean(wait) });
    // Another process is syncing this store right now: nothing failed, and its sync is the one that counts.
    if (!report) return 0;
    printReport(report, log, config.dbPath);
    return report.failed.length > 0 || report.abortedBy ? 1 : 0;
  } finally {
    store.close();
  }
}

interface RunSyncOptions {
  force: boolean;
  /** How the sync lease names this sync to whoever is turned away (see sync-lease.ts). */
  holder: string;
  /** Wait for a sync already running in another process, then run; otherwise skip at once. */
  wait: boolean;
  /** A sync behind serve's adapters: its stop signal (shutdown) and a hook called after each stored issue. */
  behind?: { signal: AbortSignal; stored: NonNullable<SyncProgress['stored']> };
}

/** Long enough for any real sync (a full GitHub ingest under rate limits), short enough to end a stuck cron job. */
const LEASE_WAIT_MS = 3 * 3_600_000;

/** Runs one sync under the store's sync lease; null when another process holds it (already logged). */
async function runSync(config: Config, store: IssueStore, io: ConsoleIO, log: Logger, options: RunSyncOptions): Promise<SyncReport | null> {
  let outcome: Awaited<ReturnType<typeof withSyncLease<SyncReport>>>;
  try {
    outcome = await withSyncLease(
      store,
      {
        holder: options.holder,
        now: io.now,
        ttlMs: config.leaseTtlMs,
        ...(options.wait ? { wait: { timeoutMs: LEASE_WAIT_MS } } : {}),
        onWait: (heldBy) => log.info(`Waiting for the sync already running: ${describeLease(heldBy)}.`),
      },
      async (lease) => {
        const source = createSource(config, store);
        const parser = createParser(config.parseWorkers, { timeoutMs: config.parseTimeoutMs });
        log.info(`Syncing from ${source.description}`);
        try {
          return await syncIssues({
            source,
            store,
            parser,
            now: io.now,
            progress: { ...createProgress(io.stderr), ...(options.behind ? { stored: options.behind.stored } : {}) },
            force: options.force,
            // Stop when the lease is lost, or (behind serve's adapters) when serve shuts down.
            signal: options.behind ? AbortSignal.any([lease.signal, options.behind.signal]) : lease.signal,
          });
        } finally {
          await parser.close();
        }
      },
    );
  } catch (err) {
    // A store failure outside the per-file path (taking the lease, a state write): one line naming the file.
    if (!/^SQLITE_/.test(storeErrorCode(err) ?? '')) throw err;
    throw new StoreError(`${config.dbPath}: ${describeStoreFailure(err)} during the sync`, config.dbPath, storeErrorCode(err), {
      cause: err,
    });
  }
  if (outcome.ran) return outcome.value;
  log.info(`Not syncing: another sync is running, ${describeLease(outcome.heldBy)}. \`twir sync --wait\` waits for it to finish.`);
  return null;
}

function printReport(r: SyncReport, log: Logger, dbPath: string): void {
  if (r.notModified) {
    log.info(`Up to date (${r.source} reports no change). ${r.durationMs} ms.`);
    return;
  }
  log.info(
    `Synced: ${r.listed} listed, ${r.unchanged} unchanged, ${r.stored} stored, ${r.removed.length} removed, ${r.failed.length} failed in ${r.durationMs} ms.`,
  );
  for (const f of r.failed) {
    if (f.error === r.storeError) continue;
    log.warn(
      `${f.file}: ${f.error}${f.remembered ? ' (unchanged since it failed, so not tried again; `twir sync --force` retries it)' : ''}`,
    );
  }
  for (const f of r.superseded) log.warn(`${f}: skipped, a later file re-publishes the same issue number`);
  if (r.storeError) log.error(`${dbPath}: ${r.storeError}`);
  else if (r.abortedBy) log.warn(r.abortedBy);
}

export async function runExport(args: string[], io: ConsoleIO, log: Logger): Promise<number> {
  const { out } = flags(args, { out: { type: 'string' } });
  const config = io.loadConfig();
  const store = openStore({ path: config.dbPath, readonly: true });
  try {
    if (store.stats().issues === 0) {
      log.error('the store is empty: run `twir sync` first.');
      return 1;
    }
    if (out) {
      try {
        const n = await writeOutputFile(out, (stream) => exportIssues(store, stream, io.now()));
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

/** One line for a file-system error, without the temporary file's name that Node puts in `message`. */
function describeFsError(err: unknown): string {
  if (err instanceof OutputRefusedError) return err.message;
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
 * backfill goes on). The web page counts as an adapter (TWIR_WEB=off turns it
 * off); with none at all it syncs in the foreground, then
 * says how to ask from the terminal.
 */
export async function serve(io: ConsoleIO, startLog: Logger, deps: ServeDeps = {}): Promise<number> {
  let config: Config;
  try {
    config = io.loadConfig();
  } catch (err) {
    // A service that cannot start exits 1 (what the chat adapters' operators expect); the message names the variable.
    if (!(err instanceof ConfigError)) throw err;
    startLog.error(err.message);
    return 1;
  }
  // From here on, the operator's LOG_LEVEL and LOG_FORMAT.
  const log = createLogger(io.stderr, false, { level: config.logLevel, format: config.logFormat });
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
        'No chat adapter is configured (set DISCORD_TOKEN or SLACK_BOT_TOKEN) and the web page is off (TWIR_WEB=off). Ask from the terminal: `npx twir crate`, `npx twir events berlin`, or `npx twir` for a prompt.\n',
      );
      return 0;
    }
    const behind = needsSync
      ? syncBehind(
          store,
          (signal, stored) =>
            runSync(config, store, io, log, {
              force: false,
              holder: 'twir serve (sync behind the adapters)',
              wait: false,
              behind: { signal, stored },
            }),
          (err) => log.warn(`sync failed, serving the stored issues: ${describe(err)}`),
        )
      : null;
    try {
      await behind?.ready;
    } catch (err) {
      log.error(offlineMessage(config, err));
      return 1;
    }
    void behind?.done.then((report) => report && printReport(report, log, config.dbPath));
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
async function syncFirst(config: Config, store: IssueStore, io: ConsoleIO, log: Logger): Promise<boolean> {
  try {
    // With nothing stored, a sync running elsewhere is filling the store: wait for it rather than serve nothing.
    const report = await runSync(config, store, io, log, {
      force: false,
      holder: 'twir serve (start-up sync)',
      wait: store.stats().issues === 0,
    });
    if (report) printReport(report, log, config.dbPath);
  } catch (err) {
    if (store.stats().issues === 0) {
      log.error(offlineMessage(config, err));
      return false;
    }
    log.warn(`sync failed, serving the stored issues: ${describe(err)}`);
  }
  return true;
}

function printLoaded(store: IssueStore, io: ConsoleIO): void {
  const { issues } = store.stats();
  const newest = store.summaries().at(-1);
  const backfill = readBackfill(store.db);
  io.stdout.write(
    `${escapeLogText(`Loaded ${issues} issues; newest ${newest ? `${newest.title} (${newest.date})` : 'none'}${backfill ? `; indexing the other ${backfill.total - backfill.indexed} behind` : ''}.`)}\n`,
  );
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Starts every configured adapter on one store and one HTTP listener, and stops them cleanly on SIGINT/SIGTERM. */
async function serveAdapters(config: Config, store: IssueStore, starters: StartAdapter[], io: ConsoleIO, log: Logger): Promise<number> {
  let shared: SharedState;
  try {
    shared = await openSharedState(config, store);
  } catch (err) {
    log.error(`DATABASE_URL: cannot open the shared state on PostgreSQL: ${describe(err)}`);
    return 1;
  }
  if (shared.backend === 'postgresql')
    log.info('Shared state (subscriptions, deliveries, leases, page states): PostgreSQL (DATABASE_URL).');
  const http = createHttpListener(log, { replicaName: config.replicaName });
  const ctx: AdapterContext = { config, store, shared, archive: new Archive(store.db), log, now: io.now, http };
  const running: RunningAdapter[] = [];
  let digest: RunningSchedule | null = null;
  // All at once: adapters refuse new work straight away ("restarting" replies) while the listener closes
  // connections as they go idle; waiting for the listener first would keep answering keep-alive clients.
  // The shared state closes last: answers and deliveries in flight still write to it.
  const stopAll = async () => {
    await Promise.allSettled([http.close(), ...running.map((a) => a.stop()), digest?.stop()]);
    await shared.close().catch((err: unknown) => log.warn(`closing the shared state: ${describe(err)}`));
  };
  try {
    for (const start of starters) running.push(await start(ctx));
    // Scheduled sync (TWIR_POLL_CRON) and the digest fan-out after each.
    digest = await startDigestSchedule({
      holder: 'twir serve',
      config,
      store,
      shared,
      archive: ctx.archive,
      source: createSource(config, store),
      log,
      now: io.now,
    });
    // An HTTP-mode adapter needs the listener; with PORT set it also runs beside the gateway and Socket Mode,
    // for health checks and metrics.
    if (http.hasRoutes || config.portSet) {
      readLastSyncFrom(() => store.getState('sync:last'));
      const startedAt = io.now();
      const platforms = [...(config.discord ? ['discord' as const] : []), ...(config.slack ? ['slack' as const] : [])];
      registerHealthRoutes(http, () =>
        readinessProblems({
          adapters: () => running,
          store,
          digest: shared.digest,
          platforms,
          pollCron: config.digest.pollCron,
          startedAt,
          now: io.now,
        }),
      );
      const port = await http.listen(config.port, config.host ?? undefined).catch((err: unknown) => {
        throw listenError(err, config.port);
      });
      log.info(`Listening on port ${port}${config.host ? ` of ${config.host}` : ''} (GET /healthz, /readyz, /metrics).`);
      if (config.web) log.info(`Web page: http://localhost:${port}/`);
    }
  } catch (err) {
    await stopAll();
    // A ConfigError from a starter already names its variable: one line, exit 1, like any failed start.
    log.error(err instanceof Error ? err.message : String(err));
    return 1;
  }
  log.info(`Serving: ${running.map((a) => a.description).join(', ')}.`);
  if (!config.discord && !config.slack)
    log.info('No chat adapter is configured (set DISCORD_TOKEN or SLACK_BOT_TOKEN for Discord or Slack).');
  const ended = await Promise.race([
    (io.untilShutdown ?? (() => new Promise<string>(() => undefined)))().then((signal) => ({ signal })),
    // An adapter that can no longer answer (token revoked) ends the process non-zero: a supervisor restarts or alerts.
    ...running.flatMap((a) => (a.failed ? [a.failed.then((reason) => ({ reason }))] : [])),
  ]);
  if ('reason' in ended) {
    log.error('stopping: an adapter can no longer answer.');
    await stopAll();
    return 1;
  }
  log.info(`${ended.signal}: finishing interactions in flight, then stopping.`);
  await stopAll();
  return 0;
}

/** A port that cannot be bound, said in one line that names the variable to change. */
function listenError(err: unknown, port: number): unknown {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EADDRINUSE') return new ConfigError('PORT', `port ${port} is already in use by another program; set PORT to a free port`);
  if (code === 'EACCES') return new ConfigError('PORT', `port ${port} needs privileges this process does not have; set PORT above 1023`);
  return err;
}

function offlineMessage(config: Config, err: unknown): string {
  const why = err instanceof SourceError || err instanceof Error ? err.message : String(err);
  if (config.localSource) return `cannot read ${config.localSource}: ${why}`;
  return `no issues stored and GitHub could not be reached (${why}). Work offline with a local copy: TWIR_SOURCE=/path/to/this-week-in-rust/content npm start`;
}
