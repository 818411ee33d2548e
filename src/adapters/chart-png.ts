/**
 * A chart's SVG as PNG, for chat platforms that show images but not SVG. The
 * conversion is at the edge (charts themselves are pure SVG).
 *
 * resvg's WebAssembly build, not its native one: the native build's memory is
 * invisible to V8, so a public endpoint rendering PNGs grew RSS by ~1.7 MB a
 * render, without bound (thx/resvg-js#216, measured here with 2.6.2). The
 * WebAssembly heap is reused across renders (each one freed explicitly), so
 * memory stays flat after the first. Identical charts (the same week, asked
 * again) are answered from a small cache.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

type Wasm = typeof import('@resvg/resvg-wasm');

/** Fonts for the labels, first found wins (WebAssembly cannot read system fonts itself); without one, labels are left out. */
const FONT_FILES = [
  { file: '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', family: 'DejaVu Sans' },
  { file: '/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf', family: 'Liberation Sans' },
  { file: '/usr/share/fonts/dejavu/DejaVuSans.ttf', family: 'DejaVu Sans' },
  { file: '/System/Library/Fonts/Supplemental/Arial.ttf', family: 'Arial' },
];

const CACHE_SIZE = 16;
const cache = new Map<string, Buffer>();
let wasm: { module: Wasm; fonts: Uint8Array[]; family: string } | null = null;

async function load(): Promise<{ module: Wasm; fonts: Uint8Array[]; family: string }> {
  if (wasm) return wasm;
  const require = createRequire(import.meta.url);
  const module = (await import('@resvg/resvg-wasm')) as Wasm;
  await module.initWasm(readFileSync(require.resolve('@resvg/resvg-wasm/index_bg.wasm')));
  const font = FONT_FILES.find((f) => existsSync(f.file));
  wasm = { module, fonts: font ? [readFileSync(font.file)] : [], family: font?.family ?? 'sans-serif' };
  return wasm;
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
  const { module, fonts, family } = await load();
  // The charts ask for "sans-serif": map it (and any other family) to the one font loaded.
  const resvg = new module.Resvg(svg, { font: { fontBuffers: fonts, defaultFontFamily: family, sansSerifFamily: family } });
  let png: Buffer;
  try {
    const image = resvg.render();
    try {
      png = Buffer.from(image.asPng());
    } finally {
      image.free();
    }
  } finally {
    resvg.free();
  }
  cache.set(key, png);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  return png;
}
