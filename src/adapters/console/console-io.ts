/**
 * What the `twir` executable needs from the outside world: its streams, the
 * clock, the configuration and the shutdown signal. Its own module so the
 * console's parts (`main`, `ask`, `operator`) depend on it, not on each other.
 */
import type { Writable } from 'node:stream';
import type { Config } from '../../config.js';

/** What `main` needs from the outside world; tests pass their own. */
export interface ConsoleIO {
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean; columns?: number };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  now: () => Date;
  loadConfig: () => Config;
  /** Resolves with the signal's name when the process is asked to stop (SIGINT/SIGTERM); used by `serve`. */
  untilShutdown?: () => Promise<string>;
}
