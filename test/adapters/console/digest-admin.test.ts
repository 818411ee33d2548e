import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DIGEST_ADMIN_VERBS } from '../../../src/adapters/console/digest-admin.js';
import { main } from '../../../src/adapters/console/main.js';
import { loadConfig } from '../../../src/config.js';
import { openStore } from '../../../src/core/store/store.js';
import { createSqliteDigestStore } from '../../../src/digest/digest-store.js';
import { planDeliveries } from '../../../src/digest/plan.js';
import { DEFAULT_SECTIONS } from '../../../src/digest/settings.js';

const now = new Date('2024-11-06T12:00:00Z');
const settings = { sections: [...DEFAULT_SECTIONS], place: null, when: { kind: 'new' as const } };
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

describe('twir digest list | pause | resume | remove | retry | status --json, --help, --version', () => {
  let dir: string;
  let db: string;
  const twir = async (...argv: string[]) => {
    const stdout = sink();
    const stderr = sink();
    const code = await main(argv, {
      stdout,
      stderr,
      stdin: new PassThrough(),
      now: () => now,
      loadConfig: () => loadConfig({ TWIR_DB: db }),
    });
    return { code, stdout: stdout.text, stderr: stderr.text };
  };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'twir-digest-admin-'));
    db = join(dir, 'twir.db');
    const store = openStore({ path: db });
    const digest = createSqliteDigestStore(store.db);
    await digest.subscribe(discord, settings, 570, 'U1', now);
    await digest.subscribe(slack, settings, 570, 'U1', now, { workspace: 'rust-lang', channel: 'general' });
    await digest.announce({ number: 571, file: '571.md' }, planDeliveries({ number: 571 }, await digest.subscriptions(), now), now);
    // The Discord channel lost the bot's permissions: paused, #571 missed.
    const job = (await digest.due(now, 10)).find((j) => j.channel.platform === 'discord');
    if (!job) throw new Error('nothing due');
    await digest.markSending(job, now);
    for (let i = 0; i < 3; i++) await digest.channelFailure(job, 'Missing Permissions', now, now);
    store.close();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('lists subscriptions naming the guild, workspace and channel, paused ones with their reason', async () => {
    const r = await twir('digest', 'list');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /discord guild 900000000000000001 channel 100000000000000001 .* paused since .*: Missing Permissions · last #571 missed/,
    );
    expect(r.stdout).toMatch(/slack workspace rust-lang \(T1\) channel #general \(C1\) .* active · last #571 pending/);
    const json = JSON.parse((await twir('digest', 'list', '--json')).stdout) as { channelId: string }[];
    expect(json.map((s) => s.channelId)).toEqual(['100000000000000001', 'C1']);
  });

  it('retry re-queues the missed delivery and resumes the channel; a second retry has nothing to do', async () => {
    const r = await twir('digest', 'retry', '--channel', discord.channelId);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Re-queued #571 for discord guild 900000000000000001 channel 100000000000000001.');
    const status = JSON.parse((await twir('digest', 'status', '--json')).stdout) as {
      deliveries: Record<string, number>;
      subscriptions: { pausedAt: string | null; where: string }[];
    };
    expect(status.deliveries).toMatchObject({ missed: 0, sending: 1, pending: 1 });
    expect(status.subscriptions.every((s) => s.pausedAt === null)).toBe(true);
    expect((await twir('digest', 'retry')).stdout).toMatch(/^Nothing to retry/);
  });

  it('pause, resume and remove need --channel and act on that channel only', async () => {
    expect((await twir('digest', 'pause')).code).toBe(2);
    expect((await twir('digest', 'pause', '--channel', 'slack:T1/C1', '--reason', 'maintenance')).stdout).toContain(
      'Paused slack workspace rust-lang (T1) channel #general (C1): maintenance.',
    );
    expect((await twir('digest', 'list')).stdout).toMatch(/channel #general \(C1\) .* paused since .*: maintenance/);
    expect((await twir('digest', 'resume', '--channel', 'C1')).stdout).toContain(
      'Resumed slack workspace rust-lang (T1) channel #general (C1).',
    );
    expect((await twir('digest', 'remove', '--channel', 'C1')).code).toBe(0);
    expect((await twir('digest', 'list')).stdout).not.toContain('(C1)');
    const missing = await twir('digest', 'remove', '--channel', 'C1');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no digest subscription for channel C1/);
    expect((await twir('digest', 'retry', '--issue', 'abc')).code).toBe(2);
  });

  it('status prints missed deliveries and the retry hint', async () => {
    const r = await twir('digest', 'status');
    expect(r.stdout).toMatch(/1 missed \(twir digest retry re-queues\)/);
    expect((await twir('digest', 'status', '--bogus')).code).toBe(2);
  });

  it('--help, -h and help list the operator commands after the chat commands; --version prints package.json version', async () => {
    for (const flag of ['--help', '-h', 'help']) {
      const r = await twir(flag);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('search');
      for (const op of ['twir serve', 'twir sync', 'twir export', 'twir digest status', 'twir digest retry', 'twir digest pause'])
        expect(r.stdout).toContain(op);
    }
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(await twir('--version')).toMatchObject({ code: 0, stdout: `twir ${pkg.version}\n` });
  });

  it('main routes exactly the verbs digest-admin answers', async () => {
    const source = readFileSync(new URL('../../../src/adapters/console/main.ts', import.meta.url), 'utf8');
    expect(source).toContain(
      `const DIGEST_ADMIN_VERBS = ${JSON.stringify(DIGEST_ADMIN_VERBS).replaceAll('"', "'").replaceAll(',', ', ')} as const;`,
    );
  });
});
