#!/usr/bin/env node
// Web page (issue #18): server-rendered pages over loopback, the page weight, the charts' SVG and
// PNG, and the RSS of a process serving the page. Prints figures with targets.
// Runnable alone (`node bench/web.js`, builds first) or from `npm run bench` (already built; it passes
// TWIR_BENCH_DB, the whole archive). Alone, it ingests the newest 150 issues into a fresh store.
// The adapter runs in a child process (as `twir serve` would); this process is the browser.
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const self = fileURLToPath(import.meta.url);
const searches = ['async closures', 'tokoi', 'rust', 'embedded', 'asyn traits', 'webassembly'];
const asOf = '2024-10-30';

if (process.env.TWIR_BENCH_WEB_CHILD) await serverSide();
else await browserSide();

/** The child: a store, the real web adapter on a shared listener; it also times what only it can see. */
async function serverSide() {
  const { commandList } = await import('../dist/commands/index.js');
  const { loadConfig } = await import('../dist/src/config.js');
  const { Archive } = await import('../dist/src/core/archive/archive.js');
  const { executeReadOnlyLine } = await import('../dist/src/core/commands/execute.js');
  const { openStore } = await import('../dist/src/core/store/store.js');
  const { createHttpListener } = await import('../dist/src/adapters/http-listener.js');
  const { createWebStarter } = await import('../dist/src/adapters/web/start.js');
  let work = null;
  let store;
  if (process.env.TWIR_BENCH_DB) store = openStore({ path: process.env.TWIR_BENCH_DB, readonly: true });
  else {
    const { createLocalSource } = await import('../dist/src/core/sync/local-source.js');
    const { createParser } = await import('../dist/src/core/sync/parse-pool.js');
    const { syncIssues } = await import('../dist/src/core/sync/sync.js');
    const archiveDir = process.env.TWIR_BENCH_ARCHIVE ?? join(root, '..', 'shared', 'twir-archive');
    work = mkdtempSync(join(tmpdir(), 'twir-bench-web-'));
    const content = join(work, 'content');
    mkdirSync(content);
    const files = readdirSync(archiveDir)
      .filter((f) => /\.(md|markdown)$/.test(f) && f !== 'README.md')
      .sort();
    for (const f of files.slice(-150)) copyFileSync(join(archiveDir, f), join(content, f));
    store = openStore({ path: join(work, 'twir.db') });
    const parser = createParser(2);
    await syncIssues({ source: createLocalSource(content), store, parser, now: () => new Date() });
    await parser.close();
  }
  const archive = new Archive(store.db);
  // Each search's own cost (median of 40), so the report can subtract it from the page's time.
  const cost = {};
  for (const q of searches) {
    const times = [];
    for (let i = 0; i < 40; i++) {
      const t = performance.now();
      executeReadOnlyLine(`search ${q} --as-of ${asOf}`, commandList, { archive, today: () => asOf });
      times.push(performance.now() - t);
    }
    cost[q] = times.sort((a, b) => a - b)[20];
  }
  // The HTML renderer alone (the web page's own work on top of the answer), in this process.
  const { renderPage } = await import('../dist/src/adapters/web/render-page.js');
  const { webCommands } = await import('../dist/src/adapters/web/routes.js');
  const searchDef = webCommands.find((c) => c.name === 'search');
  const replies = searches.map((q) => [
    q,
    executeReadOnlyLine(`search ${q} --as-of ${asOf}`, commandList, { archive, today: () => asOf }).reply,
  ]);
  const renders = [];
  for (let i = 0; i < 600; i++) {
    const [q, reply] = replies[i % replies.length];
    const t = performance.now();
    renderPage(reply, { command: searchDef, values: { query: q }, asOf });
    renders.push(performance.now() - t);
  }
  renders.sort((a, b) => a - b);
  const render = { p50: renders[300], p99: renders[594] };
  const log = {
    info: () => undefined,
    warn: (m) => process.stderr.write(`warning: ${m}\n`),
    error: (m) => process.stderr.write(`error: ${m}\n`),
  };
  const http = createHttpListener(log);
  const config = loadConfig({ PORT: '0', TWIR_WEB_RATE_LIMIT: '100000' });
  const adapter = await createWebStarter()({ config, store, archive, log, now: () => new Date(`${asOf}T12:00:00Z`), http });
  const port = await http.listen(0, '127.0.0.1');
  process.stdout.write(`${JSON.stringify({ port, cost, render })}\n`);
  // After the page requests: the charts, timed in this process, then the RSS of everything loaded.
  createInterface({ input: process.stdin }).on('line', async () => {
    const { perfPoints, eventPoints } = await import('../dist/src/core/charts/chart-data.js');
    const { perfChart } = await import('../dist/src/core/charts/perf-chart.js');
    const { eventsMap } = await import('../dist/src/core/charts/events-map.js');
    const rssServing = process.memoryUsage().rss / 2 ** 20;
    const time = (fn, n) => {
      const ts = [];
      for (let i = 0; i < n; i++) {
        const t = performance.now();
        fn();
        ts.push(performance.now() - t);
      }
      ts.sort((a, b) => a - b);
      return { p50: ts[Math.floor(n / 2)], p99: ts[Math.min(n - 1, Math.floor(n * 0.99))] };
    };
    const perf = () => perfChart(perfPoints(archive, asOf, 52)).svg;
    const perfAll = () => perfChart(perfPoints(archive, asOf, null)).svg;
    const map = () => {
      const e = eventPoints(archive, asOf);
      return eventsMap(e.points, e.unplaced).svg;
    };
    const out = { rssServing, svg: {}, png: {}, bytes: {} };
    for (const [name, fn] of Object.entries({ perf, perfAll, map })) {
      const first = performance.now();
      const svg = fn();
      out.svg[name] = { first: performance.now() - first, ...time(fn, 100) };
      out.bytes[name] = svg.length;
    }
    out.rssAfterSvg = process.memoryUsage().rss / 2 ** 20;
    try {
      const { svgToPng } = await import('../dist/src/adapters/chart-png.js');
      for (const [name, fn] of Object.entries({ perf, map })) {
        const svg = fn();
        // A comment that differs each time defeats the PNG cache: every figure is a real render.
        let i = 0;
        const first = performance.now();
        await svgToPng(`${svg}<!--${i++}-->`);
        const ts = [];
        for (let n = 0; n < 30; n++) {
          const t = performance.now();
          await svgToPng(`${svg}<!--${i++}-->`);
          ts.push(performance.now() - t);
        }
        ts.sort((a, b) => a - b);
        out.png[name] = { first: performance.now() - first - ts.reduce((a, b) => a + b, 0), p50: ts[15], p99: ts[29] };
      }
    } catch (err) {
      out.pngError = String(err.message ?? err);
    }
    out.rssAfterCharts = process.memoryUsage().rss / 2 ** 20;
    process.stdout.write(`${JSON.stringify(out)}\n`);
    await http.close();
    await adapter.stop();
    store.close();
    if (work) rmSync(work, { recursive: true, force: true });
    process.exit(0);
  });
}

/** This process: fetches pages like a browser would and times them end to end. */
async function browserSide() {
  if (process.argv[1] === self) execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
  const child = spawn(process.execPath, [self], {
    cwd: root,
    env: { ...process.env, TWIR_BENCH_WEB_CHILD: '1' },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const next = () =>
    new Promise((resolve, reject) => {
      lines.once('line', (l) => resolve(JSON.parse(l)));
      child.once('exit', (code) => reject(new Error(`web adapter exited with ${code}`)));
    });
  const ready = await next();
  const base = `http://127.0.0.1:${ready.port}`;
  const get = async (path) => {
    const t = performance.now();
    const res = await fetch(`${base}${path}`);
    const body = await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
    return { ms: performance.now() - t, bytes: body.byteLength };
  };
  const page = (q) => `/search?q=${encodeURIComponent(q)}&as-of=${asOf}`;
  for (let i = 0; i < 60; i++) await get(page(searches[i % searches.length])); // warm-up
  const N = Number(process.env.TWIR_BENCH_WEB_N ?? 600);
  const samples = [];
  for (let i = 0; i < N; i++) {
    const q = searches[i % searches.length];
    const r = await get(page(q));
    samples.push({ total: r.ms, beyond: r.ms - ready.cost[q] });
  }
  const pct = (key, p) => {
    const v = samples.map((s) => s[key]).sort((a, b) => a - b);
    return v[Math.min(v.length - 1, Math.floor(p * v.length))];
  };
  const home = await get(`/?as-of=${asOf}`);
  const search = await get(page('async closures'));
  const css = await get('/assets/style.css');
  const js = await get('/assets/app.js');
  const perfPage = await get(`/perf?as-of=${asOf}`);
  const eventsPage = await get(`/events?as-of=${asOf}`);
  child.stdin.write('charts\n');
  const charts = await next();
  await new Promise((r) => child.once('exit', r));

  const fmt = (ms) => `${ms.toFixed(2)} ms`;
  const kb = (b) => `${(b / 1024).toFixed(1)} KB`;
  const row = (label, value, target) =>
    console.log(`${label.padEnd(44)} ${String(value).padStart(20)}   ${target ? `target ${target}` : ''}`);
  console.log(`\n# Web page (loopback, ${N} server-rendered search pages of ${searches.length} queries)`);
  row('search page p50 / p99', `${fmt(pct('total', 0.5))} / ${fmt(pct('total', 0.99))}`);
  row('  beyond the answer itself p50 / p99', `${fmt(pct('beyond', 0.5))} / ${fmt(pct('beyond', 0.99))}`, 'p99 ≤ 20 ms');
  row('  the HTML renderer alone p50 / p99', `${fmt(ready.render.p50)} / ${fmt(ready.render.p99)}`);
  row('page weight: home + CSS + JS', kb(home.bytes + css.bytes + js.bytes), '≤ 60 KB before charts');
  row('page weight: search page + CSS + JS', kb(search.bytes + css.bytes + js.bytes), '≤ 60 KB before charts');
  row('page weight: /perf, /events (with charts)', `${kb(perfPage.bytes)}, ${kb(eventsPage.bytes)}`);
  for (const [name, s] of Object.entries(charts.svg))
    row(`chart SVG ${name} first / p50 / p99`, `${fmt(s.first)} / ${fmt(s.p50)} / ${fmt(s.p99)}`, '≤ 30 ms');
  row('chart SVG bytes perf / all / map', `${kb(charts.bytes.perf)} / ${kb(charts.bytes.perfAll)} / ${kb(charts.bytes.map)}`);
  if (charts.pngError) row('chart PNG', `not measured: ${charts.pngError.slice(0, 60)}`);
  for (const [name, s] of Object.entries(charts.png))
    row(`chart PNG ${name} first / p50 / p99`, `${fmt(s.first)} / ${fmt(s.p50)} / ${fmt(s.p99)}`, '≤ 150 ms');
  row('RSS serving the page (after the requests)', `${Math.round(charts.rssServing)} MB`, '≤ 160 MB');
  row('RSS after 300 chart SVGs', `${Math.round(charts.rssAfterSvg)} MB`, '≤ 160 MB');
  row('RSS after charts and PNG', `${Math.round(charts.rssAfterCharts)} MB`, '≤ 160 MB');
}
