import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';

function sink(): Writable & { text: string } {
  const w = new Writable({
    write(chunk, _enc, done) {
      w.text += String(chunk);
      done();
    },
  }) as Writable & { text: string };
  w.text = '';
  return w;
}

describe('the logger: plain lines or pino JSON lines, filtered by LOG_LEVEL', () => {
  it('writes plain lines at info and above by default, debug only when asked', () => {
    const out = sink();
    const log = createLogger(out);
    log.debug('hidden');
    log.info('hello');
    log.warn('careful\nforged line');
    log.error('broken');
    expect(out.text).toBe('hello\nwarning: careful\\nforged line\nerror: broken\n');
    const verbose = sink();
    createLogger(verbose, false, { level: 'debug' }).debug('one interaction');
    expect(verbose.text).toBe('debug: one interaction\n');
  });

  it('writes one JSON object per line with time, level and message (LOG_FORMAT=json)', () => {
    const out = sink();
    const log = createLogger(out, false, { level: 'warn', format: 'json' });
    log.info('dropped');
    log.warn('digest: paused discord 1/2: Missing Permissions');
    const lines = out.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'warn', msg: 'digest: paused discord 1/2: Missing Permissions' });
    expect(String(lines[0]?.time)).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('reads LOG_LEVEL and LOG_FORMAT, naming the variable when wrong', () => {
    expect(loadConfig({ LOG_LEVEL: 'DEBUG', LOG_FORMAT: 'json' })).toMatchObject({ logLevel: 'debug', logFormat: 'json' });
    expect(loadConfig({})).toMatchObject({ logLevel: 'info', logFormat: 'text' });
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(/^LOG_LEVEL: /);
    expect(() => loadConfig({ LOG_FORMAT: 'xml' })).toThrow(/^LOG_FORMAT: /);
  });
});
