#!/usr/bin/env node
// `node bench/digest.js` (also the last part of `npm run bench`): one digest fan-out to 1,000 channels, half Discord,
// half Slack, through the real posters (@discordjs/rest, WebClient) against loopback fakes that enforce the platform
// limits (Discord 50 requests/s + 5 per 5 s per channel; Slack a workspace ceiling + ~1/s per channel) and answer 429
// past them. Prints total time against the limit-bound minimum, 429s, duplicates and misses.
// BENCH_SLACK_PPM sets the Slack ceiling (default 3000/min: SLACK_POSTS_PER_MINUTE's 300 ×10 so the run takes ~10 s
// instead of ~100 s; the limiter is always set to the same ceiling the fake enforces).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
if (process.env.TWIR_BENCH_NO_BUILD !== '1') execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
const archive = process.env.TWIR_BENCH_ARCHIVE ?? join(root, '..', 'shared', 'twir-archive');

const { openStore } = await import('../dist/src/core/store/store.js');
const { parseIssueBytes } = await import('../dist/src/core/issue/parse-file.js');
const { createSqliteDigestStore } = await import('../dist/src/digest/digest-store.js');
const { planDeliveries } = await import('../dist/src/digest/plan.js');
const { runFanOut } = await import('../dist/src/digest/fan-out.js');
const { createDigestLimiter } = await import('../dist/src/digest/limiter.js');
const { DEFAULT_SECTIONS } = await import('../dist/src/digest/settings.js');
const { createDiscordDigestPoster } = await import('../dist/src/adapters/discord/digest-poster.js');
const { createSlackDigestPoster } = await import('../dist/src/adapters/slack/digest-poster.js');
const { recordFanOutEvent } = await import('../dist/src/adapters/ops/metrics.js');
const { FakeDiscord, FakeSlack, slackOptions } = await import('../test/support/fake-digest-platforms.js');

const PER_PLATFORM = 500;
const DISCORD_PER_SECOND = 50;
const SLACK_PPM = Number(process.env.BENCH_SLACK_PPM ?? 3000);

const work = mkdtempSync(join(tmpdir(), 'twir-bench-digest-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
const store = openStore({ path: join(work, 'digest.db') });
const file = '2024-10-30-this-week-in-rust.md';
const issue = parseIssueBytes(new Uint8Array(readFileSync(join(archive, file))), file);
store.replaceIssue(issue, 'bench', 1);
const digest = createSqliteDigestStore(store.db);
const settings = { sections: [...DEFAULT_SECTIONS], place: null, when: { kind: 'new' } };
for (let i = 0; i < PER_PLATFORM; i++) {
  await digest.subscribe(
    { platform: 'discord', workspaceId: '900000000000000001', channelId: String(100000000000000000n + BigInt(i)) },
    settings,
    570,
    'u',
    new Date(),
  );
  await digest.subscribe({ platform: 'slack', workspaceId: 'T1', channelId: `C${i}` }, settings, 570, 'U', new Date());
}
await digest.announce(
  { number: issue.number, file },
  planDeliveries({ number: issue.number }, await digest.subscriptions(), new Date()),
  new Date(),
);

const discord = await new FakeDiscord({ perSecond: DISCORD_PER_SECOND }).start();
const slack = await new FakeSlack({ postsPerMinute: SLACK_PPM }).start();
const log = { debug() {}, info() {}, warn() {}, error: (m) => console.error(m) };
const t0 = performance.now();
const wall0 = Date.now();
const report = await runFanOut({
  store: digest,
  posters: {
    discord: createDiscordDigestPoster({ token: 'MTAw.bench.token', apiBase: discord.apiBase }),
    slack: createSlackDigestPoster(slackOptions(slack.apiUrl)),
  },
  limiter: createDigestLimiter({ discordPerSecond: DISCORD_PER_SECOND, slackPostsPerMinute: SLACK_PPM, slackChannelSpacingMs: 1000 }),
  loadIssue: (n) => (n === issue.number ? issue : undefined),
  now: () => new Date(),
  log,
  // As twir serve runs it: every post outcome and the run counted for /metrics.
  observe: recordFanOutEvent,
});
const totalMs = performance.now() - t0;
const wallEnd = Date.now();
await discord.close();
await slack.close();
store.close();

// Limit-bound minimum: N evenly spaced requests need (N-1) gaps on each platform; the platforms run in parallel.
const minimumMs = Math.max(((PER_PLATFORM - 1) * 1000) / DISCORD_PER_SECOND, ((PER_PLATFORM - 1) * 60_000) / SLACK_PPM);
const counts = [...discord.countByChannel().values(), ...slack.countByChannel().values()];
const duplicates = counts.filter((n) => n > 1).length;
const misses = PER_PLATFORM * 2 - counts.length;
const line = (label, value, target) =>
  console.log(`${label.padEnd(44)} ${String(value).padStart(12)}   ${target ? `target ${target}` : ''}`);
console.log(
  `\n# Digest fan-out (${PER_PLATFORM} Discord + ${PER_PLATFORM} Slack channels; Discord ${DISCORD_PER_SECOND}/s, Slack ${SLACK_PPM}/min)`,
);
line('total fan-out time', `${(totalMs / 1000).toFixed(2)} s`);
line('limit-bound minimum', `${(minimumMs / 1000).toFixed(2)} s`);
line('over the minimum', `${(((totalMs - minimumMs) / minimumMs) * 100).toFixed(1)} %`, '≤ 10 %');
const span = (ms) => (ms.length ? ((ms.at(-1).at - ms[0].at) / 1000).toFixed(2) : '0');
line('first to last post: Discord / Slack', `${span(discord.messages)} / ${span(slack.messages)} s`);
const firstAt = Math.min(discord.messages[0]?.at ?? wallEnd, slack.messages[0]?.at ?? wallEnd);
const lastAt = Math.max(discord.messages.at(-1)?.at ?? wall0, slack.messages.at(-1)?.at ?? wall0);
line('before the first / after the last post', `${firstAt - wall0} / ${wallEnd - lastAt} ms`);
line('429 answers (Discord + Slack)', `${discord.rateLimited} + ${slack.rateLimited}`, 'a handful at most');
line('posts sent / failed', `${report.sent} / ${report.failed}`, `${PER_PLATFORM * 2} / 0`);
line('duplicates', duplicates, '0');
line('misses', misses, '0');
