/**
 * The port each adapter implements to post a digest (see
 * src/adapters/discord/digest-poster.ts and src/adapters/slack/digest-poster.ts).
 * Posters translate platform errors into these outcomes; the fan-out loop
 * alone decides what happens next.
 */
import type { Digest } from './build-digest.js';
import type { ChannelKey } from './types.js';

export interface PostRequest {
  channel: ChannelKey;
  digest: Digest;
  /**
   * Stable per (subscription, issue), or per test post: the Discord nonce,
   * the Slack metadata key. The same delivery always carries the same key.
   */
  deliveryKey: string;
  /**
   * Set when an earlier attempt of this delivery started at that time and
   * never reported back (crash, timeout): the poster must find out whether it
   * landed before posting again.
   */
  inDoubtSince: Date | null;
  /** Discord: the one role this post may mention (the subscription's ping:); never on test posts. */
  pingRole?: string;
  /** Discord: publish (crosspost) the post in its announcement channel once it is sent. */
  publish?: boolean;
}

export type PostOutcome =
  /** Posted now, or found already posted by the in-doubt lookup. */
  | { kind: 'sent'; messageId: string | null; found?: boolean }
  /**
   * 429: wait exactly this long, then the same request is sent again. `global`: the limit covers
   * every post to the platform (Discord global) or workspace (Slack), not just this channel.
   */
  | { kind: 'rate-limited'; retryAfterMs: number; global: boolean }
  /** 403/404-class: the channel is gone or the bot may not post there; a person must act. */
  | { kind: 'channel-error'; reason: string }
  /** 5xx, timeouts, network: back off and retry. `maybePosted` when the request may have landed. */
  | { kind: 'transient'; reason: string; maybePosted: boolean }
  /** The platform refused the message itself (400): retrying the same bytes cannot help. */
  | { kind: 'rejected'; reason: string };

export interface DigestPoster {
  post(request: PostRequest): Promise<PostOutcome>;
}
