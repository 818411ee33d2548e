/**
 * The real discord.js Client logged into the loopback Discord: interactions
 * arrive over the gateway WebSocket and the payloads the bot sends back are
 * checked as Discord would receive them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandList } from '../../../commands/index.js';
import { type GatewayTransport, startGateway } from '../../../src/adapters/discord/gateway.js';
import { handleInteraction } from '../../../src/adapters/discord/handle-interaction.js';
import { renderReply } from '../../../src/adapters/discord/render-reply.js';
import { loadConfig } from '../../../src/config.js';
import { executeCommand } from '../../../src/core/commands/execute.js';
import { archiveStore } from '../../support/archive-store.js';
import { APP_ID, BOT_TOKEN, FakeDiscord } from '../../support/fake-discord.js';
import { ASKER, click, OTHER_USER, slash, slow, testDeps, typing } from './support.js';

type Body = {
  type: number;
  data: {
    flags?: number;
    content?: string;
    embeds: Record<string, unknown>[];
    components?: { components: { custom_id: string; disabled: boolean }[] }[];
    allowed_mentions: unknown;
    choices?: { name: string; value: string }[];
  };
};

let fake: FakeDiscord;
const footerText = (embed: Record<string, unknown> | undefined): string => String((embed?.footer as { text?: string } | undefined)?.text);
let gateway: GatewayTransport;
let clock = new Date('2024-10-30T12:00:00Z');
const deps = testDeps([slow(1100)], () => clock);

async function send(payload: Record<string, unknown>): Promise<{ body: Body; id: string; token: string }> {
  const { id, token } = fake.dispatchInteraction(payload);
  const callback = await fake.callback(id);
  return { body: callback.body as Body, id, token };
}

/**
 * The message an interaction ends up showing, whether it was answered at once or deferred and edited
 * in (a busy machine defers: queued work counts towards the deferral threshold). Type 4/7 as answered.
 */
async function answer(payload: Record<string, unknown>): Promise<{ type: number; data: Body['data'] }> {
  const { body, token } = await send(payload);
  if (body.type !== 5 && body.type !== 6) return body;
  const edit = await fake.waitFor((r) => r.method === 'PATCH' && r.path === `/webhooks/${APP_ID}/${token}/messages/@original`, 30_000);
  return { type: body.type === 5 ? 4 : 7, data: edit.body as Body['data'] };
}

beforeAll(async () => {
  fake = await new FakeDiscord().start();
  const config = loadConfig({ DISCORD_TOKEN: BOT_TOKEN, DISCORD_API_BASE: fake.apiBase }).discord;
  if (!config) throw new Error('no discord config');
  gateway = await startGateway({ config, deps, log: deps.log, deferAfterMs: 1000 });
});

afterAll(async () => {
  await gateway?.stop();
  await fake?.close();
});

describe('discord gateway', () => {
  it('logs in through GET /gateway/bot with the Guilds intent only', async () => {
    expect(fake.requests.some((r) => r.method === 'GET' && r.path === '/gateway/bot')).toBe(true);
    expect(fake.sessions).toBe(1);
    expect(gateway.client.options.intents.bitfield).toBe(1);
  });

  it('shards as Discord recommends: GET /gateway/bot says 1 shard, so one session identifies as shard [0, 1]', () => {
    expect(gateway.client.options.shards).toEqual([0]);
    expect(gateway.client.options.shardCount).toBe(1);
    expect(fake.identifiedShards).toEqual([[0, 1]]);
  });

  it('runs every shard Discord recommends in this one process (2 recommended: shards 0 and 1 of 2)', async () => {
    const big = await new FakeDiscord().start();
    big.recommendedShards = 2;
    const config = loadConfig({ DISCORD_TOKEN: BOT_TOKEN, DISCORD_API_BASE: big.apiBase }).discord;
    if (!config) throw new Error('no discord config');
    const sharded = await startGateway({ config, deps, log: deps.log });
    try {
      expect(sharded.client.options.shardCount).toBe(2);
      expect([...big.identifiedShards].sort()).toEqual([
        [0, 2],
        [1, 2],
      ]);
      expect(big.sessions).toBe(2);
    } finally {
      await sharded.stop();
      await big.close();
    }
  });

  it('answers /twir crate publicly with a linked, attributed TWIR embed and no pings', async () => {
    const { body } = await send(slash('crate'));
    expect(body.type).toBe(4);
    expect(body.data.flags ?? 0).toBe(0);
    expect(body.data.allowed_mentions).toEqual({ parse: [] });
    const [embed] = body.data.embeds;
    expect(embed?.title).toBe('Crate of the week: tower-http-client');
    expect(embed?.url).toBe('https://this-week-in-rust.org/blog/2024/10/30/this-week-in-rust-571/');
    expect(embed?.color).toBe(0xf74c00);
    expect(footerText(embed)).toContain('CC-BY-SA 4.0');
    expect(fake.rejected).toEqual([]);
  });

  it('answers /twir events berlin with the Berlin meetups as linked lines with their details', async () => {
    const { body } = await send(slash('events', { place: 'berlin' }));
    const fields = body.data.embeds[0]?.fields as { name: string; value: string }[];
    const text = fields.map((f) => f.value).join('\n');
    expect(text).toContain('[Rust and Tell - Title](https://www.meetup.com/rust-berlin/events/300820289/)');
    expect(text).toContain('2024-10-31 · Berlin, DE');
  });

  it("pages /twir search with Prev/Next buttons, keeping the first answer's as-of date", async () => {
    const first = await answer(slash('search', { query: 'async closures' }));
    const buttons = first.data.components?.[0]?.components ?? [];
    expect(buttons.map((b) => b.disabled)).toEqual([true, false]);
    expect(footerText(first.data.embeds[0])).toMatch(/^Page 1 of 5 · /);
    // A new week passes before the click: page 2 must still be as of 2024-10-30.
    clock = new Date('2026-06-01T12:00:00Z');
    try {
      const next = await answer(click(buttons[1]?.custom_id as string));
      expect(next.type).toBe(7);
      const expected = await executeCommand(
        commandList.find((c) => c.name === 'search')!,
        { query: 'async closures' },
        { asOf: '2024-10-30', page: 2 },
        {
          archive: archiveStore(),
          today: () => '2024-10-30',
        },
      );
      expect(next.data.embeds[0]?.fields).toEqual(renderReply(expected).embeds[0]?.fields);
      expect(footerText(next.data.embeds[0])).toMatch(/^Page 2 of 5 · /);
      expect(next.data.components?.[0]?.components.map((b) => b.disabled)).toEqual([false, false]);
    } finally {
      clock = new Date('2024-10-30T12:00:00Z');
    }
  });

  it('tells someone else clicking the buttons, privately, to ask themselves', async () => {
    const first = await answer(slash('search', { query: 'async closures' }));
    const next = first.data.components?.[0]?.components[1]?.custom_id as string;
    const other = await send(click(next, OTHER_USER));
    expect(other.body.type).toBe(4);
    expect(other.body.data.flags).toBe(64);
    expect(other.body.data.content).toMatch(/Only the person who asked/);
  });

  it('says privately that a page expired when its stored state is gone', async () => {
    const { body } = await send(click('twir:p1:2:sAAAAAAAAAAAAAAAAAAAAAA'));
    expect(body.data.flags).toBe(64);
    expect(body.data.content).toMatch(/expired/);
  });

  it('autocompletes crate names from what was typed, at most 25', async () => {
    const { body } = await send(typing('crate', 'query', 'tower'));
    expect(body.type).toBe(8);
    expect(body.data.choices?.length).toBeGreaterThan(0);
    expect(body.data.choices?.length).toBeLessThanOrEqual(25);
    expect(body.data.choices?.[0]?.value).toMatch(/^tower/);
  });

  it('answers an unknown issue number privately', async () => {
    const { body } = await send(slash('issue', { which: '99999' }));
    expect(body.type).toBe(4);
    expect(body.data.flags).toBe(64);
    expect(body.data.embeds[0]?.title).toMatch(/99999/);
  });

  it('answers a failing command with the core apology, logs the interaction id, and keeps serving', async () => {
    const { body, id } = await send(slash('boom'));
    expect(body.data.flags).toBe(64);
    expect(body.data.embeds[0]?.title).toBe('Sorry, "boom" failed unexpectedly.');
    expect(deps.lines.some((l) => l.includes(`interaction ${id}`) && l.includes('kaboom'))).toBe(true);
    expect((await send(slash('crate'))).body.type).toBe(4);
  });

  it('waits out a 429 for as long as Retry-After says, through @discordjs/rest', async () => {
    fake.rateLimitOnce('POST', /\/callback$/, '0.3');
    const started = performance.now();
    const { body, id } = await send(slash('crate'));
    expect(body.type).toBe(4);
    const attempts = fake.requests.filter((r) => r.path.startsWith(`/interactions/${id}/`));
    expect(attempts.map((r) => r.method)).toEqual(['POST (429)', 'POST']);
    expect((attempts[1]?.at ?? 0) - (attempts[0]?.at ?? 0)).toBeGreaterThanOrEqual(290);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('defers a command that was slow before, then edits the original message in', async () => {
    // The first run is answered directly (still well inside Discord's 3 s); its cost is remembered.
    expect((await send(slash('slow'))).body.type).toBe(4);
    const { body, token } = await send(slash('slow'));
    expect(body).toEqual({ type: 5 });
    const edit = await fake.waitFor((r) => r.method === 'PATCH' && r.path === `/webhooks/${APP_ID}/${token}/messages/@original`);
    expect(edit.rawPath).toContain('%40original');
    expect((edit.body as Body['data']).embeds[0]?.title).toBe('Slow answer');
    expect((edit.body as Body['data']).allowed_mentions).toEqual({ parse: [] });
  });

  it('sends the hint of a public answer as a private follow-up, with mentions neutralised everywhere', async () => {
    const { body, token } = await send(slash('pinger'));
    const followUp = await fake.waitFor((r) => r.method === 'POST' && r.path === `/webhooks/${APP_ID}/${token}`);
    expect((followUp.body as Body['data']).flags).toBe(64);
    expect((followUp.body as Body['data']).allowed_mentions).toEqual({ parse: [] });
    for (const sent of [JSON.stringify(body), JSON.stringify(followUp.body)]) {
      expect(sent).not.toMatch(/@everyone|@here|<@123>|<@&456>|<#789>/);
    }
  });

  it('passes MANAGE_CHANNELS from member.permissions to a command that asks for it', async () => {
    const withBit = await send(slash('guarded', {}, { member: { user: { id: ASKER }, permissions: String(1 << 4) } }));
    expect(withBit.body.data.embeds[0]?.title).toContain('manage=true place=channel');
    const without = await send(slash('guarded', {}, { member: { user: { id: ASKER }, permissions: String(1 << 11) } }));
    expect(without.body.data.embeds[0]?.title).toContain('manage=false');
    const dm = await send(slash('guarded', {}, { guild_id: undefined, member: undefined, user: { id: ASKER }, context: 1 }));
    expect(dm.body.data.embeds[0]?.title).toBe(`manage=false place=dm guild=null user=${ASKER}`);
  });

  // After the search tests: the first PNG compiles resvg's WebAssembly, which keeps a core busy for a
  // while, and those tests need a cold search to answer within the deferral threshold.
  it('attaches the chart to /twir perf as a PNG in its embed, with the text alternative as alt text; chart:off leaves it out', async () => {
    const { token } = await send(slash('perf'));
    const patch = await fake.waitFor((r) => r.method === 'PATCH' && r.path.includes(token), 60_000);
    const body = patch.body as { embeds: { image?: { url: string } }[]; attachments: { filename: string; description: string }[] };
    expect(body.embeds[0]?.image?.url).toBe('attachment://chart.png');
    expect(body.attachments[0]?.filename).toBe('chart.png');
    expect(body.attachments[0]?.description).toMatch(/^52 weekly triages from #515, 2023-10-04 to #571, 2024-10-30: /);
    expect(patch.files?.[0]?.filename).toBe('chart.png');
    expect(patch.files?.[0]?.data.subarray(1, 4).toString()).toBe('PNG');
    expect(fake.rejected).toEqual([]);
    expect((await handleInteraction(slash('perf'), deps)).chart?.points).toBe(52);
    expect((await handleInteraction(slash('perf', { chart: 'off' }), deps)).chart).toBeUndefined();
    expect((await handleInteraction(slash('events', { place: 'berlin' }), deps)).chart?.summary).toMatch(/on the map/);
  });

  it('stops taking interactions and finishes the one in flight', async () => {
    const { id } = fake.dispatchInteraction(slash('slow'));
    await new Promise((r) => setTimeout(r, 50));
    await gateway.stop();
    expect(fake.requests.some((r) => r.path.startsWith(`/interactions/${id}/`))).toBe(true);
    expect(fake.sessions).toBe(0);
  });

  it('tells someone who asks while it is stopping, privately, to ask again (not "the application did not respond")', async () => {
    const config = loadConfig({ DISCORD_TOKEN: BOT_TOKEN, DISCORD_API_BASE: fake.apiBase }).discord;
    if (!config) throw new Error('no discord config');
    const second = await startGateway({ config, deps, log: deps.log });
    // The first answer is held up by a 429, so it is still in flight while the bot stops.
    fake.rateLimitOnce('POST', /\/callback$/, '1.5');
    const first = fake.dispatchInteraction(slash('crate'));
    await new Promise((r) => setTimeout(r, 300));
    const stopping = second.stop();
    const late = fake.dispatchInteraction(slash('crate'));
    const notice = (await fake.callback(late.id)).body as Body;
    await stopping;
    expect(notice.type).toBe(4);
    expect(notice.data.flags).toBe(64);
    expect(notice.data.allowed_mentions).toEqual({ parse: [] });
    expect(notice.data.content).toMatch(/restarting/);
    expect(((await fake.callback(first.id)).body as Body).data.embeds[0]?.title).toMatch(/Crate of the week/);
    expect(fake.sessions).toBe(0);
  });
});
