import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDiscordDigestPoster } from '../../src/adapters/discord/digest-poster.js';
import { createSlackDigestPoster } from '../../src/adapters/slack/digest-poster.js';
import { loadConfig } from '../../src/config.js';
import type { Issue } from '../../src/core/issue/types.js';
import { type IssueStore, openStore } from '../../src/core/store/store.js';
import { createSource } from '../../src/core/sync/create-source.js';
import { createParser } from '../../src/core/sync/parse-pool.js';
import { syncIssues } from '../../src/core/sync/sync.js';
import { detectNewIssues } from '../../src/digest/detect.js';
import { createSqliteDigestStore, type DigestStore } from '../../src/digest/digest-store.js';
import { type FanOutOptions, runFanOut } from '../../src/digest/fan-out.js';
import { createDigestLimiter, type LimiterSettings } from '../../src/digest/limiter.js';
import { planDeliveries } from '../../src/digest/plan.js';
import { DEFAULT_SECTIONS } from '../../src/digest/settings.js';
import type { ChannelKey } from '../../src/digest/types.js';
import { ARCHIVE_DIR } from '../support/archive.js';
import { archiveIssue, memoryLog } from '../support/digest-fixtures.js';
import { FakeDiscord, FakeSlack, slackOptions } from '../support/fake-digest-platforms.js';
import { FakeGitHub } from '../support/fake-github.js';

function loadByNumber(store: IssueStore, n: number): Issue | undefined {
  const file = store.summaries().find((s) => s.number === n)?.file;
  return file ? store.issueByFile(file) : undefined;
}

const settings = { sections: [...DEFAULT_SECTIONS], place: null, when: { kind: 'new' as const } };
const discordChannel = (i: number): ChannelKey => ({
  platform: 'discord',
  workspaceId: '900000000000000001',
  channelId: String(100000000000000000n + BigInt(i)),
});
const slackChannel = (i: number): ChannelKey => ({ platform: 'slack', workspaceId: 'T1', channelId: `C${String(i).padStart(6, '0')}` });

describe('fan-out over the delivery log, real posters against loopback platforms', () => {
  let store: IssueStore;
  let digest: DigestStore;
  let discord: FakeDiscord;
  let slack: FakeSlack;

  beforeEach(async () => {
    store = openStore({ path: ':memory:' });
    for (const n of [570, 571]) store.replaceIssue(archiveIssue(n), `sha${n}`, 1);
    digest = createSqliteDigestStore(store.db);
  });
  afterEach(async () => {
    await discord?.close();
    await slack?.close();
    store.close();
  });

  async function platforms(d: ConstructorParameters<typeof FakeDiscord>[0] = {}, s: ConstructorParameters<typeof FakeSlack>[0] = {}) {
    discord = await new FakeDiscord(d).start();
    slack = await new FakeSlack(s).start();
  }

  function fanOut(limits: Partial<LimiterSettings> = {}, extra: Partial<FanOutOptions> = {}) {
    const log = memoryLog();
    const limiter = createDigestLimiter({ discordPerSecond: 1000, slackPostsPerMinute: 60_000, slackChannelSpacingMs: 0, ...limits });
    const run = runFanOut({
      store: digest,
      posters: {
        discord: createDiscordDigestPoster({ token: 'MTAw.fake.token', apiBase: discord.apiBase, globalRequestsPerSecond: 1000 }),
        slack: createSlackDigestPoster(slackOptions(slack.apiUrl)),
      },
      limiter,
      loadIssue: (n) => (n === 571 ? archiveIssue(571) : n === 570 ? archiveIssue(570) : undefined),
      now: () => new Date(),
      log,
      backoffMs: () => 5,
      channelRetryMs: 0,
      ...extra,
    });
    return { run, log, limiter };
  }

  async function subscribeAll(channels: ChannelKey[], since = 570): Promise<void> {
    for (const c of channels) await digest.subscribe(c, settings, since, 'U1', new Date());
    await digest.announce(
      { number: 571, file: '571.md' },
      planDeliveries({ number: 571 }, await digest.subscriptions(), new Date()),
      new Date(),
    );
  }

  it('a loopback GitHub publishes a new issue; 1,000 subscriptions, 429s past the limits: exactly one post per channel', async () => {
    // The fakes allow less than the limiter sends, so 429s with Retry-After may happen and must be waited out;
    // a busy machine sends slower, so a few requests are answered 429 whatever the pace.
    await platforms({ perSecond: 150, rateLimitAt: [50, 250] }, { postsPerMinute: 6000, windowMs: 1000, rateLimitAt: [50, 250] });
    const file = (n: number) => `2024-10-${n === 570 ? 23 : 30}-this-week-in-rust.md`;
    const gh = new FakeGitHub({
      files: { [file(570)]: readFileSync(join(ARCHIVE_DIR, file(570))), [file(571)]: readFileSync(join(ARCHIVE_DIR, file(571))) },
      extras: false,
    });
    await gh.start();
    const upstream = openStore({ path: ':memory:' });
    try {
      const config = loadConfig({ GITHUB_API_URL: gh.apiBaseUrl, GITHUB_RAW_URL: gh.rawBaseUrl });
      const source = createSource(config, upstream);
      const log = memoryLog();
      const syncAndDetect = async () => {
        await syncIssues({ source, store: upstream, parser: createParser(0), now: () => new Date() });
        const shas = new Map(upstream.storedFiles().map((f) => [f.file, f.sha]));
        return detectNewIssues({
          issues: upstream,
          digest: createSqliteDigestStore(upstream.db),
          readMarkdown: async (name) => new TextDecoder().decode(await source.read({ name, sha: shas.get(name) ?? '' })),
          publishedFolder: true,
          now: () => new Date(),
          log,
        });
      };
      expect(await syncAndDetect()).toEqual([]); // the first sync is the baseline, not news
      digest = createSqliteDigestStore(upstream.db);
      const channels = [
        ...Array.from({ length: 500 }, (_, i) => discordChannel(i)),
        ...Array.from({ length: 500 }, (_, i) => slackChannel(i)),
      ];
      for (const c of channels) await digest.subscribe(c, settings, await digest.highestAnnounced(), 'U1', new Date());
      gh.setFile('2024-11-06-this-week-in-rust.md', readFileSync(join(ARCHIVE_DIR, '2024-11-06-this-week-in-rust.md')));
      expect(await syncAndDetect()).toEqual([{ number: 572, file: '2024-11-06-this-week-in-rust.md', deliveries: 1000 }]);
      const { run } = fanOut({ discordPerSecond: 1000, slackPostsPerMinute: 24_000 }, { loadIssue: (n) => loadByNumber(upstream, n) });
      const report = await run;
      expect(discord.rateLimited).toBeGreaterThanOrEqual(2);
      expect(slack.rateLimited).toBeGreaterThanOrEqual(2);
      expect(report.rateLimited).toBeGreaterThanOrEqual(4);
      expect(report.sent).toBe(1000);
      expect(discord.messages).toHaveLength(500);
      expect(slack.messages).toHaveLength(500);
      expect([...discord.countByChannel().values()].every((n) => n === 1)).toBe(true);
      expect([...slack.countByChannel().values()].every((n) => n === 1)).toBe(true);
      expect(JSON.stringify(discord.messages[0]?.body.embeds)).toMatch(/This Week in Rust 572/);
      expect(await digest.counts()).toEqual({ pending: 0, sending: 0, sent: 1000, failed: 0, missed: 0 });
      // Another sync and run: nothing new, nothing posted again.
      expect(await syncAndDetect()).toEqual([]);
      expect((await fanOut({}, { loadIssue: (n) => loadByNumber(upstream, n) }).run).sent).toBe(0);
      expect(discord.messages.length + slack.messages.length).toBe(1000);
    } finally {
      upstream.close();
      await gh.close();
    }
  });

  it('a deleted channel pauses only its own subscription after 3 failures; the others all arrive', async () => {
    await platforms();
    const channels = [...Array.from({ length: 5 }, (_, i) => discordChannel(i)), ...Array.from({ length: 5 }, (_, i) => slackChannel(i))];
    discord.gone.set(channels[1]?.channelId as string, 404);
    slack.gone.set(channels[7]?.channelId as string, 'channel_not_found');
    await subscribeAll(channels);
    const { run, log } = fanOut();
    const report = await run;
    expect(report.sent).toBe(8);
    expect(report.paused).toBe(2);
    expect(discord.requests).toBe(4 + 3);
    const paused = (await digest.subscriptions()).filter((s) => s.pausedAt);
    expect(paused.map((s) => s.channelId).sort()).toEqual([channels[1]?.channelId, channels[7]?.channelId].sort());
    expect(paused[0]?.pausedReason).toMatch(/Unknown Channel|channel_not_found/);
    expect(log.lines.filter((l) => l.startsWith('warn: digest: paused'))).toHaveLength(2);
    // Subscribing again resumes it and re-queues this week's failed delivery.
    discord.gone.clear();
    const { resumed } = await digest.subscribe(channels[1] as ChannelKey, settings, 570, 'U1', new Date());
    expect(resumed).toBe(true);
    expect((await fanOut().run).sent).toBe(1);
    expect(discord.countByChannel().get(channels[1]?.channelId as string)).toBe(1);
  });

  it('5xx answers are retried with backoff and post exactly once', async () => {
    await platforms();
    const channels = [discordChannel(1), slackChannel(1)];
    discord.failures.set(channels[0]?.channelId as string, 2);
    slack.failures.set(channels[1]?.channelId as string, 2);
    await subscribeAll(channels);
    const { run } = fanOut();
    expect((await run).sent).toBe(2);
    expect(discord.requests).toBe(3);
    expect(discord.messages).toHaveLength(1);
    expect(slack.messages).toHaveLength(1);
  });

  it('a Discord global 429 holds Discord posts exactly as long as Retry-After says, then each posts once', async () => {
    await platforms({ perSecond: 2 });
    await subscribeAll([discordChannel(1), discordChannel(2), discordChannel(3)]);
    const report = await fanOut({ discordPerSecond: 1000 }).run;
    expect(report.sent).toBe(3);
    expect(report.rateLimited).toBeGreaterThan(0);
    expect(discord.messages).toHaveLength(3);
    const [a, , c] = discord.messages;
    // Two fit in the fake's first second; the third waits until the window has room again.
    expect((c?.at ?? 0) - (a?.at ?? 0)).toBeGreaterThanOrEqual(990);
    // The upper bound only says it did not wait for something else (a busy machine adds scheduling delay).
    expect((c?.at ?? 0) - (a?.at ?? 0)).toBeLessThan(3000);
  });

  it("a Slack 429 is waited out exactly as Retry-After says, holding only that workspace's posts", async () => {
    await platforms({}, { channelBurst: 1 });
    const channel = slackChannel(9);
    await digest.subscribe(channel, settings, 569, 'U1', new Date());
    const subs = await digest.subscriptions();
    await digest.announce({ number: 570, file: '570.md' }, planDeliveries({ number: 570 }, subs, new Date()), new Date());
    await digest.announce({ number: 571, file: '571.md' }, planDeliveries({ number: 571 }, subs, new Date()), new Date());
    const limited: number[] = [];
    slack.onRequest = () => {
      limited.push(Date.now());
    };
    const report = await fanOut({ slackChannelSpacingMs: 0 }).run;
    expect(report.sent).toBe(2);
    expect(report.rateLimited).toBe(1);
    expect(slack.messages).toHaveLength(2);
    const gap = (slack.messages[1]?.at ?? 0) - (limited[1] ?? 0);
    expect(limited).toHaveLength(3);
    expect(gap).toBeGreaterThanOrEqual(990);
    expect(gap).toBeLessThan(3000);
  });
});
