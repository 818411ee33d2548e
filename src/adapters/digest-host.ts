/**
 * Wires the platform-free digest (src/digest) to what this process has
 * configured: the posters of the configured platforms (imported only then,
 * so a console-only install never loads discord.js or the Slack SDK), the
 * limiter from the config, and the source the detection reads drafts from.
 */
import { Cron } from 'croner';
import type { Config } from '../config.js';
import type { Archive } from '../core/archive/archive.js';
import type { IssueStore } from '../core/store/store.js';
import { readBackfill } from '../core/sync/backfill.js';
import { createParser } from '../core/sync/parse-pool.js';
import type { IssueSource } from '../core/sync/source.js';
import { syncIssues } from '../core/sync/sync.js';
import { createDigestService, type DigestService } from '../digest/digest-service.js';
import { createSqliteDigestStore } from '../digest/digest-store.js';
import { isPublishedFolder } from '../digest/draft-markers.js';
import { createDigestLimiter, DEFAULT_LIMITS } from '../digest/limiter.js';
import type { DigestPoster } from '../digest/poster.js';
import type { DigestPlatform } from '../digest/types.js';
import type { Logger } from '../logger.js';

/** The digest posters for the platforms this configuration has credentials for. */
export async function configuredPosters(config: Config, log: Logger): Promise<Partial<Record<DigestPlatform, DigestPoster>>> {
  const posters: Partial<Record<DigestPlatform, DigestPoster>> = {};
  if (config.discord) {
    const { createDiscordDigestPoster } = await import('./discord/digest-poster.js');
    posters.discord = createDiscordDigestPoster({ token: config.discord.token, apiBase: config.discord.apiBase });
  }
  if (config.slack) {
    const { createSlackDigestPoster } = await import('./slack/digest-poster.js');
    posters.slack = createSlackDigestPoster({ slack: config.slack, log });
  }
  return posters;
}

export interface DigestHostOptions {
  config: Config;
  store: IssueStore;
  source: IssueSource;
  log: Logger;
  now: () => Date;
}

/** The digest service for `twir serve` and `twir digest deliver`. */
export async function createDigestHost(o: DigestHostOptions): Promise<DigestService> {
  const shas = () => new Map(o.store.storedFiles().map((f) => [f.file, f.sha]));
  return createDigestService({
    issues: o.store,
    digest: createSqliteDigestStore(o.store.db),
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
    posters: await configuredPosters(o.config, o.log),
    limiter: createDigestLimiter({
      ...DEFAULT_LIMITS,
      slackPostsPerMinute: o.config.slack?.postsPerMinute ?? DEFAULT_LIMITS.slackPostsPerMinute,
    }),
    now: o.now,
    log: o.log,
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
  const sync = async () => {
    // The first run's backfill (serve's sync behind the adapters) is still storing the archive: let it finish.
    if (readBackfill(o.store.db)) {
      o.log.info('sync: the archive is still being indexed; the scheduled sync waits for the next tick.');
      return;
    }
    const parser = createParser(o.config.parseWorkers);
    try {
      const r = await syncIssues({ source: o.source, store: o.store, parser, now: o.now, progress: { warn: (m) => o.log.warn(m) } });
      // Same connection: SQLite's data_version does not move for our own writes, so drop the caches here.
      if (r.stored > 0 || r.removed.length > 0) {
        o.archive.clearCache();
        o.log.info(`sync: ${r.stored} stored, ${r.removed.length} removed, ${r.failed.length} failed in ${r.durationMs} ms.`);
      }
      for (const f of r.failed) o.log.warn(`sync: ${f.file}: ${f.error}`);
    } catch (err) {
      o.log.warn(`sync failed, will try again on schedule: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      await parser.close();
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
