/**
 * Three real `twir serve` replicas (Discord HTTP interactions and Slack
 * events on one port each) behind a round-robin proxy, sharing one store,
 * against the loopback Discord and Slack: commands and page buttons spread
 * across them (a page made by one is served by another); a new issue goes to
 * 300 channels while the replica holding the fan-out lease is killed
 * mid-fan-out, and another finishes it with no duplicate and no miss; a
 * replica killed with an answer in flight costs the proxy a retry, and the
 * others keep answering. Waits for events, never for a number of seconds.
 * Needs a fresh build (`npm run build`).
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIGEST_LEASE_KEY } from '../../src/adapters/digest-host.js';
import { PAGE_ACTION_IDS } from '../../src/adapters/slack/render-blocks.js';
import { openStore } from '../../src/core/store/store.js';
import { currentSyncLease } from '../../src/core/store/sync-lease.js';
import { createLocalSource } from '../../src/core/sync/local-source.js';
import { createParser } from '../../src/core/sync/parse-pool.js';
import { syncIssues } from '../../src/core/sync/sync.js';
import { createSqliteDigestStore } from '../../src/digest/digest-store.js';
import { DEFAULT_SECTIONS } from '../../src/digest/settings.js';
import { ASKER, click, slash } from '../adapters/discord/support.js';
import { ARCHIVE_DIR } from '../support/archive.js';
import { FakeDiscord as DiscordPosts } from '../support/fake-digest-platforms.js';
import { APP_ID, BOT_TOKEN, FakeDiscord, GUILD_ID } from '../support/fake-discord.js';
import { buttonClick, FakeSlack, postSigned, slashCommand } from '../support/fake-slack.js';
import { type ReplicaSet, startReplicas } from '../support/replicas.js';
import { type RoundRobinProxy, startRoundRobinProxy } from '../support/round-robin-proxy.js';

const BUILT = fileURLToPath(new URL('../../dist/src/adapters/console/operator.js', import.meta.url));
const { publicKey, privateKey } = generateKeyPairSync('ed25519');
const PUBLIC_HEX = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');
const SIGNING_SECRET = 'replicas-signing-secret';
const MANAGE_CHANNELS = String(1 << 4);
/** Channels per platform: 150 Discord + 150 Slack = 300; the first few subscribe through the proxy. */
const PER_PLATFORM = 150;
const BY_COMMAND = 5;
const discordChannel = (i: number) => String(100000000000000000n + BigInt(i));
const slackChannel = (i: number) => `C${String(i).padStart(4, '0')}`;
/** A query long enough that its page buttons keep their state in the store, not in the custom_id. */
const LONG_QUERY = 'rust compiler performance async closures release announcements';

type Json = Record<string, unknown>;

async function until(check: () => boolean, what: string, ms = 120_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('three replicas behind a round-robin proxy, one shared store', () => {
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
    dir = mkdtempSync(join(tmpdir(), 'twir-replicas-'));
    content = join(dir, 'content');
    mkdirSync(content);
    for (const f of ['2024-10-23-this-week-in-rust.md', '2024-10-30-this-week-in-rust.md'])
      copyFileSync(join(ARCHIVE_DIR, f), join(content, f));
    // The shared store, synced and with the channels that did not subscribe by command already subscribed.
    dbPath = join(dir, 'twir.db');
    const store = openStore({ path: dbPath });
    const parser = createParser(0);
    try {
      await syncIssues({ source: createLocalSource(content), store, parser, now: () => new Date() });
    } finally {
      await parser.close();
    }
    const digest = createSqliteDigestStore(store.db);
    digest.setBaseline(571);
    const settings = { sections: [...DEFAULT_SECTIONS], place: null, when: { kind: 'new' as const } };
    for (let i = BY_COMMAND; i < PER_PLATFORM; i++) {
      digest.subscribe({ platform: 'discord', workspaceId: GUILD_ID, channelId: discordChannel(i) }, settings, 571, 'u', new Date());
      digest.subscribe({ platform: 'slack', workspaceId: 'T1', channelId: slackChannel(i) }, settings, 571, 'U', new Date());
    }
    store.close();

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
      ...(process.env.TWIR_TEST_DATABASE_URL ? { databaseUrl: process.env.TWIR_TEST_DATABASE_URL } : {}),
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

    // Subscriptions by command land in the shared store whichever replica took them.
    const subscribedBy = new Set<string>();
    for (let i = 0; i < BY_COMMAND; i++) {
      const channel = discordChannel(i);
      const r = await interact(
        slash(
          'subscribe',
          {},
          {
            channel_id: channel,
            channel: { id: channel, type: 0 },
            member: { user: { id: ASKER, username: 'ferris' }, permissions: MANAGE_CHANNELS, roles: [] },
          },
        ),
      );
      expect(r.status).toBe(200);
      subscribedBy.add(r.replica);
      const id = `subscribe-${i}`;
      subscribedBy.add((await slackAsk(slashCommand('subscribe', slack.responseUrl(id), { channel_id: slackChannel(i) }), id)).replica);
    }
    expect(subscribedBy.size).toBe(3);
    await until(() => subscriptions() === 2 * PER_PLATFORM, '300 subscriptions in the shared store', 60_000);
  });

  function subscriptions(): number {
    const store = openStore({ path: dbPath, readonly: true });
    try {
      return createSqliteDigestStore(store.db).subscriptions().length;
    } finally {
      store.close();
    }
  }

  it('a new issue reaches all 300 channels exactly once though the fan-out lease holder is killed mid-fan-out', async () => {
    let killed: { name: string } | null = null;
    // At the 40th Discord post the holder is killed after Discord stored the post and before it hears back:
    // that post is in doubt, and the replica taking over must find it, not post it again.
    let accepted = 0;
    posts.onAccepted = () => {
      if (++accepted !== 40 || killed) return undefined;
      const store = openStore({ path: dbPath, readonly: true });
      try {
        const holder = currentSyncLease(store, DIGEST_LEASE_KEY);
        const replica = holder ? set.byPid(holder.pid) : undefined;
        if (!replica) throw new Error(`the fan-out lease is not held by a replica: ${JSON.stringify(holder)}`);
        replica.child.kill('SIGKILL');
        killed = { name: replica.name };
      } finally {
        store.close();
      }
      return undefined;
    };
    copyFileSync(join(ARCHIVE_DIR, '2024-11-06-this-week-in-rust.md'), join(content, '2024-11-06-this-week-in-rust.md'));
    await until(() => killed !== null, 'the lease holder to be killed mid-fan-out');
    const victim = set.replicas.find((r) => r.name === killed?.name);
    expect((await victim?.exited)?.signal).toBe('SIGKILL');

    const done = () => {
      const store = openStore({ path: dbPath, readonly: true });
      try {
        return createSqliteDigestStore(store.db).counts();
      } finally {
        store.close();
      }
    };
    await until(() => done().sent === 2 * PER_PLATFORM, 'every delivery to be sent', 180_000);
    expect(done()).toEqual({ pending: 0, sending: 0, sent: 2 * PER_PLATFORM, failed: 0, missed: 0 });

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
