#!/usr/bin/env node
// Search start-up (issue #16): what the first search in a fresh process costs. Prints a one-shot
// `twir search` against a one-shot `twir crate` (target ≤ 1.5×), and the first search `twir serve`
// answers after a sync has stored a new issue (target ≤ 100 ms).
// Runnable alone on a synced full store: `TWIR_BENCH_DB=/path/to/twir.db node bench/search-startup.js`
// (`npm run bench` passes the store it builds). Works on copies; the given store is not changed.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const source = process.env.TWIR_BENCH_DB;
if (!source) {
  console.error('set TWIR_BENCH_DB to a synced full store');
  process.exit(1);
}
if (process.env.TWIR_BENCH_NO_BUILD !== '1') execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
const work = mkdtempSync(join(tmpdir(), 'twir-search-startup-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
// A checkpointed copy: the WAL of the given store may hold recent commits.
const db = join(work, 'twir.db');
execFileSync(
  process.execPath,
  ['-e', `new (require('better-sqlite3'))(process.argv[1]).backup(process.argv[2]).then(() => {})`, source, db],
  {
    cwd: root,
  },
);

const fmt = (ms) => `${ms < 10 ? ms.toFixed(2) : Math.round(ms)} ms`;
const line = (label, value, target) =>
  console.log(`${label.padEnd(44)} ${String(value).padStart(12)}   ${target ? `target ${target}` : ''}`);
const bin = join(root, 'bin', 'twir.js');
const cli = (args) => {
  const t = performance.now();
  const r = spawnSync(process.execPath, [bin, ...args], { env: { ...process.env, TWIR_DB: db }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`twir ${args.join(' ')} failed: ${r.stderr}`);
  return performance.now() - t;
};
const median = (args, n = 7) => {
  const t = [];
  for (let i = 0; i < n; i++) t.push(cli(args));
  return t.sort((a, b) => a - b)[Math.floor(n / 2)];
};

console.log('\n# Search start-up (full archive)');
// Forget any snapshot: the first one-shot search after a sync builds the catalog and saves it.
execFileSync(process.execPath, ['-e', `new (require('better-sqlite3'))(process.argv[1]).exec('DELETE FROM search_snapshots')`, db], {
  cwd: root,
});
const first = cli(['search', 'async', 'closures', '--as-of', '2024-10-30']);
const search = median(['search', 'async', 'closures', '--as-of', '2024-10-30']);
const typo = median(['search', 'tokoi', '--as-of', '2024-10-30']);
const crate = median(['crate', '--as-of', '2024-10-30']);
line('one-shot `twir search` (median of 7)', fmt(search), `≤ 1.5× crate: ${(search / crate).toFixed(2)}×`);
line('one-shot `twir search tokoi` (a typo)', fmt(typo), `${(typo / crate).toFixed(2)}× crate`);
line('one-shot `twir crate` (median of 7)', fmt(crate));
line('  first one-shot search after a sync', fmt(first), '(builds and saves the snapshot)');

// serve: the newest issue is removed, then a sync in the serving process stores it again and (as
// src/adapters/digest-host.ts does) rebuilds search at once; then a person searches.
const script = join(root, 'bench', `.child-startup-${process.pid}.mjs`);
writeFileSync(
  script,
  `
  import { mkdirSync, writeFileSync } from 'node:fs';
  import { Archive } from '../dist/src/core/archive/archive.js';
  import { openStore } from '../dist/src/core/store/store.js';
  import { createLocalSource } from '../dist/src/core/sync/local-source.js';
  import { createParser } from '../dist/src/core/sync/parse-pool.js';
  import { syncIssues } from '../dist/src/core/sync/sync.js';
  const store = openStore({ path: process.env.DB });
  const newest = store.db.prepare('SELECT file, json FROM issues ORDER BY date DESC, number DESC LIMIT 1').get();
  const dir = process.env.DIR;
  mkdirSync(dir);
  store.removeFile(newest.file);
  const archive = new Archive(store.db);
  archive.search({ text: 'warm', asOf: '2099-01-01' });
  writeFileSync(dir + '/' + newest.file, process.env.MARKDOWN);
  const parser = createParser(0);
  const r = await syncIssues({ source: createLocalSource(dir), store, parser, now: () => new Date() });
  await parser.close();
  archive.clearCache();
  const t0 = performance.now();
  archive.warmSearch();
  const t1 = performance.now();
  archive.search({ text: 'async closures', asOf: '2099-01-01' });
  const t2 = performance.now();
  console.log(JSON.stringify({ stored: r.stored, failed: r.failed, warmMs: t1 - t0, firstMs: t2 - t1 }));
`,
);
const archive = process.env.TWIR_BENCH_ARCHIVE ?? join(root, '..', 'shared', 'twir-archive');
const newestFile = execFileSync(
  process.execPath,
  [
    '-e',
    `console.log(new (require('better-sqlite3'))(process.argv[1]).prepare('SELECT file FROM issues ORDER BY date DESC, number DESC LIMIT 1').pluck().get())`,
    db,
  ],
  { cwd: root, encoding: 'utf8' },
).trim();
const copy = join(work, 'serve.db');
copyFileSync(db, copy);
const r = spawnSync(process.execPath, [script], {
  cwd: root,
  env: { ...process.env, DB: copy, DIR: join(work, 'inc'), MARKDOWN: readArchiveFile(archive, newestFile) },
  encoding: 'utf8',
});
rmSync(script, { force: true });
if (r.status !== 0) throw new Error(r.stderr);
const serve = JSON.parse(r.stdout.trim().split('\n').at(-1));
if (serve.stored !== 1) throw new Error(`the serve sync stored ${serve.stored} issue(s): ${JSON.stringify(serve.failed)}`);
line('serve: first search after a sync', fmt(serve.firstMs), '≤ 100 ms');
line('  search rebuilt right after the sync', fmt(serve.warmMs), '(before anyone asks)');

function readArchiveFile(dir, file) {
  return execFileSync('cat', [join(dir, file)], { encoding: 'utf8', maxBuffer: 16 << 20 });
}
