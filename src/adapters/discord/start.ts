/**
 * Starts the Discord adapter in the configured mode: the gateway (a bot user
 * online over the WebSocket) or HTTP interactions (a signed endpoint on PORT,
 * no connection kept). Commands are never registered here: that is
 * `npm run deploy:discord`, because Discord caps daily command creations.
 */

import { Routes } from 'discord-api-types/v10';
import { commandList } from '../../../commands/index.js';
import type { StartAdapter } from '../host.js';
import type { InteractionDeps } from './handle-interaction.js';
import { startHttpInteractions } from './http.js';
import { createDiscordRest, isUnauthorized, REJECTED_TOKEN } from './rest.js';

/** The Discord adapter for `twir serve`. */
export const startDiscord: StartAdapter = async (ctx) => {
  const config = ctx.config.discord;
  if (!config) throw new Error('DISCORD_TOKEN: not set');
  const deps: InteractionDeps = {
    catalogue: commandList,
    archive: ctx.archive,
    pages: ctx.shared.pages,
    digest: ctx.shared.digest,
    now: ctx.now,
    log: ctx.log,
  };
  if (config.mode === 'gateway') {
    // Imported here so HTTP mode never loads discord.js's Client (about 35 MB of RSS).
    const { startGateway } = await import('./gateway.js');
    const gateway = await startGateway({ config, deps, log: ctx.log });
    return {
      description: 'discord (gateway)',
      connected: () => gateway.client.isReady(),
      stop: () => gateway.stop(),
      failed: gateway.failed,
    };
  }
  const rest = createDiscordRest(config);
  // HTTP mode never logs in, so check the token once now: a rejected one should stop the start, not the first answer.
  try {
    await rest.get(Routes.currentApplication());
  } catch (err) {
    if (isUnauthorized(err)) throw new Error(REJECTED_TOKEN);
    ctx.log.warn(`discord: could not check the token: ${err instanceof Error ? err.message : String(err)}`);
  }
  const http = startHttpInteractions({ config, deps, rest, http: ctx.http, log: ctx.log });
  return { description: 'discord (HTTP interactions on POST /interactions)', stop: () => http.stop() };
};
