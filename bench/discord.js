#!/usr/bin/env node
// `node bench/discord.js` (also run by `npm run bench`): the Discord adapter, measured end to end.
// The real `twir serve` (built dist/) logs into the loopback fake Discord (test/support/fake-discord.ts,
// bundled on the fly with rolldown, which vitest already brings) in gateway and then in HTTP mode; every
// query of bench/queries.json is sent as an interaction and timed from dispatch to the first response
// Discord receives, next to the answer's own cost (the same command run directly). Prints figures with
// their targets; not a test.
// Uses TWIR_BENCH_DB (a synced store; bench/run.js passes its own) or syncs ../shared/twir-archive first.
import { execFileSync, spawn } from 'node:child_process';
import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'twir-bench-discord-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
const archiveDir = process.env.TWIR_BENCH_ARCHIVE ?? join(root, '..', 'shared', 'twir-archive');

let db = process.env.TWIR_BENCH_DB;
if (!db) {
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
  db = join(work, 'bench.db');
  execFileSync(process.execPath, [join(root, 'bin', 'twir.js'), 'sync'], {
    env: { ...process.env, TWIR_DB: db, TWIR_SOURCE: archiveDir },
    stdio: 'ignore',
  });
}

// The fake is TypeScript (the tests' own); bundle it to plain JS for node.
const { rolldown } = await import('rolldown');
const bundle = await rolldown({
  input: join(root, 'test', 'support', 'fake-discord.ts'),
  platform: 'node',
  external: [/^node:/, 'ws'],
  logLevel: 'silent',
});
const fakeFile = join(root, 'bench', `.fake-discord-${process.pid}.mjs`);
writeFileSync(fakeFile, (await bundle.generate({ format: 'esm' })).output[0].code);
const fakeModule = await import(pathToFileURL(fakeFile).href);
rmSync(fakeFile, { force: true });
const { FakeDiscord, BOT_TOKEN, APP_ID, GUILD_ID } = fakeModule;

const { commandList } = await import(pathToFileURL(join(root, 'dist', 'commands', 'index.js')).href);
const { parseCommandLine } = await import(pathToFileURL(join(root, 'dist', 'src', 'core', 'commands', 'parse-command-line.js')).href);
const { executeCommand } = await import(pathToFileURL(join(root, 'dist', 'src', 'core', 'commands', 'execute.js')).href);
const { Archive } = await import(pathToFileURL(join(root, 'dist', 'src', 'core', 'archive', 'archive.js')).href);
const { openStore } = await import(pathToFileURL(join(root, 'dist', 'src', 'core', 'store', 'store.js')).href);

const queries = JSON.parse(readFileSync(join(root, 'bench', 'queries.json'), 'utf8'));
const today = new Date().toISOString().slice(0, 10);

/** A /twir interaction for one query line, and the direct call that costs the same. */
function interactionFor(line) {
  const parsed = parseCommandLine(line, commandList);
  if (!parsed.ok) throw new Error(`${line}: ${parsed.reply.title}`);
  const options = Object.entries(parsed.args).map(([name, value]) => ({ name, type: typeof value === 'number' ? 4 : 3, value }));
  if (parsed.global.asOf) options.push({ name: 'as-of', type: 3, value: parsed.global.asOf });
  const payload = {
    type: 2,
    guild_id: GUILD_ID,
    channel_id: '523456789012345678',
    context: 0,
    member: { user: { id: '323456789012345678', username: 'bench' }, permissions: '0', roles: [] },
    data: { id: '1', name: 'twir', type: 1, options: [{ type: 1, name: parsed.command.name, options }] },
  };
  return { payload, command: parsed.command, args: parsed.args, asOf: parsed.global.asOf ?? today };
}

const store = openStore({ path: db, readonly: true });
const archive = new Archive(store.db);
/**
 * The answers' own cost: the same commands run directly, in the same order and passes as they are sent
 * to the bot, so the archive's caches are as warm (or as cold) here as in the bot for each one.
 */
function ownCosts(items, passes) {
  return Array.from({ length: passes }, () =>
    items.map((it) => {
      const t = performance.now();
      executeCommand(it.command, it.args, { asOf: it.asOf, page: 1 }, { archive, today: () => today });
      return performance.now() - t;
    }),
  );
}

const { publicKey, privateKey } = generateKeyPairSync('ed25519');
const publicHex = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');

function startServe(fake, mode) {
  const child = spawn(process.execPath, [join(root, 'bin', 'twir.js'), 'serve'], {
    env: {
      PATH: process.env.PATH,
      HOME: work,
      TWIR_DB: db,
      TWIR_SOURCE: archiveDir,
      TWIR_STALE_HOURS: '8760',
      DISCORD_TOKEN: BOT_TOKEN,
      DISCORD_API_BASE: fake.apiBase,
      DISCORD_MODE: mode,
      DISCORD_PUBLIC_KEY: publicHex,
      PORT: '0',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (c) => {
    stderr += String(c);
  });
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
  return { child, ready, stderr: () => stderr };
}

function rssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

const q = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
const fmt = (ms) => `${ms < 10 ? ms.toFixed(2) : Math.round(ms)} ms`;
const print = (label, value, note = '') => console.log(`${label.padEnd(44)} ${String(value).padStart(22)}   ${note}`);

async function measure(mode) {
  const fake = await new FakeDiscord().start();
  const serve = startServe(fake, mode);
  const port = await serve.ready;
  const idleRss = rssMb(serve.child.pid);
  let n = 0;
  /** Sends one interaction; resolves with ms from dispatch to the first response Discord receives. */
  async function send(payload) {
    const id = String(9_000_000_000 + n++);
    const token = `bench-${id}`;
    const started = performance.now();
    if (mode === 'gateway') {
      fake.dispatchInteraction({ ...payload, id, token });
      const cb = await fake.callback(id, 10_000);
      return cb.at - started;
    }
    const body = JSON.stringify({ ...payload, id, token, application_id: APP_ID, version: 1 });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const res = await fetch(`http://127.0.0.1:${port}/interactions`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-signature-ed25519': sign(null, Buffer.from(timestamp + body), privateKey).toString('hex'),
        'x-signature-timestamp': timestamp,
      },
      body,
    });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
    return performance.now() - started;
  }
  const rows = {};
  for (const [cmd, lines] of Object.entries(queries)) {
    const items = lines.map(interactionFor);
    const own = ownCosts(items, 3);
    const total = [];
    const beyond = [];
    for (let pass = 0; pass < 3; pass++) {
      for (const [i, it] of items.entries()) {
        const ms = await send(it.payload);
        // Pass 0 warms the bot's caches (JIT, lazily built indexes), as the core's bench does.
        if (pass > 0) {
          total.push(ms);
          beyond.push(ms - own[pass][i]);
        }
      }
    }
    total.sort((a, b) => a - b);
    beyond.sort((a, b) => a - b);
    rows[cmd] = { n: total.length, p50: q(total, 0.5), p99: q(total, 0.99), beyond50: q(beyond, 0.5), beyond99: q(beyond, 0.99) };
  }
  // Autocomplete (one request per keystroke): each source with a few partial inputs.
  const typedCases = [
    ['crate', 'query', ['', 't', 'to', 'tok', 'serde', 'xyz', 'bevy']],
    ['events', 'place', ['', 'b', 'ber', 'london', 'virt', 'zür']],
    ['fcp', 'filter', ['', 'c', 'car', 'lang', 'libs']],
    ['issue', 'which', ['', '5', '57', '600']],
    ['search', 'section', ['', 'ob', 'events']],
  ];
  const auto = [];
  for (let pass = 0; pass < 6; pass++) {
    for (const [sub, option, values] of typedCases) {
      for (const value of values) {
        const base = interactionFor(sub === 'issue' ? 'issue 1' : sub === 'search' ? 'search x' : sub).payload;
        const payload = {
          ...base,
          type: 4,
          data: { ...base.data, options: [{ type: 1, name: sub, options: [{ name: option, type: 3, value, focused: true }] }] },
        };
        const ms = await send(payload);
        if (pass > 0) auto.push(ms);
      }
    }
  }
  auto.sort((a, b) => a - b);
  rows.autocomplete = { n: auto.length, p50: q(auto, 0.5), p99: q(auto, 0.99), beyond50: q(auto, 0.5), beyond99: q(auto, 0.99) };
  const rss = rssMb(serve.child.pid);
  serve.child.kill('SIGTERM');
  await new Promise((resolve) => serve.child.on('exit', resolve));
  await fake.close();
  if (fake.rejected.length)
    throw new Error(`Discord would have rejected ${fake.rejected.length} payloads: ${JSON.stringify(fake.rejected[0])}`);
  return { rows, rss, idleRss };
}

console.log(
  `\n(load average ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} on ${os.availableParallelism()} cores: tail figures move with other work on the machine)`,
);
for (const mode of ['gateway', 'http']) {
  console.log(
    `\n# Discord, ${mode === 'gateway' ? 'gateway (INTERACTION_CREATE → callback POST at the fake)' : 'HTTP interactions (signed POST → HTTP response)'}`,
  );
  console.log(`${''.padEnd(44)} ${'total p50 / p99'.padStart(22)}   ${'beyond own cost p50 / p99'.padStart(20)}`);
  const { rows, rss, idleRss } = await measure(mode);
  for (const [cmd, r] of Object.entries(rows)) {
    if (cmd === 'autocomplete') {
      print(
        `autocomplete (${r.n} keystrokes)`,
        `${fmt(r.p50)} / ${fmt(r.p99)}`,
        `${''.padStart(20)}   target well within 3 s: ${r.p99 < 500 ? 'met' : 'NOT met'}`,
      );
      continue;
    }
    print(
      `${cmd} (${r.n} interactions)`,
      `${fmt(r.p50)} / ${fmt(r.p99)}`,
      `${`${fmt(r.beyond50)} / ${fmt(r.beyond99)}`.padStart(20)}   target p99 ≤ 50 ms: ${r.beyond99 <= 50 ? 'met' : 'NOT met'}`,
    );
  }
  print(`RSS of twir serve (${mode}) once online`, `${Math.round(idleRss)} MB`);
  print(`RSS of twir serve (${mode}) after the load`, `${Math.round(rss)} MB`, `target ≤ 200 MB: ${rss <= 200 ? 'met' : 'NOT met'}`);
}
store.close();
