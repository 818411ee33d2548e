/**
 * The one logger: plain lines to a stream (stderr by default), so stdout stays
 * clean for answers and `--json`. Injected where used; nothing else writes logs.
 * Each message is one line: newlines, escape sequences and bidi controls in it
 * (a hostile file name, say) are written as visible escapes (see log-text.ts).
 */
import type { Writable } from 'node:stream';
import { escapeLogText } from './log-text.js';

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export function createLogger(stream: Writable = process.stderr, quiet = false): Logger {
  const write = (prefix: string, message: string): void => {
    stream.write(`${prefix}${escapeLogText(message)}\n`);
  };
  return {
    info: (m) => {
      if (!quiet) write('', m);
    },
    warn: (m) => write('warning: ', m),
    error: (m) => write('error: ', m),
  };
}
