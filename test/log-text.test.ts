import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgress } from '../src/adapters/console/progress.js';
import { escapeLogText } from '../src/log-text.js';
import { createLogger } from '../src/logger.js';

/** Bell, escape, carriage return, right-to-left override: what must never reach the terminal raw. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const RAW = /[\u0007\u001b\r\u202e]/;
const HOSTILE = 'a\x1b]0;owned\x07b.md\nerror: forged line\r\u202eevil\u200b.md';

function collect(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (d: Buffer) => {
    text += String(d);
  });
  return { stream, text: () => text };
}

describe('log text', () => {
  it('writes control, bidi and zero-width characters as visible escapes, on one line', () => {
    expect(escapeLogText(HOSTILE)).toBe('a\\x1b]0;owned\\x07b.md\\nerror: forged line\\r\\u202eevil\\u200b.md');
  });

  it('leaves ordinary text, accents and emoji alone', () => {
    expect(escapeLogText('2024-10-30 Zürich 🦀 "quoted"')).toBe('2024-10-30 Zürich 🦀 "quoted"');
  });

  it('keeps every logged message on its own single line', () => {
    const out = collect();
    const log = createLogger(out.stream);
    log.warn(`${HOSTILE}: not stored`);
    log.error(HOSTILE);
    const lines = out.text().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^warning: a\\x1b/);
    expect(lines[1]).toMatch(/^error: a\\x1b/);
    expect(out.text()).not.toMatch(RAW);
  });

  it('escapes file names in the sync progress, on a TTY and piped', () => {
    for (const isTTY of [true, false]) {
      const out = collect();
      const progress = createProgress(Object.assign(out.stream, { isTTY, columns: 200 }));
      progress.start?.(1);
      progress.file?.(1, 1, HOSTILE);
      progress.warn?.(`${HOSTILE}: skipped`);
      // Only the progress bar's own "erase line" sequence may reach the terminal.
      const text = out.text().replaceAll('\r\x1b[2K', '');
      expect(text).not.toMatch(RAW);
      expect(text).toContain('a\\x1b]0;owned\\x07b.md\\nerror: forged line');
    }
  });
});
