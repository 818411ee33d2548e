/**
 * The compiler performance chart: one stacked bar per weekly triage
 * (regressions, improvements, mixed), each bar a link to that week's triage.
 * A pure function from points to SVG; colours come from classes the page
 * styles (light and dark), with fills inline as a fallback for PNG.
 */
import type { PerfPoint } from './chart-data.js';
import { type Chart, chartHref, escapeXml, num } from './svg.js';

const W = 720;
const H = 280;
const M = { top: 28, right: 8, bottom: 26, left: 34 };
const SERIES = [
  { key: 'regressions', label: 'regressions', colour: '#c62828' },
  { key: 'improvements', label: 'improvements', colour: '#2e7d32' },
  { key: 'mixed', label: 'mixed', colour: '#1565c0' },
] as const;

/** The chart for `points` (oldest first); `id` keeps the title/desc ids unique on a page. */
export function perfChart(points: readonly PerfPoint[], id = 'perf-chart'): Chart {
  const summary = describe(points);
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const max = Math.max(1, ...points.map((p) => p.regressions + p.improvements + p.mixed));
  const band = plotW / Math.max(1, points.length);
  const barW = Math.max(1, band * 0.8);
  const y = (v: number) => M.top + plotH - (v / max) * plotH;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="group" aria-labelledby="${id}-t ${id}-d" class="chart perf-chart">`,
    `<title id="${id}-t">Compiler performance triage, week by week</title><desc id="${id}-d">${escapeXml(summary)}</desc>`,
    `<rect class="chart-bg" width="${W}" height="${H}" fill="#f6f6f6"/>`,
  );
  // Legend.
  SERIES.forEach((s, i) => {
    const x = M.left + i * 120;
    out.push(
      `<rect class="bar-${s.key}" x="${x}" y="8" width="10" height="10" fill="${s.colour}"/><text class="chart-text" x="${x + 14}" y="17" fill="#1b1b1b" font-size="12" font-family="sans-serif">${s.label}</text>`,
    );
  });
  // Axis and ticks: 0, half, max.
  out.push(`<path class="chart-axis" d="M${M.left} ${M.top}V${M.top + plotH}H${W - M.right}" fill="none" stroke="#4a4a4a"/>`);
  for (const v of [0, Math.round(max / 2), max]) {
    out.push(
      `<text class="chart-text" x="${M.left - 4}" y="${num(y(v) + 4)}" text-anchor="end" fill="#1b1b1b" font-size="12" font-family="sans-serif">${v}</text>`,
    );
  }
  // Year labels under the first week of each year.
  let year = '';
  points.forEach((p, i) => {
    const py = p.date.slice(0, 4);
    if (py === year) return;
    year = py;
    out.push(
      `<text class="chart-text" x="${num(M.left + i * band)}" y="${H - 8}" fill="#1b1b1b" font-size="12" font-family="sans-serif">${py}</text>`,
    );
  });
  // One linked group per week.
  points.forEach((p, i) => {
    const x = num(M.left + i * band + (band - barW) / 2);
    const label = `${p.number !== null ? `#${p.number}, ` : ''}${p.date}: ${p.regressions} regressions, ${p.improvements} improvements, ${p.mixed} mixed`;
    let base = 0;
    const bars = SERIES.map((s) => {
      const v = p[s.key];
      const r =
        v > 0
          ? `<rect class="bar-${s.key}" x="${x}" y="${num(y(base + v))}" width="${num(barW)}" height="${num(y(base) - y(base + v))}" fill="${s.colour}"/>`
          : '';
      base += v;
      return r;
    }).join('');
    const href = chartHref(p.url);
    const body = `<title>${escapeXml(label)}</title>${bars}`;
    out.push(
      href ? `<a class="point" href="${escapeXml(href)}" aria-label="${escapeXml(label)}">${body}</a>` : `<g class="point">${body}</g>`,
    );
  });
  out.push('</svg>');
  return { svg: out.join(''), summary, points: points.length };
}

function describe(points: readonly PerfPoint[]): string {
  const first = points[0];
  const last = points.at(-1);
  if (!first || !last) return 'No compiler performance triage with counts in this range.';
  const sum = (k: 'regressions' | 'improvements' | 'mixed') => points.reduce((n, p) => n + p[k], 0);
  const worst = points.reduce((a, b) => (b.regressions > a.regressions ? b : a));
  const name = (p: PerfPoint) => `${p.number !== null ? `#${p.number}, ` : ''}${p.date}`;
  return `${points.length} weekly triage${points.length === 1 ? '' : 's'} from ${name(first)} to ${name(last)}: ${sum('regressions')} regressions, ${sum('improvements')} improvements and ${sum('mixed')} mixed in all. Most regressions in one week: ${worst.regressions} (${name(worst)}).`;
}
