/**
 * The one logger. Two formats on one interface: plain lines (the default,
 * readable on a terminal: `warning: …`, `error: …`) and, with
 * `LOG_FORMAT=json`, JSON lines from pino (`{"level":"warn","time":"…","msg":"…"}`)
 * for a log collector. Both go to a stream (stderr by default), so stdout
 * stays clean for answers and `--json`. Injected where used; nothing else
 * writes logs. A plain line is one line: newlines, escape sequences and bidi
 * controls in a message (a hostile file name, say) are written as visible
 * escapes (see log-text.ts); JSON escapes them itself.
 */
import type { Writable } from 'node:stream';
import { pino } from 'pino';
import { escapeLogText } from './log-text.js';

export interface Logger {
  /** Per-interaction detail, off unless LOG_LEVEL=debug. */
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Levels, least severe first (config.ts validates LOG_LEVEL against the same names). */
const LEVELS = ['debug', 'info', 'warn', 'error'] as const;
type Level = (typeof LEVELS)[number];

export interface LoggerOptions {
  /** The least severe level written. Default `info`. */
  level?: Level;
  /** `text` (default) or `json` (pino). */
  format?: 'text' | 'json';
}

/** A logger on `stream`; `quiet` drops info and debug (one-shot commands that only report problems). */
export function createLogger(stream: Writable = process.stderr, quiet = false, options: LoggerOptions = {}): Logger {
  const least = LEVELS.indexOf(quiet ? 'warn' : (options.level ?? 'info'));
  const on = (level: Level) => LEVELS.indexOf(level) >= least;
  if (options.format === 'json') {
    const out = pino(
      {
        level: LEVELS[least],
        base: undefined,
        timestamp: pino.stdTimeFunctions.isoTime,
        formatters: { level: (label) => ({ level: label }) },
      },
      stream,
    );
    return {
      debug: (m) => out.debug(m),
      info: (m) => out.info(m),
      warn: (m) => out.warn(m),
      error: (m) => out.error(m),
    };
  }
  const write = (prefix: string, message: string): void => {
    stream.write(`${prefix}${escapeLogText(message)}\n`);
  };
  return {
    debug: (m) => {
      if (on('debug')) write('debug: ', m);
    },
    info: (m) => {
      if (on('info')) write('', m);
    },
    warn: (m) => {
      if (on('warn')) write('warning: ', m);
    },
    error: (m) => write('error: ', m),
  };
}
