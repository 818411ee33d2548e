/**
 * The digest while `twir serve` runs: after every sync it announces new
 * issues, then runs the fan-out; between syncs it wakes for weekly slots,
 * backoffs and test posts (queued by `/twir digest test`, possibly in
 * another process, so it looks in the store rather than waiting for a call).
 * One fan-out at a time; a request during a run makes it run once more.
 */
import type { Issue } from '../core/issue/types.js';
import { Gazetteer } from '../core/places/gazetteer.js';
import type { IssueStore } from '../core/store/store.js';
import type { Logger } from '../logger.js';
import { type Announced, detectNewIssues } from './detect.js';
import type { DigestStore } from './digest-store.js';
import { type FanOutOptions, type FanOutReport, runFanOut } from './fan-out.js';
import type { DigestLimiter } from './limiter.js';
import { eventsAtWith } from './place-filter.js';
import type { DigestPoster } from './poster.js';
import type { DigestPlatform } from './types.js';

export interface DigestServiceOptions {
  issues: IssueStore;
  digest: DigestStore;
  readMarkdown(file: string): Promise<string | undefined>;
  publishedFolder: boolean;
  posters: Partial<Record<DigestPlatform, DigestPoster>>;
  limiter: DigestLimiter;
  now: () => Date;
  log: Logger;
  /** How often to look for test posts and due rows queued elsewhere (ms). Default 5 s. */
  pollMs?: number;
  /** Passed to the fan-out (backoffs, which tests shorten; the metrics hook). */
  tuning?: Pick<FanOutOptions, 'backoffMs' | 'channelRetryMs' | 'waitUpToMs' | 'observe'>;
  /**
   * Runs a fan-out only if no other process is running one on this store (a lease); resolves with
   * null when another holds it. Default: just run it (one process).
   */
  exclusive?: (run: () => Promise<FanOutReport>) => Promise<FanOutReport | null>;
}

export interface DigestService {
  /** Announce what the last sync brought, then deliver. */
  afterSync(): Promise<{ announced: Announced[]; report: FanOutReport | null }>;
  /** Deliver whatever is due now (returns when this run, or the one in progress, is done). */
  deliverDue(): Promise<FanOutReport | null>;
  /** Start waking for slots, backoffs and test posts. */
  start(): void;
  /** Stop waking; waits for the run in progress (posts in flight finish and are logged). */
  stop(): Promise<void>;
}

export function createDigestService(o: DigestServiceOptions): DigestService {
  const pollMs = o.pollMs ?? 5000;
  let running: Promise<FanOutReport | null> | null = null;
  const exclusive = o.exclusive ?? ((run: () => Promise<FanOutReport>) => run());
  const eventsAt = eventsAtWith(new Gazetteer(o.issues.db));
  let again = false;
  let timer: NodeJS.Timeout | null = null;
  let stopped = true;
  const loadIssue = (number: number): Issue | undefined => {
    const summary = o.issues.summaries().find((s) => s.number === number);
    return summary ? o.issues.issueByFile(summary.file) : undefined;
  };

  const wake = (report: FanOutReport | null) => {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    const next = report?.nextDue ? report.nextDue.getTime() - o.now().getTime() : pollMs;
    timer = setTimeout(() => void service.deliverDue(), Math.max(50, Math.min(pollMs, next)));
    timer.unref?.();
  };

  const service: DigestService = {
    async afterSync() {
      const announced = await detectNewIssues({ ...o, issues: o.issues });
      return { announced, report: await service.deliverDue() };
    },
    async deliverDue() {
      if (running) {
        again = true;
        return running;
      }
      let report: FanOutReport | null = null;
      try {
        do {
          again = false;
          running = exclusive(() =>
            runFanOut({
              ...o.tuning,
              store: o.digest,
              posters: o.posters,
              limiter: o.limiter,
              loadIssue,
              eventsAt,
              now: o.now,
              log: o.log,
            }),
          );
          report = await running;
          if (report && report.sent + report.failed > 0)
            o.log.info(
              `digest: fan-out ${report.sent} sent, ${report.failed} failed, ${report.deferred} deferred, ${report.rateLimited} rate-limited in ${report.durationMs} ms.`,
            );
        } while (again && !stopped);
      } catch (err) {
        o.log.error(`digest: fan-out failed: ${err instanceof Error ? err.message : String(err)}`);
      } finally {
        running = null;
      }
      wake(report);
      return report;
    },
    start() {
      stopped = false;
      wake(null);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running?.catch(() => undefined);
      await o.limiter.stop();
    },
  };
  return service;
}
