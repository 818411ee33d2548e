/**
 * The charts a page shows under its answer (see core/charts/command-chart.ts): the triage chart on
 * `/perf` (the last 52 weeks, or `range=all` since 2020) and the map of
 * upcoming events on `/events`. `chart=off` leaves them out. Each chart is
 * inline SVG from the core's pure renderers, in a figure whose caption is the
 * chart's text alternative.
 */
import type { Archive } from '../../core/archive/archive.js';
import { eventsPerRegionYear } from '../../core/charts/chart-data.js';
import { commandChart } from '../../core/charts/command-chart.js';
import { regionsChart } from '../../core/charts/regions-chart.js';
import type { Chart } from '../../core/charts/svg.js';
import { html, raw, type SafeHtml } from './html.js';

/** The chart a page or image URL shows (perf: `range=all` for every week since 2020; `chart=off`: none). */
export function chartFor(command: string, params: URLSearchParams, archive: Archive, asOf: string): Chart | undefined {
  const range = params.get('range')?.toLowerCase() === 'all' ? 'all' : undefined;
  return commandChart(command, { chart: params.get('chart') ?? undefined }, archive, asOf, range);
}

/** The figure for a command's page, or undefined when it has no chart (or `chart=off`). */
export function chartFigure(command: string, params: URLSearchParams, archive: Archive, asOf: string): SafeHtml | undefined {
  const chart = chartFor(command, params, archive, asOf);
  if (!chart) return undefined;
  if (command === 'perf') {
    const all = params.get('range')?.toLowerCase() === 'all';
    const keep = new URLSearchParams(params);
    keep.delete('range');
    keep.delete('page');
    const link = (range: string | null) => {
      const p = new URLSearchParams(keep);
      if (range) p.set('range', range);
      const q = p.toString();
      return `/perf${q ? `?${q}` : ''}`;
    };
    const ranges = html`<p class="ranges">${
      all
        ? html`<a href="${link(null)}">Last 52 weeks</a> · <strong>All since 2020</strong>`
        : html`<strong>Last 52 weeks</strong> · <a href="${link('all')}">All since 2020</a>`
    }</p>`;
    return figure(chart, html`Regressions, improvements and mixed results per weekly triage; each bar links to its report.`, ranges);
  }
  // Below the map, the long view: how many events each region had per year (web only; chat gets the map).
  const regions = regionsChart(eventsPerRegionYear(archive, asOf));
  return html`${figure(chart, html`Every upcoming event with a place; each dot links to its page.`)}${figure(
    regions,
    html`Events per region and year (each event once, however many issues listed it).`,
  )}`;
}

function figure(chart: Chart, caption: SafeHtml, before?: SafeHtml): SafeHtml {
  return html`<figure class="chart-figure" data-points="${chart.points}">${before}${raw(chart.svg)}<figcaption>${caption} ${chart.summary}</figcaption></figure>`;
}
