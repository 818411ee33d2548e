/**
 * Upcoming events on a world map: land from `world-atlas` (Natural Earth
 * 1:110m, public domain) projected with d3-geo, one dot per event linking to
 * its page. The land path is computed once per process (it never changes);
 * each map then only places its dots.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { geoNaturalEarth1, geoPath } from 'd3-geo';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import type { EventPoint } from './chart-data.js';
import { type Chart, chartHref, escapeXml, num } from './svg.js';

const W = 720;
const H = 370;

let world: { land: string; project: (lon: number, lat: number) => [number, number] } | null = null;

/** The projected land outline (a single path, coordinates to 0.1 px) and the projection, built on first use. */
function worldMap() {
  if (world) return world;
  const file = createRequire(import.meta.url).resolve('world-atlas/land-110m.json');
  const topology = JSON.parse(readFileSync(file, 'utf8')) as Topology<{ land: GeometryCollection }>;
  const land = feature(topology, topology.objects.land);
  const projection = geoNaturalEarth1().fitExtent(
    [
      [4, 4],
      [W - 4, H - 4],
    ],
    { type: 'Sphere' },
  );
  const path = geoPath(projection).digits(1);
  world = {
    land: path(land) ?? '',
    project: (lon, lat) => projection([lon, lat]) ?? [0, 0],
  };
  return world;
}

/** The map for `points`; `unplaced` (virtual events, unknown places) is said in the text alternative. */
export function eventsMap(points: readonly EventPoint[], unplaced: number, id = 'events-map'): Chart {
  const { land, project } = worldMap();
  const summary = describe(points, unplaced);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="group" aria-labelledby="${id}-t ${id}-d" class="chart events-map">`,
    `<title id="${id}-t">Upcoming Rust events on a world map</title><desc id="${id}-d">${escapeXml(summary)}</desc>`,
    `<rect class="chart-bg" width="${W}" height="${H}" fill="#f6f6f6"/>`,
    `<path class="chart-land" d="${land}" fill="#d9d9d9" stroke="#ffffff" stroke-width="0.3"/>`,
  ];
  for (const p of points) {
    const [x, y] = project(p.lon, p.lat);
    const label = `${p.title}, ${p.date}, ${p.where}`;
    const dot = `<title>${escapeXml(label)}</title><circle class="event-dot" cx="${num(x)}" cy="${num(y)}" r="4" fill="#f74c00" stroke="#ffffff"/>`;
    const href = chartHref(p.url);
    out.push(
      href ? `<a class="point" href="${escapeXml(href)}" aria-label="${escapeXml(label)}">${dot}</a>` : `<g class="point">${dot}</g>`,
    );
  }
  out.push('</svg>');
  return { svg: out.join(''), summary, points: points.length };
}

function describe(points: readonly EventPoint[], unplaced: number): string {
  if (points.length === 0)
    return `No upcoming in-person events to map${unplaced ? ` (${unplaced} virtual or without a known place)` : ''}.`;
  const countries = new Map<string, number>();
  for (const p of points) {
    const c = p.where.split(', ').at(-1) ?? '';
    countries.set(c, (countries.get(c) ?? 0) + 1);
  }
  const top = [...countries.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([c, n]) => `${c} ${n}`)
    .join(', ');
  return `${points.length} upcoming in-person or hybrid event${points.length === 1 ? '' : 's'} on the map (most in ${top})${
    unplaced ? `; ${unplaced} more are virtual or have no known place` : ''
  }.`;
}
