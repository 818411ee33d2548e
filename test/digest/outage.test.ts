/**
 * A platform outage longer than the old give-up window (8 attempts, about 4.5 minutes at the default
 * backoff), with `twir serve` left running as `npm start` runs it, against the loopback Slack: the
 * delivery keeps being tried and lands exactly once after the platform recovers. The retry cap is
 * shortened (TWIR_DIGEST_RETRY_MAX_SECONDS) so the outage is counted in attempts, not minutes.
 * Needs a fresh build (`npm run build`).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/core/store/store.js';
import { createSqliteDigestStore } from '../../src/digest/digest-store.js';
import { DEFAULT_SECTIONS } from '../../src/digest/settings.js';
import { FakeSlack } from '../support/fake-slack.js';
import { miniIssueFile, miniIssueMarkdown } from '../support/issue-markdown.js';

const BIN = fileURLToPath(new URL('../../bin/twir.js', import.meta.url));
const until = async (check: () => boolean | Promise<boolean>) => {
  while (!(await check())) await new Promise((r) => setTimeout(r, 25));
};
/** Attempts the old fan-out made before marking a delivery failed for good. */
const OLD_GIVE_UP_ATTEMPTS = 8;

describe('a digest survives a platform outage (twir serve, loopback Slack)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'twir-outage-'));
  const source = join(dir, 'content');
  let fake: FakeSlack;
  let child: ChildProcess | null = null;
  let stderr = '';

  beforeAll(async () => {
    fake = await new FakeSlack().start();
    mkdirSync(source);
    const issue = { number: 571, date: '2024-10-30', crate: 'bacon' };
    writeFileSync(join(source, miniIssueFile(issue)), miniIssueMarkdown(issue));
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps retrying through the outage and posts the new issue exactly once after recovery', async () => {
    child = spawn(process.execPath, [BIN, 'serve'], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        TWIR_DB: join(dir, 'twir.db'),
        TWIR_SOURCE: source,
        TWIR_PARSE_WORKERS: '0',
        TWIR_POLL_CRON: '* * * * * *',
        TWIR_DIGEST_RETRY_MAX_SECONDS: '0.3',
        SLACK_BOT_TOKEN: fake.botToken,
        SLACK_SIGNING_SECRET: 'outage-secret',
        SLACK_API_URL: fake.apiUrl,
        PORT: '0',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    await until(() => /Serving: .*slack/.test(stderr));
    // Subscribe C1 once the first sync set the baseline (#571 is the archive, not news).
    const store = openStore({ path: join(dir, 'twir.db') });
    try {
      const digest = createSqliteDigestStore(store.db);
      await until(async () => (await digest.highestAnnounced()) === 571);
      const channel = { platform: 'slack' as const, workspaceId: 'T1', channelId: 'C1' };
      await digest.subscribe(channel, { sections: [...DEFAULT_SECTIONS], place: null, when: { kind: 'new' } }, 571, 'U1', new Date());

      // The outage starts, then #572 is published.
      fake.down = true;
      const attempts = () => fake.calls.filter((c) => c.method === 'chat.postMessage' || c.method === 'conversations.history').length;
      writeFileSync(
        join(source, miniIssueFile({ number: 572, date: '2024-11-06' })),
        miniIssueMarkdown({ number: 572, date: '2024-11-06' }),
      );
      await until(() => attempts() >= OLD_GIVE_UP_ATTEMPTS + 4);
      expect(fake.posted).toHaveLength(0);
      expect((await digest.recentDeliveries((await digest.subscription(channel))?.id ?? -1, 1))[0]).toMatchObject({ issueNumber: 572 });
      expect((await digest.recentDeliveries((await digest.subscription(channel))?.id ?? -1, 1))[0]?.state).not.toBe('failed');

      // Recovery: the next try lands, once.
      fake.down = false;
      await until(() => fake.posted.length > 0);
      await until(async () => (await digest.recentDeliveries((await digest.subscription(channel))?.id ?? -1, 1))[0]?.state === 'sent');
      expect(fake.posted).toHaveLength(1);
      expect(fake.posted[0]?.channel).toBe('C1');
      expect(JSON.stringify(fake.posted[0]?.metadata)).toContain('"issue":572');
      expect(await digest.counts()).toMatchObject({ sent: 1, failed: 0, missed: 0, pending: 0, sending: 0 });
      expect(stderr).toMatch(/retry \d+ in 0 s/);
      expect(stderr).not.toMatch(/gave up/);
    } finally {
      store.close();
    }
    const code = await new Promise<number | null>((resolve) => {
      child?.on('exit', (c) => resolve(c));
      child?.kill('SIGTERM');
    });
    expect(code).toBe(0);
  });
});
