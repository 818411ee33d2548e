/**
 * A chart's SVG as PNG, for chat platforms that show images but not SVG. The
 * conversion is at the edge (charts themselves are pure SVG).
 *
 * resvg's WebAssembly build, not its native one: the native build's memory is
 * invisible to V8, so a public endpoint rendering PNGs grew RSS by ~1.7 MB a
 * render, without bound (thx/resvg-js#216, measured here with 2.6.2). The
 * WebAssembly heap is bounded but, once grown (~100 MB), never shrinks, so it
 * lives in a worker thread that exits after `IDLE_MS` without work and takes
 * that memory with it: a process that serves the page but rarely draws a PNG
 * stays small. Identical charts (the same week, asked again) come from a
 * small cache without a render.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** Fonts for the labels, first found wins (WebAssembly cannot read system fonts itself); without one, labels are left out. */
const FONT_FILES = [
  { file: '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', family: 'DejaVu Sans' },
  { file: '/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf', family: 'Liberation Sans' },
  { file: '/usr/share/fonts/dejavu/DejaVuSans.ttf', family: 'DejaVu Sans' },
  { file: '/System/Library/Fonts/Supplemental/Arial.ttf', family: 'Arial' },
];

/** The worker stops after this long without a render. */
const IDLE_MS = 30_000;
const CACHE_SIZE = 16;

/**
 * The worker's code, evaluated as CommonJS (so it runs the same from `dist/` and from the test
 * runner's TypeScript): it loads resvg once, renders each SVG it is sent and frees every object.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
const resvg = require(workerData.module);
const ready = resvg.initWasm(readFileSync(workerData.wasm));
const fonts = workerData.font ? [readFileSync(workerData.font)] : [];
parentPort.on('message', async ({ id, svg }) => {
  try {
    await ready;
    const r = new resvg.Resvg(svg, { font: { fontBuffers: fonts, defaultFontFamily: workerData.family, sansSerifFamily: workerData.family } });
    try {
      const image = r.render();
      try {
        const png = image.asPng();
        parentPort.postMessage({ id, png }, [png.buffer]);
      } finally {
        image.free();
      }
    } finally {
      r.free();
    }
  } catch (err) {
    parentPort.postMessage({ id, error: String(err && err.message || err) });
  }
});
`;

const cache = new Map<string, Buffer>();
const pending = new Map<number, { resolve: (png: Buffer) => void; reject: (err: Error) => void }>();
let worker: Worker | null = null;
let idle: NodeJS.Timeout | null = null;
let seq = 0;

function startWorker(): Worker {
  const require = createRequire(import.meta.url);
  const font = FONT_FILES.find((f) => existsSync(f.file));
  const w = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      module: require.resolve('@resvg/resvg-wasm'),
      wasm: require.resolve('@resvg/resvg-wasm/index_bg.wasm'),
      font: font?.file ?? null,
      family: font?.family ?? 'sans-serif',
    },
  });
  w.on('message', (m: { id: number; png?: Uint8Array; error?: string }) => {
    const job = pending.get(m.id);
    pending.delete(m.id);
    if (m.png) job?.resolve(Buffer.from(m.png.buffer, m.png.byteOffset, m.png.byteLength));
    else job?.reject(new Error(`PNG conversion failed: ${m.error}`));
    settle();
  });
  const fail = (err: Error) => {
    if (worker === w) worker = null;
    for (const job of pending.values()) job.reject(err);
    pending.clear();
  };
  w.on('error', fail);
  w.on('exit', (code) => fail(new Error(`PNG worker exited (code ${code})`)));
  return w;
}

/** After the last render: let the process exit without waiting for the worker, and stop it once idle. */
function settle(): void {
  if (pending.size > 0 || !worker) return;
  worker.unref();
  idle = setTimeout(() => {
    const w = worker;
    worker = null;
    void w?.terminate();
  }, IDLE_MS);
  idle.unref();
}

/** Renders `svg` at its own size (720 px wide). */
export async function svgToPng(svg: string): Promise<Buffer> {
  const key = createHash('sha256').update(svg).digest('base64');
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  if (idle) clearTimeout(idle);
  idle = null;
  worker ??= startWorker();
  worker.ref();
  const id = seq++;
  const png = await new Promise<Buffer>((resolve, reject) => {
    pending.set(id, { resolve, reject });
    worker?.postMessage({ id, svg });
  });
  cache.set(key, png);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  return png;
}
