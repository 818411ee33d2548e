/**
 * `twir db migrate-to-postgres` against the test server: an install's SQLite shared state lands in
 * PostgreSQL with everything the digest and the Slack adapter need, and a second run copies nothing twice.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/adapters/console/main.js';
import { loadConfig } from '../../src/config.js';
import { openStore } from '../../src/core/store/store.js';
import { planDeliveries } from '../../src/digest/plan.js';
import { openPostgresSharedState } from '../../src/shared-state/postgres/postgres-shared-state.js';
import { sqliteSharedState } from '../../src/shared-state/sqlite-shared-state.js';
import { freshDatabase, postgresUrl } from '../support/postgres.js';

const now = new Date('2024-11-06T12:00:00Z');
const settings = { sections: ['headline' as const, 'crate' as const], place: 'berlin', when: { kind: 'new' as const } };
const discord = { platform: 'discord' as const, workspaceId: '900000000000000001', channelId: '100000000000000001' };
const slack = { platform: 'slack' as const, workspaceId: 'T1', channelId: 'C1' };

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

describe.skipIf(!postgresUrl())('twir db migrate-to-postgres', () => {
  let dir: string;
  let path: string;
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  const twir = async (env: Record<string, string>, ...argv: string[]) => {
    const stdout = sink();
    const stderr = sink();
    const code = await main(argv, { stdout, stderr, stdin: new PassThrough(), now: () => now, loadConfig: () => loadConfig(env) });
    return { code, stdout: stdout.text, stderr: stderr.text };
  };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'twir-migrate-pg-'));
    path = join(dir, 'twir.db');
    database = await freshDatabase();
    const store = openStore({ path });
    const s = sqliteSharedState(store);
    await s.digest.setBaseline(570);
    await s.digest.subscribe(discord, settings, 570, 'U1', now, { workspace: 'Rust', channel: 'news' });
    await s.digest.subscribe(slack, settings, 570, 'U2', now);
    await s.digest.announce({ number: 571, file: '571.md' }, planDeliveries({ number: 571 }, await s.digest.subscriptions(), now), now);
    const [job] = (await s.digest.due(now, 10)).filter((j) => j.channel.platform === 'slack');
    if (!job) throw new Error('nothing due');
    await s.digest.markSending(job, now);
    for (let i = 0; i < 3; i++) await s.digest.channelFailure(job, 'channel_not_found', now, now);
    await s.installations.save({
      teamId: 'T1',
      enterpriseId: null,
      isEnterpriseInstall: false,
      teamName: 'One',
      botToken: 'xoxb-1',
      botUserId: 'U1',
      installation: '{}',
      installedAt: now.toISOString(),
    });
    await s.pages.set('discord:page:abc', JSON.stringify({ command: 'search', at: now.toISOString() }), now.toISOString());
    store.close();
  });
  afterEach(async () => {
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('copies subscriptions, the delivery log, announced issues, installations and page states once, and says how many', async () => {
    const env = { TWIR_DB: path, DATABASE_URL: database.url };
    const first = await twir(env, 'db', 'migrate-to-postgres');
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('subscriptions: 2 copied');
    expect(first.stdout).toContain('deliveries (the delivery log): 2 copied');
    expect(first.stdout).toContain('Slack installations: 1 copied');
    expect(first.stdout).toContain('baseline: #570');

    const pg = await openPostgresSharedState({ connectionString: database.url });
    try {
      const subs = await pg.digest.subscriptions();
      expect(subs.map((s) => [s.platform, s.workspaceName, s.channelName, s.settings.place, s.pausedReason])).toEqual([
        ['discord', 'Rust', 'news', 'berlin', null],
        ['slack', null, null, 'berlin', 'channel_not_found'],
      ]);
      expect(await pg.digest.highestAnnounced()).toBe(571);
      // The fan-out resumes where SQLite's stopped: Discord's delivery is due, Slack's was missed (paused).
      expect((await pg.digest.due(now, 10)).map((j) => j.channel.platform)).toEqual(['discord']);
      expect(await pg.digest.counts()).toEqual({ pending: 1, sending: 0, sent: 0, failed: 0, missed: 1 });
      expect((await pg.installations.find({ teamId: 'T1', enterpriseId: null, isEnterpriseInstall: false }))?.botToken).toBe('xoxb-1');
      expect(await pg.pages.get('discord:page:abc')).toContain('search');
      // An issue announced here cannot be announced again by a replica.
      expect(await pg.digest.announce({ number: 571, file: '571.md' }, [], now)).toBe(false);
    } finally {
      await pg.close();
    }

    const second = await twir(env, 'db', 'migrate-to-postgres');
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('subscriptions: 0 copied, 2 already there');
    expect(second.stdout).toContain('deliveries (the delivery log): 0 copied, 2 already there');
    const again = await openPostgresSharedState({ connectionString: database.url });
    try {
      expect(await again.digest.counts()).toEqual({ pending: 1, sending: 0, sent: 0, failed: 0, missed: 1 });
      expect(await again.digest.subscriptions()).toHaveLength(2);
    } finally {
      await again.close();
    }
  });

  it('names the variable to set when DATABASE_URL is missing, or TWIR_DB does not exist', async () => {
    const noUrl = await twir({ TWIR_DB: path }, 'db', 'migrate-to-postgres');
    expect(noUrl.code).toBe(2);
    expect(noUrl.stderr).toMatch(/DATABASE_URL: not set/);
    const noDb = await twir({ TWIR_DB: join(dir, 'missing.db'), DATABASE_URL: database.url }, 'db', 'migrate-to-postgres');
    expect(noDb.code).toBe(2);
    expect(noDb.stderr).toMatch(/TWIR_DB: .*missing\.db does not exist/);
    expect((await twir({ TWIR_DB: path }, 'db', 'copy')).code).toBe(2);
  });
});
