import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDigestHost, startDigestSchedule } from '../../src/adapters/digest-host.js';
import { loadConfig } from '../../src/config.js';
import { Archive } from '../../src/core/archive/archive.js';
import { type IssueStore, openStore } from '../../src/core/store/store.js';
import { acquireSyncLease } from '../../src/core/store/sync-lease.js';
import { createLocalSource } from '../../src/core/sync/local-source.js';
import { createParser } from '../../src/core/sync/parse-pool.js';
import type { IssueSource } from '../../src/core/sync/source.js';
import { syncIssues } from '../../src/core/sync/sync.js';
import { createSqliteDigestStore } from '../../src/digest/digest-store.js';
import { DEFAULT_SECTIONS } from '../../src/digest/settings.js';
import { sqliteSharedState } from '../../src/shared-state/sqlite-shared-state.js';
import { ARCHIVE_DIR } from '../support/archive.js';
import { memoryLog } from '../support/digest-fixtures.js';
import { FakeDiscord } from '../support/fake-digest-platforms.js';

const DISCORD_TOKEN = `${Buffer.from('123456789012345678').toString('base64url')}.fake.token`;
/**
 * Waits for a condition, however long the machine takes (the test's own timeout is the only limit):
 * these tests wait for what happened, never for a number of seconds.
 */
const until = async (check: () => boolean | Promise<boolean>) => {
  while (!(await check())) await new Promise((r) => setTimeout(r, 25));
};

/** A source that counts its listings: each scheduled tick lists once, so "three more ticks" is countable. */
function countingSource(dir: string): IssueSource & { lists: number } {
  const inner = createLocalSource(dir);
  const source = {
    description: inner.description,
    lists: 0,
    list: (o: Parameters<IssueSource['list']>[0]) => {
      source.lists++;
      return inner.list(o);
    },
    read: (f: Parameters<IssueSource['read']>[0]) => inner.read(f),
  };
  return source;
}

describe('serve: scheduled sync on TWIR_POLL_CRON, then detection and fan-out', () => {
  let dir: string;
  let store: IssueStore;
  let discord: FakeDiscord;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'twir-sched-'));
    for (const f of ['2024-10-23-this-week-in-rust.md', '2024-10-30-this-week-in-rust.md'])
      copyFileSync(join(ARCHIVE_DIR, f), join(dir, f));
    store = openStore({ path: join(dir, 'twir.db') });
    discord = await new FakeDiscord().start();
  });
  afterEach(async () => {
    await discord.close();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const config = () =>
    loadConfig({
      TWIR_SOURCE: dir,
      TWIR_POLL_CRON: '* * * * * *',
      TWIR_PARSE_WORKERS: '0',
      DISCORD_TOKEN,
      DISCORD_API_BASE: discord.apiBase,
    });

  it('a new issue published upstream is synced, answered and posted once without a restart', async () => {
    const log = memoryLog();
    const archive = new Archive(store.db);
    const source = countingSource(dir);
    const running = await startDigestSchedule({
      config: config(),
      store,
      shared: sqliteSharedState(store),
      archive,
      source,
      log,
      now: () => new Date(),
    });
    try {
      await until(async () => (await createSqliteDigestStore(store.db).highestAnnounced()) === 571);
      await createSqliteDigestStore(store.db).subscribe(
        { platform: 'discord', workspaceId: '900000000000000001', channelId: '100000000000000001' },
        { sections: [...DEFAULT_SECTIONS], place: null, when: { kind: 'new' } },
        571,
        'u',
        new Date(),
      );
      expect(archive.latest('2030-01-01')?.number).toBe(571);
      copyFileSync(join(ARCHIVE_DIR, '2024-11-06-this-week-in-rust.md'), join(dir, '2024-11-06-this-week-in-rust.md'));
      await until(() => discord.messages.length > 0);
      expect(archive.latest('2030-01-01')?.number).toBe(572);
      // Several more scheduled runs (ticks never overlap, so a third listing means two whole runs ended): still one post.
      const listed = source.lists;
      await until(() => source.lists >= listed + 3);
      expect(discord.messages).toHaveLength(1);
    } finally {
      await running.stop();
    }
  });

  it('a sync holding the store lease elsewhere (twir sync from cron) makes the scheduled tick skip, not wait', async () => {
    const log = memoryLog();
    const attempt = acquireSyncLease(store, { holder: 'twir sync', now: () => new Date() });
    if (!attempt.acquired) throw new Error('lease unexpectedly held');
    const running = await startDigestSchedule({
      config: config(),
      store,
      shared: sqliteSharedState(store),
      archive: new Archive(store.db),
      source: createLocalSource(dir),
      log,
      now: () => new Date(),
    });
    try {
      await until(() => log.lines.some((l) => /skipped this tick, another sync is running: twir sync/.test(l)));
      expect(store.stats().issues).toBe(0);
      attempt.lease.release();
      await until(() => store.stats().issues === 2);
      expect(store.stats().issues).toBe(2);
    } finally {
      await running.stop();
    }
  });

  it('two processes on one store: only the one holding the digest lease delivers', async () => {
    const digest = createSqliteDigestStore(store.db);
    const parser = createParser(0);
    await syncIssues({ source: createLocalSource(dir), store, parser, now: () => new Date() });
    await parser.close();
    await digest.setBaseline(570);
    const channel = { platform: 'discord' as const, workspaceId: '900000000000000001', channelId: '100000000000000002' };
    await digest.subscribe(channel, { sections: [...DEFAULT_SECTIONS], place: null, when: { kind: 'new' } }, 570, 'u', new Date());
    const other = openStore({ path: join(dir, 'twir.db') });
    try {
      const logs = [memoryLog(), memoryLog()];
      const hosts = await Promise.all(
        [store, other].map((s, i) =>
          createDigestHost({
            config: config(),
            store: s,
            shared: sqliteSharedState(s),
            source: createLocalSource(dir),
            log: logs[i] as ReturnType<typeof memoryLog>,
            now: () => new Date(),
          }),
        ),
      );
      // The first post waits until the other process has tried to deliver too, so both really overlap.
      const refused = () => logs.flatMap((l) => l.lines).some((l) => /another process is delivering/.test(l));
      discord.onRequest = async () => {
        await until(refused);
        return undefined;
      };
      await Promise.all(hosts.map((h) => h.afterSync()));
      await Promise.all(hosts.map((h) => h.stop()));
      expect(discord.messages).toHaveLength(1);
      expect(refused()).toBe(true);
    } finally {
      other.close();
    }
  });

  it('a sync still running when the next tick comes is not started twice', async () => {
    const log = memoryLog();
    const inner = createLocalSource(dir);
    let lists = 0;
    let concurrent = 0;
    let maxConcurrent = 0;
    let release: () => void = () => undefined;
    const released = new Promise<void>((r) => {
      release = r;
    });
    // The first listing is held until a later tick has come and been skipped: no wall-clock guess.
    const slow: IssueSource = {
      description: 'slow folder',
      async list(o) {
        lists++;
        maxConcurrent = Math.max(maxConcurrent, ++concurrent);
        await released;
        concurrent--;
        return inner.list(o);
      },
      read: (f) => inner.read(f),
    };
    const running = await startDigestSchedule({
      config: config(),
      store,
      shared: sqliteSharedState(store),
      archive: new Archive(store.db),
      source: slow,
      log,
      now: () => new Date(),
    });
    await until(() => log.lines.some((l) => /still running; skipped/.test(l)));
    expect(lists).toBe(1);
    release();
    await running.stop();
    expect(maxConcurrent).toBe(1);
    expect(log.lines.some((l) => /still running; skipped/.test(l))).toBe(true);
  });
});
