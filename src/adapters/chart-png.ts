/**
 * A chart's SVG as PNG, for chat platforms that show images but not SVG. The
 * conversion is at the edge (charts themselves are pure SVG); resvg is a
 * native module, so it is loaded only when the first PNG is asked for.
 */
import { createRequire } from 'node:module';

type ResvgModule = typeof import('@resvg/resvg-js');
let resvg: ResvgModule | null = null;

/** Renders `svg` at its own size (720 px wide) with the system's fonts. */
export function svgToPng(svg: string): Buffer {
  resvg ??= createRequire(import.meta.url)('@resvg/resvg-js') as ResvgModule;
  return new resvg.Resvg(svg, { font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' } }).render().asPng();
}
