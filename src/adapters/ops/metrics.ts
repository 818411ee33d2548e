/**
 * Prometheus metrics (prom-client) on one registry for the process, served
 * as `GET /metrics` in the text exposition format. Adapters record an
 * interaction in one call; the digest reports through the fan-out's
 * `observe` hook; the last sync's age is read from the store when scraped
 * (state the store already keeps, not a second copy).
 * https://github.com/siimon/prom-client
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { FanOutEvent } from '../../digest/fan-out.js';

/** The process's registry (the default one of prom-client is left alone). */
export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'twir_' });

const interactions = new Counter({
  name: 'twir_interactions_total',
  help: 'Chat interactions answered, by platform, command and outcome (answer, empty, usage-error, error, private).',
  labelNames: ['platform', 'command', 'outcome'] as const,
  registers: [registry],
});

const answerSeconds = new Histogram({
  name: 'twir_answer_duration_seconds',
  help: 'Time from receiving an interaction to its answer being ready, by platform.',
  labelNames: ['platform'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 1.5, 2.5, 5],
  registers: [registry],
});

const digestPosts = new Counter({
  name: 'twir_digest_posts_total',
  help: 'Digest post attempts by platform and outcome (sent, rate-limited = a 429, channel-error, transient, rejected).',
  labelNames: ['platform', 'outcome'] as const,
  registers: [registry],
});

const fanoutSeconds = new Histogram({
  name: 'twir_digest_fanout_duration_seconds',
  help: 'Duration of digest fan-out runs that posted something.',
  buckets: [0.1, 0.5, 1, 5, 10, 30, 60, 120, 300, 900],
  registers: [registry],
});

let lastSync: () => string | undefined = () => undefined;
new Gauge({
  name: 'twir_last_sync_age_seconds',
  help: 'Seconds since the last successful sync of the archive (absent before the first).',
  registers: [registry],
  collect() {
    const at = lastSync();
    if (at) this.set((Date.now() - Date.parse(at)) / 1000);
  },
});

/** Where `twir_last_sync_age_seconds` reads the last successful sync (serve wires the store in). */
export function readLastSyncFrom(read: () => string | undefined): void {
  lastSync = read;
}

/** One answered interaction. `outcome` is the Reply's kind (or `error` when the handler failed). */
export function recordInteraction(platform: string, command: string, outcome: string, seconds: number): void {
  interactions.inc({ platform, command, outcome });
  answerSeconds.observe({ platform }, seconds);
}

/** The digest fan-out's hook (src/digest/fan-out.ts `observe`). */
export function recordFanOutEvent(event: FanOutEvent): void {
  if (event.kind === 'post') digestPosts.inc({ platform: event.platform, outcome: event.outcome });
  else fanoutSeconds.observe(event.durationMs / 1000);
}
