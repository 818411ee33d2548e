/**
 * Bolt, the Web API client and Socket Mode log through this adapter onto the
 * one injected Logger, prefixed "slack:". Their debug chatter goes to log.debug only at Bolt's DEBUG level.
 */
import { type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import type { Logger } from '../../logger.js';

/**
 * A `@slack/logger` Logger writing to `log`. Warnings and errors matching `quiet` go to debug: Bolt repeats
 * them for every request of a kind (anyone can send one), and the adapter logs the case itself, counted or
 * once, with what Bolt leaves out.
 */
export function slackLogger(log: Logger, quiet: readonly RegExp[] = []): BoltLogger {
  let level = LogLevel.INFO;
  let name = 'slack';
  const text = (msg: unknown[]) => `${name}: ${msg.map((m) => (m instanceof Error ? m.message : String(m))).join(' ')}`;
  return {
    debug: (...msg: unknown[]) => {
      if (level === LogLevel.DEBUG) log.debug(text(msg));
    },
    info: (...msg: unknown[]) => {
      if (level !== LogLevel.ERROR && level !== LogLevel.WARN) log.info(text(msg));
    },
    warn: (...msg: unknown[]) => {
      if (quiet.some((q) => q.test(text(msg)))) log.debug(text(msg));
      else if (level !== LogLevel.ERROR) log.warn(text(msg));
    },
    error: (...msg: unknown[]) => {
      if (quiet.some((q) => q.test(text(msg)))) log.debug(text(msg));
      else log.error(text(msg));
    },
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: (n: string) => {
      name = n.startsWith('slack') ? n : `slack ${n}`;
    },
  };
}
