/**
 * Process entry for `twir`: wires the real streams, clock and config into
 * `main` and exits with its code.
 */
import { loadConfig } from '../../config.js';
import { main } from './main.js';

/** The longest a shutdown may take before the process ends regardless. */
const FORCE_EXIT_MS = 9_500;

const code = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  now: () => new Date(),
  loadConfig: () => loadConfig(),
  untilShutdown: () =>
    new Promise((resolve) => {
      const stop = (signal: string) => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        // Whatever a client or a platform does, the process is gone within 10 s of the signal (the listener's
        // own grace is 5 s); a second signal ends it at once.
        setTimeout(() => {
          process.stderr.write(`${signal}: still stopping after ${FORCE_EXIT_MS / 1000} s; exiting now.\n`);
          process.exit(1);
        }, FORCE_EXIT_MS).unref();
        process.once('SIGTERM', () => process.exit(1));
        process.once('SIGINT', () => process.exit(1));
        resolve(signal);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    }),
});
process.exitCode = code;
