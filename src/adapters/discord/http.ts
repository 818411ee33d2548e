/**
 * HTTP interactions transport: `POST /interactions` on the shared listener.
 * Every request's Ed25519 signature is checked over the raw body with
 * DISCORD_PUBLIC_KEY (Node's crypto; 401 when bad, missing or stale), PING
 * gets PONG, and the answer is the HTTP response itself. Nothing is kept in
 * memory between requests, so several processes can share a load balancer.
 * https://discord.com/developers/docs/interactions/overview#setting-up-an-endpoint
 */
import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { REST } from '@discordjs/rest';
import type { DiscordConfig } from '../../config.js';
import type { Logger } from '../../logger.js';
import { type CommandQueue, createCommandQueue } from '../command-queue.js';
import { createRefusalLog } from '../http/refusal-log.js';
import { createReplayGuard } from '../http/replay-guard.js';
import type { HttpListener } from '../http-listener.js';
import { createInFlight } from '../in-flight.js';
import { deliver } from './deliver.js';
import { handleInteraction, type InteractionDeps, stoppingResponse } from './handle-interaction.js';
import { readInteraction } from './interaction-shape.js';

/** Requests older (or newer) than this are refused as replays. */
export const MAX_CLOCK_SKEW_SECONDS = 300;

export interface HttpOptions {
  config: DiscordConfig;
  deps: InteractionDeps;
  rest: REST;
  http: HttpListener;
  log: Logger;
  deferAfterMs?: number;
  /** Where commands wait their turn (tests pass a small one). */
  queue?: CommandQueue;
}

/** The registered endpoint; stop() refuses new requests and waits for those in flight. */
export interface HttpTransport {
  stop(): Promise<void>;
}

/** The application's public key (64 hex characters, as the portal shows it) as a KeyObject. */
export function discordPublicKey(hex: string): KeyObject {
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(hex, 'hex').toString('base64url') }, format: 'jwk' });
}

/** Whether `signature` (hex) signs timestamp + body, and the timestamp is recent. */
export function verifyDiscordRequest(
  key: KeyObject,
  signature: string | undefined,
  timestamp: string | undefined,
  body: Buffer,
  now: Date,
): boolean {
  if (!signature || !timestamp || !/^[0-9a-f]{128}$/i.test(signature) || !/^\d{1,12}$/.test(timestamp)) return false;
  if (!timestampInWindow(timestamp, now)) return false;
  return verify(null, Buffer.concat([Buffer.from(timestamp, 'utf8'), body]), key, Buffer.from(signature, 'hex'));
}

/** Interaction payloads are a few KB; resolved data can add some. Anything bigger is refused unread. */
export const MAX_INTERACTION_BYTES = 64 * 1024;

/** Registers `POST /interactions`. */
export function startHttpInteractions(options: HttpOptions): HttpTransport {
  const { config, deps, log } = options;
  if (!config.publicKey) throw new Error('DISCORD_PUBLIC_KEY: required when DISCORD_MODE=http');
  const key = discordPublicKey(config.publicKey);
  const inFlight = createInFlight();
  const queue = options.queue ?? createCommandQueue();
  const refusals = createRefusalLog('discord /interactions', log, () => deps.now().getTime());
  const replays = createReplayGuard(MAX_CLOCK_SKEW_SECONDS);
  options.http.route(
    'POST',
    '/interactions',
    async (req, res, body) => {
      const receivedAt = performance.now();
      const signature = header(req, 'x-signature-ed25519');
      const timestamp = header(req, 'x-signature-timestamp');
      if (!verifyDiscordRequest(key, signature, timestamp, body, deps.now())) {
        refusals.count('bad signature');
        return reply(res, 401, { error: 'invalid request signature' });
      }
      // Discord never sends the same signed request twice: a second one is a capture being replayed.
      if (replays.replayed(String(signature), Number(timestamp), deps.now().getTime() / 1000)) {
        refusals.count('replayed');
        return reply(res, 409, { error: 'replayed request' });
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(body.toString('utf8'));
      } catch {
        return reply(res, 400, { error: 'body is not JSON' });
      }
      // Signed is not well-formed: a null body or options that are not a list is the sender's error, not a 500.
      const interaction = readInteraction(parsed);
      if (!interaction) return reply(res, 400, { error: 'malformed interaction' });
      // Stopping: the request is answered (privately, "restarting") and its connection closed by the listener.
      if (!inFlight.open) return reply(res, 200, stoppingResponse(interaction));
      const send = async (data: unknown) => {
        reply(res, 200, data);
      };
      const work = deliver(
        interaction,
        () => handleInteraction(interaction, deps),
        send,
        { rest: options.rest, applicationId: config.applicationId, log, deferAfterMs: options.deferAfterMs ?? 1500, queue },
        receivedAt,
      );
      // Tracked for stop(); awaited here too, so a failure still reaches the listener's 500.
      void inFlight.track(() => work);
      await work;
    },
    {
      maxBodyBytes: MAX_INTERACTION_BYTES,
      // Checked on the headers alone, before the body is read: unsigned or stale requests cost nothing.
      admit: (req) => {
        const signature = header(req, 'x-signature-ed25519');
        const timestamp = header(req, 'x-signature-timestamp');
        if (!signature || !timestamp || !/^[0-9a-f]{128}$/i.test(signature) || !timestampInWindow(timestamp, deps.now())) {
          refusals.count('missing signature or stale timestamp');
          return { status: 401, message: 'invalid request signature' };
        }
        return null;
      },
    },
  );
  return {
    async stop() {
      await inFlight.close();
      refusals.flush();
    },
  };
}

function timestampInWindow(timestamp: string, now: Date): boolean {
  return /^\d{1,12}$/.test(timestamp) && Math.abs(now.getTime() / 1000 - Number(timestamp)) <= MAX_CLOCK_SKEW_SECONDS;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
