/**
 * Events per region over the years: one stacked bar per year, one colour per
 * region, each bar's segments titled with their counts. A pure function from
 * counts to SVG, like the other charts.
 */
import { EVENT_REGIONS, type RegionYear } from './chart-data.js';
import { type Chart, escapeXml, num } from './svg.js';

const W = 720;
const H = 300;
const M = { top: 48, right: 8, bottom: 26, left: 40 };
/** One colour per region (Okabe–Ito, distinguishable with colour-blindness), in EVENT_REGIONS order. */
const COLOURS = ['#56b4e9', '#e69f00', '#009e73', '#cc79a7', '#0072b2', '#d55e00', '#f0e442', '#999999'];

/** The chart for `years` (oldest first). */
export function regionsChart(years: readonly RegionYear[], id = 'regions-chart'): Chart {
  const summary = describe(years);
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const total = (y: RegionYear) => EVENT_REGIONS.reduce((n, r) => n + y.counts[r], 0);
  const max = Math.max(1, ...years.map(total));
  const band = plotW / Math.max(1, years.length);
  const barW = Math.max(1, band * 0.75);
  const y = (v: number) => M.top + plotH - (v / max) * plotH;
  const text = (x: number, yy: number, s: string, anchor = 'start') =>
    `<text class="chart-text" x="${num(x)}" y="${num(yy)}" text-anchor="${anchor}" fill="#1b1b1b" font-size="12" font-family="sans-serif">${escapeXml(s)}</text>`;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-labelledby="${id}-t ${id}-d" class="chart regions-chart">`,
    `<title id="${id}-t">Rust events per region, by year</title><desc id="${id}-d">${escapeXml(summary)}</desc>`,
    `<rect class="chart-bg" width="${W}" height="${H}" fill="#f6f6f6"/>`,
  ];
  EVENT_REGIONS.forEach((r, i) => {
    const x = M.left + (i % 4) * 160;
    const yy = 8 + Math.floor(i / 4) * 18;
    out.push(`<rect x="${x}" y="${yy}" width="10" height="10" fill="${COLOURS[i]}"/>`, text(x + 14, yy + 9, r));
  });
  out.push(`<path class="chart-axis" d="M${M.left} ${M.top}V${M.top + plotH}H${W - M.right}" fill="none" stroke="#4a4a4a"/>`);
  for (const v of [0, Math.round(max / 2), max]) out.push(text(M.left - 4, y(v) + 4, String(v), 'end'));
  years.forEach((row, i) => {
    const x = M.left + i * band + (band - barW) / 2;
    let base = 0;
    const parts = EVENT_REGIONS.map((r, k) => {
      const v = row.counts[r];
      if (v === 0) return '';
      const rect = `<rect x="${num(x)}" y="${num(y(base + v))}" width="${num(barW)}" height="${num(y(base) - y(base + v))}" fill="${COLOURS[k]}"><title>${escapeXml(`${row.year}, ${r}: ${v}`)}</title></rect>`;
      base += v;
      return rect;
    }).join('');
    out.push(`<g class="point">${parts}</g>`);
    if (years.length <= 16 || i % 2 === 0) out.push(text(x + barW / 2, H - 8, row.year, 'middle'));
  });
  out.push('</svg>');
  return { svg: out.join(''), summary, points: years.length };
}

function describe(years: readonly RegionYear[]): string {
  const first = years[0];
  const last = years.at(-1);
  if (!first || !last) return 'No events listed yet.';
  const sums = EVENT_REGIONS.map((r) => ({ r, n: years.reduce((s, y) => s + y.counts[r], 0) })).filter((x) => x.n > 0);
  const all = sums.reduce((s, x) => s + x.n, 0);
  const busiest = years.reduce((a, b) =>
    EVENT_REGIONS.reduce((s, r) => s + b.counts[r], 0) > EVENT_REGIONS.reduce((s, r) => s + a.counts[r], 0) ? b : a,
  );
  return `${all} events listed from ${first.year} to ${last.year}: ${sums
    .sort((a, b) => b.n - a.n)
    .map((x) => `${x.r} ${x.n}`)
    .join(', ')}. Busiest year: ${busiest.year}.`;
}
