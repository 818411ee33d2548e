#!/usr/bin/env node
// `node bench/replicas.js` (also `TWIR_BENCH_ONLY=replicas npm run bench`): three real `twir serve` replicas in
// Discord HTTP mode behind the tests' round-robin proxy (test/support/round-robin-proxy.ts), sharing their state:
// PostgreSQL when TWIR_BENCH_DATABASE_URL is set (passed as DATABASE_URL), else one SQLite file. A cheap command
// (`help`) is sent as signed interactions through the proxy and straight to one replica, interleaved so both
// see the same machine; prints p50/p99 of each, the proxy's own share (proxy p99 − direct p99), and the p99
// beyond the answer's own cost (target ≤ 50 ms through the proxy). Not a test: it measures and prints.
// BENCH_REPLICA_REQUESTS sets the number of timed requests per path (default 1000: p99 is then the 10th slowest).
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, sign } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
if (process.env.TWIR_BENCH_NO_BUILD !== '1') execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
const archive = process.env.TWIR_BENCH_ARCHIVE ?? join(root, '..', 'shared', 'twir-archive');
const databaseUrl = process.env.TWIR_BENCH_DATABASE_URL || undefined;
const REQUESTS = Number(process.env.BENCH_REPLICA_REQUESTS ?? 1000);
const WARMUP = 30;

const work = mkdtempSync(join(tmpdir(), 'twir-bench-replicas-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

// The harness, the proxy and the fake Discord are the tests' TypeScript: bundle them to plain JS for node.
const { rolldown } = await import('rolldown');
const bundle = await rolldown({
  input: {
    replicas: join(root, 'test', 'support', 'replicas.ts'),
    proxy: join(root, 'test', 'support', 'round-robin-proxy.ts'),
    discord: join(root, 'test', 'support', 'fake-discord.ts'),
  },
  platform: 'node',
  external: [/^node:/, 'ws'],
  logLevel: 'silent',
});
const out = join(root, 'bench', `.replicas-${process.pid}`);
mkdirSync(out, { recursive: true });
for (const chunk of (await bundle.generate({ format: 'esm' })).output) writeFileSync(join(out, chunk.fileName), chunk.code);
const load = (name) => import(pathToFileURL(join(out, `${name}.js`)).href);
const [{ startReplicas }, { startRoundRobinProxy }, { FakeDiscord, BOT_TOKEN, APP_ID, GUILD_ID }] = await Promise.all(
  ['replicas', 'proxy', 'discord'].map(load),
);
rmSync(out, { recursive: true, force: true });

const { commandList } = await import('../dist/commands/index.js');
const { executeCommand } = await import('../dist/src/core/commands/execute.js');
const { Archive } = await import('../dist/src/core/archive/archive.js');
const { openStore } = await import('../dist/src/core/store/store.js');

// A store with two issues: `help` does not read the archive, and the replicas start in a second.
const content = join(work, 'content');
mkdirSync(content);
for (const f of ['2024-10-23-this-week-in-rust.md', '2024-10-30-this-week-in-rust.md']) copyFileSync(join(archive, f), join(content, f));
const dbPath = join(work, 'twir.db');
execFileSync(process.execPath, [join(root, 'bin', 'twir.js'), 'sync'], {
  env: { PATH: process.env.PATH, HOME: work, TWIR_DB: dbPath, TWIR_SOURCE: content, TWIR_PARSE_WORKERS: '0' },
  stdio: 'ignore',
});

const { publicKey, privateKey } = generateKeyPairSync('ed25519');
const publicHex = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');
const fake = await new FakeDiscord().start();
const set = await startReplicas({
  count: 3,
  dbPath,
  source: content,
  home: work,
  bin: join(root, 'bin', 'twir.js'),
  ...(databaseUrl ? { databaseUrl } : {}),
  env: {
    TWIR_WEB: 'off',
    TWIR_PARSE_WORKERS: '0',
    DISCORD_TOKEN: BOT_TOKEN,
    DISCORD_MODE: 'http',
    DISCORD_PUBLIC_KEY: publicHex,
    DISCORD_API_BASE: fake.apiBase,
  },
});
const proxy = await startRoundRobinProxy({ backends: set.replicas.map((r) => r.url) });

const payload = {
  type: 2,
  guild_id: GUILD_ID,
  channel_id: '523456789012345678',
  context: 0,
  member: { user: { id: '323456789012345678', username: 'bench' }, permissions: '0', roles: [] },
  data: { id: '1', name: 'twir', type: 1, options: [{ type: 1, name: 'help', options: [] }] },
};
let n = 0;
const byReplica = new Map();
/** One signed `help` to `base`; resolves with ms from sending to the whole response. */
async function send(base) {
  const id = String(8_000_000_000 + n++);
  const body = JSON.stringify({ ...payload, id, token: `bench-${id}`, application_id: APP_ID, version: 1 });
  const timestamp = String(Math.floor(Date.now() / 1000));
  const started = performance.now();
  const res = await fetch(`${base}/interactions`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-signature-ed25519': sign(null, Buffer.from(timestamp + body), privateKey).toString('hex'),
      'x-signature-timestamp': timestamp,
    },
    body,
  });
  await res.arrayBuffer();
  const ms = performance.now() - started;
  if (res.status !== 200) throw new Error(`HTTP ${res.status} from ${base}`);
  if (base === proxy.url) {
    const name = res.headers.get('x-twir-replica') ?? '?';
    byReplica.set(name, (byReplica.get(name) ?? 0) + 1);
  }
  return ms;
}

const direct = [];
const viaProxy = [];
try {
  for (let i = 0; i < WARMUP; i++) {
    await send(set.replicas[0].url);
    await send(proxy.url);
  }
  byReplica.clear();
  for (let i = 0; i < REQUESTS; i++) {
    // Alternating which goes first, so neither path always follows the other's garbage collection.
    if (i % 2 === 0) {
      direct.push(await send(set.replicas[0].url));
      viaProxy.push(await send(proxy.url));
    } else {
      viaProxy.push(await send(proxy.url));
      direct.push(await send(set.replicas[0].url));
    }
  }
} finally {
  await set.stop();
  await proxy.close();
  await fake.close();
}

// The answer's own cost: the same command run directly on the same store.
const store = openStore({ path: dbPath, readonly: true });
const archiveReader = new Archive(store.db);
const help = commandList.find((c) => c.name === 'help');
const today = new Date().toISOString().slice(0, 10);
const own = [];
for (let i = 0; i < WARMUP + REQUESTS; i++) {
  const t = performance.now();
  executeCommand(help, {}, { asOf: today, page: 1 }, { archive: archiveReader, today: () => today });
  if (i >= WARMUP) own.push(performance.now() - t);
}
store.close();

const q = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
};
const fmt = (ms) => `${ms < 10 ? ms.toFixed(2) : Math.round(ms)} ms`;
const line = (label, value, target = '') => console.log(`${label.padEnd(52)} ${String(value).padStart(16)}   ${target}`);
console.log(
  `\n# Replicas (3 × twir serve, Discord HTTP mode, shared state: ${databaseUrl ? 'PostgreSQL (TWIR_BENCH_DATABASE_URL)' : 'one SQLite file'}; ${REQUESTS} × /twir help per path)`,
);
line('direct to one replica p50 / p99', `${fmt(q(direct, 0.5))} / ${fmt(q(direct, 0.99))}`);
line('through the round-robin proxy p50 / p99', `${fmt(q(viaProxy, 0.5))} / ${fmt(q(viaProxy, 0.99))}`);
line('the answer’s own cost p50 / p99', `${fmt(q(own, 0.5))} / ${fmt(q(own, 0.99))}`);
line('proxy’s own share (proxy p99 − direct p99)', fmt(q(viaProxy, 0.99) - q(direct, 0.99)));
line('p99 beyond the answer’s own cost, through the proxy', fmt(q(viaProxy, 0.99) - q(own, 0.99)), 'target ≤ 50 ms');
line('answered by', [...byReplica.entries()].map(([name, count]) => `${name} ${count}`).join(', '));
