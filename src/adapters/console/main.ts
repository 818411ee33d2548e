/**
 * The `twir` executable: operator commands (`serve`, `sync`, `export`) and,
 * through the console adapter, every /twir chat command.
 *
 * This is the composition root for the terminal: it reads the Config, opens
 * the store, builds the source and parser, and injects them. Nothing below it
 * reads the environment or the real clock.
 */
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { type Config, ConfigError, loadConfig } from '../../config.js';
import { exportIssues } from '../../core/export/export-issues.js';
import { openStore } from '../../core/store/store.js';
import { createSource } from '../../core/sync/create-source.js';
import { SourceError } from '../../core/sync/errors.js';
import { createParser } from '../../core/sync/parse-pool.js';
import { type SyncReport, syncIssues } from '../../core/sync/sync.js';
import { createLogger, type Logger } from '../../logger.js';
import { createProgress } from './progress.js';

/** What `main` needs from the outside world; tests pass their own. */
export interface ConsoleIO {
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean; columns?: number };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  now: () => Date;
  loadConfig: () => Config;
}

const USAGE = `Usage: twir <command> [options]

Operator commands:
  serve                 load the store (syncing first when empty or stale) and start the bot
  sync [--force]        fetch new or changed issues from the source into the store
  export [--out FILE]   write every stored issue as JSON (stdout by default)
  help                  this text

Configuration comes from environment variables or a .env file (see .env.example).`;

/** Runs the CLI; resolves with the process exit code. */
export async function main(argv: string[], io: ConsoleIO): Promise<number> {
  const [command = 'help', ...rest] = argv;
  const log = createLogger(io.stderr);
  try {
    switch (command) {
      case 'serve':
        return await serve(io, log);
      case 'sync':
        return await sync(rest, io, log);
      case 'export':
        return await runExport(rest, io, log);
      case 'help':
      case '--help':
      case '-h':
        io.stdout.write(`${USAGE}\n`);
        return 0;
      default:
        log.error(`unknown command "${command}". Run \`twir help\` for the list.`);
        return 2;
    }
  } catch (err) {
    if (err instanceof ConfigError || err instanceof UsageError) {
      log.error(err.message);
      return 2;
    }
    log.error(err instanceof Error ? err.message : String(err));
    return 1;
  }
}

class UsageError extends Error {}

function flags<T extends Record<string, { type: 'string' | 'boolean' }>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: false, strict: true }).values;
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
}

async function sync(args: string[], io: ConsoleIO, log: Logger): Promise<number> {
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

async function runSync(config: Config, store: ReturnType<typeof openStore>, io: ConsoleIO, force: boolean): Promise<SyncReport> {
  const source = createSource(config, store);
  const parser = createParser(config.parseWorkers);
  io.stderr.write(`Syncing from ${source.description}\n`);
  try {
    return await syncIssues({ source, store, parser, now: io.now, progress: createProgress(io.stderr), force });
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

async function runExport(args: string[], io: ConsoleIO, log: Logger): Promise<number> {
  const { out } = flags(args, { out: { type: 'string' } });
  const config = io.loadConfig();
  const store = openStore({ path: config.dbPath });
  try {
    if (store.stats().issues === 0) {
      log.error('the store is empty: run `twir sync` first.');
      return 1;
    }
    const target = out ? createWriteStream(out) : io.stdout;
    const n = await exportIssues(store, target, io.now());
    if (out) {
      await new Promise<void>((resolve, reject) =>
        (target as ReturnType<typeof createWriteStream>).end((err?: Error | null) => (err ? reject(err) : resolve())),
      );
      log.info(`Exported ${n} issues to ${out}.`);
    }
    return 0;
  } finally {
    store.close();
  }
}

async function serve(io: ConsoleIO, log: Logger): Promise<number> {
  const config = io.loadConfig();
  const store = openStore({ path: config.dbPath });
  try {
    const stats = store.stats();
    const last = store.getState('sync:last');
    const ageHours = last ? (io.now().getTime() - Date.parse(last)) / 3_600_000 : Number.POSITIVE_INFINITY;
    if (stats.issues === 0 || ageHours > config.staleAfterHours) {
      try {
        printReport(await runSync(config, store, io, false), log);
      } catch (err) {
        if (store.stats().issues === 0) {
          log.error(offlineMessage(config, err));
          return 1;
        }
        log.warn(`sync failed, serving the stored issues: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    const now = store.stats();
    const newest = store.summaries().at(-1);
    io.stdout.write(
      `Loaded ${now.issues} issues; newest ${newest ? `${newest.title} (${newest.date})` : 'none'}.\n` +
        'No chat adapter is configured yet. Ask from the terminal, e.g. `npx twir sync` then `npx twir export --out twir.json`.\n',
    );
    return 0;
  } finally {
    store.close();
  }
}

function offlineMessage(config: Config, err: unknown): string {
  const why = err instanceof SourceError || err instanceof Error ? err.message : String(err);
  if (config.localSource) return `cannot read ${config.localSource}: ${why}`;
  return `no issues stored and GitHub could not be reached (${why}). Work offline with a local copy: TWIR_SOURCE=/path/to/this-week-in-rust/content npm start`;
}
