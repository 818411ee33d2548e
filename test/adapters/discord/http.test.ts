/**
 * HTTP interactions mode: requests signed with a test Ed25519 key pair reach
 * `POST /interactions` on the shared listener; anything unsigned, tampered
 * or stale is refused, and signed ones get the same answers as the gateway.
 */
import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayTransport, startGateway } from '../../../src/adapters/discord/gateway.js';
import { STOPPING_TEXT } from '../../../src/adapters/discord/handle-interaction.js';
import { startHttpInteractions } from '../../../src/adapters/discord/http.js';
import { createDiscordRest } from '../../../src/adapters/discord/rest.js';
import { createHttpListener, type HttpListener } from '../../../src/adapters/http-listener.js';
import { type DiscordConfig, loadConfig } from '../../../src/config.js';
import { APP_ID, BOT_TOKEN, FakeDiscord } from '../../support/fake-discord.js';
import { slash, slow, testDeps, typing } from './support.js';

const NOW = new Date('2024-10-30T12:00:00Z');
const { publicKey, privateKey } = generateKeyPairSync('ed25519');
// The portal shows the raw 32-byte key as hex: the last 32 bytes of the SPKI encoding.
const publicHex = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');

let fake: FakeDiscord;
let listener: HttpListener;
let url: string;
let config: DiscordConfig;
let stop: () => Promise<void>;
const deps = testDeps([slow(1100)], () => NOW);

function signed(body: string, opts: { key?: KeyObject; timestamp?: number; tamper?: boolean } = {}): RequestInit {
  const timestamp = String(opts.timestamp ?? Math.floor(NOW.getTime() / 1000));
  const signature = sign(null, Buffer.from(timestamp + body), opts.key ?? privateKey).toString('hex');
  return {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-signature-ed25519': signature, 'x-signature-timestamp': timestamp },
    body: opts.tamper ? body.replace('crate', 'jobs') : body,
  };
}

async function post(interaction: Record<string, unknown>, opts?: Parameters<typeof signed>[1]) {
  const body = JSON.stringify({
    id: String(Math.floor(Math.random() * 1e15)),
    token: `tok${Math.random()}`,
    application_id: APP_ID,
    ...interaction,
  });
  const res = await fetch(`${url}/interactions`, signed(body, opts));
  return { status: res.status, body: (await res.json()) as { type: number; data?: Record<string, unknown> } };
}

beforeAll(async () => {
  fake = await new FakeDiscord().start();
  const loaded = loadConfig({
    DISCORD_TOKEN: BOT_TOKEN,
    DISCORD_API_BASE: fake.apiBase,
    DISCORD_MODE: 'http',
    DISCORD_PUBLIC_KEY: publicHex,
  }).discord;
  if (!loaded) throw new Error('no discord config');
  config = loaded;
  listener = createHttpListener(deps.log);
  const http = startHttpInteractions({ config, deps, rest: createDiscordRest(config), http: listener, log: deps.log, deferAfterMs: 1000 });
  stop = () => http.stop();
  url = `http://127.0.0.1:${await listener.listen(0, '127.0.0.1')}`;
});

afterAll(async () => {
  await listener?.close();
  await stop?.();
  await fake?.close();
});

describe('discord HTTP interactions', () => {
  it('answers PING with PONG', async () => {
    expect(await post({ type: 1 })).toEqual({ status: 200, body: { type: 1 } });
  });

  it('refuses a missing signature, a foreign key, a tampered body and a stale timestamp with 401', async () => {
    const res = await fetch(`${url}/interactions`, { method: 'POST', body: JSON.stringify({ type: 1 }) });
    expect(res.status).toBe(401);
    const other = generateKeyPairSync('ed25519').privateKey;
    expect((await post({ type: 1 }, { key: other })).status).toBe(401);
    expect((await post(slash('crate'), { tamper: true })).status).toBe(401);
    expect((await post({ type: 1 }, { timestamp: Math.floor(NOW.getTime() / 1000) - 301 })).status).toBe(401);
    expect((await post({ type: 1 }, { timestamp: Math.floor(NOW.getTime() / 1000) - 299 })).status).toBe(200);
  });

  it('answers a signed but malformed body (null, options not a list) with 400 and no stack trace', async () => {
    for (const body of [
      'null',
      '[]',
      '"x"',
      JSON.stringify({ type: 2, data: { name: 'twir', options: { 0: { type: 1, name: 'crate' } } } }),
      JSON.stringify({ type: 2, data: { name: 'twir', options: [{ type: 1, name: 'crate', options: 'x' }] } }),
      JSON.stringify({ type: 2, data: null }),
      JSON.stringify({ type: 3, data: { custom_id: 5 } }),
      JSON.stringify({ type: 2, member: 'x', data: { name: 'twir' } }),
    ]) {
      const res = await fetch(`${url}/interactions`, signed(body));
      const text = await res.text();
      expect([body, res.status]).toEqual([body, 400]);
      expect(text).not.toMatch(/at |Error/);
    }
    expect((await post(slash('crate'))).status).toBe(200);
  });

  it('answers a signed request once: the same body and signature sent again is refused with 409', async () => {
    const body = JSON.stringify({ ...slash('crate'), id: '4242', token: 'replay-me', application_id: APP_ID });
    const init = signed(body);
    expect((await fetch(`${url}/interactions`, init)).status).toBe(200);
    expect((await fetch(`${url}/interactions`, init)).status).toBe(409);
  });

  it('keeps GET /healthz for a load balancer', async () => {
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  });

  it('gives the same answers as the gateway', async () => {
    const gatewayConfig = { ...config, mode: 'gateway' as const };
    const gateway: GatewayTransport = await startGateway({ config: gatewayConfig, deps, log: deps.log });
    try {
      for (const payload of [
        slash('crate'),
        slash('events', { place: 'berlin' }),
        slash('search', { query: 'async closures' }),
        typing('events', 'place', 'ber'),
      ]) {
        const overHttp = await post(payload);
        const { id } = fake.dispatchInteraction(payload);
        const overGateway = await fake.callback(id);
        expect(overHttp.status).toBe(200);
        expect(overHttp.body).toEqual(overGateway.body);
      }
    } finally {
      await gateway.stop();
    }
  });

  it('defers a slow command over HTTP and edits the answer in through REST', async () => {
    expect((await post(slash('slow'))).body.type).toBe(4);
    const token = `slow-${Date.now()}`;
    const res = await fetch(`${url}/interactions`, signed(JSON.stringify({ ...slash('slow'), id: '77', token, application_id: APP_ID })));
    expect(await res.json()).toEqual({ type: 5 });
    const edit = await fake.waitFor((r) => r.method === 'PATCH' && r.path === `/webhooks/${APP_ID}/${token}/messages/@original`);
    expect((edit.body as { embeds: { title: string }[] }).embeds[0]?.title).toBe('Slow answer');
  });

  it('replaces the deferred placeholder with a private message when the late answer is private', async () => {
    const failing = testDeps(
      [
        {
          ...slow(0),
          name: 'slow',
          run: () => {
            throw new Error('late kaboom');
          },
        },
      ],
      () => NOW,
    );
    const l2 = createHttpListener(failing.log);
    const http = startHttpInteractions({
      config,
      deps: failing,
      rest: createDiscordRest(config),
      http: l2,
      log: failing.log,
      deferAfterMs: 0,
    });
    const u2 = `http://127.0.0.1:${await l2.listen(0, '127.0.0.1')}`;
    try {
      const token = `late-${Date.now()}`;
      const res = await fetch(`${u2}/interactions`, signed(JSON.stringify({ ...slash('slow'), id: '78', token, application_id: APP_ID })));
      expect(await res.json()).toEqual({ type: 5 });
      const followUp = await fake.waitFor((r) => r.method === 'POST' && r.path === `/webhooks/${APP_ID}/${token}`);
      expect(fake.webhookCalls(token).map((r) => r.method)).toEqual(['DELETE', 'POST']);
      expect((followUp.body as { flags: number }).flags).toBe(64);
    } finally {
      await l2.close();
      await http.stop();
    }
  });

  it('once stopping, answers commands privately that the bot is restarting (PING still gets PONG)', async () => {
    const l3 = createHttpListener(deps.log);
    const http = startHttpInteractions({ config, deps, rest: createDiscordRest(config), http: l3, log: deps.log });
    const u3 = `http://127.0.0.1:${await l3.listen(0, '127.0.0.1')}`;
    await http.stop();
    const ask = async (payload: Record<string, unknown>) =>
      (await fetch(`${u3}/interactions`, signed(JSON.stringify({ id: '1', token: 't', ...payload })))).json();
    expect(await ask(slash('crate'))).toEqual({
      type: 4,
      data: { content: STOPPING_TEXT, embeds: [], flags: 64, allowed_mentions: { parse: [] } },
    });
    expect(await ask({ type: 1 })).toEqual({ type: 1 });
    await l3.close();
  });
});
