/**
 * Exactly once across crashes: the real `twir digest deliver` in a child
 * process, killed with SIGKILL at several points of a fan-out, then
 * restarted until done. Needs a fresh build (`npm run build`).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openStore } from '../../src/core/store/store.js';
import { createSqliteDigestStore } from '../../src/digest/digest-store.js';
import { planDeliveries } from '../../src/digest/plan.js';
import { DEFAULT_SECTIONS } from '../../src/digest/settings.js';
import { FakeDiscord, FakeSlack } from '../support/fake-digest-platforms.js';

const BIN = fileURLToPath(new URL('../../bin/twir.js', import.meta.url));
const BUILT = fileURLToPath(new URL('../../dist/src/adapters/console/digest-operator.js', import.meta.url));
// A syntactically valid bot token whose first part encodes an application id.
const DISCORD_TOKEN = `${Buffer.from('123456789012345678').toString('base64url')}.fake.token`;
const CHANNELS = 12;

describe('kill -9 during a fan-out, restart: every channel gets the issue exactly once', () => {
  let dir: string;
  let discord: FakeDiscord;
  let slack: FakeSlack;
  let child: ChildProcess | null = null;

  beforeAll(async () => {
    if (!existsSync(BUILT)) throw new Error('dist/ is missing the digest: run `npm run build` first.');
    dir = mkdtempSync(join(tmpdir(), 'twir-kill-'));
    copyFileSync(inject('archiveDb'), join(dir, 'twir.db'));
    const store = openStore({ path: join(dir, 'twir.db') });
    const digest = createSqliteDigestStore(store.db);
    const settings = { sections: [...DEFAULT_SECTIONS], place: null, when: { kind: 'new' as const } };
    for (let i = 0; i < CHANNELS; i++) {
      await digest.subscribe(
        { platform: 'discord', workspaceId: '900000000000000001', channelId: String(100000000000000000n + BigInt(i)) },
        settings,
        null,
        'u',
        new Date(),
      );
      await digest.subscribe({ platform: 'slack', workspaceId: 'T1', channelId: `C${i}` }, settings, null, 'U', new Date());
    }
    // The newest stored issue is the one being delivered, so detection in the child finds nothing newer.
    const newest = store
      .summaries()
      .filter((i) => i.number !== null)
      .sort((a, b) => (b.number ?? 0) - (a.number ?? 0))[0];
    if (!newest?.number) throw new Error('archive store is empty');
    await digest.announce(
      { number: newest.number, file: newest.file },
      planDeliveries({ number: newest.number }, await digest.subscriptions(), new Date()),
      new Date(),
    );
    store.close();
    discord = await new FakeDiscord().start();
    slack = await new FakeSlack().start();
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    await discord.close();
    await slack.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Runs `twir digest deliver`; resolves with its exit code or signal. */
  function deliver(): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }> {
    return new Promise((resolve) => {
      let stdout = '';
      child = spawn(process.execPath, [BIN, 'digest', 'deliver'], {
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '/tmp',
          TWIR_DB: join(dir, 'twir.db'),
          // Detection reads from here; the store already has everything (nothing new is announced).
          TWIR_SOURCE: dir,
          DISCORD_TOKEN,
          DISCORD_API_BASE: discord.apiBase,
          SLACK_BOT_TOKEN: 'xoxb-1-fake',
          SLACK_SIGNING_SECRET: 'fake-secret',
          SLACK_API_URL: slack.apiUrl.replace(/\/$/, ''),
          SLACK_POSTS_PER_MINUTE: '600',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout?.on('data', (d) => {
        stdout += d;
      });
      child.on('exit', (code, signal) => resolve({ code, signal, stdout }));
    });
  }

  /** A fake's hook that kills the bot at the nth request it sees (and, with 'drop', never answers that one). */
  const killAt = (nth: number, answer?: 'drop') => {
    let n = 0;
    return () => {
      if (++n !== nth) return undefined;
      child?.kill('SIGKILL');
      return answer;
    };
  };

  it('no duplicate, no miss; an accepted post is not repeated and one lost in flight is sent', async () => {
    // Slack is paced slower than Discord here (SLACK_POSTS_PER_MINUTE=600), so the Discord kills happen
    // while both still have work, and the Slack kills after Discord is done.
    // 1: Discord stored the 3rd post, the bot is killed before it hears back (found again by its nonce).
    discord.onAccepted = killAt(3);
    expect((await deliver()).signal).toBe('SIGKILL');
    discord.onAccepted = null;
    // 2: a Discord post lost in flight: the platform never stored it.
    discord.onRequest = killAt(2, 'drop');
    expect((await deliver()).signal).toBe('SIGKILL');
    discord.onRequest = null;
    // 3: Slack stored a post and the bot is killed before the answer (found with conversations.history).
    slack.onAccepted = killAt(2);
    expect((await deliver()).signal).toBe('SIGKILL');
    slack.onAccepted = null;
    // 4: a Slack post lost in flight.
    slack.onRequest = killAt(2, 'drop');
    expect((await deliver()).signal).toBe('SIGKILL');
    slack.onRequest = null;

    // Restart to completion.
    const done = await deliver();
    expect(done.code).toBe(0);
    const again = await deliver();
    expect(again.stdout).toMatch(/^Digest: 0 sent/);

    expect(discord.messages).toHaveLength(CHANNELS);
    expect(slack.messages).toHaveLength(CHANNELS);
    expect([...discord.countByChannel().values()].every((c) => c === 1)).toBe(true);
    expect([...slack.countByChannel().values()].every((c) => c === 1)).toBe(true);
    // The in-doubt posts were resolved by the platforms' own records, not by luck.
    expect(discord.nonceReplays).toBeGreaterThan(0);
    expect(slack.historyCalls).toBeGreaterThan(0);
    const store = openStore({ path: join(dir, 'twir.db') });
    try {
      expect(await createSqliteDigestStore(store.db).counts()).toEqual({
        pending: 0,
        sending: 0,
        sent: CHANNELS * 2,
        failed: 0,
        missed: 0,
      });
    } finally {
      store.close();
    }
  });
});
