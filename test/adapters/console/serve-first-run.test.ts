import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { commandList } from '../../../commands/index.js';
import type { ConsoleIO } from '../../../src/adapters/console/console-io.js';
import { serve } from '../../../src/adapters/console/operator.js';
import type { StartAdapter } from '../../../src/adapters/host.js';
import { loadConfig } from '../../../src/config.js';
import { executeReadOnlyLine } from '../../../src/core/commands/execute.js';
import { openStore } from '../../../src/core/store/store.js';
import { readBackfill } from '../../../src/core/sync/backfill.js';
import { createLogger } from '../../../src/logger.js';
import { miniIssueFile, miniIssueMarkdown } from '../../support/issue-markdown.js';

const COUNT = 40;

function folder() {
  const dir = mkdtempSync(join(tmpdir(), 'twir-serve-first-'));
  mkdirSync(join(dir, 'content'));
  for (let n = 1; n <= COUNT; n++) {
    const date = new Date(Date.UTC(2023, 0, 4 + 7 * n)).toISOString().slice(0, 10);
    const issue = { number: 400 + n, date, links: [`Notes on zebras, part ${n}`] };
    writeFileSync(join(dir, 'content', miniIssueFile(issue)), miniIssueMarkdown(issue));
  }
  return dir;
}

function io(dir: string, shutdown: Promise<string>): ConsoleIO & { out: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  stdout.on('data', (d) => (out += String(d)));
  stderr.resume();
  return {
    stdout,
    stderr,
    stdin: new PassThrough(),
    now: () => new Date('2023-10-15T12:00:00Z'),
    loadConfig: () => loadConfig({ TWIR_DB: join(dir, 'twir.db'), TWIR_SOURCE: join(dir, 'content'), TWIR_PARSE_WORKERS: '0' }),
    untilShutdown: () => shutdown,
    out: () => out,
  };
}

const newest = `This Week in Rust ${400 + COUNT}`;

describe('twir serve on an empty store', () => {
  it('starts the adapters once the newest issue is stored and keeps syncing behind them', async () => {
    const dir = folder();
    let stop: (signal: string) => void = () => undefined;
    const shutdown = new Promise<string>((resolve) => (stop = resolve));
    const seen: { stored?: number; latest?: string; search?: string | undefined; searchAfter?: string | undefined } = {};
    const fake: StartAdapter = async (ctx) => {
      const ask = (line: string) => executeReadOnlyLine(line, commandList, { archive: ctx.archive, today: () => '2023-10-15' }).reply;
      seen.stored = ctx.store.stats().issues;
      seen.latest = ask('latest').title;
      seen.search = ask('search zebras').warning;
      // Shut down once the backfill is over, asking once more then.
      const timer = setInterval(() => {
        if (readBackfill(ctx.store.db)) return;
        clearInterval(timer);
        seen.searchAfter = ask('search zebras').warning;
        stop('SIGTERM');
      }, 5);
      return { description: 'fake', stop: async () => undefined };
    };
    const console = io(dir, shutdown);
    const code = await serve(console, createLogger(console.stderr), { adapters: async () => [fake] });
    expect(code).toBe(0);
    expect(seen.stored).toBeLessThan(COUNT);
    expect(seen.latest).toBe(newest);
    expect(seen.search).toMatch(/Searched \d+ of 40 issues; still indexing/);
    expect(seen.searchAfter).toBeUndefined();
    expect(console.out()).toMatch(/^Loaded \d+ issues; newest This Week in Rust 440 .*; indexing the other \d+ behind\./);
    const store = openStore({ path: join(dir, 'twir.db') });
    expect(store.stats().issues).toBe(COUNT);
    expect(store.getState('sync:last')).toBeDefined();
    store.close();
  });

  it('stops the backfill cleanly on shutdown, keeping what landed, and finishes it on the next start', async () => {
    const dir = folder();
    const fake: StartAdapter = async () => ({ description: 'fake', stop: async () => undefined });
    const first = io(dir, Promise.resolve('SIGINT'));
    expect(await serve(first, createLogger(first.stderr), { adapters: async () => [fake] })).toBe(0);
    let store = openStore({ path: join(dir, 'twir.db') });
    const landed = store.stats().issues;
    expect(landed).toBeGreaterThan(0);
    expect(landed).toBeLessThan(COUNT);
    expect(store.getState('sync:last')).toBeUndefined();
    store.close();

    let stop: (signal: string) => void = () => undefined;
    const again = io(dir, new Promise<string>((resolve) => (stop = resolve)));
    const waiter: StartAdapter = async (ctx) => {
      const timer = setInterval(() => {
        if (readBackfill(ctx.store.db)) return;
        clearInterval(timer);
        stop('SIGTERM');
      }, 5);
      return { description: 'fake', stop: async () => undefined };
    };
    expect(await serve(again, createLogger(again.stderr), { adapters: async () => [waiter] })).toBe(0);
    store = openStore({ path: join(dir, 'twir.db') });
    expect(store.stats().issues).toBe(COUNT);
    store.close();
  });
});
