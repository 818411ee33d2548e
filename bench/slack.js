#!/usr/bin/env node
// Slack adapter latency (issue #7): a signed slash command over Bolt's HTTP receiver on loopback →
// the HTTP ack, and → the respond() payload delivered at the response_url. Prints p50/p99 with targets.
// Runnable alone (`node bench/slack.js`, builds first) or from `npm run bench` (already built).
// The adapter runs in a child process (as `twir serve` would); this process plays Slack: it signs
// the requests, times the ack and receives the answers, so neither side's event loop skews the other.
import { execFileSync, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const self = fileURLToPath(import.meta.url);
const secret = 'bench-secret';
const lines = ['latest', 'crate', 'events berlin', 'search async closures', 'fcp cargo', 'search rust', 'jobs', 'unknwn'];

if (process.env.TWIR_BENCH_SLACK_CHILD) await adapterSide();
else await slackSide();

/** The child: the newest 150 issues in a fresh store, the real Slack adapter on a shared listener. */
async function adapterSide() {
  const { commandList } = await import('../dist/commands/index.js');
  const { loadConfig } = await import('../dist/src/config.js');
  const { Archive } = await import('../dist/src/core/archive/archive.js');
  const { executeReadOnlyLine } = await import('../dist/src/core/commands/execute.js');
  const { openStore } = await import('../dist/src/core/store/store.js');
  const { createLocalSource } = await import('../dist/src/core/sync/local-source.js');
  const { createParser } = await import('../dist/src/core/sync/parse-pool.js');
  const { syncIssues } = await import('../dist/src/core/sync/sync.js');
  const { createHttpListener } = await import('../dist/src/adapters/http-listener.js');
  const { startSlack } = await import('../dist/src/adapters/slack/start.js');
  const archiveDir = process.env.TWIR_BENCH_ARCHIVE ?? join(root, '..', 'shared', 'twir-archive');
  const work = mkdtempSync(join(tmpdir(), 'twir-bench-slack-'));
  const content = join(work, 'content');
  mkdirSync(content);
  const files = readdirSync(archiveDir)
    .filter((f) => /\.(md|markdown)$/.test(f) && f !== 'README.md')
    .sort();
  for (const f of files.slice(-150)) copyFileSync(join(archiveDir, f), join(content, f));
  const store = openStore({ path: join(work, 'twir.db') });
  const parser = createParser(2);
  await syncIssues({ source: createLocalSource(content), store, parser, now: () => new Date() });
  await parser.close();
  const archive = new Archive(store.db);
  // Each command's own cost, measured directly, so the report can subtract it from the delivered answer.
  const cost = {};
  for (const l of lines) {
    const times = [];
    for (let i = 0; i < 40; i++) {
      const t = performance.now();
      executeReadOnlyLine(l, commandList, { archive, today: () => new Date().toISOString().slice(0, 10) });
      times.push(performance.now() - t);
    }
    cost[l] = times.sort((a, b) => a - b)[20];
  }
  const config = loadConfig({
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_SIGNING_SECRET: secret,
    SLACK_API_URL: process.env.FAKE_API,
    PORT: '0',
  });
  const log = {
    debug: () => undefined,
    info: () => undefined,
    warn: (m) => process.stderr.write(`warning: ${m}\n`),
    error: (m) => process.stderr.write(`error: ${m}\n`),
  };
  const http = createHttpListener(log);
  const adapter = await startSlack({ config, store, archive, log, now: () => new Date(), http });
  const port = await http.listen(0, '127.0.0.1');
  process.stdout.write(`${JSON.stringify({ port, cost })}\n`);
  process.once('SIGTERM', async () => {
    await http.close();
    await adapter.stop();
    store.close();
    rmSync(work, { recursive: true, force: true });
    process.exit(0);
  });
}

/** This process: a loopback Slack (auth.test, timed response_urls) and the client sending signed commands. */
async function slackSide() {
  if (process.argv[1] === self) execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
  const delivered = new Map();
  const fake = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.url.startsWith('/response/')) delivered.get(req.url.slice('/response/'.length))?.(performance.now());
      const body = req.url === '/api/auth.test' ? { ok: true, team: 'Bench', team_id: 'T1', user_id: 'UB', bot_id: 'B1' } : { ok: true };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
  });
  await new Promise((r) => fake.listen(0, '127.0.0.1', r));
  const fakeBase = `http://127.0.0.1:${fake.address().port}`;
  const child = spawn(process.execPath, [self], {
    cwd: root,
    env: { ...process.env, TWIR_BENCH_SLACK_CHILD: '1', FAKE_API: `${fakeBase}/api` },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const ready = await new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', (l) => resolve(JSON.parse(l)));
    child.once('exit', (code) => reject(new Error(`adapter exited with ${code}`)));
  });
  const events = `http://127.0.0.1:${ready.port}/slack/events`;

  let seq = 0;
  async function one(text) {
    const id = `r${seq++}`;
    const form = new URLSearchParams({
      token: 't',
      team_id: 'T1',
      team_domain: 'bench',
      channel_id: 'C1',
      channel_name: 'general',
      user_id: 'U1',
      user_name: 'bench',
      command: '/twir',
      text,
      api_app_id: 'A1',
      response_url: `${fakeBase}/response/${id}`,
      trigger_id: '1',
    }).toString();
    const ts = Math.floor(Date.now() / 1000);
    const signature = `v0=${createHmac('sha256', secret).update(`v0:${ts}:${form}`).digest('hex')}`;
    const answered = new Promise((r) => delivered.set(id, r));
    const t0 = performance.now();
    const res = await fetch(events, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': String(ts),
        'x-slack-signature': signature,
      },
      body: form,
    });
    await res.arrayBuffer();
    const tAck = performance.now();
    if (res.status !== 200) throw new Error(`status ${res.status}`);
    const tAnswer = await answered;
    delivered.delete(id);
    return { text, ack: tAck - t0, answer: tAnswer - t0, beyond: tAnswer - t0 - ready.cost[text] };
  }

  const N = Number(process.env.TWIR_BENCH_SLACK_N ?? 400);
  for (let i = 0; i < 40; i++) await one(lines[i % lines.length]); // warm-up: JIT, sockets, lazily built indexes
  const samples = [];
  for (let i = 0; i < N; i++) samples.push(await one(lines[i % lines.length]));
  const q = (key, p) => {
    const v = samples.map((s) => s[key]).sort((a, b) => a - b);
    return v[Math.min(v.length - 1, Math.floor(p * v.length))];
  };
  const fmt = (ms) => `${ms.toFixed(2)} ms`;
  const row = (label, value, target) =>
    console.log(`${label.padEnd(44)} ${String(value).padStart(20)}   ${target ? `target ${target}` : ''}`);
  console.log(`\n# Slack (Bolt HTTP receiver on loopback, ${N} signed slash commands of ${lines.length} kinds)`);
  row('ack p50 / p99', `${fmt(q('ack', 0.5))} / ${fmt(q('ack', 0.99))}`, 'p99 ≤ 20 ms');
  row('respond() delivered p50 / p99', `${fmt(q('answer', 0.5))} / ${fmt(q('answer', 0.99))}`);
  row('  beyond the command itself p50 / p99', `${fmt(q('beyond', 0.5))} / ${fmt(q('beyond', 0.99))}`, 'p99 ≤ 50 ms');
  if (process.env.TWIR_BENCH_SLACK_DEBUG) for (const s of samples.filter((x) => x.ack > 20)) console.log(JSON.stringify(s));
  row('  command cost (median of the slowest kind)', fmt(Math.max(...Object.values(ready.cost))));
  await new Promise((r) => {
    child.once('exit', r);
    child.kill('SIGTERM');
  });
  await new Promise((r) => fake.close(r));
}
