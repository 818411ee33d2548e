/**
 * What `POST /slack/events` checks before Bolt sees a request. Bolt verifies
 * the v0 signature, but only after buffering the whole body, it accepts
 * timestamps in the future, answers the same signed body again when it is
 * replayed, and logs every failure. Here the headers are checked first
 * (signature present, timestamp within five minutes either way), then the
 * signature over the raw body, then that this signature was not seen in the
 * window; refusals are counted and summarized, not logged one by one.
 * https://api.slack.com/authentication/verifying-requests-from-slack
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Logger } from '../../logger.js';
import { createRefusalLog } from '../http/refusal-log.js';
import { createReplayGuard } from '../http/replay-guard.js';
import type { Refusal } from '../http-listener.js';

/** Slack's window: requests older (or newer) than this are refused. */
export const SLACK_MAX_SKEW_SECONDS = 300;
/** Slash commands and button clicks are a few KB; anything bigger is refused unread. */
export const SLACK_MAX_BODY_BYTES = 32 * 1024;

export interface SlackRequestGuard {
  /** Header checks, before the body is read. */
  admit(req: IncomingMessage): Refusal | null;
  /** Signature and replay checks over the raw body. */
  verify(req: IncomingMessage, body: Buffer): Refusal | null;
  /** Logs what was refused since the last summary. */
  flush(): void;
}

export function createSlackRequestGuard(signingSecret: string, log: Logger, now: () => Date): SlackRequestGuard {
  const refusals = createRefusalLog('slack /slack/events', log, () => now().getTime());
  const replays = createReplayGuard(SLACK_MAX_SKEW_SECONDS);
  const refuse = (reason: string, status = 401): Refusal => {
    refusals.count(reason);
    return { status, message: reason };
  };
  return {
    admit(req) {
      const signature = header(req, 'x-slack-signature');
      const timestamp = header(req, 'x-slack-request-timestamp');
      if (!signature || !/^v0=[0-9a-f]{64}$/.test(signature)) return refuse('missing or malformed signature');
      if (!timestamp || !/^\d{1,12}$/.test(timestamp)) return refuse('missing timestamp');
      // Both directions: a timestamp in the future would stay "fresh" for as long as the attacker likes.
      if (Math.abs(now().getTime() / 1000 - Number(timestamp)) > SLACK_MAX_SKEW_SECONDS) return refuse('timestamp outside the window');
      return null;
    },
    verify(req, body) {
      const signature = header(req, 'x-slack-signature') ?? '';
      const timestamp = header(req, 'x-slack-request-timestamp') ?? '';
      const expected = `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:`).update(body).digest('hex')}`;
      if (expected.length !== signature.length || !timingSafeEqual(Buffer.from(expected), Buffer.from(signature)))
        return refuse('bad signature');
      // The same signed body again within the window is a replay (Slack re-signs its retries).
      if (replays.replayed(signature, Number(timestamp), now().getTime() / 1000)) return refuse('replayed', 409);
      // Signed is not well-formed: Bolt throws (unhandled, the request never answered) on a payload of `null`.
      if (!wellFormed(req, body)) return { status: 400, message: 'malformed payload' };
      return null;
    },
    flush: () => refusals.flush(),
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** A JSON object (Events API, url_verification), or a form with a slash command or a JSON-object `payload`. */
function wellFormed(req: IncomingMessage, body: Buffer): boolean {
  const isObject = (text: string): boolean => {
    try {
      const value: unknown = JSON.parse(text);
      return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as { type?: unknown }).type === 'string';
    } catch {
      return false;
    }
  };
  const text = body.toString('utf8');
  if ((header(req, 'content-type') ?? '').startsWith('application/json')) return isObject(text);
  const form = new URLSearchParams(text);
  const payload = form.get('payload');
  if (payload !== null) return isObject(payload);
  return form.get('command') !== null || form.get('ssl_check') !== null;
}
