/**
 * Sync progress for people: a one-line bar redrawn in place on a TTY, plain
 * log lines (every tenth of the work) when output is piped or in CI.
 */
import type { Writable } from 'node:stream';
import type { SyncProgress } from '../../core/sync/sync.js';
import { escapeLogText } from '../../log-text.js';

export function createProgress(stream: Writable & { isTTY?: boolean; columns?: number }): SyncProgress {
  let lastDecile = -1;
  return {
    start(total) {
      stream.write(total === 0 ? 'Nothing new to parse.\n' : `Parsing ${total} file(s)…\n`);
    },
    file(done, total, name) {
      // File names come from the source folder or repository: never let one drive the terminal.
      const file = escapeLogText(name);
      if (stream.isTTY) {
        const width = 30;
        const filled = Math.round((done / total) * width);
        const line = `[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${done}/${total} ${file}`;
        stream.write(`\r\x1b[2K${line.slice(0, (stream.columns ?? 80) - 1)}${done === total ? '\n' : ''}`);
        return;
      }
      const decile = Math.floor((done / total) * 10);
      if (decile !== lastDecile || done === total) {
        lastDecile = decile;
        stream.write(`parsed ${done}/${total} (${file})\n`);
      }
    },
    warn(message) {
      stream.write(`${stream.isTTY ? '\r\x1b[2K' : ''}warning: ${escapeLogText(message)}\n`);
    },
  };
}
