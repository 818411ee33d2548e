/**
 * Wires the platform-free digest (src/digest) to what this process has
 * configured: the posters of the configured platforms (imported only then,
 * so a console-only install never loads discord.js or the Slack SDK), the
 * limiter from the config, and the source the detection reads drafts from.
 */
import { Cron } from 'croner';
import type { Config } from '../config.js';
import type { Archive } from '../core/archive/archive.js';
import type { SlackInstallationStore } from '../core/store/slack-installations.js';
import type { IssueStore } from '../core/store/store.js';
import { describeLease, withSyncLease } from '../core/store/sync-lease.js';
import { createParser } from '../core/sync/parse-pool.js';
import type { IssueSource } from '../core/sync/source.js';
import { syncIssues } from '../core/sync/sync.js';
import { createDigestService, type DigestService } from '../digest/digest-service.js';
import { isPublishedFolder } from '../digest/draft-markers.js';
import { retryBackoffMs } from '../digest/fan-out.js';
import { createDigestLimiter, DEFAULT_LIMITS } from '../digest/limiter.js';
import type { DigestPoster } from '../digest/poster.js';
import type { DigestPlatform } from '../digest/types.js';
import type { Logger } from '../logger.js';
import { type SharedState, withLease } from '../shared-state/shared-state.js';
import { recordFanOutEvent } from './ops/metrics.js';

/**
 * The digest posters for the platforms this configuration has credentials for. `store` holds Slack's
 * installations in OAuth mode (each workspace's token); without it a Slack poster in that mode finds none.
 */
export async function configuredPosters(
  config: Config,
  log: Logger,
  installations?: SlackInstallationStore,
): Promise<Partial<Record<DigestPlatform, DigestPoster>>> {
  const posters: Partial<Record<DigestPlatform, DigestPoster>> = {};
  if (config.discord) {
    const { createDiscordDigestPoster } = await import('./discord/digest-poster.js');
    posters.discord = createDiscordDigestPoster({ token: config.discord.token, apiBase: config.discord.apiBase, log });
  }
  if (config.slack) {
    const { createSlackDigestPoster } = await import('./slack/digest-poster.js');
    const { workspaceTokens } = await import('./slack/installation-store.js');
    const oauth = config.slack.oauth && installations ? { tokenFor: workspaceTokens(installations) } : {};
    posters.slack = createSlackDigestPoster({ slack: config.slack, log, ...oauth });
  }
  return posters;
}

/** State key of the digest fan-out's lease (see sync-lease.ts). */
export const DIGEST_LEASE_KEY = 'digest:lease';

export interface DigestHostOptions {
  /** Names this process in the lease, e.g. "twir serve". */
  holder?: string;
  config: Config;
  store: IssueStore;
  /** Subscriptions, delivery log and the fan-out lease: shared by every replica when on PostgreSQL. */
  shared: SharedState;
  source: IssueSource;
  log: Logger;
  now: () => Date;
}

/** The digest service for `twir serve` and `twir digest deliver`. */
export async function createDigestHost(o: DigestHostOptions): Promise<DigestService> {
  const shas = () => new Map(o.store.storedFiles().map((f) => [f.file, f.sha]));
  return createDigestService({
    issues: o.store,
    digest: o.shared.digest,
    // Draft markers live in the markdown, not in the parsed issue: read the file as the source has it now.
    async readMarkdown(file) {
      const sha = shas().get(file);
      if (!sha) return undefined;
      try {
        return new TextDecoder().decode(await o.source.read({ name: file, sha }));
      } catch (err) {
        o.log.warn(`digest: cannot read ${file} to check for draft markers: ${err instanceof Error ? err.message : String(err)}`);
        return undefined;
      }
    },
    publishedFolder: isPublishedFolder(o.config.localSource ?? o.config.github.folder),
    posters: await configuredPosters(o.config, o.log, o.shared.installations),
    limiter: createDigestLimiter({
      ...DEFAULT_LIMITS,
      slackPostsPerMinute: o.config.slack?.postsPerMinute ?? DEFAULT_LIMITS.slackPostsPerMinute,
    }),
    now: o.now,
    log: o.log,
    tuning: { backoffMs: (attempt) => retryBackoffMs(attempt, o.config.digest.retryMaxMs), observe: recordFanOutEvent },
    // One fan-out at a time across every process sharing the state (another replica, `twir digest
    // deliver`): a lease in the shared state. A killed holder's lease is free at once on this machine, and
    // after TWIR_LEASE_TTL_SECONDS from another one.
    exclusive: async (run) => {
      const holder = `${o.holder ?? 'twir'} (digest fan-out)`;
      const outcome = await withLease(o.shared.leases, DIGEST_LEASE_KEY, { holder, now: o.now, ttlMs: o.config.leaseTtlMs }, run);
      if (!outcome.ran) o.log.info(`digest: another process is delivering (${describeLease(outcome.heldBy)}); leaving it to that one.`);
      return outcome.ran ? outcome.value : null;
    },
  });
}

export interface DigestScheduleOptions extends DigestHostOptions {
  /** The archive the adapters answer from: its caches are dropped after a sync stored something. */
  archive: Archive;
}

/** What `twir serve` stops on shutdown. */
export interface RunningSchedule {
  stop(): Promise<void>;
}

/**
 * While serving: the incremental sync on TWIR_POLL_CRON (croner, overlapping
 * runs skipped, not queued), detection and fan-out after each, and the
 * digest's own wake-ups. Also resumes at once whatever a previous process
 * left in the delivery log.
 */
export async function startDigestSchedule(o: DigestScheduleOptions): Promise<RunningSchedule> {
  const host = await createDigestHost(o);
  const store = o.store;
  const sync = async () => {
    try {
      // Through the store's sync lease: a sync already running here (serve's first-run backfill) or in
      // another process (`twir sync` from cron) means this tick has nothing to do.
      const outcome = await withSyncLease(
        store,
        { holder: 'twir serve (scheduled sync)', now: o.now, ttlMs: o.config.leaseTtlMs },
        async (lease) => {
          const parser = createParser(o.config.parseWorkers, { timeoutMs: o.config.parseTimeoutMs });
          try {
            return await syncIssues({
              source: o.source,
              store,
              parser,
              now: o.now,
              progress: { warn: (m) => o.log.warn(m) },
              signal: lease.signal,
            });
          } finally {
            await parser.close();
          }
        },
      );
      if (!outcome.ran) {
        o.log.info(`sync: skipped this tick, another sync is running: ${describeLease(outcome.heldBy)}.`);
        return;
      }
      const r = outcome.value;
      // Same connection: SQLite's data_version does not move for our own writes, so drop the caches here.
      if (r.stored > 0 || r.removed.length > 0) {
        o.archive.clearCache();
        // Rebuild search now, not during the first person's search after the sync.
        o.archive.warmSearch();
        o.log.info(`sync: ${r.stored} stored, ${r.removed.length} removed, ${r.failed.length} failed in ${r.durationMs} ms.`);
      }
      for (const f of r.failed) o.log.warn(`sync: ${f.file}: ${f.error}`);
    } catch (err) {
      o.log.warn(`sync failed, will try again on schedule: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  const job = new Cron(
    o.config.digest.pollCron,
    { protect: () => o.log.info('sync: the previous scheduled sync is still running; skipped this one.'), catch: true },
    async () => {
      await sync();
      await host.afterSync();
    },
  );
  host.start();
  void host.afterSync();
  return {
    async stop() {
      job.stop();
      await host.stop();
    },
  };
}
