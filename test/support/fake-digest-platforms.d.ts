/** Types for fake-digest-platforms.js (loopback Discord REST and Slack Web API for the digest). */
export interface DiscordMessageRecord {
  channelId: string;
  body: { nonce?: string; enforce_nonce?: boolean; allowed_mentions?: unknown; embeds?: unknown[]; content?: string };
  at: number;
  id: string;
}
export class FakeDiscord {
  constructor(options?: { perSecond?: number; channelLimit?: number; channelWindowMs?: number; rateLimitAt?: number[] });
  url: string;
  apiBase: string;
  messages: DiscordMessageRecord[];
  rateLimited: number;
  requests: number;
  nonceReplays: number;
  historyCalls: number;
  crossposts: { channelId: string; messageId: string }[];
  /** Answer GET messages with 403 (no Read Message History). */
  noHistory?: boolean;
  expireNonces(): void;
  gone: Map<string, 403 | 404>;
  failures: Map<string, number>;
  onRequest: ((r: { channelId: string; body: unknown }) => unknown) | null;
  onAccepted: ((r: { channelId: string; body: unknown }) => unknown) | null;
  start(): Promise<this>;
  close(): Promise<void>;
  countByChannel(): Map<string, number>;
}
export interface SlackMessageRecord {
  channel: string;
  text: string;
  blocks: unknown[];
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  ts: string;
  at: number;
}
export class FakeSlack {
  constructor(options?: { postsPerMinute?: number; windowMs?: number; channelBurst?: number; rateLimitAt?: number[] });
  url: string;
  apiUrl: string;
  messages: SlackMessageRecord[];
  rateLimited: number;
  requests: number;
  historyCalls: number;
  gone: Map<string, string>;
  failures: Map<string, number>;
  onRequest: ((r: { channel: string; params: Record<string, unknown> }) => unknown) | null;
  onAccepted: ((r: { channel: string; params: Record<string, unknown> }) => unknown) | null;
  start(): Promise<this>;
  close(): Promise<void>;
  countByChannel(): Map<string, number>;
}
/** Options for createSlackDigestPoster against a FakeSlack at `apiUrl`. */
export function slackOptions(
  apiUrl: string,
  log?: { info(m: string): void; warn(m: string): void; error(m: string): void },
): { slack: import('../../src/config.js').SlackConfig; log: import('../../src/logger.js').Logger };
