#!/usr/bin/env node
// `node bench/ops-overhead.js` (also part of `npm run bench`): what metrics and logging add to an answer. The same
// questions are answered through the core (executeReadOnlyLine, what both adapters run) bare, and with the adapters'
// per-interaction instrumentation: recordInteraction (prom-client counter + histogram) and a debug log line through
// pino JSON (LOG_LEVEL=debug, LOG_FORMAT=json: the most expensive setting) to a discarding stream. Prints p50/p99 of each and the p99 difference against the ≤ 5 % target.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
if (process.env.TWIR_BENCH_NO_BUILD !== '1') execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
const archiveDir = process.env.TWIR_BENCH_ARCHIVE ?? join(root, '..', 'shared', 'twir-archive');

const { commandList } = await import('../dist/commands/index.js');
const { Archive } = await import('../dist/src/core/archive/archive.js');
const { executeReadOnlyLine } = await import('../dist/src/core/commands/execute.js');
const { openStore } = await import('../dist/src/core/store/store.js');
const { createLocalSource } = await import('../dist/src/core/sync/local-source.js');
const { createParser } = await import('../dist/src/core/sync/parse-pool.js');
const { syncIssues } = await import('../dist/src/core/sync/sync.js');
const { recordInteraction, registry } = await import('../dist/src/adapters/ops/metrics.js');
const { createLogger } = await import('../dist/src/logger.js');

const work = mkdtempSync(join(tmpdir(), 'twir-bench-ops-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
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

const queries = Object.values(JSON.parse(readFileSync(join(root, 'bench', 'queries.json'), 'utf8')))
  .flat()
  .filter((q) => !/--as-of 201[3-9]|--as-of 202[0-3]/.test(q))
  .slice(0, 400);
const nowhere = new Writable({ write: (_c, _e, done) => done() });
const log = createLogger(nowhere, false, { level: 'debug', format: 'json' });
const today = () => new Date().toISOString().slice(0, 10);

function answer(line, instrumented) {
  const t = performance.now();
  const { reply } = executeReadOnlyLine(line, commandList, { archive, today });
  if (instrumented) {
    const ms = performance.now() - t;
    const command = reply.command ?? line.split(' ')[0];
    recordInteraction('bench', command, reply.kind, ms / 1000);
    log.debug(`bench: U1 in T1/C1: ${command} → ${reply.kind} in ${Math.round(ms)} ms`);
  }
  return performance.now() - t;
}

for (const q of queries.slice(0, 50)) answer(q, true); // warm both paths
// Each question is answered both ways back to back, in alternating order, so load from other processes on the
// machine falls on both alike.
const ROUNDS = 10;
const times = { bare: [], instrumented: [] };
for (let round = 0; round < ROUNDS; round++) {
  queries.forEach((q, i) => {
    for (const mode of (round + i) % 2 ? ['instrumented', 'bare'] : ['bare', 'instrumented'])
      times[mode].push(answer(q, mode === 'instrumented'));
  });
}
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];
const fmt = (ms) => `${ms.toFixed(2)} ms`;
const line = (label, value, target) =>
  console.log(`${label.padEnd(44)} ${String(value).padStart(20)}   ${target ? `target ${target}` : ''}`);
console.log(`\n# Metrics and logging overhead (${queries.length} answers × ${ROUNDS} rounds each way, newest 150 issues)`);
line('answer p50 / p99, bare', `${fmt(pct(times.bare, 0.5))} / ${fmt(pct(times.bare, 0.99))}`);
line('answer p50 / p99, metrics + debug JSON log', `${fmt(pct(times.instrumented, 0.5))} / ${fmt(pct(times.instrumented, 0.99))}`);
const p99 = pct(times.bare, 0.99);
// On a loaded machine the tail is other processes and GC, so this difference is mostly noise (either sign).
line('p99 difference (measured, noisy)', `${(((pct(times.instrumented, 0.99) - p99) / p99) * 100).toFixed(1)} %`);
// The instrumentation alone, per interaction: what it adds to every answer, the p99 one included.
const n = 20_000;
const t = performance.now();
for (let i = 0; i < n; i++) {
  recordInteraction('bench', 'crate', 'answer', 0.01);
  log.debug('bench: U1 in T1/C1: crate → answer in 3 ms');
}
const perMs = (performance.now() - t) / n;
line('instrumentation per interaction', `${(perMs * 1000).toFixed(1)} µs`);
line('  as a share of the bare answer p99', `${((perMs / p99) * 100).toFixed(2)} %`, '≤ 5 %');
line('/metrics scrape size', `${(await registry.metrics()).length} bytes`);
store.close();
