#!/usr/bin/env node
// `node bench/front-door.js` (also run by `npm run bench`): the chat front door under attack and under load.
// The real `twir serve` (built dist/) runs Discord and Slack in HTTP mode on one PORT, against the loopback
// fake Discord (test/support/fake-discord.ts, bundled with rolldown as bench/discord.js does) and a tiny
// fake Slack here; this process plays the clients and the attacker. Prints figures with their targets.
// TWIR_BENCH_ROOT measures another checkout's build with this same script (the "before" figures).
// Uses TWIR_BENCH_DB (a synced store; bench/run.js passes its own) or syncs ../shared/twir-archive first.
import { execFileSync, spawn } from 'node:child_process';
import { createHmac, generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, createServer, request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = fileURLToPath(new URL('..', import.meta.url));
const root = process.env.TWIR_BENCH_ROOT ?? here;
const work = mkdtempSync(join(tmpdir(), 'twir-bench-door-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
const archiveDir = process.env.TWIR_BENCH_ARCHIVE ?? join(here, '..', 'shared', 'twir-archive');
if (!process.env.TWIR_BENCH_NO_BUILD) execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
let db = process.env.TWIR_BENCH_DB;
if (!db) {
  db = join(work, 'bench.db');
  execFileSync(process.execPath, [join(root, 'bin', 'twir.js'), 'sync'], {
    env: { ...process.env, TWIR_DB: db, TWIR_SOURCE: archiveDir },
    stdio: 'ignore',
  });
}

const { rolldown } = await import('rolldown');
const bundle = await rolldown({
  input: join(here, 'test', 'support', 'fake-discord.ts'),
  platform: 'node',
  external: [/^node:/, 'ws'],
  logLevel: 'silent',
});
const fakeFile = join(here, 'bench', `.fake-discord-door-${process.pid}.mjs`);
writeFileSync(fakeFile, (await bundle.generate({ format: 'esm' })).output[0].code);
const { FakeDiscord, BOT_TOKEN, APP_ID, GUILD_ID } = await import(pathToFileURL(fakeFile).href);
rmSync(fakeFile, { force: true });

const { publicKey, privateKey } = generateKeyPairSync('ed25519');
const publicHex = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');
const SECRET = 'bench-signing-secret';

/** A fake Slack: auth.test for start-up, and response_urls that swallow answers. */
const slack = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    const body = req.url === '/api/auth.test' ? { ok: true, team: 'Bench', team_id: 'T1', user_id: 'UB', bot_id: 'B1' } : { ok: true };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
});
await new Promise((r) => slack.listen(0, '127.0.0.1', r));
const slackBase = `http://127.0.0.1:${slack.address().port}`;
const fake = await new FakeDiscord().start();

function startServe() {
  const child = spawn(process.execPath, [join(root, 'bin', 'twir.js'), 'serve'], {
    env: {
      PATH: process.env.PATH,
      HOME: work,
      TWIR_DB: db,
      TWIR_SOURCE: archiveDir,
      TWIR_STALE_HOURS: '8760',
      DISCORD_TOKEN: BOT_TOKEN,
      DISCORD_API_BASE: fake.apiBase,
      DISCORD_MODE: 'http',
      DISCORD_PUBLIC_KEY: publicHex,
      SLACK_BOT_TOKEN: 'xoxb-bench',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: `${slackBase}/api`,
      PORT: '0',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (c) => {
    stderr += String(c);
  });
  const exited = new Promise((resolve) => child.on('exit', () => resolve(performance.now())));
  const ready = new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      if (stderr.includes('Serving:')) {
        clearInterval(timer);
        resolve(Number(/Listening on port (\d+)/.exec(stderr)?.[1] ?? 0));
      }
    }, 20);
    child.on('exit', (code) => {
      clearInterval(timer);
      reject(new Error(`twir serve exited ${code}: ${stderr}`));
    });
  });
  return { child, ready, exited };
}

function rssMb(pid) {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  } catch {
    return Number.NaN;
  }
}

const q = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
};
const fmt = (ms) => (Number.isFinite(ms) ? `${ms < 10 ? ms.toFixed(2) : Math.round(ms)} ms` : 'no answer');
const print = (label, value, target = '') =>
  console.log(`${label.padEnd(52)} ${String(value).padStart(22)}   ${target ? `target ${target}` : ''}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const agent = new Agent({ keepAlive: true, maxSockets: 64 });
let seq = 0;

/** A signed /twir interaction for `line` ("help", "search async closures"). */
function discordRequest(line) {
  const asOf = /--as-of (\S+)/.exec(line)?.[1];
  const [name, ...words] = line
    .replace(/--as-of \S+/, '')
    .trim()
    .split(' ');
  const options = words.length > 0 ? [{ name: 'query', type: 3, value: words.join(' ') }] : [];
  if (asOf) options.push({ name: 'as-of', type: 3, value: asOf });
  const body = JSON.stringify({
    id: String(++seq),
    token: `bench-${seq}`,
    application_id: APP_ID,
    type: 2,
    guild_id: GUILD_ID,
    channel_id: '523456789012345678',
    context: 0,
    member: { user: { id: '323456789012345678' }, permissions: '0' },
    data: { id: '1', name: 'twir', type: 1, options: [{ type: 1, name, options }] },
  });
  const ts = String(Math.floor(Date.now() / 1000));
  const signature = sign(null, Buffer.from(ts + body), privateKey).toString('hex');
  return {
    path: '/interactions',
    body,
    headers: { 'content-type': 'application/json', 'x-signature-ed25519': signature, 'x-signature-timestamp': ts },
  };
}

/** A signed Slack slash command for `line`. */
function slackRequest(line) {
  const body = new URLSearchParams({
    team_id: 'T1',
    channel_id: 'C1',
    channel_name: 'general',
    user_id: 'U1',
    command: '/twir',
    text: line,
    response_url: `${slackBase}/response/${++seq}`,
    trigger_id: String(seq),
  }).toString();
  const ts = String(Math.floor(Date.now() / 1000));
  const signature = `v0=${createHmac('sha256', SECRET).update(`v0:${ts}:${body}`).digest('hex')}`;
  return {
    path: '/slack/events',
    body,
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': ts, 'x-slack-signature': signature },
  };
}

/** Sends one request; resolves with { ms, status, text } (status 0 when refused or timed out). */
function send(port, r, timeoutMs = 15_000, via = agent) {
  return new Promise((resolve) => {
    const t = performance.now();
    const req = request(
      { host: '127.0.0.1', port, path: r.path, method: r.body ? 'POST' : 'GET', headers: r.headers ?? {}, agent: via, timeout: timeoutMs },
      (res) => {
        let text = '';
        res.on('data', (c) => {
          text += String(c);
        });
        res.on('end', () => resolve({ ms: performance.now() - t, status: res.statusCode, text }));
        res.on('error', () => resolve({ ms: Number.POSITIVE_INFINITY, status: 0, text: '' }));
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve({ ms: Number.POSITIVE_INFINITY, status: 0, text: '' }));
    req.end(r.body);
  });
}

const healthz = (port, timeoutMs = 5000) => send(port, { path: '/healthz' }, timeoutMs);

/** Opens sockets that send headers claiming `length` bytes and all but the last byte, then stall. */
function stallBodies(port, count, length) {
  const sockets = [];
  const chunk = Buffer.alloc(64 * 1024, 'a');
  for (let i = 0; i < count; i++) {
    const s = connect(port, '127.0.0.1');
    s.on('error', () => undefined);
    const path = i % 2 ? '/interactions' : '/slack/events';
    s.write(`POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`);
    let left = length - 1;
    const pump = () => {
      while (left > 0) {
        const n = Math.min(left, chunk.length);
        left -= n;
        if (!s.write(chunk.subarray(0, n))) return s.once('drain', pump);
      }
    };
    s.once('connect', pump);
    sockets.push(s);
  }
  return sockets;
}

// Unique searches: common words (many matches, the expensive kind) at as-of dates 9 days apart, so no two
// questions are the same and none is answered from a cache.
const common = ['rust', 'the', 'async', 'compiler', 'release', 'cargo', 'and', 'memory'];
const uniqueSearch = (i) =>
  `search ${common[i % common.length]} --as-of ${new Date(Date.UTC(2016, 0, 1) + i * 9 * 86_400_000).toISOString().slice(0, 10)}`;

/** TWIR_BENCH_DOOR=attack,stop,burst,rate runs only those parts (default: all). */
const only = new Set((process.env.TWIR_BENCH_DOOR ?? 'attack,stop,burst,rate').split(','));

console.log(`\n# Front door (twir serve, Discord + Slack HTTP on one port${root === here ? '' : `; code at ${root}`})`);

// ---- 1. Stalled unsigned bodies --------------------------------------------------------------------
if (only.has('attack')) {
  const serve = startServe();
  const port = await serve.ready;
  for (let i = 0; i < 20; i++) await send(port, discordRequest('help'));
  const before = rssMb(serve.child.pid);
  const sockets = stallBodies(port, 300, 1_000_000);
  let peak = before;
  const probes = [];
  const end = performance.now() + 4000;
  while (performance.now() < end) {
    probes.push((await healthz(port, 3000)).ms);
    peak = Math.max(peak, rssMb(serve.child.pid));
    await sleep(100);
  }
  for (const s of sockets) s.destroy();
  await sleep(500);
  const after = rssMb(serve.child.pid);
  print('300 stalled 1 MB unsigned bodies: RSS growth', `${Math.round(peak - before)} MB`, '≤ 150 MB');
  print('  RSS before / peak / after the attack', `${Math.round(before)} / ${Math.round(peak)} / ${Math.round(after)} MB`);
  print('  /healthz during the attack (max of probes)', fmt(Math.max(...probes)), '≤ 1 s');
  serve.child.kill('SIGKILL');
  await serve.exited;
}

// ---- 2. SIGTERM under load --------------------------------------------------------------------------
async function stopUnder(load) {
  const serve = startServe();
  const port = await serve.ready;
  const sockets = [];
  let sending = true;
  const clients = [];
  if (load === 'keep-alive') {
    // Each client keeps two signed commands in flight on its connection (pipelined, so it is never idle) and
    // reconnects when the server closes it, as an HTTP client library would.
    const client = () => {
      if (!sending) return;
      const s = connect(port, '127.0.0.1');
      sockets.push(s);
      let outstanding = 0;
      const fill = () => {
        while (sending && outstanding < 2 && s.writable) {
          const r = discordRequest('help');
          const head = Object.entries(r.headers)
            .map(([k, v]) => `${k}: ${v}`)
            .join('\r\n');
          s.write(`POST /interactions HTTP/1.1\r\nHost: x\r\n${head}\r\nContent-Length: ${Buffer.byteLength(r.body)}\r\n\r\n${r.body}`);
          outstanding++;
        }
      };
      s.on('connect', fill);
      s.on('data', (chunk) => {
        outstanding -= (String(chunk).match(/HTTP\/1\.1 \d/g) ?? []).length;
        fill();
      });
      s.on('error', () => undefined);
      s.on('close', () => setTimeout(client, 5));
    };
    for (let c = 0; c < 32; c++) client();
  } else {
    for (let i = 0; i < 50; i++) {
      const s = connect(port, '127.0.0.1');
      s.on('error', () => undefined);
      s.write('POST /interactions HTTP/1.1\r\nHost: x\r\nX-Signature-Ed25519: ab');
      sockets.push(s);
    }
    sockets.push(...stallBodies(port, 50, 2000));
  }
  await sleep(1000);
  const t = performance.now();
  serve.child.kill('SIGTERM');
  const exited = await Promise.race([serve.exited, sleep(30_000).then(() => null)]);
  sending = false;
  for (const s of sockets) s.destroy();
  serve.child.kill('SIGKILL');
  await Promise.all(clients);
  return exited === null ? Number.POSITIVE_INFINITY : exited - t;
}
for (const load of only.has('stop') ? ['keep-alive', 'slow'] : []) {
  const ms = await stopUnder(load);
  print(
    `exit after SIGTERM, ${load === 'keep-alive' ? '32 pipelining keep-alive clients' : '50 slow-header + 50 stalled-body sockets'}`,
    Number.isFinite(ms) ? fmt(ms) : 'not within 30 s',
    '≤ 10 s',
  );
}

// ---- 3. 200 concurrent unique searches, cheap commands meanwhile ------------------------------------
if (only.has('burst')) {
  const serve = startServe();
  const port = await serve.ready;
  // Warm, as a server that has answered before is: the search index is built on the first search.
  for (let i = 0; i < 20; i++) await send(port, discordRequest(i % 2 ? 'help' : `search warm ${i}`));
  const cheap = [];
  let burstDone = false;
  // Separate connection pools, each big enough: a request waiting for a client socket would be timed as the server's.
  const cheapAgent = new Agent({ keepAlive: true, maxSockets: 4 });
  const burstAgent = new Agent({ keepAlive: true, maxSockets: 256 });
  const cheapLoop = (async () => {
    while (!burstDone) {
      cheap.push((await send(port, discordRequest('help'), 15_000, cheapAgent)).ms);
      await sleep(10);
    }
  })();
  const burst = await Promise.all(Array.from({ length: 200 }, (_, i) => send(port, discordRequest(uniqueSearch(i)), 15_000, burstAgent)));
  burstDone = true;
  await cheapLoop;
  cheapAgent.destroy();
  burstAgent.destroy();
  const first = burst.map((r) => r.ms);
  const deferred = burst.filter((r) => r.text.startsWith('{"type":5')).length;
  const busy = burst.filter((r) => r.text.includes('very busy')).length;
  print('200 unique searches: first response max / p99', `${fmt(Math.max(...first))} / ${fmt(q(first, 0.99))}`, 'max ≤ 3 s');
  print('  of which deferred / refused as busy / over 3 s', `${deferred} / ${busy} / ${first.filter((ms) => ms > 3000).length}`);
  if (process.env.TWIR_BENCH_DEBUG) console.log(cheap.map((ms) => Math.round(ms)).join(' '));
  print(`  help meanwhile p50 / p99 (${cheap.length} runs)`, `${fmt(q(cheap, 0.5))} / ${fmt(q(cheap, 0.99))}`, 'p99 ≤ 100 ms');
  serve.child.kill('SIGTERM');
  await serve.exited;
}

// ---- 4. Sustained throughput, 50 concurrent ------------------------------------------------------------
if (only.has('rate')) {
  const serve = startServe();
  const port = await serve.ready;
  for (const [platform, make] of [
    ['Discord', discordRequest],
    ['Slack', slackRequest],
  ]) {
    for (const kind of ['help', 'search']) {
      let i = 0;
      const line = () => (kind === 'help' ? 'help' : uniqueSearch(i++ % 400));
      for (let w = 0; w < 50; w++) await send(port, make(line()));
      const times = [];
      let failed = 0;
      const until = performance.now() + 3000;
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: 50 }, async () => {
          while (performance.now() < until) {
            const r = await send(port, make(line()));
            if (r.status === 200) times.push(r.ms);
            else failed++;
            if (process.env.TWIR_BENCH_DEBUG && r.ms > 500) console.log(Math.round(r.ms), r.status, r.text.slice(0, 40));
          }
        }),
      );
      const rps = times.length / ((performance.now() - t0) / 1000);
      print(
        `${platform} ${kind}: req/s, p50 / p99 (50 concurrent)`,
        `${Math.round(rps)}/s, ${fmt(q(times, 0.5))} / ${fmt(q(times, 0.99))}`,
        failed ? `${failed} failed` : '',
      );
    }
  }
  serve.child.kill('SIGTERM');
  await serve.exited;
}

agent.destroy();
await fake.close();
await new Promise((r) => slack.close(r));
