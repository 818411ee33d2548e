/**
 * Pacing for the fan-out, with bottleneck. Discord: at most 50 requests a
 * second overall, evenly spaced (minTime 20 ms) — its per-route buckets are
 * @discordjs/rest's job. Slack: about one message a second per channel under
 * a workspace-wide ceiling (SLACK_POSTS_PER_MINUTE). Every channel also gets
 * its own one-at-a-time queue, so two issues never race into one channel.
 */
import Bottleneck from 'bottleneck';
import type { ChannelKey } from './types.js';

/** The port the fan-out schedules posts through (tests may pass an unlimited one). */
export interface DigestLimiter {
  /** Runs `job` when the channel's platform, workspace and channel limits allow. */
  schedule<T>(channel: ChannelKey, job: () => Promise<T>): Promise<T>;
  /** Holds every post to this channel's workspace (Slack) or platform (Discord global) until `until`. */
  holdUntil(channel: ChannelKey, until: number): void;
  stop(): Promise<void>;
}

export interface LimiterSettings {
  discordPerSecond: number;
  slackPostsPerMinute: number;
  /** Spacing of posts to one Slack channel (Slack: about one message a second). */
  slackChannelSpacingMs: number;
}

export const DEFAULT_LIMITS: LimiterSettings = { discordPerSecond: 50, slackPostsPerMinute: 300, slackChannelSpacingMs: 1000 };

export function createDigestLimiter(settings: LimiterSettings = DEFAULT_LIMITS): DigestLimiter {
  const discord = new Bottleneck({ minTime: Math.ceil(1000 / settings.discordPerSecond) });
  const workspaces = new Bottleneck.Group({ minTime: Math.ceil(60_000 / settings.slackPostsPerMinute) });
  // Per channel: one post at a time; Slack channels also spaced by slackChannelSpacingMs.
  const discordChannels = new Bottleneck.Group({ maxConcurrent: 1 });
  const slackChannels = new Bottleneck.Group({ maxConcurrent: 1, minTime: settings.slackChannelSpacingMs });
  const holds = new Map<string, number>();
  const holdKey = (c: ChannelKey) => (c.platform === 'discord' ? 'discord' : `slack:${c.workspaceId}`);
  const waitForHold = async (c: ChannelKey) => {
    for (;;) {
      const until = holds.get(holdKey(c)) ?? 0;
      const wait = until - Date.now();
      if (wait <= 0) return;
      await new Promise((r) => setTimeout(r, wait));
    }
  };
  return {
    schedule(channel, job) {
      const run = async () => {
        await waitForHold(channel);
        return job();
      };
      if (channel.platform === 'discord') {
        return discordChannels.key(channel.channelId).schedule(() => discord.schedule(run));
      }
      const workspace = workspaces.key(channel.workspaceId);
      return slackChannels.key(`${channel.workspaceId}/${channel.channelId}`).schedule(() => workspace.schedule(run));
    },
    holdUntil(channel, until) {
      const key = holdKey(channel);
      holds.set(key, Math.max(holds.get(key) ?? 0, until));
    },
    async stop() {
      await Promise.all([discord.stop({ dropWaitingJobs: false }), ...[discordChannels, slackChannels, workspaces].map((g) => Promise.all(g.limiters().map((l) => l.limiter.stop({ dropWaitingJobs: false }))))]);
    },
  };
}
