#!/usr/bin/env node
// Worst case for a hostile source folder (issue #8): how long `twir sync` takes and how much memory it
// peaks at when the folder holds files built to exhaust it, how long the next sync takes (failures are
// remembered by hash), and the console's peak memory for one endless stdin line.
// Runs alone (`node bench/reliability.js`, after `npm run build`) or from `npm run bench`.
// Prints figures with targets; it is not a test. Peak RSS is read from /proc (VmHWM), so Linux only.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'bin', 'twir.js');
const archive = process.env.TWIR_BENCH_ARCHIVE ?? join(root, '..', 'shared', 'twir-archive');
if (!existsSync(join(root, 'dist', 'src', 'adapters', 'console', 'cli.js'))) {
  console.error('dist/ is missing: run `npm run build` first (npm run bench builds it).');
  process.exit(1);
}
const TIMEOUT_S = Number(process.env.TWIR_BENCH_PARSE_TIMEOUT ?? 10);

const work = mkdtempSync(join(tmpdir(), 'twir-bench-hostile-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

const line = (label, value, target) =>
  console.log(`${label.padEnd(44)} ${String(value).padStart(12)}   ${target ? `target ${target}` : ''}`);

/** Runs `twir …`, polling the child's peak RSS (VmHWM) until it exits. `input` may be a generator of chunks. */
function measured(args, env, input) {
  return new Promise((resolve) => {
    const t = performance.now();
    const child = spawn(process.execPath, [bin, ...args], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    let peakKb = 0;
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.resume();
    const poll = setInterval(() => {
      try {
        const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (hwm) peakKb = Math.max(peakKb, Number(hwm[1]));
      } catch {}
    }, 20);
    child.on('close', (code) => {
      clearInterval(poll);
      resolve({ code, ms: performance.now() - t, peakMb: peakKb / 1024, stderr });
    });
    child.stdin.on('error', () => {});
    if (!input) child.stdin.end();
    else
      (async () => {
        for (const chunk of input) if (!child.stdin.write(chunk)) await new Promise((r) => child.stdin.once('drain', r));
        child.stdin.end();
      })();
  });
}

// ---- The hostile folder ------------------------------------------------------------------------
const content = join(work, 'content');
mkdirSync(content);
const real = readdirSync(archive)
  .filter((f) => /^2024-1.*\.md$/.test(f))
  .slice(0, 10);
for (const f of real) copyFileSync(join(archive, f), join(content, f));
const header = (n) => `Title: This Week in Rust ${n}\nNumber: ${n}\nDate: 2025-0${(n % 9) + 1}-01\n\n`;
const hostile = {
  // Sparse: their size is real, their disk cost is not.
  '2025-01-01-this-week-in-rust.md': 150_000_000,
  '2025-01-02-this-week-in-rust.md': 60_000_000,
  // Under the 1 MB cap, built to be slow or memory-hungry to parse.
  '2025-02-01-this-week-in-rust.md': header(901) + '*a_'.repeat(330_000),
  '2025-02-02-this-week-in-rust.md': `${header(902)}${'>'.repeat(990_000)} deep\n`,
  '2025-02-03-this-week-in-rust.md': `${header(903)}${'['.repeat(495_000)}x${']'.repeat(495_000)}\n`,
  '2025-02-04-this-week-in-rust.md':
    header(904) + Array.from({ length: 15_000 }, (_, i) => `${' '.repeat(i % 40)}* [x${i}](https://n.test/${i})`).join('\n'),
  '2025-02-05-this-week-in-rust.md': `${header(905)}${'&amp;'.repeat(199_000)}\n`,
  // Not issues at all.
  '2025-03-01-this-week-in-rust.md': randomBytes(1_000_000),
  '2025-03-02-this-week-in-rust.md': 'no header here\n'.repeat(60_000),
};
for (const [name, body] of Object.entries(hostile)) {
  const path = join(content, name);
  if (typeof body === 'number') {
    writeFileSync(path, '');
    truncateSync(path, body);
  } else writeFileSync(path, body);
}

console.log(
  `\n# Hostile source folder (${real.length} real issues + ${Object.keys(hostile).length} hostile files; parse timeout ${TIMEOUT_S} s, 2 workers)`,
);
const env = {
  TWIR_DB: join(work, 'hostile.db'),
  TWIR_SOURCE: content,
  TWIR_PARSE_WORKERS: '2',
  TWIR_PARSE_TIMEOUT_SECONDS: String(TIMEOUT_S),
};
const first = await measured(['sync'], env);
if (process.env.TWIR_BENCH_VERBOSE) console.log(first.stderr);
const firstInternal = Number(/in (\d+) ms/.exec(first.stderr)?.[1]);
const stored = /(\d+) stored/.exec(first.stderr)?.[1];
const failed = /(\d+) failed/.exec(first.stderr)?.[1];
line('first sync of the hostile folder (process)', `${(first.ms / 1000).toFixed(1)} s`, `≤ ${TIMEOUT_S + 10} s (timeout + 10 s)`);
// The 15,000-item list is a valid (if huge) issue: it lands when its parse fits the timeout and heap cap.
line(
  '  stored / failed',
  `${stored} / ${failed}`,
  `${real.length}–${real.length + 1} / ${Object.keys(hostile).length - 1}–${Object.keys(hostile).length}`,
);
line('  exit after the sync finished', `${Math.round(first.ms - firstInternal)} ms`, '≤ 1000 ms');
// Bounded by construction: each worker's heap is capped (96 MB old + 32 MB young space) and a parse that
// hits the cap ends its worker; both workers can be at their cap at once, beside the main thread.
line('  peak RSS', `${Math.round(first.peakMb)} MB`, '≤ 400 MB (2 capped workers + main)');
const second = await measured(['sync'], env);
line('next sync (failures remembered, process)', `${Math.round(second.ms)} ms`, '≤ 1000 ms');
line('  peak RSS', `${Math.round(second.peakMb)} MB`);

// ---- One endless stdin line ---------------------------------------------------------------------
const mb = Buffer.alloc(1 << 20, 0x61);
function* endless() {
  yield 'latest\n';
  for (let i = 0; i < 300; i++) yield mb;
  yield '\nlatest\n';
}
const piped = await measured([], { TWIR_DB: env.TWIR_DB }, endless());
line('console: one 300 MB stdin line, peak RSS', `${Math.round(piped.peakMb)} MB`, '≤ 150 MB');
line('  time to refuse it and answer on', `${(piped.ms / 1000).toFixed(1)} s`);
if (!/line 2 is \d+ bytes long/.test(piped.stderr)) console.log(`  (unexpected: ${piped.stderr.slice(0, 200)})`);
