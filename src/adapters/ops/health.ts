/**
 * `GET /readyz` and `GET /metrics` beside the listener's own `GET /healthz`
 * (alive). Ready means: every chat connection is up (gateway, Socket Mode),
 * the store answers, the last successful sync is recent (twice the poll
 * interval, counted from start-up at the earliest), and no digest delivery
 * is stuck (due for longer than STUCK_AFTER_MS). Each reads state the
 * services already keep: the adapters' connections, the store's `sync:last`
 * and the delivery log.
 */
import { Cron } from 'croner';
import type { IssueStore } from '../../core/store/store.js';
import type { DigestStore } from '../../digest/digest-store.js';
import type { DigestPlatform } from '../../digest/types.js';
import type { HttpListener } from '../http-listener.js';
import { registry } from './metrics.js';

/** A delivery due for longer than this (and not retrying on a later schedule) counts as stuck. */
export const STUCK_AFTER_MS = 10 * 60_000;

export interface ReadinessSources {
  /** The running chat adapters; those with a connection say whether it is up. */
  adapters: () => readonly { description: string; connected?: () => boolean }[];
  store: IssueStore;
  digest: DigestStore;
  /** Platforms this process posts digests to (a delivery for another one is not this process's to be stuck on). */
  platforms: readonly DigestPlatform[];
  /** TWIR_POLL_CRON. */
  pollCron: string;
  startedAt: Date;
  now: () => Date;
}

/** Milliseconds between two runs of a cron pattern (its next two runs). */
export function pollIntervalMs(pattern: string, from: Date): number {
  const cron = new Cron(pattern, { paused: true });
  const [a, b] = cron.nextRuns(2, from);
  cron.stop();
  return a && b ? b.getTime() - a.getTime() : 30 * 60_000;
}

/** Why this process is not ready; empty when it is. */
export async function readinessProblems(o: ReadinessSources): Promise<string[]> {
  const problems: string[] = [];
  for (const a of o.adapters()) if (a.connected && !a.connected()) problems.push(`${a.description}: disconnected`);
  const now = o.now();
  let lastSync: string | undefined;
  try {
    o.store.stats();
    lastSync = o.store.getState('sync:last');
  } catch (err) {
    problems.push(`store unreadable: ${err instanceof Error ? err.message : String(err)}`);
    return problems;
  }
  const interval = pollIntervalMs(o.pollCron, now);
  const since = Math.max(lastSync ? Date.parse(lastSync) : 0, o.startedAt.getTime());
  if (now.getTime() - since > 2 * interval)
    problems.push(`last successful sync ${lastSync ?? 'never'} is older than twice the poll interval (${Math.round(interval / 1000)} s)`);
  try {
    const stuck = (await o.digest.due(new Date(now.getTime() - STUCK_AFTER_MS), 50)).filter((j) =>
      o.platforms.includes(j.channel.platform),
    );
    if (stuck.length > 0)
      problems.push(`${stuck.length}${stuck.length === 50 ? '+' : ''} digest deliveries due for over ${STUCK_AFTER_MS / 60_000} minutes`);
  } catch (err) {
    problems.push(`delivery log unreadable: ${err instanceof Error ? err.message : String(err)}`);
  }
  return problems;
}

/** Registers `GET /readyz` (200 `{"ready":true}`, or 503 with the reasons) and `GET /metrics`. */
export function registerHealthRoutes(http: HttpListener, readiness: () => string[] | Promise<string[]>): void {
  http.route('GET', '/readyz', async (_req, res) => {
    const problems = await readiness();
    const ok = problems.length === 0;
    res
      .writeHead(ok ? 200 : 503, { 'content-type': 'application/json' })
      .end(JSON.stringify(ok ? { ready: true } : { ready: false, reasons: problems }));
  });
  http.route('GET', '/metrics', async (_req, res) => {
    const text = await registry.metrics();
    res.writeHead(200, { 'content-type': registry.contentType }).end(text);
  });
}
