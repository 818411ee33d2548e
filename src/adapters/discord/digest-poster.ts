/**
 * Posts digests to Discord: POST /channels/{id}/messages through
 * @discordjs/rest, which keeps Discord's per-route buckets. A 429 (or a
 * bucket REST knows is empty) comes back as `rate-limited` with the wait
 * Retry-After gives (offset 0: exactly) instead of REST sleeping on it:
 * REST would release every queued request at the same instant afterwards,
 * a burst that draws more 429s; the fan-out re-queues through its evenly
 * spaced limiter instead. Each delivery carries a nonce
 * derived from (subscription, issue) with `enforce_nonce`, so re-sending an
 * in-doubt post (crash or timeout after Discord accepted it) returns the
 * message already created instead of a second one.
 * https://discord.com/developers/docs/resources/message#create-message
 */
import { createHash } from 'node:crypto';
import { DiscordAPIError, HTTPError, RateLimitError, REST } from '@discordjs/rest';
import { type RESTPostAPIChannelMessageJSONBody, Routes } from 'discord-api-types/v10';
import type { DigestPoster, PostOutcome } from '../../digest/poster.js';
import { renderDiscordDigest } from './digest-render.js';

export interface DiscordDigestPosterOptions {
  token: string;
  /** config.discord.apiBase, e.g. https://discord.com/api (tests: a loopback fake). */
  apiBase: string;
  /** Per-request timeout; a timed-out post is in doubt and retried with the same nonce. */
  timeoutMs?: number;
  /** @discordjs/rest's own global ceiling (Discord: 50/s); only tests against a faster fake raise it. */
  globalRequestsPerSecond?: number;
}

/** The Discord poster plus its 429 count (for the bench and status lines). */
export interface DiscordDigestPoster extends DigestPoster {
  readonly rateLimits: number;
}

/** Discord's error codes that mean "this channel, for this bot, is gone" (403/404 come with them). */
const CHANNEL_GONE = new Set([10003, 50001, 50013, 10004]);

export function createDiscordDigestPoster(options: DiscordDigestPosterOptions): DiscordDigestPoster {
  // retries 0: 5xx and timeouts come back to the fan-out, which backs off (REST would retry at once).
  const rest = new REST({
    api: options.apiBase,
    version: '10',
    retries: 0,
    offset: 0,
    timeout: options.timeoutMs ?? 15_000,
    globalRequestsPerSecond: options.globalRequestsPerSecond ?? 50,
    rejectOnRateLimit: () => true,
  }).setToken(options.token);
  let rateLimits = 0;
  return {
    get rateLimits() {
      return rateLimits;
    },
    async post(request): Promise<PostOutcome> {
      const body: RESTPostAPIChannelMessageJSONBody = {
        ...renderDiscordDigest(request.digest),
        nonce: nonceFor(request.deliveryKey),
        enforce_nonce: true,
        // Never ping anyone, whatever the text says (the core neutralizes mentions too).
        allowed_mentions: { parse: [] },
      };
      try {
        const message = (await rest.post(Routes.channelMessages(request.channel.channelId), { body })) as { id?: string };
        return { kind: 'sent', messageId: message.id ?? null };
      } catch (err) {
        const outcome = classify(err);
        if (outcome.kind === 'rate-limited') rateLimits++;
        return outcome;
      }
    },
  };
}

/** Discord nonces are at most 25 characters; the same delivery always hashes to the same one. */
export function nonceFor(deliveryKey: string): string {
  return createHash('sha256').update(deliveryKey).digest('base64url').slice(0, 25);
}

function classify(err: unknown): PostOutcome {
  if (err instanceof RateLimitError) {
    return { kind: 'rate-limited', retryAfterMs: Math.max(err.retryAfter, err.sublimitTimeout, 0) || err.timeToReset, global: err.global };
  }
  if (err instanceof DiscordAPIError) {
    const reason = `Discord ${err.status}${typeof err.code === 'number' ? ` (${err.code})` : ''}: ${err.message}`;
    if (err.status === 403 || err.status === 404 || (typeof err.code === 'number' && CHANNEL_GONE.has(err.code)))
      return { kind: 'channel-error', reason };
    // 401: the bot token itself is wrong; no channel is at fault, so nothing is paused.
    if (err.status === 401) return { kind: 'transient', reason, maybePosted: false };
    return { kind: 'rejected', reason };
  }
  if (err instanceof HTTPError) return { kind: 'transient', reason: `Discord ${err.status}: ${err.message}`, maybePosted: true };
  const message = err instanceof Error ? err.message : String(err);
  return { kind: 'transient', reason: `Discord unreachable: ${message}`, maybePosted: true };
}
