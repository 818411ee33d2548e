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
 * message already created instead of a second one. Discord checks nonces
 * only for "the past few minutes", so a delivery in doubt for longer (a
 * process down for a while) is first looked for in the channel's recent
 * messages: every digest's embed URL carries its delivery key as a fragment.
 * https://discord.com/developers/docs/resources/message#create-message
 */
import { createHash } from 'node:crypto';
import { DiscordAPIError, HTTPError, RateLimitError, REST } from '@discordjs/rest';
import { type RESTPostAPIChannelMessageJSONBody, Routes } from 'discord-api-types/v10';
import type { DigestPoster, PostOutcome } from '../../digest/poster.js';
import type { Logger } from '../../logger.js';
import { renderDiscordDigest } from './digest-render.js';

export interface DiscordDigestPosterOptions {
  token: string;
  /** config.discord.apiBase, e.g. https://discord.com/api (tests: a loopback fake). */
  apiBase: string;
  /** Per-request timeout; a timed-out post is in doubt and retried with the same nonce. */
  timeoutMs?: number;
  /** @discordjs/rest's own global ceiling (Discord: 50/s); only tests against a faster fake raise it. */
  globalRequestsPerSecond?: number;
  /** Where a failed publish (crosspost) is reported; the post itself stands. */
  log?: Logger;
}

/** The Discord poster plus its 429 count (for the bench and status lines). */
export interface DiscordDigestPoster extends DigestPoster {
  readonly rateLimits: number;
}

/** Past this, Discord may have forgotten the nonce: look in the channel before posting again. */
export const NONCE_WINDOW_MS = 2 * 60_000;

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
      const marker = markerFor(request.deliveryKey);
      const rendered = renderDiscordDigest(request.digest);
      for (const embed of rendered.embeds) if (embed.url) embed.url = `${embed.url.split('#')[0]}#${marker}`;
      try {
        if (request.inDoubtSince && Date.now() - request.inDoubtSince.getTime() > NONCE_WINDOW_MS) {
          const found = await findPosted(rest, request.channel.channelId, request.inDoubtSince, marker);
          if (found) return { kind: 'sent', messageId: found, found: true };
        }
      } catch (err) {
        // Without Read Message History the nonce is all there is; a refusal here is not the channel's failure.
        if (!(err instanceof DiscordAPIError && err.status === 403)) return classify(err);
      }
      const role = request.pingRole && /^\d{15,21}$/.test(request.pingRole) ? request.pingRole : null;
      const body: RESTPostAPIChannelMessageJSONBody = {
        ...rendered,
        // The subscription's opt-in role mention: the only text outside the embeds.
        ...(role ? { content: `<@&${role}>` } : {}),
        nonce: nonceFor(request.deliveryKey),
        enforce_nonce: true,
        // Never ping anyone else, whatever the text says (the core neutralizes mentions too): at most that one role.
        allowed_mentions: role ? { parse: [], roles: [role] } : { parse: [] },
      };
      try {
        const message = (await rest.post(Routes.channelMessages(request.channel.channelId), { body })) as { id?: string };
        if (request.publish && message.id) await publish(rest, request.channel.channelId, message.id, options.log);
        return { kind: 'sent', messageId: message.id ?? null };
      } catch (err) {
        const outcome = classify(err);
        if (outcome.kind === 'rate-limited') rateLimits++;
        return outcome;
      }
    },
  };
}

/**
 * Publishes a post in an announcement channel to the servers following it. The post is already delivered,
 * so a refusal (not an announcement channel any more, Discord's 10 publishes an hour) is logged, not retried.
 * https://discord.com/developers/docs/resources/message#crosspost-message
 */
async function publish(rest: REST, channelId: string, messageId: string, log: Logger | undefined): Promise<void> {
  try {
    await rest.post(Routes.channelMessageCrosspost(channelId, messageId));
  } catch (err) {
    log?.warn(`digest: could not publish message ${messageId} in ${channelId}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** The fragment that marks a delivery's message (invisible: it only extends the title link). */
function markerFor(deliveryKey: string): string {
  return `twir-${nonceFor(deliveryKey)}`;
}

/** The id of this delivery's message among the channel's messages since a little before the attempt. */
async function findPosted(rest: REST, channelId: string, since: Date, marker: string): Promise<string | null> {
  // Snowflakes start with milliseconds since Discord's epoch (2015-01-01), shifted left 22 bits.
  const after = (BigInt(Math.max(0, since.getTime() - 60_000 - 1_420_070_400_000)) << 22n).toString();
  const messages = (await rest.get(Routes.channelMessages(channelId), { query: new URLSearchParams({ after, limit: '100' }) })) as {
    id: string;
    embeds?: { url?: string }[];
  }[];
  return messages.find((m) => m.embeds?.some((e) => e.url?.endsWith(`#${marker}`)))?.id ?? null;
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
