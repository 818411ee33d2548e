/**
 * The digest's records: subscriptions, planned deliveries and fan-out runs.
 * Platform-free: a channel is (platform, workspace, channel) strings.
 */
import type { DigestSettings } from './settings.js';

/** The platforms a digest can be posted to. */
export type DigestPlatform = 'discord' | 'slack';

/** Where a digest goes: Discord guild + channel, or Slack team + channel. */
export interface ChannelKey {
  platform: DigestPlatform;
  workspaceId: string;
  channelId: string;
}

export interface Subscription extends ChannelKey {
  id: number;
  /** The workspace or server and channel names when subscribing, where the platform said (operator screens). */
  workspaceName: string | null;
  channelName: string | null;
  settings: DigestSettings;
  /** The newest issue when the channel subscribed (counts as delivered); null on an empty store. */
  sinceNumber: number | null;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
  consecutiveFailures: number;
  lastError: string | null;
  /** Set once delivery failed 3 times in a row for a reason that needs a person (403/404-class). */
  pausedAt: string | null;
  pausedReason: string | null;
}

/**
 * A row of the delivery log (or of the test-post queue). `missed`: never posted, and no longer tried,
 * because its channel was paused or a newer issue superseded it (the reason is in `lastError`);
 * `twir digest retry` re-queues it.
 */
export type DeliveryState = 'pending' | 'sending' | 'sent' | 'failed' | 'missed';

/** One post to make: an issue to a subscription, or a test post to a channel. */
export interface DeliveryJob {
  kind: 'issue' | 'test';
  id: number;
  channel: ChannelKey;
  /** The subscription (issue deliveries only). */
  subscriptionId: number | null;
  settings: DigestSettings;
  issueNumber: number;
  state: DeliveryState;
  attempts: number;
  /** When the previous attempt started: set when that attempt's outcome is unknown (crash, timeout). */
  inDoubtSince: string | null;
}

/** A delivery as `/twir digest` and `twir digest status` show it. */
export interface DeliveryRecord {
  issueNumber: number;
  state: DeliveryState;
  dueAt: string;
  attempts: number;
  finishedAt: string | null;
  lastError: string | null;
}

/** One run of the fan-out loop. */
export interface FanoutRecord {
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  sent: number;
  failed: number;
  /** Left for later: weekly slots not yet due, backoffs after 5xx/timeouts. */
  deferred: number;
  rateLimited: number;
  paused: number;
}
