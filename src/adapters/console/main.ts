/**
 * The `twir` executable: operator commands (`serve`, `sync`, `export`) and
 * every /twir chat command through the console adapter:
 *   twir <command> [args] [--as-of YYYY-MM-DD] [--page N] [--json]   one answer
 *   twir digest status [--json] | deliver                              digest state; deliver what is due
 *   twir digest list | pause | resume | remove | retry                 subscriptions (digest-admin.ts)
 *   twir db migrate-to-postgres                                       SQLite's shared state into DATABASE_URL
 *   twir --help | -h | --version                                      usage; the version
 *   twir                                                              interactive console (TTY)
 *   … | twir                                                          one command per line until end of input
 *
 * This is the composition root for the terminal: it reads the Config, opens
 * the store and injects the clock. Operator modules load only when asked for,
 * to keep the cold start of a one-shot answer short.
 */
import { readFileSync } from 'node:fs';
import { ConfigError } from '../../config.js';
import { createLogger } from '../../logger.js';
import type { ConsoleIO } from './console-io.js';

export type { ConsoleIO } from './console-io.js';

// Duplicated from digest-admin.ts so a one-shot answer does not load it: kept equal by a test.
const DIGEST_ADMIN_VERBS = ['list', 'pause', 'resume', 'remove', 'retry'] as const;
type DigestAdminVerb = (typeof DIGEST_ADMIN_VERBS)[number];

const OPERATOR = new Set(['serve', 'sync', 'export']);

/** What `twir --help` and `twir help` print after the chat commands: the operator's side. */
export const OPERATOR_HELP = `Operator commands:
  twir serve                      start the configured chat adapters, sync on TWIR_POLL_CRON, post digests (npm start)
  twir sync [--force] [--wait]    fetch new or changed issues into the store
  twir export [--out FILE]        every stored issue as JSON
  twir digest status [--json]     subscriptions, deliveries (sent, pending, failed, missed), the last fan-out
  twir digest deliver             announce new issues and deliver what is due, then exit
  twir digest list [--json]       every subscription: where, settings, paused or active, last delivery
  twir digest pause --channel C [--reason TEXT]   stop posting to a channel until resumed
  twir digest resume --channel C  post to a paused channel again
  twir digest remove --channel C  delete a subscription and its delivery log
  twir digest retry [--channel C] [--issue N]     re-queue failed or missed deliveries (and resume their channels)
  twir db migrate-to-postgres     copy TWIR_DB's subscriptions, deliveries and Slack installations into DATABASE_URL
  twir --version                  the version
C is a channel id, or platform:workspace/channel (slack:T0123/C0456). See README.md for the environment variables.
`;

/** The version in package.json (found from this file in src/ or dist/src/). */
function version(): string {
  for (const up of ['../../../package.json', '../../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(up, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'twir-bot' && pkg.version) return pkg.version;
    } catch {
      // Not at this depth: try the next.
    }
  }
  return 'unknown';
}

/** Runs the CLI; resolves with the process exit code. */
export async function main(argv: string[], io: ConsoleIO): Promise<number> {
  const log = createLogger(io.stderr);
  const [first] = argv;
  try {
    if (first === '--version' || first === '-v' || first === 'version') {
      io.stdout.write(`twir ${version()}\n`);
      return 0;
    }
    // `--help`/`-h` and `help` alone: the chat commands (as the console answers them), then the operator's.
    if ((first === '--help' || first === '-h' || first === 'help') && argv.length === 1) {
      const ask = await import('./ask.js');
      const code = await ask.oneShot(['help'], io);
      io.stdout.write(`\n${OPERATOR_HELP}`);
      return code;
    }
    // `twir digest status|deliver|list|…` are the operator's; `twir digest [preview|test]` is the chat command.
    if (first === 'digest' && (argv[1] === 'status' || argv[1] === 'deliver')) {
      const op = await import('./digest-operator.js');
      return argv[1] === 'status' ? await op.digestStatus(io, argv.slice(2)) : await op.digestDeliver(io, log);
    }
    if (first === 'digest' && DIGEST_ADMIN_VERBS.some((v) => v === argv[1])) {
      const admin = await import('./digest-admin.js');
      try {
        return await admin.digestAdmin(argv[1] as DigestAdminVerb, argv.slice(2), io);
      } catch (err) {
        if (err instanceof admin.DigestUsageError) {
          log.error(err.message);
          return 2;
        }
        throw err;
      }
    }
    if (first === 'db') {
      const { db } = await import('./db-migrate.js');
      return await db(argv.slice(1), io, log);
    }
    if (first && OPERATOR.has(first)) {
      const op = await import('./operator.js');
      try {
        if (first === 'serve') return await op.serve(io, log);
        if (first === 'sync') return await op.sync(argv.slice(1), io, log);
        return await op.runExport(argv.slice(1), io, log);
      } catch (err) {
        if (err instanceof op.UsageError) {
          log.error(err.message);
          return 2;
        }
        throw err;
      }
    }
    const ask = await import('./ask.js');
    if (argv.length === 0) return await ask.interactive(io);
    return await ask.oneShot(argv, io);
  } catch (err) {
    if (err instanceof ConfigError) {
      log.error(err.message);
      return 2;
    }
    log.error(err instanceof Error ? err.message : String(err));
    return 1;
  }
}
