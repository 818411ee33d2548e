/**
 * Three real `twir serve` replicas (Discord HTTP interactions and Slack
 * events on one port each) behind a round-robin proxy, sharing their state,
 * against the loopback Discord and Slack: commands and page buttons spread
 * across them (a page made by one is served by another); a new issue goes to
 * 300 channels while the replica holding the fan-out lease is killed
 * mid-fan-out, and another finishes it with no duplicate and no miss; a
 * replica killed with an answer in flight costs the proxy a retry, and the
 * others keep answering. Waits for events, never for a number of seconds.
 * Everything goes through the proxy, the platforms and the CLI (`twir digest
 * status --json`), never the store's file: when the test run has PostgreSQL
 * (test/support/postgres.ts: always in CI) the replicas share a fresh
 * database on it (DATABASE_URL), else one SQLite file; the test is the same.
 * Needs a fresh build (`npm run build`).
 */
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, sign } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAGE_ACTION_IDS } from '../../src/adapters/slack/render-blocks.js';
import { ASKER, click, slash } from '../adapters/discord/support.js';
import { ARCHIVE_DIR } from '../support/archive.js';
import { FakeDiscord as DiscordPosts } from '../support/fake-digest-platforms.js';
import { APP_ID, BOT_TOKEN, FakeDiscord } from '../support/fake-discord.js';
import { buttonClick, FakeSlack, postSigned, slashCommand } from '../support/fake-slack.js';
import { freshDatabase, postgresUrl } from '../support/postgres.js';
import { canUseOwnHostnames, type ReplicaSet, startReplicas } from '../support/replicas.js';
import { type RoundRobinProxy, startRoundRobinProxy } from '../support/round-robin-proxy.js';

const BIN = fileURLToPath(new URL('../../bin/twir.js', import.meta.url));
const BUILT = fileURLToPath(new URL('../../dist/src/adapters/console/operator.js', import.meta.url));
const { publicKey, privateKey } = generateKeyPairSync('ed25519');
const PUBLIC_HEX = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');
const SIGNING_SECRET = 'replicas-signing-secret';
const MANAGE_CHANNELS = String(1 << 4);
/** Channels per platform: 150 Discord + 150 Slack = 300, each subscribed by a command through the proxy. */
const PER_PLATFORM = 150;
const discordChannel = (i: number) => String(100000000000000000n + BigInt(i));
const slackChannel = (i: number) => `C${String(i).padStart(4, '0')}`;
/** A query long enough that its page buttons keep their state in the store, not in the custom_id. */
const LONG_QUERY = 'rust compiler performance async closures release announcements';
/**
 * Each replica on its own host name where the machine allows it (root: `unshare --uts`), as on separate
 * machines: the killed holder's lease is then taken over when it expires (TWIR_LEASE_TTL_SECONDS=2), not
 * at once through the same-host dead-process check.
 */
const OWN_HOSTNAMES = canUseOwnHostnames();

type Json = Record<string, unknown>;

async function until(check: () => boolean, what: string, ms = 120_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe(`three replicas behind a round-robin proxy, shared state on ${postgresUrl() ? 'PostgreSQL' : 'one SQLite file'}`, () => {
  let database: { url: string; drop(): Promise<void> } | null = null;
  let dir: string;
  let content: string;
  let dbPath: string;
  let discord: FakeDiscord;
  let posts: DiscordPosts;
  let discordFront: RoundRobinProxy;
  let slack: FakeSlack;
  let set: ReplicaSet;
  let proxy: RoundRobinProxy;
  let sent = 0;

  beforeAll(async () => {
    if (!existsSync(BUILT)) throw new Error('dist/ is missing: run `npm run build` first.');
    if (postgresUrl()) database = await freshDatabase('twir_replicas');
    dir = mkdtempSync(join(tmpdir(), 'twir-replicas-'));
    content = join(dir, 'content');
    mkdirSync(content);
    for (const f of ['2024-10-23-this-week-in-rust.md', '2024-10-30-this-week-in-rust.md'])
      copyFileSync(join(ARCHIVE_DIR, f), join(content, f));
    // The shared store, synced once by the CLI before the replicas start (each then finds it fresh).
    dbPath = join(dir, 'twir.db');
    execFileSync(process.execPath, [BIN, 'sync'], {
      env: { PATH: process.env.PATH ?? '', HOME: dir, TWIR_DB: dbPath, TWIR_SOURCE: content, TWIR_PARSE_WORKERS: '0' },
      stdio: 'ignore',
    });

    // Discord: the adapter's fake (token check, deferred edits) and the digest's (channel messages,
    // nonces, history) behind one API base.
    discord = await new FakeDiscord().start();
    posts = await new DiscordPosts().start();
    discordFront = await startRoundRobinProxy({
      backends: [new URL(discord.apiBase).origin, posts.url as string],
      choose: (req) => (/^\/api\/v10\/channels\//.test(req.url ?? '') ? 1 : 0),
    });
    slack = await new FakeSlack().start();
    set = await startReplicas({
      count: 3,
      dbPath,
      source: content,
      home: dir,
      ownHostnames: OWN_HOSTNAMES,
      ...(database ? { databaseUrl: database.url } : {}),
      env: {
        TWIR_WEB: 'off',
        TWIR_PARSE_WORKERS: '0',
        TWIR_POLL_CRON: '*/2 * * * * *',
        TWIR_LEASE_TTL_SECONDS: '2',
        TWIR_DIGEST_RETRY_MAX_SECONDS: '1',
        DISCORD_TOKEN: BOT_TOKEN,
        DISCORD_MODE: 'http',
        DISCORD_PUBLIC_KEY: PUBLIC_HEX,
        DISCORD_API_BASE: `${discordFront.url}/api`,
        SLACK_BOT_TOKEN: slack.botToken,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: slack.apiUrl,
        SLACK_SUBSCRIBE_ROLE: 'member',
        SLACK_POSTS_PER_MINUTE: '6000',
      },
    });
    proxy = await startRoundRobinProxy({ backends: set.replicas.map((r) => r.url) });
  });

  afterAll(async () => {
    await set?.stop();
    await proxy?.close();
    await discordFront?.close();
    await discord?.close();
    await posts?.close();
    await slack?.close();
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A signed Discord interaction through the proxy: the replica that answered and the response. */
  async function interact(payload: Json): Promise<{ replica: string; status: number; body: Json }> {
    const n = ++sent;
    const body = JSON.stringify({ application_id: APP_ID, id: String(n), token: `token-${n}`, ...payload });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = sign(null, Buffer.from(timestamp + body), privateKey).toString('hex');
    const res = await fetch(`${proxy.url}/interactions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-signature-ed25519': signature, 'x-signature-timestamp': timestamp },
      body,
    });
    return { replica: res.headers.get('x-twir-replica') ?? '?', status: res.status, body: (await res.json()) as Json };
  }

  /** The message an interaction ends up showing: at once, or deferred (a busy machine) and edited in. */
  async function shown(payload: Json): Promise<{ replica: string; type: number; data: Json }> {
    const before = sent + 1;
    const { replica, status, body } = await interact(payload);
    expect(status).toBe(200);
    const type = body.type as number;
    if (type !== 5 && type !== 6) return { replica, type, data: body.data as Json };
    const edit = await discord.waitFor(
      (r) => r.method === 'PATCH' && r.path === `/webhooks/${APP_ID}/token-${before}/messages/@original`,
      60_000,
    );
    return { replica, type: type === 5 ? 4 : 7, data: edit.body as Json };
  }

  /** A signed Slack slash command (or `payload=` click) through the proxy; resolves with the replica and what it posted to response_url. */
  async function slackAsk(form: Record<string, string>, responseId: string): Promise<{ replica: string; posted: Json }> {
    const res = await postSigned(`${proxy.url}/slack/events`, form, SIGNING_SECRET);
    expect(res.status).toBe(200);
    await until(() => slack.responses.some((r) => r.id === responseId), `the response to ${responseId}`, 60_000);
    return { replica: res.headers.get('x-twir-replica') ?? '?', posted: slack.responses.find((r) => r.id === responseId)?.body as Json };
  }

  it('spreads commands, subscriptions and page clicks across the replicas; a page made by one is served by another', async () => {
    const names = new Set<string>();
    for (let i = 0; i < 6; i++) {
      const answer = await shown(slash('help'));
      expect(answer.type).toBe(4);
      names.add(answer.replica);
    }
    expect([...names].sort()).toEqual(['replica-1', 'replica-2', 'replica-3']);

    // Discord: the Next button's state is in the shared store (the custom_id only names it).
    const first = await shown(slash('search', { query: LONG_QUERY, 'as-of': '2024-10-30' }));
    const row = (first.data.components as Json[] | undefined)?.[0] as Json | undefined;
    const next = ((row?.components as Json[] | undefined) ?? [])[1] ?? {};
    expect(String(next.custom_id)).toMatch(/^twir:p1:2:s/);
    const page2 = await shown(click(String(next.custom_id)));
    expect(page2.replica).not.toBe(first.replica);
    expect(page2.type).toBe(7);
    const embed = (page2.data.embeds as Json[] | undefined)?.[0] as Json | undefined;
    expect(String((embed?.footer as Json | undefined)?.text)).toMatch(/^Page 2 of \d+/);

    // Slack: commands through the proxy, and a page click served by another replica than the first page.
    const slackNames = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const id = `crate-${i}`;
      slackNames.add((await slackAsk(slashCommand('crate', slack.responseUrl(id)), id)).replica);
    }
    expect(slackNames.size).toBe(3);
    const search = await slackAsk(slashCommand(`search ${LONG_QUERY} --as-of 2024-10-30`, slack.responseUrl('search')), 'search');
    const buttons = (search.posted.blocks as Json[])
      .flatMap((b) => (b.elements as Json[] | undefined) ?? [])
      .filter((e) => e.type === 'button');
    const more = buttons.find((b) => b.action_id === PAGE_ACTION_IDS.next);
    if (!more) throw new Error('no page button on the Slack answer');
    const clicked = await slackAsk(
      { payload: JSON.stringify(buttonClick(more as { action_id: string; value: string }, slack.responseUrl('page-2'))) },
      'page-2',
    );
    expect(clicked.replica).not.toBe(search.replica);
    expect(JSON.stringify(clicked.posted)).toMatch(/Page 2 of \d+/);

    // 300 channels subscribe by command (150 on each platform), a few at a time, whichever replica takes each.
    const subscribedBy = new Map<string, number>();
    const subscribe = async (i: number) => {
      const channel = discordChannel(i);
      const member = { user: { id: ASKER, username: 'ferris' }, permissions: MANAGE_CHANNELS, roles: [] };
      const r = await interact(slash('subscribe', {}, { channel_id: channel, channel: { id: channel, type: 0 }, member }));
      expect([r.status, r.body.type]).toEqual([200, 4]);
      const id = `subscribe-${i}`;
      const s = await slackAsk(slashCommand('subscribe', slack.responseUrl(id), { channel_id: slackChannel(i) }), id);
      for (const name of [r.replica, s.replica]) subscribedBy.set(name, (subscribedBy.get(name) ?? 0) + 1);
    };
    let queued = 0;
    await Promise.all(
      Array.from({ length: 6 }, async () => {
        while (queued < PER_PLATFORM) await subscribe(queued++);
      }),
    );
    expect([...subscribedBy.keys()].sort()).toEqual(['replica-1', 'replica-2', 'replica-3']);
    const after = await status();
    expect(after.subscriptions).toHaveLength(2 * PER_PLATFORM);
    // The first replica to start took the newest stored issue as the baseline: only later ones are news.
    expect(after.newestAnnounced).toBe(571);
  });

  /** `twir digest status --json` on the shared state: the same on SQLite and (with DATABASE_URL) PostgreSQL. */
  async function status(): Promise<{ newestAnnounced: number | null; deliveries: Record<string, number>; subscriptions: unknown[] }> {
    return JSON.parse(await set.cli(['digest', 'status', '--json']));
  }

  /** Waits for an asynchronous condition, polling no faster than it can answer. */
  async function untilAsync(check: () => Promise<boolean>, what: string, ms = 120_000): Promise<void> {
    const end = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('a new issue reaches all 300 channels exactly once though the fan-out lease holder is killed mid-fan-out', async () => {
    let killed: { name: string } | null = null;
    // The replica holding the fan-out lease is the one whose log says it is delivering (each run with work says so once).
    const delivering = (name: string) =>
      (
        set.replicas
          .find((r) => r.name === name)
          ?.stderr()
          .match(/digest: delivering \d+/g) ?? []
      ).length;
    const before = new Map(set.replicas.map((r) => [r.name, delivering(r.name)]));
    // At the 40th Discord post the holder is killed after Discord stored the post and before it hears back:
    // that post is in doubt, and the replica taking over must find it, not post it again.
    let accepted = 0;
    posts.onAccepted = () => {
      if (++accepted !== 40 || killed) return undefined;
      const holders = set.replicas.filter((r) => delivering(r.name) > (before.get(r.name) ?? 0));
      if (holders.length !== 1) throw new Error(`expected one replica delivering, got ${holders.map((r) => r.name).join(', ') || 'none'}`);
      const holder = holders[0] as (typeof holders)[number];
      holder.child.kill('SIGKILL');
      killed = { name: holder.name };
      return undefined;
    };
    copyFileSync(join(ARCHIVE_DIR, '2024-11-06-this-week-in-rust.md'), join(content, '2024-11-06-this-week-in-rust.md'));
    await until(() => killed !== null, 'the lease holder to be killed mid-fan-out');
    const victim = set.replicas.find((r) => r.name === killed?.name);
    expect((await victim?.exited)?.signal).toBe('SIGKILL');

    await untilAsync(async () => (await status()).deliveries.sent === 2 * PER_PLATFORM, 'every delivery to be sent', 180_000);
    expect((await status()).deliveries).toEqual({ pending: 0, sending: 0, sent: 2 * PER_PLATFORM, failed: 0, missed: 0 });

    const discordCounts = posts.countByChannel();
    expect(discordCounts.size).toBe(PER_PLATFORM);
    expect([...discordCounts.values()].every((c) => c === 1)).toBe(true);
    const slackCounts = new Map<string, number>();
    for (const p of slack.posted) slackCounts.set(p.channel, (slackCounts.get(p.channel) ?? 0) + 1);
    expect(slackCounts.size).toBe(PER_PLATFORM);
    expect([...slackCounts.values()].every((c) => c === 1)).toBe(true);
    // The in-doubt post was recognised by its nonce, and another replica finished the fan-out.
    expect(posts.nonceReplays).toBeGreaterThan(0);
    const successors = set.replicas.filter((r) => r.name !== killed?.name && /digest: fan-out \d+ sent/.test(r.stderr()));
    expect(successors.length).toBeGreaterThan(0);
  });

  it('a replica killed with an answer in flight costs a retry; the others keep answering', async () => {
    // Bring the fan-out's victim back, so three replicas answer again.
    const down = set.replicas.find((r) => r.child.signalCode === 'SIGKILL');
    if (down) await set.restart(down.index);
    proxy.setBackends(set.replicas.map((r) => r.url));
    const victim = set.replicas[1];
    if (!victim) throw new Error('no replica 2');
    // Stopped, it accepts the connection but never answers: the slowest answer there is. Killed with the
    // request in flight, the connection is reset before any response byte, and the proxy tries the next.
    victim.child.kill('SIGSTOP');
    const inFlight = [0, 1, 2].map(() => shown(slash('help')));
    await until(() => (proxy.inFlight.get(victim.url) ?? 0) > 0, 'a request in flight on the stopped replica', 60_000);
    victim.child.kill('SIGKILL');
    const answers = await Promise.all(inFlight);
    expect(answers.every((a) => a.type === 4)).toBe(true);
    expect(answers.some((a) => a.replica === victim.name)).toBe(false);
    expect(proxy.retried.get(victim.url)).toBeGreaterThan(0);
    const later = [];
    for (let i = 0; i < 6; i++) later.push(await shown(slash('help')));
    expect(later.every((a) => a.type === 4)).toBe(true);
    expect(new Set(later.map((a) => a.replica)).size).toBe(2);
  });
});
