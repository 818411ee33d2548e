#!/usr/bin/env node
// First run (issue #10): `twir serve` on an empty store, syncing from a local folder. Prints the time
// from process start to the first correct `latest` answer (the adapters start once the newest issue is
// stored), the full backfill time and the peak RSS. Runnable alone: `node bench/first-run.js`.
// Reads the shared archive at ../shared/twir-archive (or TWIR_BENCH_ARCHIVE).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const archive = process.env.TWIR_BENCH_ARCHIVE ?? join(root, '..', 'shared', 'twir-archive');
if (process.env.TWIR_BENCH_NO_BUILD !== '1') execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
if (!existsSync(archive)) {
  console.error(`archive not found at ${archive} (set TWIR_BENCH_ARCHIVE)`);
  process.exit(1);
}
const work = mkdtempSync(join(tmpdir(), 'twir-first-run-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

// The child is a fresh process, so performance.now() is the time since it started.
const script = `
  import { PassThrough } from 'node:stream';
  import { commandList } from '../dist/commands/index.js';
  import { serve } from '../dist/src/adapters/console/operator.js';
  import { loadConfig } from '../dist/src/config.js';
  import { executeReadOnlyLine } from '../dist/src/core/commands/execute.js';
  import { readBackfill } from '../dist/src/core/sync/backfill.js';
  import { createLogger } from '../dist/src/logger.js';
  const result = {};
  let stop;
  const shutdown = new Promise((resolve) => (stop = resolve));
  const quiet = new PassThrough();
  quiet.resume();
  const today = new Date().toISOString().slice(0, 10);
  const adapter = async (ctx) => {
    const ask = (line) => executeReadOnlyLine(line, commandList, { archive: ctx.archive, today: () => today }).reply;
    const first = ask('latest');
    result.firstLatestMs = performance.now();
    result.firstLatest = first.title;
    result.storedAtFirst = ctx.store.stats().issues;
    const timer = setInterval(() => {
      if (readBackfill(ctx.store.db)) return;
      clearInterval(timer);
      result.backfillMs = performance.now();
      result.finalLatest = ask('latest').title;
      result.issues = ctx.store.stats().issues;
      stop('SIGTERM');
    }, 20);
    return { description: 'bench', stop: async () => undefined };
  };
  const io = {
    stdout: quiet, stderr: quiet, stdin: new PassThrough(), now: () => new Date(),
    loadConfig: () => loadConfig({ TWIR_DB: process.env.DB, TWIR_SOURCE: process.env.SRC, TWIR_PARSE_WORKERS: '2' }),
    untilShutdown: () => shutdown,
  };
  const code = await serve(io, createLogger(quiet), { adapters: async () => [adapter] });
  result.code = code;
  result.maxRssMb = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify(result));
`;
const file = join(root, 'bench', `.first-run-${process.pid}.mjs`);
writeFileSync(file, script);
const r = spawnSync(process.execPath, [file], {
  cwd: root,
  env: { ...process.env, DB: join(work, 'first.db'), SRC: archive },
  encoding: 'utf8',
});
rmSync(file, { force: true });
if (r.status !== 0) {
  console.error(r.stderr);
  process.exit(1);
}
const m = JSON.parse(r.stdout.trim().split('\n').at(-1));
const line = (label, value, target) =>
  console.log(`${label.padEnd(44)} ${String(value).padStart(12)}   ${target ? `target ${target}` : ''}`);
console.log(`\n# First run (serve on an empty store, from ${archive})`);
const correct = m.firstLatest === m.finalLatest;
line('process start → first correct latest', `${(m.firstLatestMs / 1000).toFixed(2)} s`, '≤ 3 s');
line('  answer then / after the backfill', correct ? 'same' : `"${m.firstLatest}" ≠ "${m.finalLatest}"`, 'same');
line('  issues stored when adapters started', `${m.storedAtFirst} of ${m.issues}`);
line('process start → backfill complete', `${(m.backfillMs / 1000).toFixed(1)} s`);
line('peak RSS (serve + backfill)', `${Math.round(m.maxRssMb)} MB`, '≤ 300 MB');
