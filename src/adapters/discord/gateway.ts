/**
 * Gateway transport: an unmodified discord.js Client with the Guilds intent
 * only (no privileged intents), receiving INTERACTION_CREATE over the
 * WebSocket and answering through the callback route. Reconnects and resumes
 * are discord.js's job, and so is sharding (`shards: 'auto'`: as many shards
 * as Discord recommends, all in this process). The raw payload goes to the
 * shared handler, so both transports answer alike.
 */
import { Client, Events, GatewayDispatchEvents, GatewayIntentBits, Options, Routes } from 'discord.js';
import type { DiscordConfig } from '../../config.js';
import type { Logger } from '../../logger.js';
import { createCommandQueue } from '../command-queue.js';
import { createInFlight } from '../in-flight.js';
import { deliver } from './deliver.js';
import { handleInteraction, type InteractionDeps, stoppingResponse } from './handle-interaction.js';
import { readInteraction } from './interaction-shape.js';
import { discordRestOptions, isUnauthorized, REJECTED_TOKEN } from './rest.js';

export interface GatewayOptions {
  config: DiscordConfig;
  deps: InteractionDeps;
  log: Logger;
  /** Defer an answer not ready this long after it arrived (ms). */
  deferAfterMs?: number;
}

export { STOPPING_TEXT } from './handle-interaction.js';

/** What an operator should do about each fatal close code. */
const FATAL_CLOSE_HINTS: Record<number, string> = {
  4004: 'the token was rejected or revoked; set DISCORD_TOKEN to a current bot token',
  4010: 'invalid shard',
  4011: 'sharding required',
  4012: 'invalid API version',
  4013: 'invalid intents',
  4014: 'disallowed intents',
};

/** A logged-in gateway connection. */
export interface GatewayTransport {
  client: Client;
  /** Stops taking interactions (newcomers are told to ask again), waits for those in flight, then disconnects. */
  stop(): Promise<void>;
  /** Resolves with a one-line reason when Discord closes the gateway with a code discord.js will not reconnect after. */
  failed: Promise<string>;
}

/** Logs in and starts answering; rejects with a one-line error when Discord refuses the token. */
export async function startGateway(options: GatewayOptions): Promise<GatewayTransport> {
  const { config, deps, log } = options;
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    // As many shards as Discord recommends (GET /gateway/bot), all in this process: Discord requires
    // sharding past 2,500 servers. Scaling out to several processes is HTTP mode's job (README, Scaling out).
    shards: 'auto',
    rest: discordRestOptions(config),
    // Answers read nothing from discord.js's caches: keep the per-guild ones that grow with activity empty.
    makeCache: Options.cacheWithLimits({
      ...Options.DefaultMakeCacheSettings,
      MessageManager: 0,
      ReactionManager: 0,
      PresenceManager: 0,
      ThreadMemberManager: 0,
      GuildMemberManager: { maxSize: 0, keepOverLimit: (member) => member.id === member.client.user.id },
      UserManager: { maxSize: 0, keepOverLimit: (user) => user.id === user.client.user.id },
    }),
  });
  const inFlight = createInFlight();
  const queue = createCommandQueue();
  client.ws.on(GatewayDispatchEvents.InteractionCreate, (payload: unknown) => {
    const receivedAt = performance.now();
    const raw = readInteraction(payload);
    if (!raw) {
      log.warn('discord gateway: dropped a malformed interaction');
      return;
    }
    const send = (body: unknown) =>
      client.rest.post(Routes.interactionCallback(String(raw.id), String(raw.token)), { body, auth: false }).then(() => undefined);
    if (!inFlight.open) {
      // Still connected while the last answers finish: say so (a PING needs no callback).
      if (raw.type !== 1)
        void inFlight.track(() =>
          send(stoppingResponse(raw)).catch((err: unknown) => log.warn(`interaction ${raw.id ?? '?'}: ${String(err)}`)),
        );
      return;
    }
    void inFlight.track(() =>
      deliver(
        raw,
        () => handleInteraction(raw, deps),
        send,
        { rest: client.rest, applicationId: config.applicationId, log, deferAfterMs: options.deferAfterMs ?? 1500, queue },
        receivedAt,
      ),
    );
  });
  client.on('error', (err) => log.error(`discord gateway: ${err.message}`));
  // discord.js emits shardDisconnect only for the close codes it gives up on (4004 token revoked, 4013/4014
  // intents…): nothing would answer again, so this is the end of the adapter, said in one line.
  const failed = new Promise<string>((resolve) =>
    client.on(Events.ShardDisconnect, (event: { code: number }) => {
      const reason = `discord gateway: Discord closed the connection for good (${event.code}${FATAL_CLOSE_HINTS[event.code] ? `: ${FATAL_CLOSE_HINTS[event.code]}` : ''})`;
      log.error(reason);
      resolve(reason);
    }),
  );
  const ready = new Promise<void>((resolve) => client.once('clientReady', () => resolve()));
  try {
    await client.login(config.token);
    await ready;
  } catch (err) {
    await client.destroy();
    if (isUnauthorized(err)) throw new Error(REJECTED_TOKEN);
    throw new Error(`discord: could not connect to the gateway: ${err instanceof Error ? err.message : String(err)}`);
  }
  log.info(`Discord: logged in as ${client.user?.tag ?? client.user?.id ?? '?'} (gateway).`);
  return {
    client,
    failed,
    async stop() {
      await inFlight.close();
      await client.destroy();
    },
  };
}
