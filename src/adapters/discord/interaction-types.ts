/**
 * The interaction payload and response shapes shared by the handler, its
 * helpers (Find in TWIR) and the transports, in a module of their own so the
 * helpers need not import the handler that imports them.
 * https://discord.com/developers/docs/interactions/receiving-and-responding
 */
import type { Archive } from '../../core/archive/archive.js';
import type { Chart } from '../../core/charts/svg.js';
import type { CommandDefinition } from '../../core/commands/definition.js';
import type { DigestStore } from '../../digest/digest-store.js';
import type { Logger } from '../../logger.js';
import type { PageStateStore } from './page-state.js';
import type { DiscordMessage } from './render-reply.js';

/** Interaction callback types (Discord API v10). */
export const CALLBACK = { PONG: 1, MESSAGE: 4, DEFERRED_MESSAGE: 5, DEFERRED_UPDATE: 6, UPDATE: 7, AUTOCOMPLETE: 8 } as const;

/** The parts of an interaction the handler reads (Discord sends more). */
export interface InteractionPayload {
  id?: string;
  type?: number;
  token?: string;
  guild_id?: string;
  channel_id?: string;
  channel?: { id?: string; type?: number; name?: string };
  /** 0 = server, 1 = bot DM, 2 = group DM / private channel. */
  context?: number;
  member?: { permissions?: string; user?: { id?: string } };
  user?: { id?: string };
  application_id?: string;
  /** The bot's own permissions in this channel (a bitfield string), sent with every interaction. */
  app_permissions?: string;
  /** Installation contexts that authorised it: "0" = the server (the bot user is in it), "1" = the user's account. */
  authorizing_integration_owners?: Record<string, string>;
  data?: {
    name?: string;
    custom_id?: string;
    options?: InteractionOption[];
    /** 1 = a slash command, 3 = a message context-menu command (Find in TWIR). */
    type?: number;
    /** The message a context-menu command was used on. */
    target_id?: string;
    resolved?: { messages?: Record<string, { content?: unknown; embeds?: unknown }> };
  };
  message?: { interaction_metadata?: { user?: { id?: string } }; interaction?: { user?: { id?: string } } };
}

/** One option of a slash command (a subcommand nests its own). */
export interface InteractionOption {
  name?: string;
  type?: number;
  value?: unknown;
  focused?: boolean;
  options?: InteractionOption[];
}

/** The interaction response body (POSTed to the callback route, or the HTTP reply). */
export type InteractionResponse =
  | { type: typeof CALLBACK.PONG }
  | { type: typeof CALLBACK.MESSAGE | typeof CALLBACK.UPDATE; data: DiscordMessage }
  | { type: typeof CALLBACK.AUTOCOMPLETE; data: { choices: { name: string; value: string | number }[] } };

/** What the handler decided: the response, follow-ups to send after it, and a chart to attach. */
export interface HandledInteraction {
  response: InteractionResponse;
  /** Sent after the response, as follow-up messages (the private hint of a public answer). */
  followUps: DiscordMessage[];
  /** A chart to attach to the answer's embed once sent (`/twir perf`, `/twir events`; not with `chart:off`). */
  chart?: Chart;
}

/** What the handler needs, injected (tests pass fakes). */
export interface InteractionDeps {
  catalogue: readonly CommandDefinition[];
  archive: Archive;
  pages: PageStateStore;
  /** The shared state's digest store (subscribe, unsubscribe, digest); absent, the archive's SQLite one. */
  digest?: DigestStore;
  now: () => Date;
  log: Logger;
}
