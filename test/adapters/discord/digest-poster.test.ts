import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDiscordDigestPoster, nonceFor } from '../../../src/adapters/discord/digest-poster.js';
import type { PostRequest } from '../../../src/digest/poster.js';
import { sampleDigest } from '../../support/digest-fixtures.js';
import { FakeDiscord } from '../../support/fake-digest-platforms.js';

const TOKEN = 'MTAwMDAwMDAwMDAwMDAwMDAw.fake.token';

function request(channelId: string, deliveryKey = `twir-digest:1:571:${channelId}`): PostRequest {
  return {
    channel: { platform: 'discord', workspaceId: '900000000000000001', channelId },
    digest: sampleDigest(),
    deliveryKey,
    inDoubtSince: null,
  };
}

describe('Discord digest poster (real @discordjs/rest against a loopback Discord)', () => {
  let discord: FakeDiscord;
  beforeEach(async () => {
    discord = await new FakeDiscord().start();
  });
  afterEach(async () => {
    await discord.close();
  });

  it('posts one embed with a nonce derived from the delivery, enforce_nonce and no mentions', async () => {
    const poster = createDiscordDigestPoster({ token: TOKEN, apiBase: discord.apiBase });
    const outcome = await poster.post(request('100000000000000001'));
    expect(outcome).toEqual({ kind: 'sent', messageId: expect.any(String) });
    const [m] = discord.messages;
    expect(m?.body).toMatchObject({
      nonce: nonceFor('twir-digest:1:571:100000000000000001'),
      enforce_nonce: true,
      allowed_mentions: { parse: [] },
    });
    expect(m?.body.nonce?.length).toBeLessThanOrEqual(25);
    expect(m?.body.embeds).toHaveLength(1);
  });

  it("mentions exactly the subscription's ping role and nothing else, and publishes in an announcement channel", async () => {
    const poster = createDiscordDigestPoster({ token: TOKEN, apiBase: discord.apiBase });
    const role = '300000000000000001';
    const outcome = await poster.post({ ...request('100000000000000009'), pingRole: role, publish: true });
    expect(outcome.kind).toBe('sent');
    const [m] = discord.messages;
    expect(m?.body.content).toBe(`<@&${role}>`);
    expect(m?.body.allowed_mentions).toEqual({ parse: [], roles: [role] });
    expect(discord.crossposts).toEqual([{ channelId: '100000000000000009', messageId: m?.id }]);
    // Without them: no content, no mention allowed, nothing published.
    await poster.post(request('100000000000000010'));
    expect(discord.messages[1]?.body.content).toBeUndefined();
    expect(discord.messages[1]?.body.allowed_mentions).toEqual({ parse: [] });
    expect(discord.crossposts).toHaveLength(1);
  });

  it('re-sending an in-doubt delivery returns the message Discord already has, not a second one', async () => {
    const poster = createDiscordDigestPoster({ token: TOKEN, apiBase: discord.apiBase });
    const first = await poster.post(request('100000000000000002'));
    const again = await poster.post({ ...request('100000000000000002'), inDoubtSince: new Date() });
    expect(again).toEqual(first);
    expect(discord.messages).toHaveLength(1);
    // A different delivery (another issue) is a new message.
    await poster.post(request('100000000000000002', 'twir-digest:1:572'));
    expect(discord.messages).toHaveLength(2);
  });

  it('an in-doubt delivery older than the nonce window is found in the channel by its marker, not posted again', async () => {
    const poster = createDiscordDigestPoster({ token: TOKEN, apiBase: discord.apiBase });
    const first = await poster.post(request('100000000000000008'));
    discord.expireNonces();
    const tenMinutesAgo = new Date(Date.now() - 10 * 60_000);
    const again = await poster.post({ ...request('100000000000000008'), inDoubtSince: tenMinutesAgo });
    expect(again).toEqual({ kind: 'sent', messageId: first.kind === 'sent' ? first.messageId : '', found: true });
    expect(discord.messages).toHaveLength(1);
    // Lost in flight long ago: nothing in the channel, so it is posted (once); without history access too.
    expect(await poster.post({ ...request('100000000000000009'), inDoubtSince: tenMinutesAgo })).toMatchObject({ kind: 'sent' });
    discord.noHistory = true;
    expect(await poster.post({ ...request('100000000000000010'), inDoubtSince: tenMinutesAgo })).toMatchObject({ kind: 'sent' });
    expect(discord.messages).toHaveLength(3);
    const embed = discord.messages[0]?.body.embeds?.[0] as { url?: string };
    expect(embed.url).toMatch(/^https:\/\/this-week-in-rust\.org\/blog\/2024\/10\/30\/this-week-in-rust-571\/#twir-/);
  });

  it('classifies a deleted channel and lost permissions as channel errors, a 500 as transient', async () => {
    discord.gone.set('100000000000000003', 404);
    discord.gone.set('100000000000000004', 403);
    discord.failures.set('100000000000000005', 1);
    const poster = createDiscordDigestPoster({ token: TOKEN, apiBase: discord.apiBase });
    expect(await poster.post(request('100000000000000003'))).toMatchObject({
      kind: 'channel-error',
      reason: expect.stringMatching(/404.*10003/),
    });
    expect(await poster.post(request('100000000000000004'))).toMatchObject({
      kind: 'channel-error',
      reason: expect.stringMatching(/403.*50013/),
    });
    expect(await poster.post(request('100000000000000005'))).toMatchObject({ kind: 'transient', maybePosted: true });
    // No blind retry: the 500 was answered once and the fan-out decides when to try again.
    expect(discord.requests).toBe(3);
    expect(discord.messages).toHaveLength(0);
  });

  it('a global 429 comes back with exactly the wait Retry-After gives; REST does not retry it on its own', async () => {
    await discord.close();
    discord = await new FakeDiscord({ perSecond: 1 }).start();
    const poster = createDiscordDigestPoster({ token: TOKEN, apiBase: discord.apiBase });
    await poster.post(request('100000000000000006'));
    const second = await poster.post(request('100000000000000007'));
    expect(second).toMatchObject({ kind: 'rate-limited', global: true });
    // The fake's window reopens 1000 ms after the first post and says so in Retry-After.
    if (second.kind === 'rate-limited') {
      expect(second.retryAfterMs).toBeGreaterThan(900);
      expect(second.retryAfterMs).toBeLessThanOrEqual(1000);
    }
    expect(discord.rateLimited).toBe(1);
    expect(poster.rateLimits).toBe(1);
    expect(discord.messages).toHaveLength(1);
  });
});
