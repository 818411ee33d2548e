/**
 * "Find in TWIR", the message context-menu command, through both transports:
 * the real discord.js Client over the loopback gateway, and signed requests to
 * POST /interactions. The private answer carries a Share button; only the
 * asker's click posts it publicly, and nothing it says can ping anyone.
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayTransport, startGateway } from '../../../src/adapters/discord/gateway.js';
import { startHttpInteractions } from '../../../src/adapters/discord/http.js';
import { createDiscordRest } from '../../../src/adapters/discord/rest.js';
import { createHttpListener, type HttpListener } from '../../../src/adapters/http-listener.js';
import { loadConfig } from '../../../src/config.js';
import { APP_ID, BOT_TOKEN, type DiscordRequest, FakeDiscord, GUILD_ID } from '../../support/fake-discord.js';
import { ASKER, CHANNEL, click, OTHER_USER, testDeps } from './support.js';

const NOW = new Date('2024-10-30T12:00:00Z');
const R180 = 'https://blog.rust-lang.org/2024/07/25/Rust-1.80.0.html';
const NEVER = 'https://example.com/never-in-twir?cc=@everyone';
const TARGET = '623456789012345678';

type Message = {
  flags?: number;
  content?: string;
  embeds: { title?: string; description?: string; fields?: { name: string; value: string }[] }[];
  components?: { components: { custom_id: string; label: string }[] }[];
  allowed_mentions?: unknown;
};
type Body = { type: number; data: Message };

/** Find in TWIR used by `user` on a message whose text is `content`, as Discord sends it. */
function findOn(content: string, user = ASKER, embeds: Record<string, unknown>[] = []): Record<string, unknown> {
  const author = { id: '723456789012345678', username: 'someone', discriminator: '0', global_name: null, avatar: null };
  const message = {
    id: TARGET,
    channel_id: CHANNEL,
    type: 0,
    author,
    content,
    embeds,
    components: [],
    attachments:
      content || embeds.length ? [] : [{ id: '1', filename: 'cat.png', size: 1, url: 'https://cdn.example/cat.png', proxy_url: 'x' }],
    mentions: [],
    mention_roles: [],
    mention_everyone: false,
    pinned: false,
    tts: false,
    timestamp: '2024-10-30T11:00:00.000Z',
    edited_timestamp: null,
    flags: 0,
  };
  return {
    type: 2,
    guild_id: GUILD_ID,
    channel_id: CHANNEL,
    channel: { id: CHANNEL, type: 0 },
    context: 0,
    member: { user: { id: user, username: 'ferris', discriminator: '0', avatar: null }, permissions: '0', roles: [] },
    data: { id: '2', name: 'Find in TWIR', type: 3, target_id: TARGET, resolved: { messages: { [TARGET]: message } } },
  };
}

let fake: FakeDiscord;
let gateway: GatewayTransport;
let listener: HttpListener;
let url: string;
let stopHttp: () => Promise<void>;
const deps = testDeps([], () => NOW);
const { publicKey, privateKey } = generateKeyPairSync('ed25519');

beforeAll(async () => {
  fake = await new FakeDiscord().start();
  const env = { DISCORD_TOKEN: BOT_TOKEN, DISCORD_API_BASE: fake.apiBase };
  const gatewayConfig = loadConfig(env).discord;
  const publicHex = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');
  const httpConfig = loadConfig({ ...env, DISCORD_MODE: 'http', DISCORD_PUBLIC_KEY: publicHex }).discord;
  if (!gatewayConfig || !httpConfig) throw new Error('no discord config');
  gateway = await startGateway({ config: gatewayConfig, deps, log: deps.log, deferAfterMs: 1000 });
  listener = createHttpListener(deps.log);
  const http = startHttpInteractions({ config: httpConfig, deps, rest: createDiscordRest(httpConfig), http: listener, log: deps.log });
  stopHttp = () => http.stop();
  url = `http://127.0.0.1:${await listener.listen(0, '127.0.0.1')}`;
});

afterAll(async () => {
  await gateway?.stop();
  await listener?.close();
  await stopHttp?.();
  await fake?.close();
});

const isWebhook = (token: string) => (r: DiscordRequest) => r.path.startsWith(`/webhooks/${APP_ID}/${token}`);

/**
 * The message an interaction ends up showing, however it was delivered: at once (type 4 or 7), or
 * deferred on a busy machine and then posted (a private answer replaces the placeholder) or edited in.
 */
async function shown(body: Body, token: string): Promise<Body> {
  if (body.type === 4 || body.type === 7) return body;
  if (body.type === 5) {
    const post = await fake.waitFor((r) => isWebhook(token)(r) && r.method === 'POST' && r.path === `/webhooks/${APP_ID}/${token}`, 30_000);
    return { type: 4, data: post.body as Message };
  }
  const edit = await fake.waitFor((r) => isWebhook(token)(r) && r.method === 'PATCH', 30_000);
  return { type: 7, data: edit.body as Message };
}

/** Sends over the gateway; resolves with what the user ends up seeing and the token. */
async function overGateway(payload: Record<string, unknown>): Promise<{ body: Body; token: string }> {
  const { id, token } = fake.dispatchInteraction(payload);
  const callback = await fake.callback(id, 30_000);
  return { body: await shown(callback.body as Body, token), token };
}

/** Sends a signed request to POST /interactions; resolves with what the user ends up seeing and the token. */
async function overHttp(payload: Record<string, unknown>): Promise<{ body: Body; token: string }> {
  const token = `find-${Math.random()}`;
  const json = JSON.stringify({ id: String(Math.floor(Math.random() * 1e15)), token, application_id: APP_ID, ...payload });
  // Checked against the handler's clock (NOW), as Discord's timestamps are against the real one.
  const timestamp = String(Math.floor(NOW.getTime() / 1000));
  const signature = sign(null, Buffer.from(timestamp + json), privateKey).toString('hex');
  const res = await fetch(`${url}/interactions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-signature-ed25519': signature, 'x-signature-timestamp': timestamp },
    body: json,
  });
  expect(res.status).toBe(200);
  return { body: await shown((await res.json()) as Body, token), token };
}

const shareButton = (body: Body) => body.data.components?.[0]?.components[0];

for (const [transport, send] of [
  ['gateway', overGateway],
  ['HTTP', overHttp],
] as const) {
  describe(`Find in TWIR over the ${transport}`, () => {
    it('answers privately which of two links was in TWIR and when, with a Share button', async () => {
      const { body } = await send(findOn(`the release post ${R180} and also ${NEVER}`));
      expect(body.type).toBe(4);
      expect(body.data.flags).toBe(64);
      expect(body.data.allowed_mentions).toEqual({ parse: [] });
      const [embed] = body.data.embeds;
      expect(embed?.title).toBe('Find in TWIR: 1 of the 2 links was in This Week in Rust.');
      const fields = embed?.fields ?? [];
      expect(fields[0]?.name).toBe(R180);
      expect(fields[0]?.value).toContain(
        '[This Week in Rust 558 · 2024-07-31](https://this-week-in-rust.org/blog/2024/07/31/this-week-in-rust-558/)',
      );
      expect(fields[0]?.value).toContain('Announcing Rust 1.80.0');
      expect(fields[1]?.name).toBe('Never in This Week in Rust');
      expect(shareButton(body)).toMatchObject({ label: 'Share', custom_id: expect.stringMatching(/^twir:s1:/) });
      expect(fake.rejected).toEqual([]);
    });

    it('searches the words of a message without links, and says so', async () => {
      const { body } = await send(findOn('has anyone written about async closures'));
      expect(body.data.flags).toBe(64);
      expect(body.data.embeds[0]?.title).toBe("Find in TWIR: searched the message's words");
      expect(body.data.embeds[0]?.description).toMatch(/has no links, so I searched its words/);
      expect(body.data.embeds[0]?.fields?.[0]?.value).toMatch(/async closures/i);
    });

    it("reads a feed bot's post that is an embed alone: its link", async () => {
      const embed = { type: 'rich', title: 'Announcing Rust 1.80.0', url: R180, description: 'The Rust team is happy to announce…' };
      const { body } = await send(findOn('', ASKER, [embed]));
      expect(body.data.embeds[0]?.title).toBe('Find in TWIR: That link was in This Week in Rust.');
      expect(body.data.embeds[0]?.fields?.[0]?.name).toBe(R180);
    });

    it('says privately that a message with only an attachment has nothing to look up, with nothing to share', async () => {
      const { body } = await send(findOn(''));
      expect(body.data.flags).toBe(64);
      expect(body.data.embeds[0]?.title).toMatch(/no text to look up/);
      expect(body.data.components ?? []).toEqual([]);
    });

    it('never pings: @everyone and <@123> in the message reach nobody, in the private answer or the shared one', async () => {
      const hostile = `@everyone <@123> <@&456> look ${NEVER} ${'@here '.repeat(1000)}`;
      const { body } = await send(findOn(hostile));
      const button = shareButton(body);
      expect(button).toBeDefined();
      const { body: shared, token } = await send(click(String(button?.custom_id)));
      const posted = await fake.waitFor((r) => r.method === 'POST' && r.path === `/webhooks/${APP_ID}/${token}`);
      for (const message of [body.data, shared.data, posted.body as Message]) {
        expect(message.allowed_mentions).toEqual({ parse: [] });
        const text = JSON.stringify(message);
        expect(text).not.toMatch(/@(everyone|here)/);
        expect(text).not.toMatch(/<@&?\d/);
      }
    });

    it("posts the asker's Share publicly in the channel, re-answered from the saved message, and marks the private one shared", async () => {
      const { body } = await send(findOn(`${R180} ${NEVER}`));
      const { body: update, token } = await send(click(String(shareButton(body)?.custom_id)));
      expect(update.type).toBe(7);
      expect(update.data).toMatchObject({ content: 'Shared in the channel.', embeds: [], components: [] });
      const posted = await fake.waitFor((r) => r.method === 'POST' && r.path === `/webhooks/${APP_ID}/${token}`);
      const message = posted.body as Message;
      expect(message.flags ?? 0).toBe(0);
      expect(message.allowed_mentions).toEqual({ parse: [] });
      expect(message.embeds).toEqual(body.data.embeds);
      expect(message.components ?? []).toEqual([]);
    });

    it("refuses someone else's Share privately and posts nothing", async () => {
      const { body } = await send(findOn(R180));
      const { body: refused, token } = await send(click(String(shareButton(body)?.custom_id), OTHER_USER));
      expect(refused.type).toBe(4);
      expect(refused.data.flags).toBe(64);
      expect(refused.data.content).toMatch(/Only the person who used Find in TWIR can share/);
      expect(fake.webhookCalls(token)).toEqual([]);
    });

    it('says a Share button whose answer is gone has expired, rather than posting anything', async () => {
      const { body, token } = await send(click('twir:s1:AAAAAAAAAAAAAAAAAAAAAA'));
      expect(body.data.flags).toBe(64);
      expect(body.data.content).toMatch(/expired/);
      expect(fake.webhookCalls(token)).toEqual([]);
    });
  });
}
