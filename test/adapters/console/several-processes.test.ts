/**
 * Several real `twir` processes on one store (built CLI): syncs at once, queries
 * during a sync, a sync killed with SIGKILL. Each process is what an operator
 * runs: `twir serve`'s sync, a `twir sync` from cron, one-shot queries.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { commandList } from '../../../commands/index.js';
import { Archive } from '../../../src/core/archive/archive.js';
import { executeReadOnlyLine } from '../../../src/core/commands/execute.js';
import { openStore } from '../../../src/core/store/store.js';
import { acquireSyncLease } from '../../../src/core/store/sync-lease.js';
import { ARCHIVE_DIR } from '../../support/archive.js';
import { runCli, spawnCli } from '../../support/run-cli.js';

/** Issues of 2023–2024: enough that a sync takes a few seconds, so the processes overlap. */
function setup(count = 80) {
  const dir = mkdtempSync(join(tmpdir(), 'twir-procs-'));
  const content = join(dir, 'content');
  mkdirSync(content);
  const files = readdirSync(ARCHIVE_DIR)
    .filter((f) => /^202[34]-.*\.md$/.test(f))
    .slice(0, count);
  for (const f of files) copyFileSync(join(ARCHIVE_DIR, f), join(content, f));
  const db = join(dir, 'twir.db');
  return { dir, db, files, env: { TWIR_DB: db, TWIR_SOURCE: content, TWIR_PARSE_WORKERS: '1' } };
}

function storeState(db: string) {
  const conn = new Database(db, { readonly: true });
  try {
    return {
      issues: conn.prepare('SELECT count(*) FROM issues').pluck().get() as number,
      integrity: conn.pragma('integrity_check', { simple: true }),
      lease: conn.prepare("SELECT value FROM state WHERE key = 'sync:lease'").pluck().get(),
    };
  } finally {
    conn.close();
  }
}

const TROUBLE = /database is locked|already exists|SQLITE_|RangeError|FATAL/i;

describe('several processes on one store', () => {
  it('two syncs started together on a fresh store: one syncs, the other says who holds the lease and exits 0', async () => {
    const { db, env, files } = setup();
    const [a, b] = [spawnCli(['sync'], env), spawnCli(['sync'], env)];
    const results = await Promise.all([a.done, b.done]);
    for (const r of results) {
      expect(r.stderr).not.toMatch(TROUBLE);
      expect(r.code).toBe(0);
    }
    const turnedAway = results.filter((r) =>
      /^Not syncing: another sync is running, twir sync \(pid \d+ on .+\) since \d\d:\d\d:\d\d UTC/m.test(r.stderr),
    );
    expect(turnedAway).toHaveLength(1);
    expect(storeState(db)).toEqual({ issues: files.length, integrity: 'ok', lease: undefined });
  });

  it('queries started with the first sync of a fresh store never see a half-made schema', async () => {
    const { db, env, files } = setup(40);
    const sync = spawnCli(['sync'], env);
    const queries = Array.from({ length: 4 }, () => spawnCli(['latest', '--as-of', '2026-01-01'], { TWIR_DB: db }));
    for (const q of await Promise.all(queries.map((x) => x.done))) {
      expect(q.stderr).not.toMatch(TROUBLE);
      // Before the sync created the file: a clear "does not exist"; after: an answer.
      if (q.code !== 0) expect(q.stderr).toMatch(/does not exist: run `twir sync`/);
    }
    expect((await sync.done).code).toBe(0);
    expect(storeState(db).issues).toBe(files.length);
  });

  it('`twir sync --wait` waits for the running sync, then runs its own', async () => {
    const { db, env, files } = setup();
    const first = spawnCli(['sync'], env);
    // Start the second once the first holds the lease (it says what it syncs from just after).
    while (!/Syncing from/.test(first.stderr())) await new Promise((r) => setTimeout(r, 20));
    const second = await spawnCli(['sync', '--wait'], env).done;
    expect(second.stderr).toMatch(/^Waiting for the sync already running: twir sync \(pid \d+/m);
    expect(second.stderr).toMatch(/Synced: \d+ listed/);
    expect(second.code).toBe(0);
    expect((await first.done).code).toBe(0);
    expect(storeState(db)).toMatchObject({ issues: files.length, integrity: 'ok' });
  });

  it('a sync killed with SIGKILL leaves an intact store, and the next sync takes over its lease at once and completes it', async () => {
    const { db, env, files } = setup();
    const victim = spawnCli(['sync'], env);
    while (!/parsed \d+\//.test(victim.stderr())) await new Promise((r) => setTimeout(r, 10));
    victim.child.kill('SIGKILL');
    await victim.done;
    const killed = storeState(db);
    expect(killed.integrity).toBe('ok');
    expect(killed.lease).toBeDefined(); // left behind by the dead process
    const next = runCli(['sync'], env);
    expect(next.stderr).not.toMatch(/Not syncing/);
    expect(next.code).toBe(0);
    expect(storeState(db)).toEqual({ issues: files.length, integrity: 'ok', lease: undefined });
  });

  it('`twir serve` with a stale store skips its start-up sync while another process holds the lease', () => {
    const { db, env } = setup(4);
    expect(runCli(['sync'], env).code).toBe(0);
    const store = openStore({ path: db });
    // This test process plays a sync from cron that is still running.
    const held = acquireSyncLease(store, { holder: 'twir sync (cron)', now: () => new Date() });
    expect(held.acquired).toBe(true);
    store.setState('sync:last', '2020-01-01T00:00:00.000Z');
    store.close();
    const r = runCli(['serve'], { ...env, TWIR_WEB: 'off' });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`^Not syncing: another sync is running, twir sync \\(cron\\) \\(pid ${process.pid} on `, 'm'));
    expect(r.stdout).toMatch(/^Loaded 4 issues/m);
  });

  it('answers during `sync --force` see the store before or after each replacement, never half-way', async () => {
    const { db, env } = setup();
    expect(runCli(['sync'], env).code).toBe(0);
    const archive = new Archive(openStore({ path: db, readonly: true }).db);
    const options = { archive, today: () => '2026-01-01' };
    // Search: the number of hits and the correction (vocabulary). The order of equally relevant hits
    // may shift with the rowids a replacement hands out; which hits exist must not.
    const ask = (line: string) => {
      const { reply } = executeReadOnlyLine(line, commandList, options);
      if (!line.startsWith('search')) return JSON.stringify(reply);
      return JSON.stringify({
        kind: reply.kind,
        title: reply.title,
        description: reply.description,
        hint: reply.hint,
        total: reply.page?.total,
      });
    };
    const lines = ['search async', 'search asnyc', 'latest', 'crate'];
    const baseline = lines.map(ask);
    expect(JSON.parse(baseline[0] as string)).toMatchObject({ kind: 'answer', total: expect.any(Number) });

    const force = spawnCli(['sync', '--force'], env);
    let running = true;
    void force.done.then(() => {
      running = false;
    });
    let rounds = 0;
    const differing: string[] = [];
    while (running) {
      lines.forEach((line, i) => {
        const got = ask(line);
        if (got !== baseline[i]) differing.push(`${line}: ${got}`);
      });
      rounds++;
      await new Promise((r) => setImmediate(r));
    }
    expect((await force.done).code).toBe(0);
    expect(rounds).toBeGreaterThan(3);
    expect(differing.slice(0, 3)).toEqual([]);
  });
});
