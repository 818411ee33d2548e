/**
 * Wires the platform-free digest (src/digest) to what this process has
 * configured: the posters of the configured platforms (imported only then,
 * so a console-only install never loads discord.js or the Slack SDK), the
 * limiter from the config, and the source the detection reads drafts from.
 */
import type { Config } from '../config.js';
import type { IssueStore } from '../core/store/store.js';
import type { IssueSource } from '../core/sync/source.js';
import { createDigestService, type DigestService } from '../digest/digest-service.js';
import { createSqliteDigestStore } from '../digest/digest-store.js';
import { isPublishedFolder } from '../digest/draft-markers.js';
import { createDigestLimiter, DEFAULT_LIMITS } from '../digest/limiter.js';
import type { DigestPoster } from '../digest/poster.js';
import type { DigestPlatform } from '../digest/types.js';
import type { Logger } from '../logger.js';

/** The digest posters for the platforms this configuration has credentials for. */
export async function configuredPosters(config: Config): Promise<Partial<Record<DigestPlatform, DigestPoster>>> {
  const posters: Partial<Record<DigestPlatform, DigestPoster>> = {};
  if (config.discord) {
    const { createDiscordDigestPoster } = await import('./discord/digest-poster.js');
    posters.discord = createDiscordDigestPoster({ token: config.discord.token, apiBase: config.discord.apiBase });
  }
  if (config.slack) {
    const { createSlackDigestPoster } = await import('./slack/digest-poster.js');
    posters.slack = createSlackDigestPoster({ botToken: config.slack.botToken, apiUrl: config.slack.apiUrl });
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
    posters: await configuredPosters(o.config),
    limiter: createDigestLimiter({ ...DEFAULT_LIMITS, slackPostsPerMinute: o.config.slack?.postsPerMinute ?? DEFAULT_LIMITS.slackPostsPerMinute }),
    now: o.now,
    log: o.log,
  });
}
