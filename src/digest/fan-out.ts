/**
 * The fan-out: a thin loop over the durable delivery log. Each post is
 * written as `sending` before it goes out and as `sent`/`failed`/retry after,
 * so a crash at any moment leaves a row that says exactly what to do next
 * (a `sending` row is "in doubt": the poster checks before posting again).
 * Every delivery is its own task through the limiter: one broken or
 * rate-limited channel never holds up the others. A 5xx or timeout is
 * retried with capped backoff for as long as it takes: a delivery ends only
 * as sent, missed (its channel paused, or a newer issue superseded it) or
 * failed (the platform refused the message itself).
 */
import type { Issue } from '../core/issue/types.js';
import type { Logger } from '../logger.js';
import { buildDigest, type Digest } from './build-digest.js';
import type { DigestStore } from './digest-store.js';
import type { DigestLimiter } from './limiter.js';
import type { EventsAt } from './place-filter.js';
import type { DigestPoster, PostOutcome } from './poster.js';
import type { DeliveryJob, DigestPlatform, FanoutRecord } from './types.js';

export interface FanOutOptions {
  store: DigestStore;
  posters: Partial<Record<DigestPlatform, DigestPoster>>;
  limiter: DigestLimiter;
  /** The stored issue with this number, or undefined. */
  loadIssue(number: number): Issue | undefined;
  now: () => Date;
  log: Logger;
  /** Delay before retry `attempt` (1-based) after a 5xx or timeout. Default: `retryBackoffMs`. */
  backoffMs?: (attempt: number) => number;
  /** Delay before retrying after a 403/404-class failure (before the third pauses it). Default 1 min. */
  channelRetryMs?: number;
  /** `/twir events`' place matching (place-filter.ts); default: names only. */
  eventsAt?: EventsAt;
  /** A retry due within this long is waited for in the same run; later ones are left to the next wake-up. Default 10 s. */
  waitUpToMs?: number;
  /** Told of every post attempt's outcome and of each run that posted (metrics); must not throw. */
  observe?: (event: FanOutEvent) => void;
}

/** What the fan-out reports to an observer (src/adapters/ops/metrics.ts counts them). */
export type FanOutEvent =
  | { kind: 'post'; platform: DigestPlatform; outcome: PostOutcome['kind'] }
  | { kind: 'run'; durationMs: number; sent: number; failed: number };

export interface FanOutReport extends FanoutRecord {
  /** When the next open delivery becomes due (a weekly slot, a backoff), or null. */
  nextDue: Date | null;
}

const BATCH = 2000;

/** Every platform a delivery can be for (one without a poster here is left to a process that has one). */
const PLATFORMS: readonly DigestPlatform[] = ['discord', 'slack'];

/** The longest wait between two tries of one delivery through an outage. */
export const MAX_RETRY_DELAY_MS = 180_000;

/**
 * The default backoff after a 5xx or timeout: 2 s doubling, capped at three minutes, so a delivery keeps
 * being tried through an outage of any length and lands within minutes of the platform's recovery.
 */
export function retryBackoffMs(attempt: number, maxMs = MAX_RETRY_DELAY_MS): number {
  return Math.min(maxMs, 2000 * 2 ** Math.min(20, attempt - 1));
}

/** Runs every due delivery to an outcome; resolves when nothing more is due right now. */
export async function runFanOut(o: FanOutOptions): Promise<FanOutReport> {
  const started = o.now();
  const t0 = performance.now();
  const counts = { sent: 0, failed: 0, deferred: 0, rateLimited: 0, paused: 0 };
  const backoff = o.backoffMs ?? ((n: number) => retryBackoffMs(n));
  const skipped = new Set<string>();
  // Most channels share their settings: build each distinct digest once per run, not once per channel.
  const digests = new Map<string, Digest>();
  const issues = new Map<number, Issue>();

  const deliver = async (picked: DeliveryJob): Promise<void> => {
    // The row as this run last wrote it: markSending succeeds only from the attempt count it last saw.
    let job = picked;
    const poster = o.posters[job.channel.platform];
    if (!poster) {
      // This process does not post to that platform (not configured here): leave the row for one that does.
      skipped.add(`${job.kind}:${job.id}`);
      counts.deferred++;
      return;
    }
    const issue = issues.get(job.issueNumber) ?? o.loadIssue(job.issueNumber);
    if (issue) issues.set(job.issueNumber, issue);
    if (!issue) {
      await o.store.markFailed(job, `issue #${job.issueNumber} is no longer stored`, o.now());
      counts.failed++;
      return;
    }
    const asOf = o.now().toISOString().slice(0, 10);
    const memoKey = `${job.issueNumber}|${job.kind}|${asOf}|${JSON.stringify(job.settings)}`;
    let digest = digests.get(memoKey);
    if (!digest) {
      digest = buildDigest(issue, job.settings, { asOf, test: job.kind === 'test', ...(o.eventsAt ? { eventsAt: o.eventsAt } : {}) });
      digests.set(memoKey, digest);
    }
    const deliveryKey = job.kind === 'issue' ? `twir-digest:${job.subscriptionId}:${job.issueNumber}` : `twir-digest-test:${job.id}`;
    let inDoubtSince = job.inDoubtSince ? new Date(job.inDoubtSince) : null;
    for (;;) {
      const outcome: PostOutcome | { kind: 'closed' } = await o.limiter
        .schedule(job.channel, async () => {
          // Superseded or paused since it was picked up: not ours to post any more.
          if (!(await o.store.markSending(job, o.now()))) return { kind: 'closed' } as const;
          job = { ...job, state: 'sending', attempts: job.attempts + 1 };
          const extras = job.kind === 'issue' ? { pingRole: job.settings.pingRole, publish: job.settings.publish } : {};
          return poster.post({ channel: job.channel, digest, deliveryKey, inDoubtSince, ...extras });
        })
        .catch((err: unknown) => ({ kind: 'transient', reason: errorText(err), maybePosted: true }) as const);
      const where = `${job.channel.platform} ${job.channel.workspaceId}/${job.channel.channelId}`;
      if (outcome.kind !== 'closed') o.observe?.({ kind: 'post', platform: job.channel.platform, outcome: outcome.kind });
      switch (outcome.kind) {
        case 'closed':
          return;
        case 'sent':
          await o.store.markSent(job, outcome.messageId, o.now());
          counts.sent++;
          if (outcome.found) o.log.info(`digest: #${job.issueNumber} was already in ${where} (in-doubt post found); not posted again.`);
          return;
        case 'rate-limited':
          // Not a failure and not a blind retry: the platform said exactly when to come back.
          counts.rateLimited++;
          if (outcome.global) o.limiter.holdUntil(job.channel, Date.now() + outcome.retryAfterMs);
          else await new Promise((r) => setTimeout(r, outcome.retryAfterMs));
          inDoubtSince = null;
          continue;
        case 'channel-error': {
          const { paused } = await o.store.channelFailure(
            job,
            outcome.reason,
            new Date(o.now().getTime() + (o.channelRetryMs ?? 60_000)),
            o.now(),
          );
          if (paused) {
            counts.paused++;
            counts.failed++;
            o.log.warn(
              `digest: paused ${where} after repeated failures: ${outcome.reason}; #${job.issueNumber} recorded as missed. Subscribing again there (or twir digest retry) resumes it.`,
            );
          } else {
            counts.deferred++;
            o.log.warn(`digest: ${where} refused #${job.issueNumber}: ${outcome.reason}; will retry.`);
          }
          return;
        }
        case 'transient': {
          // Never given up: an outage ends, and then the delivery lands (or a newer issue supersedes it).
          const attempt = picked.attempts + 1;
          await o.store.retryAt(job, new Date(o.now().getTime() + backoff(attempt)), outcome.reason, outcome.maybePosted);
          counts.deferred++;
          o.log.warn(`digest: ${where}: ${outcome.reason}; retry ${attempt} in ${Math.round(backoff(attempt) / 1000)} s.`);
          return;
        }
        case 'rejected':
          await o.store.markFailed(job, outcome.reason, o.now());
          counts.failed++;
          o.log.error(`digest: ${where} rejected #${job.issueNumber}: ${outcome.reason}`);
          return;
      }
    }
  };

  const waitUpTo = o.waitUpToMs ?? 10_000;
  // Per platform, a sliding window of up to BATCH deliveries in flight, refilled from the log once half of it is
  // done. The log comes oldest first and, within one issue, platform by platform: one window for everything (or
  // whole batches) would leave one platform idle while the other works through its part, so 10,000 channels took
  // twice the rate-limit bound. Each platform's limiter then paces its own window.
  let failure: { err: unknown } | null = null;
  let announced = false;
  const keyOf = (j: DeliveryJob) => `${j.kind}:${j.id}`;
  const pump = async (platform: DigestPlatform): Promise<void> => {
    const inFlight = new Map<string, Promise<void>>();
    for (;;) {
      if (failure) break;
      const jobs = (await o.store.due(o.now(), BATCH + inFlight.size + skipped.size, platform)).filter(
        (j) => !skipped.has(keyOf(j)) && !inFlight.has(keyOf(j)),
      );
      // Once per run that has work: with several replicas, the log says which one is delivering.
      if (jobs.length > 0 && !announced) {
        announced = true;
        o.log.info(`digest: delivering ${jobs.length}${jobs.length >= BATCH ? '+' : ''} due post(s).`);
      }
      for (const job of jobs.slice(0, BATCH - inFlight.size)) {
        const key = keyOf(job);
        inFlight.set(
          key,
          deliver(job).then(
            () => void inFlight.delete(key),
            (err: unknown) => {
              inFlight.delete(key);
              failure ??= { err };
            },
          ),
        );
      }
      if (inFlight.size === 0) break;
      // Nothing new to start: wait for one to finish (it may have been the last); else until half the window is free.
      if (jobs.length === 0) await Promise.race(inFlight.values());
      while (inFlight.size > BATCH / 2 && !failure) await Promise.race(inFlight.values());
    }
    // A store failure: the posts already started finish and are recorded before it is reported.
    await Promise.all(inFlight.values());
  };
  for (;;) {
    await Promise.all(PLATFORMS.map(pump));
    if (failure) throw (failure as { err: unknown }).err;
    // A short backoff of one platform may have come due while the other's window was finishing.
    if ((await o.store.due(o.now(), skipped.size + 1)).some((j) => !skipped.has(keyOf(j)))) continue;
    // Short backoffs are waited for here; a weekly slot or a long backoff is the service's next wake-up.
    const next = await o.store.nextDue(o.now());
    const wait = next ? next.getTime() - o.now().getTime() : Number.POSITIVE_INFINITY;
    if (wait > waitUpTo) break;
    await new Promise((r) => setTimeout(r, Math.max(1, wait)));
  }
  const finished = o.now();
  const record: FanoutRecord = {
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    durationMs: Math.round(performance.now() - t0),
    ...counts,
  };
  if (counts.sent + counts.failed + counts.rateLimited + counts.paused > 0) {
    await o.store.recordFanout(record);
    o.observe?.({ kind: 'run', durationMs: record.durationMs, sent: counts.sent, failed: counts.failed });
  }
  return { ...record, nextDue: await o.store.nextDue(o.now()) };
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
