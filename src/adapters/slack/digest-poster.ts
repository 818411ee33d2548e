/**
 * Posts digests to Slack: chat.postMessage through @slack/web-api's
 * WebClient, with message metadata (event_type `twir_digest`, the issue and
 * the delivery key). Before re-posting a delivery whose earlier attempt never
 * reported back, conversations.history (with include_all_metadata) looks for
 * that key, so a post Slack accepted just before a crash is not repeated.
 * In OAuth mode each post goes out with its workspace's token, looked up in
 * the installations; a workspace without one is a channel error (the app was
 * uninstalled there), which pauses the subscription like any lost channel.
 * https://api.slack.com/methods/chat.postMessage · https://api.slack.com/metadata
 */
import { ErrorCode, type WebAPICallError, type WebClient } from '@slack/web-api';
import type { SlackConfig } from '../../config.js';
import type { DigestPoster, PostOutcome, PostRequest } from '../../digest/poster.js';
import type { Logger } from '../../logger.js';
import { renderSlackDigest } from './digest-render.js';
import { createSlackWebClient } from './web-client.js';

export interface SlackDigestPosterOptions {
  /** config.slack: the bot token and SLACK_API_URL (tests: a loopback fake). */
  slack: SlackConfig;
  log: Logger;
  timeoutMs?: number;
  /**
   * OAuth mode: the bot token of a workspace (team id), or null when the app is not installed there.
   * Absent: every post uses `slack.botToken`.
   */
  tokenFor?: (workspaceId: string) => Promise<string | null>;
}

export const DIGEST_EVENT_TYPE = 'twir_digest';

/** Errors that mean the bot cannot post in that channel until a person acts. */
const CHANNEL_GONE = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'restricted_action',
  'restricted_action_read_only_channel',
  'restricted_action_thread_only_channel',
  'restricted_action_non_threadable_channel',
  'cannot_reply_to_message',
  'team_access_not_granted',
  'account_inactive',
  'invalid_auth',
  'token_revoked',
  'not_authed',
  'missing_scope',
  'ekm_access_denied',
]);

/** Slack's own temporary failures (HTTP 200 with ok:false). */
const TEMPORARY = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout', 'ratelimited']);

export function createSlackDigestPoster(options: SlackDigestPosterOptions): DigestPoster {
  // The adapter's client (same API URL and logging), but no blind retries: a 429 comes back with its
  // Retry-After, 5xx and timeouts go to the fan-out's backoff, and the client never pauses its whole queue.
  const clients = new Map<string | null, WebClient>();
  const clientFor = (token: string | null): WebClient => {
    let client = clients.get(token);
    if (!client) {
      client = createSlackWebClient(
        options.slack,
        options.log,
        { retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, timeout: options.timeoutMs ?? 15_000 },
        token,
      );
      clients.set(token, client);
    }
    return client;
  };
  return {
    async post(request): Promise<PostOutcome> {
      let client: WebClient;
      try {
        const token = options.tokenFor ? await options.tokenFor(request.channel.workspaceId) : options.slack.botToken;
        if (!token)
          return {
            kind: 'channel-error',
            reason: `the Slack app is not installed in workspace ${request.channel.workspaceId} (uninstalled?); reinstall it, then run /twir subscribe in the channel`,
          };
        client = clientFor(token);
      } catch (err) {
        // The installation store is out of reach (a database restart): like Slack being unreachable, retried.
        return {
          kind: 'transient',
          reason: `installation lookup failed: ${err instanceof Error ? err.message : String(err)}`,
          maybePosted: false,
        };
      }
      try {
        if (request.inDoubtSince) {
          const found = await findPosted(client, request, options.log);
          if (found) return { kind: 'sent', messageId: found, found: true };
        }
        const { text, blocks } = renderSlackDigest(request.digest);
        const result = await client.chat.postMessage({
          channel: request.channel.channelId,
          text,
          blocks,
          unfurl_links: false,
          unfurl_media: false,
          metadata: {
            event_type: DIGEST_EVENT_TYPE,
            event_payload: { issue: request.digest.issue.number ?? 0, delivery: request.deliveryKey, test: request.digest.test },
          },
        });
        return { kind: 'sent', messageId: result.ts ?? null };
      } catch (err) {
        return classify(err);
      }
    },
  };
}

/** The ts of this delivery's message if Slack already has it (searched from a little before the attempt). */
async function findPosted(client: WebClient, request: PostRequest, log: Logger): Promise<string | null> {
  try {
    return await searchHistory(client, request);
  } catch (err) {
    // Installed without channels:history / groups:history: the post cannot be checked, so it is sent again
    // (a possible duplicate, logged) rather than never (a certain miss).
    if ((err as { data?: { error?: string } }).data?.error === 'missing_scope') {
      log.warn(`slack: cannot check ${request.channel.channelId} for an in-doubt digest (missing history scope); posting it again.`);
      return null;
    }
    throw err;
  }
}

async function searchHistory(client: WebClient, request: PostRequest): Promise<string | null> {
  const oldest = ((request.inDoubtSince as Date).getTime() - 120_000) / 1000;
  let cursor: string | undefined;
  for (let page = 0; page < 5; page++) {
    const history = await client.conversations.history({
      channel: request.channel.channelId,
      oldest: oldest.toFixed(6),
      include_all_metadata: true,
      limit: 200,
      ...(cursor ? { cursor } : {}),
    });
    for (const m of history.messages ?? []) {
      const meta = (m as { metadata?: { event_type?: string; event_payload?: Record<string, unknown> } }).metadata;
      if (meta?.event_type === DIGEST_EVENT_TYPE && meta.event_payload?.delivery === request.deliveryKey) return m.ts ?? '';
    }
    cursor = history.response_metadata?.next_cursor || undefined;
    if (!history.has_more || !cursor) break;
  }
  return null;
}

function classify(err: unknown): PostOutcome {
  const e = err as Partial<WebAPICallError> & { data?: { error?: string }; retryAfter?: number; statusCode?: number };
  switch (e.code) {
    case ErrorCode.RateLimitedError:
      // Slack does not say whether the channel or the workspace hit its limit: hold the workspace.
      return { kind: 'rate-limited', retryAfterMs: (e.retryAfter ?? 1) * 1000, global: true };
    case ErrorCode.PlatformError: {
      const code = e.data?.error ?? 'unknown_error';
      const reason = `Slack ${code}`;
      if (CHANNEL_GONE.has(code)) return { kind: 'channel-error', reason };
      if (TEMPORARY.has(code)) return { kind: 'transient', reason, maybePosted: code !== 'ratelimited' };
      return { kind: 'rejected', reason };
    }
    case ErrorCode.HTTPError:
      return { kind: 'transient', reason: `Slack HTTP ${e.statusCode}`, maybePosted: true };
    default:
      return { kind: 'transient', reason: `Slack unreachable: ${err instanceof Error ? err.message : String(err)}`, maybePosted: true };
  }
}
