#!/usr/bin/env node
// Relevance of `search` (issue #16): runs every query of bench/relevance.json against a synced store and
// prints top-1 and top-3 hit rates and MRR (over the first 10 results). A query hits when a result's URL
// is one of its `want` URLs (compared the way search merges URLs: http/https, www., trailing slash).
// Runnable alone: `node bench/relevance.js [--db path] [--verify] [--misses]`; `npm run bench` calls it
// on the store it builds. `--verify` checks that every wanted URL occurs in the archive
// (../shared/twir-archive or TWIR_BENCH_ARCHIVE), so the labels stay honest.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const value = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const set = JSON.parse(readFileSync(new URL('./relevance.json', import.meta.url), 'utf8'));
const key = (url) => {
  const m = /^(?:https?:)?\/\/(?:www\.)?([^/?#]*)(.*)$/i.exec(url.trim());
  return m ? `${m[1].toLowerCase()}${m[2].replace(/\/+(?=$|[?#])/, '')}` : url.trim();
};

if (flag('--verify')) {
  const archive = process.env.TWIR_BENCH_ARCHIVE ?? join(root, '..', 'shared', 'twir-archive');
  const seen = new Set();
  for (const f of readdirSync(archive).filter((f) => /\.(md|markdown)$/.test(f))) {
    for (const m of readFileSync(join(archive, f), 'utf8').matchAll(/\]\((https?:\/\/[^)\s]+)\)/g)) seen.add(key(m[1]));
  }
  const missing = set.flatMap((e) => e.want.filter((u) => !seen.has(key(u))).map((u) => `${e.query} → ${u}`));
  console.log(`${set.length} queries; ${missing.length} wanted URL(s) not linked in the archive`);
  for (const m of missing) console.log(`  missing: ${m}`);
  process.exit(missing.length ? 1 : 0);
}

const db = value('--db') ?? process.env.TWIR_DB;
if (!db) {
  console.error('give a synced store: --db path (or TWIR_DB)');
  process.exit(1);
}
if (process.env.TWIR_BENCH_NO_BUILD !== '1') execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
const { Archive } = await import('../dist/src/core/archive/archive.js');
const { openStore } = await import('../dist/src/core/store/store.js');
const store = openStore({ path: db });
const archive = new Archive(store.db);
const asOf = '2099-12-31';
let top1 = 0;
let top3 = 0;
let rr = 0;
const misses = [];
const byKind = {};
for (const e of set) {
  const want = new Set(e.want.map(key));
  const hits = archive.search({ text: e.query, asOf, limit: 10 }).hits;
  const rank = hits.findIndex((h) => want.has(key(h.url))) + 1;
  if (rank === 1) top1++;
  if (rank >= 1 && rank <= 3) top3++;
  if (rank >= 1) rr += 1 / rank;
  byKind[e.kind] ??= { n: 0, top3: 0 };
  const k = byKind[e.kind];
  k.n++;
  if (rank >= 1 && rank <= 3) k.top3++;
  if (rank !== 1) misses.push(`  ${rank || '—'}\t${e.query}\t→ ${hits[0]?.title ?? '(nothing)'}`);
}
store.close();
const n = set.length;
const line = (label, v, target) => console.log(`${label.padEnd(44)} ${String(v).padStart(12)}   ${target ? `target ${target}` : ''}`);
console.log(`\n# Search relevance (${n} labelled queries, bench/relevance.json)`);
line('top-1 hit rate', (top1 / n).toFixed(3));
line('top-3 hit rate', (top3 / n).toFixed(3), '≥ 0.95');
line('MRR (first 10)', (rr / n).toFixed(3), '≥ 0.85');
line(
  'top-3 by kind',
  Object.entries(byKind)
    .map(([k, v]) => `${k} ${v.top3}/${v.n}`)
    .join(', '),
);
if (flag('--misses')) console.log(`not first (rank, query, first result):\n${misses.join('\n')}`);
