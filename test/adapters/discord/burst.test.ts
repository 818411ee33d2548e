/**
 * A burst of expensive commands over HTTP interactions: every interaction
 * gets its first response (an answer or a deferral) within Discord's window,
 * measured from when it was sent, because commands take turns in the queue
 * and are deferred from arrival time; past the queue's bound the asker is
 * told at once that the bot is busy.
 */
import { spawn } from 'node:child_process';
import { generateKeyPairSync, sign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CommandQueue, createCommandQueue } from '../../../src/adapters/command-queue.js';
import { BUSY_TEXT } from '../../../src/adapters/discord/deliver.js';
import { startHttpInteractions } from '../../../src/adapters/discord/http.js';
import { createDiscordRest } from '../../../src/adapters/discord/rest.js';
import { createHttpListener, type HttpListener } from '../../../src/adapters/http-listener.js';
import { type DiscordConfig, loadConfig } from '../../../src/config.js';
import type { CommandDefinition } from '../../../src/core/commands/definition.js';
import { APP_ID, BOT_TOKEN, FakeDiscord } from '../../support/fake-discord.js';
import { slash, testDeps } from './support.js';

const NOW = new Date('2024-10-30T12:00:00Z');
const { publicKey, privateKey } = generateKeyPairSync('ed25519');
const publicHex = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');

/** A command that costs `ms` of CPU, like an uncached search. */
const expensive: CommandDefinition = {
  name: 'expensive',
  description: 'Busy for 25 ms (test only)',
  options: [{ name: 'query', description: 'Anything', type: 'string', positional: true, rest: true }],
  examples: ['expensive x'],
  run() {
    const until = performance.now() + 25;
    while (performance.now() < until) {
      // Busy on purpose: commands are synchronous.
    }
    return { kind: 'answer', title: 'Expensive answer', sections: [], citations: [] };
  },
};

let fake: FakeDiscord;
let config: DiscordConfig;
const listeners: HttpListener[] = [];

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
});

afterAll(async () => {
  for (const l of listeners) await l.close();
  await fake?.close();
});

async function serve(queue?: CommandQueue): Promise<string> {
  const deps = testDeps([expensive], () => NOW);
  const listener = createHttpListener(deps.log);
  listeners.push(listener);
  startHttpInteractions({
    config,
    deps,
    rest: createDiscordRest(config),
    http: listener,
    log: deps.log,
    deferAfterMs: 1000,
    ...(queue ? { queue } : {}),
  });
  return `http://127.0.0.1:${await listener.listen(0, '127.0.0.1')}/interactions`;
}

type Sent = { ms: number; body: { type: number; data?: { content?: string } } };

/**
 * Sends signed interactions all at once from another process, as Discord does: a client sharing this
 * process's event loop would itself wait behind the commands and trickle its requests in.
 */
function sendAll(url: string, payloads: Record<string, unknown>[]): Promise<Sent[]> {
  const timestamp = String(Math.floor(NOW.getTime() / 1000));
  const requests = payloads.map((p, n) => {
    const body = JSON.stringify({ ...p, id: String(n), token: `burst-${n}`, application_id: APP_ID });
    return { body, signature: sign(null, Buffer.from(timestamp + body), privateKey).toString('hex') };
  });
  const script = `
    const { url, timestamp, requests } = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
    Promise.all(requests.map(async ({ body, signature }) => {
      const t = performance.now();
      const res = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', 'x-signature-ed25519': signature, 'x-signature-timestamp': timestamp } });
      const json = await res.json();
      return { ms: performance.now() - t, body: json };
    })).then((r) => process.stdout.write(JSON.stringify(r)));
  `;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c) => {
      out += String(c);
    });
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as Sent[]) : reject(new Error(`client exited ${code}`))));
    child.stdin.end(JSON.stringify({ url, timestamp, requests }));
  });
}

describe('a burst of expensive commands', () => {
  it('gives each of 200 concurrent interactions its first response well within 3 s of sending', async () => {
    const url = await serve();
    // 200 × 25 ms is 5 s of work: run back to back, the last ones would first answer after 5 s.
    const results = await sendAll(
      url,
      Array.from({ length: 200 }, (_, i) => slash('expensive', { query: `q${i}` })),
    );
    const slowest = Math.max(...results.map((r) => r.ms));
    expect(slowest).toBeLessThan(3000);
    const deferred = results.filter((r) => r.body.type === 5).length;
    expect(deferred).toBeGreaterThan(0);
    // Every deferred one is edited in later.
    for (const r of results.filter((x) => x.body.type === 5).slice(0, 3)) expect(r.body).toEqual({ type: 5 });
    const lastToken = `burst-${results.map((r) => r.body.type).lastIndexOf(5)}`;
    await fake.waitFor((r) => r.method === 'PATCH' && r.path === `/webhooks/${APP_ID}/${lastToken}/messages/@original`, 30_000);
  });

  it('refuses politely at once past the bound instead of answering minutes late', async () => {
    const url = await serve(createCommandQueue({ maxBacklogMs: 500 }));
    // Teach the queue what the command costs, then ask for far more than the bound's worth at once.
    await sendAll(url, [slash('expensive', { query: 'warm' })]);
    const results = await sendAll(
      url,
      Array.from({ length: 100 }, (_, i) => slash('expensive', { query: `b${i}` })),
    );
    const busy = results.filter((r) => r.body.type === 4 && r.body.data?.content === BUSY_TEXT);
    expect(busy.length).toBeGreaterThan(0);
    expect(Math.max(...busy.map((r) => r.ms))).toBeLessThan(3000);
  });
});
