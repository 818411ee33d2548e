/**
 * Which chart a command's answer carries: `perf` the triage chart (the last
 * 52 weeks, or every week since 2020), `events` the map of upcoming events.
 * Every adapter asks here (the web page inline, chat as a PNG), so they all
 * draw the same chart for the same question.
 */
import type { Archive } from '../archive/archive.js';
import type { CommandArgs, OptionDefinition } from '../commands/definition.js';
import { eventPoints, perfPoints } from './chart-data.js';
import { eventsMap } from './events-map.js';
import { perfChart } from './perf-chart.js';
import type { Chart } from './svg.js';

/** The `chart` option of the commands that draw one: `chart:off` leaves the image out. */
export const CHART_OPTION = {
  name: 'chart',
  description: 'Draw the chart image (on) or leave it out (off)',
  type: 'string',
  choices: ['on', 'off'],
  maxLength: 3,
} as const satisfies OptionDefinition;

/** The chart for a command's answer as of `asOf`, or undefined when it has none or `chart:off` was asked. */
export function commandChart(command: string, args: CommandArgs, archive: Archive, asOf: string, range?: 'all'): Chart | undefined {
  if (String(args.chart ?? '').toLowerCase() === 'off') return undefined;
  if (command === 'perf') return perfChart(perfPoints(archive, asOf, range === 'all' ? null : 52));
  if (command === 'events') {
    const { points, unplaced } = eventPoints(archive, asOf);
    return eventsMap(points, unplaced);
  }
  return undefined;
}
