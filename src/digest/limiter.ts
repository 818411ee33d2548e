/**
 * Pacing for the fan-out, with bottleneck. Discord: at most 50 requests a
 * second overall, evenly spaced (minTime 20 ms) — its per-route buckets are
 * @discordjs/rest's job. Slack: about one message a second per channel under
 * a workspace-wide ceiling (SLACK_POSTS_PER_MINUTE). Every channel also gets
 * its own one-at-a-time queue, so two issues never race into one channel.
 * A 429 that covers the platform or workspace empties that limiter's
 * reservoir until Retry-After has passed.
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

/**
 * Pace at this share of each ceiling: timers fire late and then close together, and a sliding-window
 * limit counts arrivals, so spacing at exactly 20 ms for 50/s crosses it now and then (a 429 that
 * stalls every post behind it). 4 % slower costs 0.4 s on a 10 s fan-out and avoids that.
 */
const HEADROOM = 0.96;

export function createDigestLimiter(settings: LimiterSettings = DEFAULT_LIMITS): DigestLimiter {
  const discord = new Bottleneck({ minTime: Math.ceil(1000 / (settings.discordPerSecond * HEADROOM)) });
  const workspaces = new Bottleneck.Group({ minTime: Math.ceil(60_000 / (settings.slackPostsPerMinute * HEADROOM)) });
  // One post at a time per channel (a plain promise chain: a Bottleneck per channel costs ~1 ms each to create).
  const chains = new Map<string, Promise<unknown>>();
  const lastSlackPost = new Map<string, number>();
  const holds = new Map<Bottleneck, { until: number; timer: NodeJS.Timeout }>();

  const serial = <T>(key: string, job: () => Promise<T>): Promise<T> => {
    const next = (chains.get(key) ?? Promise.resolve()).then(job, job);
    const tail = next.catch(() => undefined);
    chains.set(key, tail);
    void tail.then(() => {
      if (chains.get(key) === tail) chains.delete(key);
    });
    return next;
  };
  const limiterOf = (c: ChannelKey): Bottleneck => (c.platform === 'discord' ? discord : workspaces.key(c.workspaceId));

  return {
    schedule(channel, job) {
      const key = `${channel.platform}:${channel.workspaceId}/${channel.channelId}`;
      if (channel.platform === 'discord') return serial(key, () => discord.schedule(job));
      return serial(key, async () => {
        const wait = (lastSlackPost.get(key) ?? 0) + settings.slackChannelSpacingMs - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        return workspaces.key(channel.workspaceId).schedule(() => {
          lastSlackPost.set(key, Date.now());
          return job();
        });
      });
    },
    holdUntil(channel, until) {
      // An empty reservoir stops the limiter starting jobs; refilled, it resumes them one minTime apart
      // (no burst of everything that queued up meanwhile, which would only draw more 429s).
      const limiter = limiterOf(channel);
      const held = holds.get(limiter);
      if (held && held.until >= until) return;
      if (held) clearTimeout(held.timer);
      void limiter.updateSettings({ reservoir: 0 });
      const timer = setTimeout(
        () => {
          holds.delete(limiter);
          void limiter.updateSettings({ reservoir: null });
        },
        Math.max(0, until - Date.now()),
      );
      holds.set(limiter, { until, timer });
    },
    async stop() {
      for (const { timer } of holds.values()) clearTimeout(timer);
      holds.clear();
      await Promise.all([discord, ...workspaces.limiters().map((l) => l.limiter)].map((l) => l.stop({ dropWaitingJobs: false })));
    },
  };
}
