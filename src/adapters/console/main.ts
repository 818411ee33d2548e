/**
 * The `twir` executable: operator commands (`serve`, `sync`, `export`) and
 * every /twir chat command through the console adapter:
 *   twir <command> [args] [--as-of YYYY-MM-DD] [--page N] [--json]   one answer
 *   twir digest status | deliver                                       digest state; deliver what is due
 *   twir                                                              interactive console (TTY)
 *   … | twir                                                          one command per line until end of input
 *
 * This is the composition root for the terminal: it reads the Config, opens
 * the store and injects the clock. Operator modules load only when asked for,
 * to keep the cold start of a one-shot answer short.
 */
import { ConfigError } from '../../config.js';
import { createLogger } from '../../logger.js';
import type { ConsoleIO } from './console-io.js';

export type { ConsoleIO } from './console-io.js';

const OPERATOR = new Set(['serve', 'sync', 'export']);

/** Runs the CLI; resolves with the process exit code. */
export async function main(argv: string[], io: ConsoleIO): Promise<number> {
  const log = createLogger(io.stderr);
  const [first] = argv;
  try {
    // `twir digest status|deliver` are the operator's; `twir digest [preview]` is the chat command.
    if (first === 'digest' && (argv[1] === 'status' || argv[1] === 'deliver')) {
      const op = await import('./digest-operator.js');
      return argv[1] === 'status' ? await op.digestStatus(io) : await op.digestDeliver(io, log);
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
    return ask.oneShot(argv, io);
  } catch (err) {
    if (err instanceof ConfigError) {
      log.error(err.message);
      return 2;
    }
    log.error(err instanceof Error ? err.message : String(err));
    return 1;
  }
}
