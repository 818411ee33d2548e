#!/usr/bin/env node
// `node bench/postgres.js` (TWIR_BENCH_ONLY=postgres in `npm run bench`): the shared state on PostgreSQL.
//  1. 100,000 stored subscriptions: `subscribe` latency (p50/p99 of 200 new channels and 200 re-subscribes), and the
//     fan-out's planning of one issue for all of them (load the subscriptions, plan, announce with 100,000 planned
//     deliveries in one transaction, the first batch of due deliveries).
//  2. A digest fan-out to 10,000 channels (half Discord, half Slack) through the real posters against the loopback fakes
//     that enforce the platforms' limits (test/support/fake-digest-platforms.js, as bench/digest.js), with the delivery
//     log on PostgreSQL: total time against the rate-limit bound, 429s, duplicates, misses.
// The server: TWIR_BENCH_DATABASE_URL, else a throwaway cluster (scripts/pg-cluster.sh), stopped at the end. Each part
// runs in a database of its own, dropped afterwards (BENCH_PG_PARTS=plan or fanout runs one; BENCH_FANOUT_PER_PLATFORM
// changes the 5,000 channels per platform). BENCH_DISCORD_PER_SECOND (default 50, Discord's) and BENCH_SLACK_PPM
// (default 3000, as bench/digest.js) set the limits the fakes enforce and the limiter keeps (the bound is computed from the same numbers).
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const root = fileURLToPath(new URL('..', import.meta.url));
if (process.env.TWIR_BENCH_NO_BUILD !== '1') execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
const archive = process.env.TWIR_BENCH_ARCHIVE ?? join(root, '..', 'shared', 'twir-archive');

const { parseIssueBytes } = await import('../dist/src/core/issue/parse-file.js');
const { openPostgresSharedState } = await import('../dist/src/shared-state/postgres/postgres-shared-state.js');
const { planDeliveries } = await import('../dist/src/digest/plan.js');
const { runFanOut } = await import('../dist/src/digest/fan-out.js');
const { createDigestLimiter } = await import('../dist/src/digest/limiter.js');
const { DEFAULT_SECTIONS } = await import('../dist/src/digest/settings.js');
const { createDiscordDigestPoster } = await import('../dist/src/adapters/discord/digest-poster.js');
const { createSlackDigestPoster } = await import('../dist/src/adapters/slack/digest-poster.js');
const { FakeDiscord, FakeSlack, slackOptions } = await import('../test/support/fake-digest-platforms.js');

const STORED = 100_000;
const SAMPLES = 200;
const FANOUT_PER_PLATFORM = Number(process.env.BENCH_FANOUT_PER_PLATFORM ?? 5_000);
const DISCORD_PER_SECOND = Number(process.env.BENCH_DISCORD_PER_SECOND ?? 50);
const SLACK_PPM = Number(process.env.BENCH_SLACK_PPM ?? 3000);
const settings = { sections: [...DEFAULT_SECTIONS], place: null, when: { kind: 'new' } };
const SCRIPT = join(root, 'scripts', 'pg-cluster.sh');

// The server.
let server = process.env.TWIR_BENCH_DATABASE_URL?.trim();
let clusterDir = null;
if (!server) {
  clusterDir = mkdtempSync(join(tmpdir(), 'twir-bench-pg-'));
  server = execFileSync(SCRIPT, ['start', clusterDir], { encoding: 'utf8' }).trim();
}
const stopCluster = () => {
  if (clusterDir) execFileSync(SCRIPT, ['stop', clusterDir]);
  clusterDir = null;
};
process.on('exit', stopCluster);

async function withDatabase(work) {
  const name = `twir_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  try {
    return await work(url.toString());
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

const line = (label, value, target) =>
  console.log(`${label.padEnd(52)} ${String(value).padStart(14)}   ${target ? `target ${target}` : ''}`);
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const ms = (n) => `${n.toFixed(1)} ms`;
const timed = async (fn) => {
  const t = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - t };
};

// BENCH_PG_PARTS=plan,fanout (default both) picks the parts.
const parts = new Set((process.env.BENCH_PG_PARTS ?? 'plan,fanout').split(','));

// 1. 100,000 stored subscriptions.
if (parts.has('plan'))
  await withDatabase(async (url) => {
    const state = await openPostgresSharedState({ connectionString: url });
    const raw = new pg.Pool({ connectionString: url, max: 1 });
    try {
      // Stored in bulk (what matters is how the store behaves with them, not how fast a benchmark can create them).
      await raw.query(
        `INSERT INTO digest_subscriptions (platform, workspace_id, channel_id, settings, since_number, created_by, created_at, updated_at)
       SELECT CASE WHEN i % 2 = 0 THEN 'discord' ELSE 'slack' END, 'W' || (i / 1000), 'C' || i, $1, 570, 'bench', $2, $2
       FROM generate_series(1, $3) AS i`,
        [JSON.stringify(settings), new Date().toISOString(), STORED],
      );
      await raw.query('ANALYZE');
      const now = new Date();
      const fresh = [];
      for (let i = 0; i < SAMPLES; i++) {
        const key = { platform: 'slack', workspaceId: 'Wnew', channelId: `N${i}` };
        fresh.push((await timed(() => state.digest.subscribe(key, settings, 570, 'U', now))).ms);
      }
      const again = [];
      for (let i = 0; i < SAMPLES; i++) {
        // Stored rows spread over the table: channel c is on 'discord' when even, in workspace W<c / 1000>.
        const c = i * 499 + 1;
        const key = { platform: c % 2 === 0 ? 'discord' : 'slack', workspaceId: `W${Math.floor(c / 1000)}`, channelId: `C${c}` };
        again.push((await timed(() => state.digest.subscribe(key, settings, 570, 'U', now))).ms);
      }
      fresh.sort((a, b) => a - b);
      again.sort((a, b) => a - b);
      const load = await timed(() => state.digest.subscriptions());
      const plan = await timed(async () => planDeliveries({ number: 571 }, load.value, now));
      const announce = await timed(() => state.digest.announce({ number: 571, file: '571.md' }, plan.value, now));
      const firstBatch = await timed(() => state.digest.due(now, 2000));
      const status = await timed(() => state.digest.counts());
      console.log(`\n# Shared state on PostgreSQL: ${STORED.toLocaleString('en')} stored subscriptions`);
      line('subscribe, a new channel: p50 / p99', `${ms(pct(fresh, 50))} / ${ms(pct(fresh, 99))}`, '≤ 100 ms');
      line('subscribe again (update): p50 / p99', `${ms(pct(again, 50))} / ${ms(pct(again, 99))}`, '≤ 100 ms');
      line(`planning: load ${load.value.length.toLocaleString('en')} subscriptions`, ms(load.ms));
      line('planning: planDeliveries (pure)', ms(plan.ms));
      line(`planning: announce, ${plan.value.length.toLocaleString('en')} deliveries, one tx`, ms(announce.ms));
      line('planning: total (load + plan + announce)', ms(load.ms + plan.ms + announce.ms));
      line('fan-out: first batch of 2,000 due deliveries', ms(firstBatch.ms), '≤ 100 ms');
      line('status counts over the delivery log', ms(status.ms));
      if (announce.value !== true) throw new Error('announce did not announce');
    } finally {
      await raw.end();
      await state.close();
    }
  });

// 2. A digest to 10,000 channels.
if (parts.has('fanout'))
  await withDatabase(async (url) => {
    const state = await openPostgresSharedState({ connectionString: url });
    const file = '2024-10-30-this-week-in-rust.md';
    const issue = parseIssueBytes(new Uint8Array(readFileSync(join(archive, file))), file);
    const now = new Date();
    for (let i = 0; i < FANOUT_PER_PLATFORM; i++) {
      await state.digest.subscribe(
        { platform: 'discord', workspaceId: '900000000000000001', channelId: String(100000000000000000n + BigInt(i)) },
        settings,
        570,
        'u',
        now,
      );
      await state.digest.subscribe({ platform: 'slack', workspaceId: 'T1', channelId: `C${i}` }, settings, 570, 'U', now);
    }
    await state.digest.announce(
      { number: issue.number, file },
      planDeliveries({ number: issue.number }, await state.digest.subscriptions(), now),
      now,
    );
    const discord = await new FakeDiscord({ perSecond: DISCORD_PER_SECOND }).start();
    const slack = await new FakeSlack({ postsPerMinute: SLACK_PPM }).start();
    const t0 = performance.now();
    const report = await runFanOut({
      store: state.digest,
      posters: {
        discord: createDiscordDigestPoster({ token: 'MTAw.bench.token', apiBase: discord.apiBase }),
        slack: createSlackDigestPoster(slackOptions(slack.apiUrl)),
      },
      limiter: createDigestLimiter({ discordPerSecond: DISCORD_PER_SECOND, slackPostsPerMinute: SLACK_PPM, slackChannelSpacingMs: 1000 }),
      loadIssue: (n) => (n === issue.number ? issue : undefined),
      now: () => new Date(),
      log: { debug() {}, info() {}, warn() {}, error: (m) => console.error(m) },
    });
    const totalMs = performance.now() - t0;
    await discord.close();
    await slack.close();
    const counts = await state.digest.counts();
    await state.close();
    // Limit-bound minimum: N evenly spaced requests need (N-1) gaps on each platform; the platforms run in parallel.
    const n = FANOUT_PER_PLATFORM;
    const minimumMs = Math.max(((n - 1) * 1000) / DISCORD_PER_SECOND, ((n - 1) * 60_000) / SLACK_PPM);
    const posted = [...discord.countByChannel().values(), ...slack.countByChannel().values()];
    console.log(
      `\n# Digest fan-out on PostgreSQL (${n} Discord + ${n} Slack channels; Discord ${DISCORD_PER_SECOND}/s, Slack ${SLACK_PPM}/min)`,
    );
    line('total fan-out time', `${(totalMs / 1000).toFixed(2)} s`);
    line('rate-limit bound', `${(minimumMs / 1000).toFixed(2)} s`);
    line('over the bound', `${(((totalMs - minimumMs) / minimumMs) * 100).toFixed(1)} %`, '≤ 10 %');
    line('429 answers (Discord + Slack)', `${discord.rateLimited} + ${slack.rateLimited}`, 'a handful at most');
    line('posts sent / failed', `${report.sent} / ${report.failed}`, `${n * 2} / 0`);
    line('delivery log: sent / open', `${counts.sent} / ${counts.pending + counts.sending}`, `${n * 2} / 0`);
    line('duplicates', posted.filter((c) => c > 1).length, '0');
    line('misses', n * 2 - posted.length, '0');
  });

stopCluster();
