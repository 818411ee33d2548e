#!/usr/bin/env node
// `npm run bench`: prints figures for ingest (issue: core store) and answers (issue: commands), then the
// Discord, Slack, front-door (node bench/front-door.js alone), first-run, reliability, digest and replicas sections.
// Not a test: it measures on this machine and prints; targets are listed beside each figure.
// Reads the shared archive at ../shared/twir-archive (or TWIR_BENCH_ARCHIVE).
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const archive = process.env.TWIR_BENCH_ARCHIVE ?? join(root, '..', 'shared', 'twir-archive');
const bin = join(root, 'bin', 'twir.js');
// Always build: benchmarking a stale dist/ would measure old code.
execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
if (!existsSync(archive)) {
  console.error(`archive not found at ${archive} (set TWIR_BENCH_ARCHIVE)`);
  process.exit(1);
}

// TWIR_BENCH_ONLY=answers (comma-separated: ingest, answers, adapters, postgres, web, front-door, ops, search, replicas) runs only those parts; without
// ingest, the answers run on the store at TWIR_BENCH_DB (e.g. one `twir sync` filled).
const only = process.env.TWIR_BENCH_ONLY ? new Set(process.env.TWIR_BENCH_ONLY.split(',')) : null;
const runs = (part) => !only || only.has(part);
const work = mkdtempSync(join(tmpdir(), 'twir-bench-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
const files = readdirSync(archive)
  .filter((f) => /\.(md|markdown)$/.test(f) && f !== 'README.md')
  .sort();

function cli(args, env, input) {
  const t = performance.now();
  const r = spawnSync(process.execPath, [bin, ...args], { env: { ...process.env, ...env }, encoding: 'utf8', input: input ?? '' });
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(`twir ${args.join(' ')} failed (exit ${r.status}): ${r.stderr}`);
  return { ms, stdout: r.stdout, stderr: r.stderr };
}

/** Runs a node snippet in a child and returns its JSON output (fresh process: honest RSS and timings). */
let scripts = 0;
function child(script, env = {}) {
  // A file, not `-e`: worker threads inherit exec flags such as --input-type, which they cannot use.
  const file = join(root, 'bench', `.child-${process.pid}-${scripts++}.mjs`);
  writeFileSync(file, script);
  const r = spawnSync(process.execPath, [file], {
    cwd: root,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  rmSync(file, { force: true });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').at(-1));
}

const fmt = (ms) => `${ms < 10 ? ms.toFixed(2) : Math.round(ms)} ms`;
const line = (label, value, target) =>
  console.log(`${label.padEnd(44)} ${String(value).padStart(12)}   ${target ? `target ${target}` : ''}`);

if (runs('ingest')) {
  // ---- Ingest ------------------------------------------------------------------------------------
  console.log(`\n# Ingest (${files.length} issues from ${archive})`);
  const ingest = child(
    `
  import { openStore } from '../dist/src/core/store/store.js';
  import { createLocalSource } from '../dist/src/core/sync/local-source.js';
  import { createParser } from '../dist/src/core/sync/parse-pool.js';
  import { syncIssues } from '../dist/src/core/sync/sync.js';
  const store = openStore({ path: process.env.DB });
  const parser = createParser(Number(process.env.WORKERS));
  const t = performance.now();
  const r = await syncIssues({ source: createLocalSource(process.env.SRC), store, parser, now: () => new Date() });
  const ms = performance.now() - t;
  await parser.close();
  store.close();
  console.log(JSON.stringify({ ms, stored: r.stored, failed: r.failed.length, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
`,
    { DB: join(work, 'full.db'), SRC: archive, WORKERS: '2' },
  );
  line('full ingest (2 parse workers)', fmt(ingest.ms), '≤ 10 s');
  line('issues stored / failed', `${ingest.stored} / ${ingest.failed}`);
  line('peak RSS during ingest', `${Math.round(ingest.maxRssMb)} MB`, '≤ 300 MB');
  const dbBytes = ['', '-wal'].reduce(
    (n, s) => n + (existsSync(join(work, `full.db${s}`)) ? statSync(join(work, `full.db${s}`)).size : 0),
    0,
  );
  line('store size', `${(dbBytes / 1e6).toFixed(1)} MB`);

  // Incremental: a folder with every issue but the newest, synced; then the newest arrives.
  const inc = join(work, 'inc');
  mkdirSync(inc);
  for (const f of files.slice(0, -1)) copyFileSync(join(archive, f), join(inc, f));
  cli(['sync'], { TWIR_DB: join(work, 'inc.db'), TWIR_SOURCE: inc });
  copyFileSync(join(archive, files.at(-1)), join(inc, files.at(-1)));
  const one = cli(['sync'], { TWIR_DB: join(work, 'inc.db'), TWIR_SOURCE: inc });
  const oneInternal = /in (\d+) ms/.exec(one.stderr)?.[1];
  line('incremental sync of 1 new issue (process)', fmt(one.ms), '≤ 150 ms');
  line('  of which sync itself', `${oneInternal} ms`);
  const none = cli(['sync'], { TWIR_DB: join(work, 'inc.db'), TWIR_SOURCE: inc });
  line('no-change sync (process)', fmt(none.ms));

  const open = child(
    `
  const t0 = performance.now();
  const { openStore } = await import('../dist/src/core/store/store.js');
  const t1 = performance.now();
  const s = openStore({ path: process.env.DB });
  const n = s.stats().issues;
  const t2 = performance.now();
  console.log(JSON.stringify({ importMs: t1 - t0, openMs: t2 - t1, n }));
`,
    { DB: join(work, 'full.db') },
  );
  line('cold open of the store (open + first query)', fmt(open.openMs));
}

// ---- Answers -----------------------------------------------------------------------------------
const fullDb = runs('ingest') ? join(work, 'full.db') : process.env.TWIR_BENCH_DB;
if (runs('answers')) {
  console.log('\n# Answers (full archive)');
  const env = { TWIR_DB: fullDb, DB: fullDb };
  const starts = [];
  for (let i = 0; i < 11; i++) starts.push(cli(['latest', '--as-of', '2024-10-30'], env).ms);
  starts.sort((a, b) => a - b);
  line('cold start: process → first answer (median of 11)', fmt(starts[5]), '≤ 400 ms');

  const answers = child(
    `
  import { readFileSync } from 'node:fs';
  import { commandList } from '../dist/commands/index.js';
  import { Archive } from '../dist/src/core/archive/archive.js';
  import { executeReadOnlyLine } from '../dist/src/core/commands/execute.js';
  import { openStore } from '../dist/src/core/store/store.js';
  const store = openStore({ path: process.env.DB });
  const archive = new Archive(store.db);
  const queries = JSON.parse(readFileSync(new URL('./queries.json', import.meta.url), 'utf8'));
  const out = {};
  for (const [cmd, lines] of Object.entries(queries)) {
    const times = [];
    // One warm-up pass (JIT, lazily built indexes), then three measured passes.
    for (let pass = 0; pass < 4; pass++) {
      for (const l of lines) {
        const t = performance.now();
        const r = executeReadOnlyLine(l, commandList, { archive, today: () => '2024-10-30' });
        const ms = performance.now() - t;
        if (r.reply.kind === 'usage-error' || r.reply.kind === 'error') throw new Error(l + ': ' + r.reply.title);
        if (pass > 0) times.push(ms);
      }
    }
    times.sort((a, b) => a - b);
    const q = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))];
    out[cmd] = { n: times.length, p50: q(0.5), p99: q(0.99) };
  }
  // Place autocomplete, one call per keystroke: with upcoming events, and on a stale store (none upcoming).
  const { autocomplete } = await import('../dist/src/core/commands/autocomplete.js');
  const typed = ['', 'b', 'be', 'ber', 'Karls', 'san', 'new y', 'mü', 'to', 'x', 'Qwxz', 'washington', 'st'];
  const ac = [];
  for (let pass = 0; pass < 4; pass++) {
    for (const asOf of ['2024-10-30', '2026-08-19', '2099-01-01']) {
      for (const t of typed) {
        const t0 = performance.now();
        autocomplete('places', t, { archive, asOf, catalogue: commandList });
        if (pass > 0) ac.push(performance.now() - t0);
      }
    }
  }
  ac.sort((a, b) => a - b);
  out['place autocomplete'] = { n: ac.length, p50: ac[Math.floor(ac.length / 2)], p99: ac[Math.min(ac.length - 1, Math.floor(0.99 * ac.length))] };
  out.rssMb = process.memoryUsage().rss / 1e6;
  console.log(JSON.stringify(out));
`,
    env,
  );
  for (const [cmd, r] of Object.entries(answers)) {
    if (cmd === 'rssMb') continue;
    const target = cmd === 'search' ? 'p50 ≤ 2 ms, p99 ≤ 10 ms' : cmd === 'place autocomplete' ? 'p99 ≤ 20 ms' : 'p99 ≤ 10 ms';
    line(`${cmd} p50 / p99 (${r.n} runs)`, `${fmt(r.p50)} / ${fmt(r.p99)}`, target);
  }
  line('RSS while serving (after all queries)', `${Math.round(answers.rssMb)} MB`, '≤ 150 MB');
}
if (runs('adapters')) {
  execFileSync(process.execPath, [join(root, 'bench', 'discord.js')], {
    stdio: 'inherit',
    env: { ...process.env, TWIR_BENCH_DB: fullDb },
  });
  await import('./slack.js');
  spawnSync(process.execPath, [join(root, 'bench', 'first-run.js')], {
    stdio: 'inherit',
    env: { ...process.env, TWIR_BENCH_NO_BUILD: '1' },
  });
  execFileSync(process.execPath, [join(root, 'bench', 'reliability.js')], { stdio: 'inherit' });
  spawnSync(process.execPath, [join(root, 'bench', 'digest.js')], { stdio: 'inherit', env: { ...process.env, TWIR_BENCH_NO_BUILD: '1' } });
}
if (runs('postgres')) {
  // The shared state on PostgreSQL (TWIR_BENCH_DATABASE_URL, or a throwaway cluster when PostgreSQL is installed).
  spawnSync(process.execPath, [join(root, 'bench', 'postgres.js')], {
    stdio: 'inherit',
    env: { ...process.env, TWIR_BENCH_NO_BUILD: '1' },
  });
}
if (runs('web')) {
  execFileSync(process.execPath, [join(root, 'bench', 'web.js')], {
    stdio: 'inherit',
    env: { ...process.env, TWIR_BENCH_DB: fullDb },
  });
}
if (runs('front-door')) {
  execFileSync(process.execPath, [join(root, 'bench', 'front-door.js')], {
    stdio: 'inherit',
    env: { ...process.env, TWIR_BENCH_DB: fullDb, TWIR_BENCH_NO_BUILD: '1' },
  });
}
if (runs('ops')) {
  spawnSync(process.execPath, [join(root, 'bench', 'ops-overhead.js')], {
    stdio: 'inherit',
    env: { ...process.env, TWIR_BENCH_NO_BUILD: '1' },
  });
}
if (runs('search')) {
  execFileSync(process.execPath, [join(root, 'bench', 'search-startup.js')], {
    stdio: 'inherit',
    env: { ...process.env, TWIR_BENCH_NO_BUILD: '1', TWIR_BENCH_DB: fullDb },
  });
  execFileSync(process.execPath, [join(root, 'bench', 'relevance.js'), '--db', fullDb], {
    stdio: 'inherit',
    env: { ...process.env, TWIR_BENCH_NO_BUILD: '1' },
  });
}
if (runs('replicas')) {
  // Three replicas behind a round-robin proxy; TWIR_BENCH_DATABASE_URL puts their shared state in PostgreSQL.
  execFileSync(process.execPath, [join(root, 'bench', 'replicas.js')], {
    stdio: 'inherit',
    env: { ...process.env, TWIR_BENCH_NO_BUILD: '1' },
  });
}
