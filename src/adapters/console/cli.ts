/**
 * Process entry for `twir`: wires the real streams, clock and config into
 * `main` and exits with its code.
 */
import { loadConfig } from '../../config.js';
import { main } from './main.js';

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
        resolve(signal);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    }),
});
process.exitCode = code;
